"""Cost of the briefing exports: slide PNGs and the standalone HTML, bundled data and a synthetic
ACLED file. Prints a table.

    python -m bench.slides [N ...]      # N: synthetic ACLED events (default: bundled only)
"""

from __future__ import annotations

import statistics
import sys
import time

from dashboard.config import EVENTS_CSV
from dashboard.geo.regions import load_regions
from dashboard.ingest.events import LAST, load_events
from dashboard.render import slides
from dashboard.render.html import standalone_html
from dashboard.scene import build as scene
from tests.synth import acled_events

REPEATS = 5


def timed(fn):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, out


def rows_for(name: str, events, regions) -> list[tuple]:
    day = events[LAST].max()
    rows = []
    for window in (7, None):
        made = scene.make(events, regions, day, window)
        for size in ((1920, 1080), (1280, 720)):
            ms, png = timed(lambda made=made, size=size: slides.of_scene(made, regions, size).png())
            rows.append((name, window or "cumulative", f"PNG {size[0]}x{size[1]}", ms, len(png)))
        full = scene.make(events, regions, day, window, overlay="full")
        ms, html = timed(lambda full=full: standalone_html(full, regions))
        rows.append((name, window or "cumulative", "HTML", ms, len(html)))
    return rows


def main(argv: list[str]) -> None:
    regions = load_regions()
    rows = rows_for("bundled", load_events(EVENTS_CSV, regions).events, regions)
    for n in (int(a) for a in argv):
        data = acled_events(n, regions=regions).to_csv(index=False).encode("utf-8")
        rows += rows_for(f"acled {n:,}", load_events(data, regions).events, regions)
    print(f"{'data':<14}{'window':<12}{'export':<15}{'median ms':>10}{'bytes':>12}")
    for name, window, what, ms, size in rows:
        print(f"{name:<14}{window!s:<12}{what:<15}{ms:>10.0f}{size:>12,}")


if __name__ == "__main__":
    main(sys.argv[1:])

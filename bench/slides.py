"""Cost of the briefing exports: slide PNGs and the standalone HTML, bundled data and a synthetic
ACLED file; a 6-slide deck's pages (map pictures), PDF and PowerPoint. Prints a table.

    python -m bench.slides [N ...]      # N: synthetic ACLED events (default: bundled only)
"""

from __future__ import annotations

import statistics
import sys
import time

from dashboard.config import EVENTS_CSV
from dashboard.geo.regions import load_regions
from dashboard.ingest.events import LAST, load_events
from dashboard.query.filters import filters_of
from dashboard.query.view import index_for
from dashboard.render import deck as export
from dashboard.render import slides
from dashboard.render.html import standalone_html
from dashboard.scene import build as scene
from dashboard.state import deck as decks
from dashboard.state import permalink
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


DECK_VIEWS = (
    "date=2022-03-02&window=7",
    "date=2022-05-20&window=30&lat=47.3&lon=37.0&zoom=7",
    "date=2022-09-10&window=7",
    "date=2022-09-30&window=7&lang=uk",
    "date=2022-11-11&window=7&lat=46.8&lon=33.2&zoom=8",
    "date=2022-11-14",
)


def deck_rows(events, regions) -> list[tuple]:
    """A 6-slide deck (an annotation each) exported as the page exports it: pages, then files."""
    arrow = decks.Annotation("arrow", ((49.9, 36.3), (49.2, 37.3)), decks.Text("Izium"))
    deck = decks.Deck(
        slides=tuple(
            decks.Slide(
                permalink.from_query(q)[0],
                decks.Text(f"Slide {i}"),
                decks.Text("A caption of a few words, as a briefer writes it. " * 4),
                annotations=(arrow,),
            )
            for i, q in enumerate(DECK_VIEWS, 1)
        ),
        title=decks.Text("Bench deck"),
    )

    def scene_for(view):
        index = index_for(events, filters_of(view))
        return scene.of_state(view, scene.inputs_for(view, events, regions, index, tiles="none"))

    ms, pages = timed(lambda: export.pages(deck, "en", scene_for, regions))
    rows = [("bundled", "6 slides", "deck pages", ms, sum(len(p.picture) for p in pages))]
    for what, make in (("deck PDF", export.to_pdf), ("deck PPTX", export.to_pptx)):
        ms, data = timed(lambda make=make: make(pages, "Bench deck"))
        rows.append(("bundled", "6 slides", what, ms, len(data)))
    return rows


def main(argv: list[str]) -> None:
    regions = load_regions()
    bundled = load_events(EVENTS_CSV, regions).events
    rows = rows_for("bundled", bundled, regions) + deck_rows(bundled, regions)
    for n in (int(a) for a in argv):
        data = acled_events(n, regions=regions).to_csv(index=False).encode("utf-8")
        rows += rows_for(f"acled {n:,}", load_events(data, regions).events, regions)
    print(f"{'data':<14}{'window':<12}{'export':<15}{'median ms':>10}{'bytes':>12}")
    for name, window, what, ms, size in rows:
        print(f"{name:<14}{window!s:<12}{what:<15}{ms:>10.0f}{size:>12,}")


if __name__ == "__main__":
    main(sys.argv[1:])

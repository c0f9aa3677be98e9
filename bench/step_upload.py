"""Cost of an analyst's upload: ``python -m bench.step_upload [N ...]`` (default 100000).

For each N, a synthetic ACLED file (tests/synth.py) is read, validated and placed from bytes,
as an upload is; then, over 20 slider dates, the view, the date layer and streamlit-folium's
layer JavaScript are built (class breaks computed once, as the page caches them),
cumulatively and for a 7-day window. Prints a table.
"""

from __future__ import annotations

import statistics
import sys
import time

import pandas as pd
from streamlit_folium import _get_feature_group_string

from dashboard.geo.regions import load_regions
from dashboard.ingest.events import load_events
from dashboard.query.view import Filters, breaks_for_index, index_for
from dashboard.render.leaflet import base_map, feature_group
from dashboard.scene import build as scene
from tests.synth import acled_events

DATES = pd.date_range("2023-01-01", periods=20, freq="7D")


def measure(n: int) -> list[tuple]:
    regions = load_regions()
    data = acled_events(n, seed=1, regions=regions).to_csv(index=False).encode()
    t0 = time.perf_counter()
    result = load_events(data, regions)
    load_s = time.perf_counter() - t0
    rows = []
    for window in (None, 7):
        times, sizes, steps = [], [], set()
        index = index_for(result.events, Filters())
        breaks = breaks_for_index(index, window, "events")  # once, as the page caches them
        for day in DATES:
            t0 = time.perf_counter()
            made = scene.make(result.events, regions, day, window, breaks=breaks, index=index)
            group = feature_group(made.layers, made.controls)
            js = _get_feature_group_string(group, base_map(regions))
            times.append((time.perf_counter() - t0) * 1000)
            sizes.append(len(js))
            steps.add(made.layers.grid_step)
        label = "cumulative" if window is None else f"{window} days"
        grid = ", ".join("places" if s is None else f"grid {s}°" for s in sorted(steps, key=str))
        rows.append(
            (n, len(data) / 2**20, load_s, label, statistics.median(times), max(times),
             statistics.median(sizes) / 1024, grid)
        )  # fmt: skip
    return rows


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [100_000]
    header = (
        "N",
        "file MB",
        "load s",
        "window",
        "step ms med",
        "step ms max",
        "JS KB med",
        "markers",
    )
    print("{:>8} {:>8} {:>7} {:>11} {:>12} {:>12} {:>10}  {}".format(*header))
    for n in sizes:
        for row in measure(n):
            print("{:>8} {:>8.1f} {:>7.2f} {:>11} {:>12.0f} {:>12.0f} {:>10.0f}  {}".format(*row))


if __name__ == "__main__":
    main(sys.argv[1:])

"""Per-step server cost on the bundled data: ``python -m bench.step_bundled``.

Prints a table: load (read + validate + place) and, over 50 slider dates with a 7-day window,
the time to build the page's scene (view, date layer) and streamlit-folium's layer JavaScript.
"""

from __future__ import annotations

import statistics
import time

import pandas as pd
from streamlit_folium import _get_feature_group_string

from dashboard.config import EVENTS_CSV
from dashboard.geo.regions import load_regions
from dashboard.ingest.events import load_events
from dashboard.query.view import Filters, breaks_for_index, index_for
from dashboard.render.leaflet import base_map, feature_group
from dashboard.scene import build as scene


def main() -> None:
    regions = load_regions()
    t0 = time.perf_counter()
    result = load_events(EVENTS_CSV, regions)
    load_ms = (time.perf_counter() - t0) * 1000
    times, sizes = [], []
    index = index_for(result.events, Filters())
    breaks = breaks_for_index(index, 7, "events")  # once, as the page caches them
    for day in pd.date_range("2022-09-01", "2022-10-20"):
        t0 = time.perf_counter()
        made = scene.make(result.events, regions, day, 7, breaks=breaks, index=index)
        group = feature_group(made.layers, made.controls)
        js = _get_feature_group_string(group, base_map(regions))
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(len(js))
    print(f"{'metric':34s} {'value':>10s}")
    print(f"{'events (rows)':34s} {result.accepted:>10d}")
    print(f"{'load + validate + place (ms)':34s} {load_ms:>10.1f}")
    print(f"{'step median (ms)':34s} {statistics.median(times):>10.1f}")
    print(f"{'step max (ms)':34s} {max(times):>10.1f}")
    print(f"{'layer JS median (KB)':34s} {statistics.median(sizes) / 1024:>10.1f}")


if __name__ == "__main__":
    main()

"""The shared store's path beside the in-memory one: ``python -m bench.store [N ...]``
(default 100000 1000000). Prints a table.

For each N, a synthetic ACLED file (tests/synth.py) is read and validated as an upload is,
then, in a throwaway PostgreSQL+PostGIS cluster (dashboard.team.localdb; Debian's packages):

* ``share_s``: an editor shares it (COPY into the store, the points and indexes built);
* ``read_all_s``: a replica reads the whole dataset back into a frame (what the page does once
  per replica and version of a shared dataset);
* per date, over 20 dates a week apart, a 7-day window's server step, median ms:
  ``memory``: the per-date index's selection and the step payload from the frame in memory;
  ``store``: the window's events filtered in the database (``Store.window``, on the date
  index) and the same step payload from them;
  ``sql_counts``: only the per-oblast counts of the window, aggregated in the database.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta

import pandas as pd

from dashboard.geo.regions import load_regions
from dashboard.ingest.events import load_events
from dashboard.query.view import Filters, breaks_for_index, index_for
from dashboard.scene import build as scene
from dashboard.team import localdb
from dashboard.team.store import Store
from tests.synth import acled_events

DATES = pd.date_range("2023-01-01", periods=20, freq="7D")
WINDOW = 7


def median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def measure(n: int, store: Store, regions) -> dict:
    data = acled_events(n, seed=1, regions=regions).to_csv(index=False).encode()
    events = load_events(data, regions, dataset="bench").events
    t0 = time.perf_counter()
    dataset_id = store.share_dataset(
        events.drop(columns=["dataset"]), name=f"bench {n}", file_name="bench.csv", user="bench"
    )
    share_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    back = store.events(dataset_id)
    read_s = time.perf_counter() - t0
    assert len(back) == len(events)
    index = index_for(events, Filters())
    breaks = breaks_for_index(index, WINDOW, "events")
    memory, stored, counts, sizes = [], [], [], []
    for day in DATES:
        t0 = time.perf_counter()
        mem = scene.step_payload(day, "k", events=events, regions=regions, window=WINDOW,
                                 index=index, breaks=breaks)  # fmt: skip
        memory.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        start = (day - timedelta(days=WINDOW - 1)).date()
        part = store.window(dataset_id, start, day.date())
        part["dataset"] = pd.Categorical(["bench"] * len(part))
        from_store = scene.step_payload(day, "k", events=part, regions=regions, window=WINDOW,
                                        breaks=breaks)  # fmt: skip
        stored.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        store.counts_by_oblast(dataset_id, start, day.date())
        counts.append(time.perf_counter() - t0)
        sizes.append(len(part))
        assert len(mem) > 0 and len(from_store) > 0
    store.delete_dataset(dataset_id)
    return {
        "n": n,
        "share_s": round(share_s, 2),
        "read_all_s": round(read_s, 2),
        "window_events": int(statistics.median(sizes)),
        "memory_ms": round(median_ms(memory), 1),
        "store_ms": round(median_ms(stored), 1),
        "sql_counts_ms": round(median_ms(counts), 1),
    }


def main(argv: list[str] | None = None) -> int:
    sizes = [int(x) for x in (sys.argv[1:] if argv is None else argv)] or [100_000, 1_000_000]
    why = localdb.missing()
    if why:
        print(f"bench.store skipped: {why}")
        return 0
    regions = load_regions()
    header = ("N", "share s", "read all s", "events/window", "memory ms", "store ms", "SQL ms")
    print("Shared store (PostgreSQL+PostGIS, one local cluster) beside memory; 7-day window steps")
    print(" | ".join(f"{h:>13}" for h in header))
    with localdb.cluster(port=55499) as url:
        store = Store(url, limit=10_000_000)
        store.migrate()
        for n in sizes:
            row = measure(n, store, regions)
            print(
                " | ".join(f"{v:>13,}" if isinstance(v, int) else f"{v:>13}" for v in row.values())
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

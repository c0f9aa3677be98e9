"""What an analyst's filter or range change costs the server: ``python -m bench.filters [N ...]``
(default 100000). ``make bench`` runs it after ``bench.run``.

For each N, a synthetic ACLED file (tests/synth.py, seed 1) is loaded as an upload is. Then,
for each change, the work the page does when the user makes it is timed in-process, median of
5 runs after one warm-up:

- a **filter change**: the mask of the new filters, the per-date index built from it (the page
  caches it per data and filters, so this is paid once per new filter), the class breaks, and
  the date's scene and payload;
- a **step under the filter**: the next date, with the index and breaks cached (what every
  slider step, playback frame or time-bar file costs once the filter is set);
- a **range change**: breaks for the range and the scene of its last date (index cached);
  a **step in the range**: the next date inside it.

Payload is the JSON the map receives for that date. Prints a table; the floors of
docs/PERFORMANCE.md (server step <= 50 ms at 1M, payload <= 300 KB at 100k) apply to steps.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date, timedelta

from dashboard.geo.regions import load_regions
from dashboard.ingest.events import load_events
from dashboard.query.filters import Filters, filter_mask
from dashboard.query.index import EventIndex
from dashboard.scene import build as scene
from tests.synth import acled_events

DAY = date(2022, 9, 20)
RANGE = (date(2022, 9, 1), date(2022, 9, 30))
AREA = ((47.5, 35.0), (48.2, 35.0), (48.2, 36.4), (47.5, 36.4))  # around Zaporizhzhia
CHANGES = {
    "actor": Filters(actors=("Wagner Group",)),
    "actor + sub-event type": Filters(
        actors=("Wagner Group",), sub_types=("Shelling/artillery/missile attack",)
    ),
    "civilian targeting": Filters(civilian=True),
    "fatalities 1-5": Filters(fatalities=(1, 5)),
    "search 1 word": Filters(query="zaporizhia"),
    "search 3 words": Filters(query="Запоріжжя synthetic record"),
    "drawn area": Filters(area=AREA),
}
RUNS = 5


def _ms(fn) -> tuple[float, object]:
    fn()  # warm-up: what is made once per frame (codes, search text) is not the change
    times, out = [], None
    for _ in range(RUNS):
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def _payload_kb(made) -> float:
    return len(json.dumps(made.layers.payload, ensure_ascii=False, separators=(",", ":"))) / 1024


def measure(n: int) -> list[tuple]:
    regions = load_regions()
    events = load_events(acled_events(n, seed=1, regions=regions).to_csv(index=False).encode(),
                         regions).events  # fmt: skip
    rows = []
    for name, filters in CHANGES.items():

        def change(filters=filters):
            index = EventIndex.build(events, filter_mask(events, filters))
            breaks = scene.breaks_of(index, 7, "events", None, None)
            made = scene.make(events, regions, DAY, 7, filters, breaks=breaks, index=index)
            return index, breaks, made

        change_ms, (index, breaks, made) = _ms(change)
        step_ms, stepped = _ms(
            lambda index=index, breaks=breaks, filters=filters: scene.make(
                events, regions, DAY + timedelta(days=1), 7, filters, breaks=breaks, index=index
            )
        )
        rows.append((n, name, len(index), change_ms, step_ms, _payload_kb(stepped)))
    index = EventIndex.build(events)

    def ranged(last=RANGE[1]):
        breaks = scene.breaks_of(index, None, "events", *RANGE)
        return scene.make(events, regions, last, None, breaks=breaks, index=index,
                          range_from=RANGE[0], range_to=RANGE[1])  # fmt: skip

    range_ms, made = _ms(ranged)
    step_ms, stepped = _ms(lambda: ranged(RANGE[1] - timedelta(days=1)))
    rows.append((n, "range 1-30 Sep 2022", len(made.view), range_ms, step_ms, _payload_kb(stepped)))
    return rows


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [100_000]
    header = ("N", "change", "events kept", "change ms", "step ms", "step payload KB")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for n in sizes:
        for row in measure(n):
            n_, name, kept, change_ms, step_ms, kb = row
            print(f"| {n_:,} | {name} | {kept:,} | {change_ms:,.1f} | {step_ms:,.1f} | {kb:,.1f} |")
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])

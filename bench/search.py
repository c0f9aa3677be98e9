"""Search (dashboard/query/search.py): seconds to build the folded text of N events, and
milliseconds per query of one and of three words, at 100k and 1M synthetic ACLED events.

    python -m bench.search                       # 100k and 1M
    python -m bench.search --sizes 100000 --runs 5

The ACLED files are tests/synth.py's, written once to /tmp/oem-bench/ (as bench.load does)
and loaded with the page's loader. Two shapes per size: ``acled`` as synthesised (titles
from event type and town, one note for all) and ``notes`` with a different note on every
event, as real ACLED notes are (every description is then folded). Prints a table: shape,
rows, build s, mask ms for one word and for three (medians), the memory the index holds
(its arrays, MB), how much the process's resident memory grew with the build (MB) and how
far it rose at most while building (MB: Linux's peak, reset through /proc/self/clear_refs).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from dashboard.config import (
    ACTOR1,
    ACTOR2,
    ADMIN2,
    DESCRIPTION,
    EVENT_TYPE,
    OBLAST,
    ROOT,
    SETTLEMENT,
    SOURCE_NAME,
    START,
    SUB_EVENT_TYPE,
    TITLE,
)
from dashboard.geo.regions import load_regions
from dashboard.ingest.events import load_events, release_memory
from dashboard.query.filters import oblast_aliases
from dashboard.query.search import SearchText

FOLDER = Path("/tmp/oem-bench")
COLUMNS = [TITLE, DESCRIPTION, SETTLEMENT, OBLAST, ACTOR1, ACTOR2, SOURCE_NAME]
COLUMNS += [EVENT_TYPE, SUB_EVENT_TYPE, ADMIN2]
ONE_WORD = ("Zaporizhia", "Куп'янськ", "Sievierodonetsk")
THREE_WORDS = ("shelling Zaporizhia Russia", "Kupiansk artillery Ukraine", "synthetic bakhmut 2023")


def crosswalk_aliases() -> dict[str, list[str]]:
    """ISO code -> spellings, as the page passes them (``query.filters.oblast_aliases``)."""
    return oblast_aliases()


def acled_file(n: int) -> Path:
    path = FOLDER / f"acled-{n}.csv"  # the file bench.load and bench.drive write
    if not path.exists():
        FOLDER.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "tests.synth", str(n), "--format", "acled", "-o", path],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    return path


def with_notes(events: pd.DataFrame) -> pd.DataFrame:
    """The events with a different description on each (like real ACLED notes)."""
    notes = (
        "On "
        + events[START].dt.strftime("%d %B %Y")
        + ", synthetic note "
        + events["id"]
        + ": "
        + events[SUB_EVENT_TYPE]
        + " reported near "
        + events[SETTLEMENT].where(events[SETTLEMENT] != "", "an unnamed place")
        + " by a synthetic source; no real event."
    )
    return events.assign(**{DESCRIPTION: notes})


def resident_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (peak) of this process, MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise LookupError(field)


def median_ms(search: SearchText, queries: tuple[str, ...], runs: int) -> float:
    times = []
    for _ in range(runs):
        for query in queries:
            start = time.perf_counter()
            search.mask(query)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(shape: str, events: pd.DataFrame, aliases: dict, runs: int) -> str:
    builds = []
    for _ in range(runs):
        start = time.perf_counter()
        search = SearchText.build(events, COLUMNS, aliases)
        builds.append(time.perf_counter() - start)
    del search
    release_memory()  # what earlier builds freed would otherwise be reused unseen
    Path("/proc/self/clear_refs").write_text("5")  # the peak (VmHWM) restarts from now
    before = resident_mb("VmRSS")
    search = SearchText.build(events, COLUMNS, aliases)
    peak, kept = resident_mb("VmHWM") - before, resident_mb("VmRSS") - before
    one, three = median_ms(search, ONE_WORD, runs), median_ms(search, THREE_WORDS, runs)
    return (
        f"{shape:>6} {len(events):>10,} {statistics.median(builds):>8.2f} {one:>9.1f} "
        f"{three:>10.1f} {search.nbytes / 2**20:>8.1f} {kept:>7.0f} {peak:>8.0f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="builds and queries (median)")
    args = parser.parse_args(argv)
    regions, aliases = load_regions(), crosswalk_aliases()
    print(
        f"{'shape':>6} {'rows':>10} {'build_s':>8} {'mask_1_ms':>9} {'mask_3_ms':>10} "
        f"{'index_mb':>8} {'rss_mb':>7} {'peak_mb':>8}"
    )
    for n in args.sizes:
        events = load_events(acled_file(n), regions).events
        print(measure("acled", events, aliases, args.runs), flush=True)
        print(measure("notes", with_notes(events), aliases, args.runs), flush=True)
        del events
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Loading a file: seconds and peak memory to read, validate and place it, per size and shape.

    python -m bench.load                        # ACLED 100k and 1M, and the real UCDP file
    python -m bench.load --sizes 100000 --runs 3

Each load runs in its own process (the peak RSS is that process's). The synthetic ACLED files
(tests/synth.py) are written once to /tmp/oem-bench/. Shapes: ``acled`` as exported (ISO
dates); ``acled-dmy`` the same file with every event_date written as a spreadsheet does,
``dd/mm/yyyy hh:mm:ss`` (the day/month order is then decided from the column's evidence);
``ucdp-real`` the shared UCDP file (Windows-1252, month-first) when it is there; ``curated``
and ``ucdp-data`` the page's two bundled datasets (data/events.csv, data/ucdp/).
Prints a table: shape, records, median seconds, peak RSS MB.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import subprocess
import sys
from pathlib import Path

from bench.measure import measure_load
from dashboard.config import EVENTS_CSV, ROOT, UCDP_CSV

FOLDER = Path("/tmp/oem-bench")
REAL_UCDP = ROOT.parent / "shared" / "data" / "ucdp-ukraine-2023-05.csv"


def day_first_copy(path: Path) -> Path:
    """The ACLED file with its dates as a spreadsheet writes them (written once, streamed: this
    process stays small, and the loads it starts report their own peak memory, not its)."""
    out = path.with_name(path.stem + "-dmy.csv")
    if not out.exists():
        with path.open(newline="") as src, out.open("w", newline="") as dst:
            reader, writer = csv.reader(src), csv.writer(dst)
            header = next(reader)
            writer.writerow(header)
            i = header.index("event_date")
            for row in reader:
                year, month, day = row[i].split("-")
                row[i] = f"{day}/{month}/{year} 00:00:00"
                writer.writerow(row)
    return out


def rows_of(path: Path) -> int:
    """Records in a CSV file (quoted fields may hold line breaks)."""
    with path.open(encoding="latin-1", newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=1, help="loads per file (median shown)")
    args = parser.parse_args(argv)
    FOLDER.mkdir(parents=True, exist_ok=True)
    files = []
    for n in args.sizes:
        path = FOLDER / f"acled-{n}.csv"  # the file bench.drive's data_file writes
        if not path.exists():  # in another process: this one stays small (see day_first_copy)
            subprocess.run(
                [sys.executable, "-m", "tests.synth", str(n), "--format", "acled", "-o", path],
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        files += [("acled", path), ("acled-dmy", day_first_copy(path))]
    if REAL_UCDP.exists():
        files.append(("ucdp-real", REAL_UCDP))
    # The page's bundled datasets, as a visitor's first choice of each loads them.
    files += [("curated", EVENTS_CSV), ("ucdp-data", UCDP_CSV)]
    print(f"{'shape':>10} {'records':>10} {'load_s':>8} {'peak_rss_mb':>12}")
    for shape, path in files:
        results = [measure_load(path, "dashboard") for _ in range(args.runs)]
        seconds = statistics.median(r[0] for r in results)
        rss = max(r[1] for r in results)
        print(f"{shape:>10} {rows_of(path):>10,} {seconds:>8.2f} {rss:>12.0f}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

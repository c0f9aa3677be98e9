"""Rebuild data/ucdp/ from the UCDP file analysts really have (CC BY 4.0, UCDP).

    python scripts/build_ucdp.py [--source ../shared/data/ucdp-ukraine-2023-05.csv]

The source is read by the page's own loader (``dashboard.ingest.events.load_events``): its
encoding is detected (Windows-1252), its two month-first date forms are decided per column
from evidence, every record is validated and placed in an oblast. The output keeps UCDP's 49
columns and every accepted record, with three changes only:

- UTF-8 text instead of Windows-1252;
- ``date_start`` and ``date_end`` as ISO dates (``YYYY-MM-DD``), as the loader read them;
- records the loader rejects are left out and listed, with the reason, in ``rejected.csv``.

Outputs: ``data/ucdp/ucdp-ged-ukraine.csv`` and ``data/ucdp/rejected.csv``. It prints the
counts and sha256 digests that ``data/ucdp/README.md`` quotes; ``tests/unit/test_bundled_ucdp.py``
rebuilds the file in memory and compares it with the committed one.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.config import END, RECORD, START  # noqa: E402
from dashboard.ingest.events import load_events, read_raw  # noqa: E402

SOURCE = ROOT.parent / "shared" / "data" / "ucdp-ukraine-2023-05.csv"
OUT_DIR = ROOT / "data" / "ucdp"
EVENTS_NAME = "ucdp-ged-ukraine.csv"
REJECTED_NAME = "rejected.csv"


def build(source: Path) -> tuple[bytes, bytes, dict]:
    """The derived file, the rejected list (both CSV bytes) and the facts the README quotes."""
    result = load_events(source)
    raw = read_raw(source).frame
    accepted = result.events[[RECORD, START, END]].set_index(RECORD)
    kept = raw[raw[RECORD].isin(accepted.index)].copy()
    start = accepted.loc[kept[RECORD], START].dt.strftime("%Y-%m-%d").to_numpy()
    end = accepted.loc[kept[RECORD], END]
    end = end.dt.strftime("%Y-%m-%d").fillna(pd.Series(start, index=end.index)).to_numpy()
    kept["date_start"], kept["date_end"] = start, end
    events_csv = _csv(kept.drop(columns=[RECORD]))
    rejected = result.rejected[[RECORD, "reason", "id", "date_start", "where_description"]]
    rejected_csv = _csv(rejected)
    years = result.events[START].dt.year
    in_five_2022 = result.events[(years == 2022) & result.events["in_five"]]
    facts = {
        "records": result.rows,
        "accepted": len(result.events),
        "rejected": len(result.rejected),
        "encoding": read_raw(source).encoding,
        "dates": " ".join(f"{d.column}: {d.explanation}" for d in result.dates),
        "first": f"{result.events[START].min():%Y-%m-%d}",
        "last": f"{result.events[START].max():%Y-%m-%d}",
        "in five oblasts, 2022": len(in_five_2022),
        "source sha256": _sha(source.read_bytes()),
        "output sha256": _sha(events_csv),
    }
    return events_csv, rejected_csv, facts


def _csv(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    if not args.source.is_file():
        print(f"no such file: {args.source}", file=sys.stderr)
        return 2
    events_csv, rejected_csv, facts = build(args.source)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / EVENTS_NAME).write_bytes(events_csv)
    (args.out / REJECTED_NAME).write_bytes(rejected_csv)
    for key, value in facts.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

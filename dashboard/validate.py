"""Validate an events file.

    python -m dashboard.validate PATH [--format auto|native|acled|ucdp] [--json]
                                      [--rejected OUT.csv]

PATH is CSV/TSV (UTF-8, UTF-16 or Windows-1251; comma, semicolon or tab), XLSX or Parquet, in
the native format (data/README.md), an ACLED export or UCDP GED (with or without a header).
Exit status: 0 every record accepted, 1 some rejected, 2 the file cannot be used at all.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

from dashboard.config import FIVE_OBLASTS, OBLAST_NAMES_EN, RECORD
from dashboard.events import FORMAT_CHOICES, LoadResult, UnreadableFile, load_events
from dashboard.exports import safe_csv_bytes

MAX_LISTED = 20  # rejected records listed in the text report


def summary(result: LoadResult) -> dict:
    """The JSON contract: rows, accepted, rejected, by_oblast, outside, errors (+ how read)."""
    return {
        "rows": result.rows,
        "accepted": result.accepted,
        "rejected": len(result.rejected),
        "by_oblast": result.by_oblast(),
        "outside": result.outside,
        "errors": [
            {"record": int(r[RECORD]), "reason": str(r["reason"])}
            for r in result.rejected[[RECORD, "reason"]].to_dict("records")
        ],
        "format": result.format,
        "variant": result.variant,
        "read_as": result.read_as,
    }


def unusable_summary(path: str, exc: UnreadableFile) -> dict:
    """The same contract for a file that cannot be used: every countable record rejected."""
    message = f"cannot read {path}: {exc}"
    return {
        "error": message,
        "rows": exc.rows,
        "accepted": 0,
        "rejected": exc.rows,
        "by_oblast": dict.fromkeys(FIVE_OBLASTS, 0),
        "outside": 0,
        "errors": [{"record": 0, "reason": str(exc)}],
    }


def text_report(path: str, result: LoadResult) -> str:
    """A readable report for a terminal."""
    s = summary(result)
    lines = [
        f"{path}: {result.variant}; {result.read_as}",
        f"{s['rows']} records, {s['accepted']} accepted, {s['rejected']} rejected",
        "accepted per oblast:",
        *[
            f"  {code}  {OBLAST_NAMES_EN[code]:13s} {s['by_oblast'][code]:6d}"
            for code in FIVE_OBLASTS
        ],
        f"  outside the five oblasts (other oblasts, national, international): {s['outside']}",
    ]
    if s["errors"]:
        lines.append("rejections by reason:")
        for reason, n in result.reasons().items():
            lines.append(f"  {n:6d}  {reason}")
        lines.append("rejected records:")
        for err in s["errors"][:MAX_LISTED]:
            lines.append(f"  record {err['record']}: {err['reason']}")
        if len(s["errors"]) > MAX_LISTED:
            lines.append(f"  ... and {len(s['errors']) - MAX_LISTED} more (use --rejected OUT.csv)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.validate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("path", help="events file: CSV/TSV, XLSX or Parquet")
    parser.add_argument(
        "--format", choices=FORMAT_CHOICES, default="auto", help="default: detect from columns"
    )
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--rejected", type=Path, help="write rejected records to this CSV")
    args = parser.parse_args(argv)
    try:
        result = load_events(args.path, fmt=args.format)
    except UnreadableFile as exc:
        if args.json:
            print(json.dumps(unusable_summary(args.path, exc), ensure_ascii=False))
        if args.rejected:
            reason = pd.DataFrame({RECORD: [0], "reason": [str(exc)]})
            args.rejected.write_bytes(safe_csv_bytes(reason))
        print(f"error: cannot read {args.path}: {exc}", file=sys.stderr)
        return 2
    if args.rejected:
        args.rejected.write_bytes(safe_csv_bytes(result.rejected))
    if args.json:
        print(json.dumps(summary(result), ensure_ascii=False))
    else:
        print(text_report(args.path, result))
    return 0 if result.rejected.empty else 1


if __name__ == "__main__":
    raise SystemExit(main())

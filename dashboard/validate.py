"""Validate an events file.

    python -m dashboard.validate PATH [--format auto|native|acled|ucdp|mapped] [--json]
        [--rejected OUT.csv] [--accepted OUT.csv] [--date-order dmy|mdy|ymd]
        [--encoding NAME] [--map FIELD=COLUMN ...]

PATH is CSV/TSV (UTF-8, UTF-16 or a legacy code page such as Windows-1251/1252; comma,
semicolon or tab), XLSX or Parquet, in the native format (data/README.md), an ACLED export,
UCDP GED (with or without a header), or any table mapped field by field with --map (for
example --map start_date=date --map lat=lat --map lon=lon --map title=title
--map source_url=link --map oblast=province).
For a table in the native format it also reports source findings: a URL on a known
syndication, aggregator or archive domain, and a disputed date with empty notes
(dashboard/ingest/sources.py); they do not change the exit status.
Exit status: 0 every record accepted, 1 some rejected, 2 the file cannot be used at all.
"""

from __future__ import annotations

import argparse
import json
import os
import stat
import sys
from pathlib import Path

import pandas as pd

from dashboard.config import FIVE_OBLASTS, GROUP_ID, OBLAST_NAMES_EN, RECORD
from dashboard.ingest import control, dates, formats, sources
from dashboard.ingest.events import (
    FORMAT_CHOICES,
    LoadResult,
    ReadOptions,
    UnreadableFile,
    load_events,
    read_raw,
)
from dashboard.render.csv import accepted_frame, safe_csv_bytes

MAX_LISTED = 20  # rejected records listed in the text report


def summary(result: LoadResult) -> dict:
    """The JSON contract: rows, accepted, events (distinct accepted events: rows of one
    event share its ``group_id``), rejected, by_oblast, outside, errors (+ how read)."""
    return {
        "rows": result.rows,
        "accepted": result.accepted,
        "events": int(result.events[GROUP_ID].nunique()) if len(result.events) else 0,
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
        "encoding": result.read_as.split(", ")[1] if result.read_as.startswith("CSV") else "",
        "near_border": result.near_border,
        "dates": [d.as_dict() for d in result.dates],
        "mapping": result.mapping.as_dict() if result.mapping else None,
        "sources": source_findings(result),
    }


def source_findings(result: LoadResult) -> list[dict]:
    """For a curated (native) table: sources that are copies, disputed dates without notes
    (``ingest.sources``). They are findings, not rejections."""
    return sources.findings(result.events) if result.format == "native" else []


def unusable_summary(path: str, exc: UnreadableFile) -> dict:
    """The same contract for a file that cannot be used: every countable record rejected."""
    message = f"cannot read {path}: {exc}"
    return {
        "error": message,
        "rows": exc.rows,
        "accepted": 0,
        "events": 0,
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
        f"{s['rows']} records, {s['accepted']} accepted ({s['events']} distinct events), "
        f"{s['rejected']} rejected",
        "accepted per oblast:",
        *[
            f"  {code}  {OBLAST_NAMES_EN[code]:13s} {s['by_oblast'][code]:6d}"
            for code in FIVE_OBLASTS
        ],
        f"  outside the five oblasts (other oblasts, national, international): {s['outside']}",
    ]
    if result.near_border:
        lines.append(
            f"  near the border (a point just outside Ukraine, placed by its oblast name): "
            f"{result.near_border}"
        )
    for d in result.dates:
        ambiguous = f"; {d.ambiguous:,} of {d.values:,} values ambiguous" if d.ambiguous else ""
        lines.append(f"dates in {d.column}: {d.explanation}{ambiguous}")
    if result.mapping is not None:
        lines.append(f"mapping: {result.mapping.as_args() or '(none)'}")
    if s["sources"]:
        lines.append(f"source checks: {len(s['sources'])} finding(s) (rows kept; fix the table):")
        for f in s["sources"]:
            lines.append(f"  record {f['record']} ({f['id']}): {f['problem']}")
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
    parser.add_argument(
        "--accepted",
        type=Path,
        help="write accepted records to this CSV, in the native columns (it validates clean)",
    )
    parser.add_argument(
        "--date-order",
        choices=dates.ORDERS,
        help="order of numeric dates (default: decided per column from the file's evidence)",
    )
    parser.add_argument(
        "--encoding", help="the text file's encoding, e.g. cp1252 (default: detected)"
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=f"map a column onto a field ({', '.join(formats.MAP_FIELDS)}); repeatable",
    )
    args = parser.parse_args(argv)
    if args.format == "auto" and _is_control_table(args.path):
        return _validate_control(args)
    try:
        result = _load(args)
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
    if args.accepted:
        args.accepted.write_bytes(safe_csv_bytes(accepted_frame(result.events)))
    if args.json:
        print(json.dumps(summary(result), ensure_ascii=False))
    else:
        print(text_report(args.path, result))
    return 0 if result.rejected.empty else 1


def _is_control_table(path: str) -> bool:
    """A CSV whose header is a control table's (``ingest.control``), not an events file."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return False  # a FIFO would block the reader, a device never end: load says why
        with open(path, encoding="utf-8-sig", errors="replace") as fh:
            header = fh.readline(100_000)
    except OSError:
        return False
    return control.looks_like_control(c.strip() for c in header.split(","))


def _validate_control(args) -> int:
    """A control table: every row accepted or rejected with its reason, source findings, and
    how many settlements it speaks for (the same JSON keys as for events where they apply)."""
    try:
        table = control.load_control(Path(args.path))
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        print(f"error: cannot read {args.path}: {exc}", file=sys.stderr)
        return 2
    rows, rejected = table.rows, table.rejected
    summary_ = {
        "kind": "control",
        "rows": len(rows) + len(rejected),
        "accepted": len(rows),
        "rejected": len(rejected),
        "settlements": len(table.settlements),
        "by_oblast": {
            c: int(rows.loc[rows["oblast"] == c, "settlement"].nunique()) for c in FIVE_OBLASTS
        },
        "errors": [{"record": int(r.record), "reason": r.reason} for r in rejected.itertuples()],
        "sources": table.findings,
    }
    if args.rejected:
        args.rejected.write_bytes(safe_csv_bytes(rejected))
    if args.json:
        print(json.dumps(summary_, ensure_ascii=False))
    else:
        lines = [
            f"{args.path}: control table (who held which settlement when)",
            f"{summary_['rows']} rows, {summary_['accepted']} accepted, "
            f"{summary_['rejected']} rejected; {summary_['settlements']} settlements",
            *[
                f"  {c}  {OBLAST_NAMES_EN[c]:13s} {n:6d} settlements"
                for c, n in summary_["by_oblast"].items()
            ],
            *[f"  record {e['record']}: {e['reason']}" for e in summary_["errors"][:MAX_LISTED]],
            *[
                f"  source check, record {f['record']} ({f['id']}): {f['problem']}"
                for f in table.findings
            ],
        ]
        print("\n".join(lines))
    return 0 if rejected.empty else 1


def _load(args) -> LoadResult:
    """The file as the options say; a --map needs the file's columns, so it is read first."""
    options = ReadOptions(args.format, args.date_order, args.encoding)
    if not args.map:
        return load_events(args.path, options=options)
    table = read_raw(args.path, encoding=args.encoding)
    try:
        mapping = formats.parse_map_args(args.map, list(table.frame.columns[1:]))
    except ValueError as exc:
        raise UnreadableFile(str(exc), rows=len(table.frame) + len(table.malformed)) from None
    options = ReadOptions("mapped", args.date_order, args.encoding, mapping)
    return load_events(args.path, options=options, table=table)


if __name__ == "__main__":
    from dashboard import cli

    raise SystemExit(cli.run(main))

"""Tiny deterministic fixture builders: events tables made in code, never fixture files."""

from __future__ import annotations

import csv
import io

from dashboard.config import NATIVE_COLUMNS

BASE = {
    "id": "t-1",
    "group_id": "",
    "start_date": "2022-09-23",
    "end_date": "",
    "date_precision": "day",
    "scope": "oblast",
    "oblast": "UA-65",
    "settlement": "",
    "lat": "",
    "lon": "",
    "category": "referendum",
    "title": "A title",
    "description": "A description",
    "source_name": "Example",
    "source_url": "https://example.org/a",
    "verification": "confirmed",
    "claimed_by": "",
    "notes": "",
}


def row(**overrides: str) -> dict[str, str]:
    """One native record: BASE with overrides."""
    out = dict(BASE)
    out.update(overrides)
    return out


def rows_with_ids(*overrides: dict[str, str]) -> list[dict[str, str]]:
    """Several records, each with a unique id unless an override names one."""
    return [row(**{"id": f"t-{i + 1}", **o}) for i, o in enumerate(overrides)]


def csv_bytes(records: list[dict[str, str]], columns=NATIVE_COLUMNS) -> bytes:
    """Serialise records to native CSV bytes (UTF-8)."""
    buf = io.StringIO()
    writer = csv.DictWriter(
        buf, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    writer.writerows(records)
    return buf.getvalue().encode("utf-8")

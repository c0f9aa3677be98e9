"""Helpers for tests that load small files built in code: ACLED and UCDP files with given
dates, loading them, and reading the outcome (ISO dates, reasons, the date decisions), the
validate command's JSON, a CSV it wrote, and one column through the date engine alone."""

from __future__ import annotations

import csv
import json

import pandas as pd

from dashboard.config import ID, RECORD, START
from dashboard.ingest import dates
from dashboard.ingest.events import LoadResult, ReadOptions, load_events
from dashboard.validate import main
from tests.samples import ACLED_COLUMNS, UCDP_COLUMNS, acled, delimited, ucdp


def acled_file(*event_dates: str, **common: str) -> bytes:
    """ACLED records UKR1, UKR2, ... with these event dates (and common overrides)."""
    records = [
        acled(event_id_cnty=f"UKR{i}", event_date=d, **common) for i, d in enumerate(event_dates, 1)
    ]
    return delimited(records, ACLED_COLUMNS)


def ucdp_file(*records: dict[str, str]) -> bytes:
    return delimited(list(records), UCDP_COLUMNS)


def ucdp_dated(n: int, start: str, end: str | None = None, **overrides: str) -> dict[str, str]:
    """A UCDP record with id n and these dates (the end as the start unless given)."""
    return ucdp(id=str(n), date_start=start, date_end=start if end is None else end, **overrides)


def load(data: bytes, regions, **options) -> LoadResult:
    return load_events(data, regions, options=ReadOptions(**options))


def decision(result: LoadResult, column: str) -> dates.DateDecision:
    found = [d for d in result.dates if d.column == column]
    assert len(found) == 1, result.dates
    return found[0]


def iso(result: LoadResult, column: str = START) -> dict[str, str]:
    """{id: ISO date} of the accepted records."""
    values = result.events[column].dt.strftime("%Y-%m-%d").fillna("")
    return dict(zip(result.events[ID], values, strict=True))


def reasons(result: LoadResult) -> dict[int, str]:
    return dict(zip(result.rejected[RECORD], result.rejected["reason"], strict=True))


def run(capsys, *argv) -> tuple[int, dict]:
    code = main([str(a) for a in argv])
    return code, json.loads(capsys.readouterr().out)


def read_csv(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def read_column(values, override=None, convention=None):
    """One column through the date engine alone: (decision, ISO dates, reasons)."""
    column = dates.ColumnDates.of("event_date", pd.Series(values, dtype=object))
    evidence = dates.Evidence(convention=convention, convention_name=str(convention))
    decided = dates.decide(column, evidence, [], override)
    parsed, why = dates.apply(column, decided)
    return (
        dates.rejected_count(why, decided),
        list(parsed.dt.strftime("%Y-%m-%d").fillna("")),
        list(why.reindex(parsed.index, fill_value="")),  # apply() lists only rejected rows
    )

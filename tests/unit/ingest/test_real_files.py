"""A real file, as analysts have it: UCDP GED for Ukraine saved through a spreadsheet
(../shared/data/ucdp-ukraine-2023-05.csv, see its README): Windows-1252 text, month-first dates
in two spreadsheet forms in one column. Read from where it lies, never copied into the repo.

The file is validated once (and its --accepted output once) for the whole module."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from datetime import date, datetime

import pandas as pd
import pytest

from dashboard.config import ROOT
from dashboard.geo import regions as reg
from dashboard.ingest import events
from dashboard.validate import main

REAL_UCDP = ROOT.parent / "shared" / "data" / "ucdp-ukraine-2023-05.csv"
SPREADSHEET_FORMS = ("%m/%d/%Y %I:%M:%S %p", "%m/%d/%Y %H:%M")
NOVOAZOVSK_RECORD = 1351  # 47.1595, 38.2348, Donetsk oblast: ~2.8 km outside Ukraine


def _month_first(text: str) -> date:
    for form in SPREADSHEET_FORMS:
        with contextlib.suppress(ValueError):
            return datetime.strptime(text.strip(), form).date()
    raise AssertionError(f"not a spreadsheet date: {text!r}")


def _validate(*argv) -> dict:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        main([str(a) for a in argv])
    return json.loads(out.getvalue())


@pytest.fixture(scope="module", autouse=True)
def _no_heap_trimming():
    """Skip load_events' memory hand-back (full garbage collections): it changes no result."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(events, "release_memory", lambda: None)
        yield


@pytest.fixture(scope="module")
def real_path():
    if not REAL_UCDP.is_file():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the real UCDP file is missing: {REAL_UCDP}")
        pytest.skip(f"the real UCDP file is not here: {REAL_UCDP}")
    return REAL_UCDP


@pytest.fixture(scope="module")
def records(real_path) -> list[dict[str, str]]:
    """The file's records, read independently of the dashboard (csv + cp1252)."""
    with real_path.open(encoding="cp1252", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def validated(real_path, tmp_path_factory):
    accepted = tmp_path_factory.mktemp("real") / "accepted.csv"
    report = _validate(real_path, "--json", "--accepted", accepted)
    return report, accepted


@pytest.fixture(scope="module")
def accepted_rows(validated) -> list[dict[str, str]]:
    with validated[1].open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_counts(validated, records):
    report, _ = validated
    assert len(records) == report["rows"] == 3883
    assert report["accepted"] >= 3860
    assert report["accepted"] + report["rejected"] == report["rows"]
    assert (report["format"], report["encoding"]) == ("ucdp", "Windows-1252")


def test_date_start_is_month_first_from_its_own_values(validated):
    start = next(d for d in validated[0]["dates"] if d["column"] == "date_start")
    assert (start["order"], start["rule"], start["rejected"]) == ("mdy", "column", 0)
    assert start["month_first_only"] > 0 and start["day_first_only"] == 0


def test_every_accepted_date_is_the_month_first_reading(accepted_rows, records):
    by_id = {r["id"]: r for r in records}
    wrong = []
    for row in accepted_rows:
        source = by_id[row["id"]]
        start, end = _month_first(source["date_start"]), _month_first(source["date_end"])
        got_end = row["end_date"] or row["start_date"]  # a one-day event keeps no end date
        if (row["start_date"], got_end) != (start.isoformat(), end.isoformat()):
            wrong.append((row["id"], source["date_start"], source["date_end"], row))
    assert not wrong, wrong[:5]
    assert len(accepted_rows) >= 3860


def test_windows_1252_text_survives(accepted_rows):
    names = [r["source_name"] for r in accepted_rows]
    assert any("NOËL" in n for n in names)
    assert not any("NOЛL" in n for n in names)  # what Windows-1251 would make of it


def test_every_admin1_resolves(records, regions, validated):
    names = sorted({r["adm_1"] for r in records})
    codes = reg.resolve_names(pd.Series(names), regions)
    assert not [n for n, c in zip(names, codes, strict=True) if c is None]
    assert not [e for e in validated[0]["errors"] if "adm_1" in e["reason"]]


def test_near_border_record_is_accepted(validated):
    report, _ = validated
    assert NOVOAZOVSK_RECORD not in {e["record"] for e in report["errors"]}
    assert report["near_border"] >= 1


def test_accepted_file_revalidates_clean(validated, accepted_rows, tmp_path):
    report, accepted = validated
    again = tmp_path / "again.csv"
    second = _validate(accepted, "--json", "--accepted", again)
    assert (second["rejected"], second["accepted"]) == (0, report["accepted"])
    with again.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    keep = ("id", "start_date", "end_date")
    assert [[r[k] for k in keep] for r in rows] == [[r[k] for k in keep] for r in accepted_rows]


def test_only_its_ambiguous_records_are_still_read_month_first(real_path, tmp_path):
    """Keep only the records whose date_start and date_end both read either way (no value
    proves the order): the sources' dates, written day-first in this file, bound each event,
    and month-first wins by the records, not by the convention."""
    with real_path.open(encoding="cp1252", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    start, end = header.index("date_start"), header.index("date_end")

    def ambiguous(text: str) -> bool:
        day, month = (int(x) for x in text.split("/")[:2])
        return day <= 12 and month <= 12 and day != month

    kept = [r for r in rows[1:] if ambiguous(r[start]) and ambiguous(r[end])]
    assert len(kept) > 1000
    path = tmp_path / "ambiguous.csv"
    with path.open("w", encoding="cp1252", newline="") as fh:
        csv.writer(fh).writerows([header, *kept])
    out = tmp_path / "accepted.csv"
    data = _validate(path, "--json", "--accepted", out)
    decision = next(d for d in data["dates"] if d["column"] == "date_start")
    assert (decision["order"], decision["rule"]) == ("mdy", "records")
    accepted = pd.read_csv(out, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    by_id = {r[0]: r for r in kept}
    for ident, day in zip(accepted["id"], accepted["start_date"], strict=True):
        assert day == _month_first(by_id[ident][start]).isoformat(), ident


def test_an_extract_of_21_columns_loads_as_ucdp(real_path, tmp_path):
    """A GED extract that kept 21 of the 49 columns, without id or type_of_violence."""
    frame = pd.read_csv(real_path, encoding="cp1252", dtype=str, keep_default_na=False)
    kept = [
        "year",
        "conflict_name",
        "dyad_name",
        "side_a",
        "side_b",
        "source_article",
        "where_prec",
        "where_description",
        "adm_1",
        "adm_2",
        "latitude",
        "longitude",
        "country",
        "region",
        "date_prec",
        "date_start",
        "date_end",
        "deaths_civilians",
        "best",
        "high",
        "low",
    ]
    path = tmp_path / "ged-21.csv"
    frame[kept].to_csv(path, index=False)
    data = _validate(path, "--json")
    assert (data["format"], data["variant"]) == ("ucdp", "UCDP GED (21 of its 49 columns)")
    assert data["rows"] == 3883 and data["accepted"] >= 3860

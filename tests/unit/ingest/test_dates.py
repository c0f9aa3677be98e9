"""The day/month order of numeric dates, decided per column from evidence
(dashboard/ingest/dates.py): the column's own values, the file's other date column, the
records' other facts, the format's convention, dominance and contradiction. Every table is
built in code (tests/samples.py, tests/builders.py).

Loading even a tiny file costs a fraction of a second, so each table of cases that can share a
file is loaded once (module-scoped fixtures) and asserted case by case."""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.config import END
from dashboard.ingest import dates
from dashboard.ingest.formats import Mapping
from tests.builders import csv_bytes, rows_with_ids
from tests.loading import (
    acled_file,
    decision,
    iso,
    load,
    read_column,
    reasons,
    ucdp_dated,
    ucdp_file,
)
from tests.samples import KHERSON, delimited

pytestmark = pytest.mark.usefixtures("no_heap_trimming")


# --- (a) ACLED day-first dates with a time ----------------------------------------------------

DAY_FIRST = [
    ("14/08/2020 00:00:00", "2020-08-14"),
    ("14/08/2020", "2020-08-14"),
    ("14-08-2020", "2020-08-14"),
    ("14.08.2020 00:00", "2020-08-14"),
    ("14/08/2020 12:00:00 AM", "2020-08-14"),
    ("14/8/2020 0:00", "2020-08-14"),
    ("05/08/2020 00:00:00", "2020-08-05"),  # ambiguous alone: the column is day-first
    ("31/02/2020 00:00:00", None),  # bad: no 31 February, no 31st month
    ("14/08/2020 25:00:00", None),  # bad: no 25th hour
]


@pytest.fixture(scope="module")
def day_first(regions):
    return load(acled_file(*(w for w, _ in DAY_FIRST)), regions)


@pytest.mark.parametrize("n, written, expected", [(i, *c) for i, c in enumerate(DAY_FIRST, 1)])
def test_acled_day_first_dates_with_time(day_first, n, written, expected):
    assert iso(day_first).get(f"UKR{n}") == expected, reasons(day_first)
    if expected is None:
        assert reasons(day_first)[n].startswith(f"bad event_date {written!r}")
    else:
        assert n not in reasons(day_first)


def test_acled_day_first_column_decision(day_first):
    assert isinstance(day_first.dates, tuple)
    d = decision(day_first, "event_date")
    assert isinstance(d, dates.DateDecision)
    counts = (d.day_first_only, d.month_first_only, d.ambiguous, d.rejected)
    assert (d.order, d.rule, counts) == ("dmy", "column", (6, 0, 1, 0))
    assert set(d.as_dict()) == {
        "column", "order", "rule", "explanation", "values", "numeric", "ambiguous",
        "day_first_only", "month_first_only", "contradictory", "rejected",
    }  # fmt: skip


# --- (b) one UCDP column mixing spreadsheet forms, month-first proven by one value -------------

MIXED_UCDP = [
    ("1/22/2014 12:00:00 AM", "2014-01-22"),
    ("05/02/2014 00:00", "2014-05-02"),
    ("5/2/2014 12:00:00 AM", "2014-05-02"),
    ("05/02/2014 12:00:00 PM", "2014-05-02"),
    ("12/01/2014 00:00", "2014-12-01"),
]


@pytest.fixture(scope="module")
def mixed_ucdp(regions):
    return load(ucdp_file(*(ucdp_dated(i, w) for i, (w, _) in enumerate(MIXED_UCDP, 1))), regions)


@pytest.mark.parametrize("n, written, expected", [(i, *c) for i, c in enumerate(MIXED_UCDP, 1)])
def test_ucdp_mixed_forms_month_first(mixed_ucdp, n, written, expected):
    assert iso(mixed_ucdp).get(str(n)) == expected, reasons(mixed_ucdp)


def test_ucdp_mixed_forms_column_decision(mixed_ucdp):
    assert mixed_ucdp.rejected.empty
    d = decision(mixed_ucdp, "date_start")
    assert (d.order, d.rule, d.month_first_only, d.ambiguous) == ("mdy", "column", 1, 4)


# --- (c) all-ambiguous UCDP date_start: date_end, source_date as a bound, the convention -------


@pytest.mark.parametrize(
    "record, order, rule, start, end",
    [
        # source_date is read in the order its own values prove and bounds the event: 13 May
        # allows both readings (the UCDP convention decides), 13 Feb rules out 2 May.
        (ucdp_dated(1, "05/02/2014 00:00", source_date="05/13/2014"),
         "mdy", "convention", "2014-05-02", ""),
        (ucdp_dated(1, "05/02/2014 00:00", source_date="13/02/2014"),
         "dmy", "records", "2014-02-05", ""),
        (ucdp_dated(1, "05/02/2014 00:00", "05/13/2014 00:00"),
         "mdy", "other_columns", "2014-05-02", "2014-05-13"),
        (ucdp_dated(1, "05/02/2014 00:00"), "mdy", "convention", "2014-05-02", ""),
    ],
    ids=["source_date_mdy", "source_date_dmy", "date_end", "ucdp_convention"],
)  # fmt: skip
def test_ucdp_all_ambiguous_start(record, order, rule, start, end, regions):
    result = load(ucdp_file(record), regions)
    assert result.rejected.empty, reasons(result)
    assert (iso(result), iso(result, END)) == ({"1": start}, {"1": end})
    d = decision(result, "date_start")
    assert (d.order, d.rule, d.ambiguous, d.rejected) == (order, rule, 1, 0)


# --- (d) record checks override the format's convention ---------------------------------------


def test_acled_timestamps_make_day_first_impossible(regions):
    # 03/04/2022 day-first is 3 Apr, after the records' timestamp (20 Mar 2022): month-first.
    stamp = str(int(pd.Timestamp("2022-03-20").timestamp()))
    result = load(acled_file("03/04/2022", "03/04/2022", "02/01/2022", timestamp=stamp), regions)
    assert result.rejected.empty, reasons(result)
    assert iso(result) == {"UKR1": "2022-03-04", "UKR2": "2022-03-04", "UKR3": "2022-02-01"}
    d = decision(result, "event_date")
    assert (d.order, d.rule) == ("mdy", "records")  # not ACLED's day-first convention
    assert "timestamp" in d.explanation


@pytest.mark.parametrize(
    "record",
    [
        # the sources' ISO dates: 2 May (month-first) would be after them
        ucdp_dated(1, "05/02/2014 00:00", source_date="2014-02-06;2014-02-07"),
        # month-first the end (3 Apr) would come before the start (2 May)
        ucdp_dated(1, "05/02/2014 00:00", "04/03/2014 00:00"),
    ],
    ids=["source_date_iso", "end_before_start"],
)
def test_ucdp_records_make_month_first_impossible(record, regions):
    result = load(ucdp_file(record), regions)
    assert result.rejected.empty, reasons(result)
    assert iso(result) == {"1": "2014-02-05"}
    d = decision(result, "date_start")
    assert (d.order, d.rule) == ("dmy", "records")  # not UCDP's month-first convention


# --- (e) dominance and (f) contradiction without it -------------------------------------------


@pytest.mark.parametrize(
    "day_first, month_first, order, rejected_value",
    [
        (10, 1, "dmy", "05/14/2022"),
        (25, 2, "dmy", "05/14/2022"),
        (1, 10, "mdy", "13/05/2022"),
        (9, 1, None, "05/06/2022"),
        (3, 2, None, "05/06/2022"),
        (1, 9, None, "05/06/2022"),
        (1, 1, None, "05/06/2022"),
    ],
)
def test_contradicting_proofs(day_first, month_first, order, rejected_value):
    """Per column, pooled: 13/05/2022 proves day-first, 05/14/2022 month-first; 05/06/2022 is
    ambiguous. Ten times the proofs win; otherwise no order is taken."""
    values = ["13/05/2022"] * day_first + ["05/14/2022"] * month_first + ["05/06/2022"]
    decided, parsed, why = read_column(values, convention="dmy")
    rule = "column" if order else "undecided"
    assert (decided.order, decided.rule, decided.contradictory) == (order, rule, True)
    rejected = [v for v, w in zip(values, why, strict=True) if w]
    assert set(rejected) == {rejected_value}
    assert decided.rejected == len(rejected)
    kept = {v: p for v, p in zip(values, parsed, strict=True) if p}
    single = {"13/05/2022": "2022-05-13", "05/14/2022": "2022-05-14"}
    assert {v: kept[v] for v in kept if v in single} == {
        v: d for v, d in single.items() if v != rejected_value
    }
    if order:
        word = dates.ORDER_WORDS[order]
        assert word in why[values.index(rejected_value)]
        assert kept["05/06/2022"] == {"dmy": "2022-06-05", "mdy": "2022-05-06"}[order]
    else:
        assert "undecided" in why[-1] and "choose" in why[-1]


@pytest.fixture(scope="module")
def dominated(regions):
    # ten day-first proofs, one value that reads only month-first, one ambiguous value
    return load(acled_file(*["13/05/2022"] * 10, "05/13/2022", "05/06/2022"), regions)


def test_dominance_rejects_the_contrary_value(dominated):
    assert list(reasons(dominated)) == [11]
    assert "'05/13/2022'" in reasons(dominated)[11] and "day-first" in reasons(dominated)[11]
    assert iso(dominated)["UKR12"] == "2022-06-05"
    d = decision(dominated, "event_date")
    assert (d.order, d.rule, d.contradictory, d.rejected) == ("dmy", "column", True, 1)
    assert "rejected" in d.explanation


@pytest.fixture(scope="module")
def undominated(regions):
    # nine day-first proofs are not ten times one month-first proof
    return load(acled_file(*["13/05/2022"] * 9, "05/14/2022", "05/06/2022"), regions)


def test_no_dominance_rejects_ambiguous_and_keeps_single_readings(undominated):
    assert list(reasons(undominated)) == [11]
    assert "choose" in reasons(undominated)[11]
    assert iso(undominated)["UKR1"] == "2022-05-13"
    assert iso(undominated)["UKR10"] == "2022-05-14"
    d = decision(undominated, "event_date")
    assert (d.order, d.rule, d.contradictory, d.rejected) == (None, "undecided", True, 1)


# --- (g) native and mapped tables have no convention ------------------------------------------

MAPPED_COLUMNS = ["when", "lat", "lon", "province", "headline"]
MAPPING = Mapping.of(
    {"start_date": "when", "lat": "lat", "lon": "lon", "oblast": "province", "title": "headline"}
)


def ambiguous_file(kind: str) -> tuple[bytes, dict]:
    if kind == "native":
        data = csv_bytes(rows_with_ids({"start_date": "05/06/2022"}, {"start_date": "07/08/2022"}))
        return data, {}
    records = [
        {"when": d, "lat": KHERSON[0], "lon": KHERSON[1], "province": "", "headline": "x"}
        for d in ("05/06/2022", "07/08/2022")
    ]
    return delimited(records, MAPPED_COLUMNS), {"fmt": "mapped", "mapping": MAPPING}


@pytest.mark.parametrize(
    "kind, order, first",
    [("native", None, ""), ("mapped", None, ""), ("native", "dmy", "2022-06-05"),
     ("mapped", "mdy", "2022-05-06")],
)  # fmt: skip
def test_all_ambiguous_without_convention(kind, order, first, regions):
    data, options = ambiguous_file(kind)
    result = load(data, regions, date_order=order, **options)
    d = decision(result, "start_date" if kind == "native" else "when")
    if order is None:
        assert result.accepted == 0
        assert all("choose" in r for r in result.rejected["reason"]), reasons(result)
        assert (d.order, d.rule, d.ambiguous, d.rejected) == (None, "undecided", 2, 2)
        assert "choose" in d.explanation
    else:
        assert result.rejected.empty, reasons(result)
        assert sorted(iso(result).values())[0] == first
        assert (d.order, d.rule) == (order, "user")


def test_mapped_end_date_decides_the_start(regions):
    mapping = Mapping.of({**MAPPING.as_dict(), "end_date": "until"})
    records = [
        {"when": "05/02/2022", "until": "05/13/2022", "lat": KHERSON[0], "lon": KHERSON[1]},
        {"when": "06/03/2022", "until": "06/03/2022", "lat": KHERSON[0], "lon": KHERSON[1]},
    ]
    data = delimited(records, [*MAPPED_COLUMNS, "until"])
    result = load(data, regions, fmt="mapped", mapping=mapping)
    assert result.rejected.empty, reasons(result)
    assert list(iso(result).values()) == ["2022-05-02", "2022-06-03"]
    assert (decision(result, "when").order, decision(result, "when").rule) == (
        "mdy",
        "other_columns",
    )

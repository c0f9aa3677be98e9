"""Real files load: date forms and the per-column date order, encodings, bidi controls, preambles,
HXL rows, ACLED without ids, admin-1 spellings, near-border points, mapped tables and the
--accepted round trip. Every table is built in code (tests/samples.py, tests/builders.py).

Loading even a tiny file costs a fraction of a second, so each table of cases that can share a
file is loaded once (module-scoped fixtures) and asserted case by case."""

from __future__ import annotations

import csv
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from dashboard.config import (
    CATEGORY,
    END,
    EVENT_TYPE,
    ID,
    PLACED_OBLAST,
    RECORD,
    SETTLEMENT,
    SOURCE_NAME,
    SOURCE_URL,
    START,
    TITLE,
)
from dashboard.geo import regions as reg
from dashboard.ingest import dates, events
from dashboard.ingest.events import (
    HXL_REASON,
    NEAR_BORDER,
    LoadResult,
    ReadOptions,
    load_events,
    read_raw,
)
from dashboard.ingest.formats import Mapping, detect
from dashboard.validate import main
from tests.builders import csv_bytes, rows_with_ids
from tests.samples import (
    ACLED_COLUMNS,
    KHARKIV,
    KHERSON,
    KRAMATORSK,
    MELITOPOL,
    SIEVIERODONETSK,
    UCDP_COLUMNS,
    acled,
    delimited,
    ucdp,
)

# Record 1351 of the real UCDP file: the Novoazovsk checkpoint, ~2.8 km outside Ukraine's outline.
NOVOAZOVSK_CHECKPOINT = ("47.159505", "38.234753")
TAGANROG_RU = ("47.2362", "38.8969")  # ~45 km outside


# --- helpers --------------------------------------------------------------------------------


@pytest.fixture(scope="module", autouse=True)
def _no_heap_trimming():
    """load_events hands freed memory back to the system after each step (full garbage
    collections): with pytest's many live objects that is most of a tiny file's load time,
    and it changes no result."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(events, "release_memory", lambda: None)
        yield


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


# --- (h) date forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, order, expected",
    [
        ("44827", None, "2022-09-23"),
        ("2022-09-23T21:00:00Z", None, "2022-09-23"),
        ("2022-09-23T21:00:00+03:00", None, "2022-09-23"),
        ("2022-09-23 21:00:00.000", None, "2022-09-23"),
        ("2022/9/23", None, "2022-09-23"),
        ("2022.09.23", None, "2022-09-23"),
        ("20220923", None, "2022-09-23"),
        ("16 May 2025", None, "2025-05-16"),
        ("16 Sept 2022", None, "2022-09-16"),
        ("May 16, 2025", None, "2025-05-16"),
        ("9-May-20", None, "2020-05-09"),
        ("07-Feb-25", None, "2025-02-07"),
        ("30-Sept-24", None, "2024-09-30"),
        ("1/22/14", None, "2014-01-22"),
        ("22/1/14", None, "2014-01-22"),
        ("23/09/2022 9:30 PM", None, "2022-09-23"),
        ("9/23/2022 21:30:15", None, "2022-09-23"),
        ("22/09/23", "ymd", "2022-09-23"),
        ("05/06/2022", "dmy", "2022-06-05"),
        ("05/06/2022", "mdy", "2022-05-06"),
    ],
)
def test_date_forms(written, order, expected):
    decided, parsed, why = read_column([written], override=order)
    assert (parsed, why) == ([expected], [""])


MIXED_FORMS = [
    ("44827", "2022-09-23"),
    ("2022-09-23T21:00:00Z", "2022-09-23"),
    ("May 16, 2025", "2025-05-16"),
    ("9-May-20", "2020-05-09"),
    ("2022.09.23", "2022-09-23"),
    ("16/05/2025 00:00:00", "2025-05-16"),
    ("05/06/2022 12:00:00 AM", "2022-06-05"),
    ("1 Sept 2022", "2022-09-01"),
]


def test_one_acled_column_mixes_forms(regions):
    result = load(acled_file(*(w for w, _ in MIXED_FORMS)), regions)
    assert result.rejected.empty, reasons(result)
    assert list(iso(result).values()) == [e for _, e in MIXED_FORMS]
    d = decision(result, "event_date")
    assert (d.order, d.rule, d.values, d.numeric, d.day_first_only, d.ambiguous) == (
        "dmy", "column", 8, 2, 1, 1,
    )  # fmt: skip


# --- (i) bad values ---------------------------------------------------------------------------

BAD_DATES = [
    "2022-02-30",
    "31/02/2022",
    "13/13/2022",
    "2022-09-23 25:00",
    "23/09/2022 25:00",
    "23/09/2022 10:61",
    "9/23/2022 13:00:00 PM",
    "31 Feb 2022",
    "Smarch 3, 2022",
    "tomorrow",
]


@pytest.mark.parametrize("written", BAD_DATES)
def test_bad_dates_are_rejected(written):
    decided, parsed, why = read_column([written])
    assert parsed == [""]
    assert why[0].startswith(f"bad event_date {written!r}"), why


# --- encodings --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, codec, label",
    [
        ("Краматорськ, Слов'янськ", "utf-8", "UTF-8"),
        ("Краматорськ, Слов'янськ", "utf-8-sig", "UTF-8 with BOM"),
        ("Краматорськ, Слов'янськ", "utf-16", "UTF-16"),
        ("Суспільне Донбас: Краматорськ", "cp1251", "Windows-1251"),
        ("Запорожская область: Мелитополь", "cp1251", "Windows-1251"),
        ("NOËL Reports · 20h", "cp1252", "Windows-1252"),
        ("Le Monde: « Zaporijia », café", "cp1252", "Windows-1252"),
    ],
)
def test_encodings(text, codec, label):
    data = delimited([acled(event_id_cnty="UKR1", source=text)], ACLED_COLUMNS, encoding=codec)
    table = read_raw(data)
    assert table.encoding == label
    assert list(table.frame["source"]) == [text]


@pytest.mark.parametrize(
    "choice, label, expected",
    [
        ("cp1251", "Windows-1251 (as you chose)", "NOЛL Reports"),
        ("Windows-1252", "Windows-1252 (as you chose)", "NOËL Reports"),
        ("latin1", "ISO-8859-1 (as you chose)", "NOËL Reports"),
    ],
)
def test_encoding_override(choice, label, expected):
    data = delimited(
        [acled(event_id_cnty="UKR1", source="NOËL Reports")], ACLED_COLUMNS, encoding="cp1252"
    )
    table = read_raw(data, encoding=choice)
    assert table.encoding == label
    assert list(table.frame["source"]) == [expected]


def test_encoding_on_the_command_line(tmp_path, capsys):
    path = tmp_path / "western.csv"
    record = acled(event_id_cnty="UKR1", source="Le Monde: « Zaporijia », café")
    path.write_bytes(delimited([record], ACLED_COLUMNS, encoding="cp1252"))
    code, data = run(capsys, path, "--json", "--encoding", "cp1252")
    assert (code, data["encoding"], data["accepted"]) == (0, "Windows-1252 (as you chose)", 1)
    assert (data["near_border"], data["mapping"]) == (0, None)
    assert [(d["column"], d["rule"]) for d in data["dates"]] == [("event_date", "none_needed")]


# --- bidi controls, preambles -----------------------------------------------------------------

BIDI = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]


@pytest.mark.parametrize("ch", BIDI, ids=[f"U+{ord(c):04X}" for c in BIDI])
def test_bidi_controls_are_removed_from_cells_and_header(ch):
    record = acled(event_id_cnty=f"UKR{ch}1", location=f"Kram{ch}atorsk", source=f"{ch}Src{ch}")
    data = delimited([record], ACLED_COLUMNS, rename=lambda c: ch + c if c == "event_date" else c)
    table = read_raw(data)
    assert not any(ch in h for h in table.header)
    assert "event_date" in table.frame.columns
    first = table.frame.iloc[0]
    assert (first["event_id_cnty"], first["location"], first["source"]) == (
        "UKR1", "Kramatorsk", "Src",
    )  # fmt: skip


def test_bidi_controls_never_reach_the_events(regions):
    records = [
        acled(event_id_cnty=f"UKR{ch}{i}", location=f"Kram{ch}atorsk", notes=f"{ch}n")
        for i, ch in enumerate(BIDI, 1)
    ]
    data = delimited(records, ACLED_COLUMNS, rename=lambda c: "\u202e" + c)
    result = load(data, regions)
    assert result.rejected.empty, reasons(result)
    assert list(result.events[ID]) == [f"UKR{i}" for i in range(1, len(BIDI) + 1)]
    text = result.events.select_dtypes(exclude="number").astype(str)
    assert not text.apply(lambda c: c.str.contains("[\u202a-\u202e\u2066-\u2069]")).any().any()
    assert set(result.events[SETTLEMENT]) == {"Kramatorsk"}


@pytest.mark.parametrize("preamble", ["(Sample)\n\n", "(Sample)\r\n\r\n", "ACLED export\n"])
@pytest.mark.parametrize("via", ["bytes", "path"])
def test_preamble_before_the_header_is_skipped(preamble, via, tmp_path):
    data = preamble.encode() + acled_file("2022-09-25", "2022-09-26")
    source = data
    if via == "path":
        source = tmp_path / "acled.csv"
        source.write_bytes(data)
    table = read_raw(source)
    assert detect(list(table.frame.columns[1:])) == "acled"
    assert list(table.frame["event_id_cnty"]) == ["UKR1", "UKR2"]
    assert table.malformed.empty


# --- HXL hashtag rows, ACLED without ids, ACLED sources ---------------------------------------


@pytest.fixture(scope="module")
def hdx_copy(regions):
    """An ACLED copy as HDX publishes it: an HXL hashtag row first, no event_id_cnty."""
    columns = [c for c in ACLED_COLUMNS if c != "event_id_cnty"]
    hashtags = {c: "#" + c.replace("_", "+") for c in columns[:12]}
    records = [hashtags, acled(source="Ukrainska Pravda; Suspilne"), acled()]
    return load(delimited(records, columns), regions)


def test_hxl_hashtag_row_is_rejected(hdx_copy):
    assert (hdx_copy.rows, hdx_copy.accepted) == (3, 2)
    assert reasons(hdx_copy) == {1: HXL_REASON}


def test_acled_without_event_id_is_still_acled(hdx_copy):
    assert hdx_copy.format == "acled"
    assert list(hdx_copy.events[ID]) == ["record-2", "record-3"]


def test_acled_names_its_source_and_links_nothing(hdx_copy):
    assert list(hdx_copy.events[SOURCE_NAME]) == ["Ukrainska Pravda; Suspilne", "Synthetic source"]
    assert list(hdx_copy.events[SOURCE_URL]) == ["", ""]


# --- admin-1 spellings and near-border points -------------------------------------------------

SPELLINGS = [
    ("Zaporizhzhya oblast", "UA-23"),
    ("Zaporiz'ka oblast", "UA-23"),
    ("Donets'ka oblast", "UA-14"),
    ("Kharkivs'ka oblast", "UA-63"),
    ("Kharkiv Oblast", "UA-63"),
    ("Donestk Oblast", "UA-14"),
    ("Khreson", "UA-65"),
    ("Луганська область", "UA-09"),
    ("Запорожская область", "UA-23"),
]


@pytest.fixture(scope="module")
def spelled(regions):
    # no coordinates: each record can only be placed by its admin1 name
    records = [
        acled(event_id_cnty=f"UKR{i}", admin1=name, latitude="", longitude="")
        for i, (name, _) in enumerate(SPELLINGS, 1)
    ]
    return load(delimited(records, ACLED_COLUMNS), regions)


@pytest.mark.parametrize("n, admin1, code", [(i, *s) for i, s in enumerate(SPELLINGS, 1)])
def test_admin1_spellings_resolve(spelled, n, admin1, code):
    placed = dict(zip(spelled.events[ID], spelled.events[PLACED_OBLAST], strict=True))
    assert placed.get(f"UKR{n}") == code, reasons(spelled)


NEAR = [
    # (adm_1, point, outcome)
    ("Donetsk oblast", NOVOAZOVSK_CHECKPOINT, "near_border"),
    ("Donetsk oblast", KRAMATORSK, "inside"),
    ("Donetsk oblast", TAGANROG_RU, "coordinates outside Ukraine"),
    ("", NOVOAZOVSK_CHECKPOINT, "coordinates outside Ukraine"),
    ("Rostov", NOVOAZOVSK_CHECKPOINT, "coordinates outside Ukraine"),
]


@pytest.fixture(scope="module")
def near(regions):
    records = [
        ucdp_dated(i, "2022-03-01", adm_1=adm_1, latitude=lat, longitude=lon)
        for i, (adm_1, (lat, lon), _) in enumerate(NEAR, 1)
    ]
    return load(ucdp_file(*records), regions)


def test_near_border_premise(regions):
    points = [p for _, p, _ in NEAR]
    lon = np.array([float(p[1]) for p in points])
    lat = np.array([float(p[0]) for p in points])
    km = reg.outside_distance_km(lon, lat, regions)
    assert 0 < km[0] <= reg.NEAR_BORDER_KM and km[1] == 0 and km[2] > 3 * reg.NEAR_BORDER_KM


@pytest.mark.parametrize("n, adm_1, outcome", [(i, a, o) for i, (a, _, o) in enumerate(NEAR, 1)])
def test_near_border(near, n, adm_1, outcome):
    flagged = dict(zip(near.events[ID], near.events[NEAR_BORDER], strict=True))
    placed = dict(zip(near.events[ID], near.events[PLACED_OBLAST], strict=True))
    if outcome == "near_border":
        assert (flagged.get(str(n)), placed.get(str(n))) == (True, "UA-14")
    elif outcome == "inside":
        assert (flagged.get(str(n)), placed.get(str(n))) == (False, "UA-14")
    else:
        assert reasons(near).get(n, "").startswith(outcome), reasons(near)


def test_near_border_count(near):
    assert near.near_border == 1


# --- any table, mapped field by field ---------------------------------------------------------

TABLE_COLUMNS = ["When", "Y", "X", "Province", "Headline", "Link", "Kind", "Outlet"]
TABLE = [
    # 1: all fields; a known category
    ["2022-09-25", *KRAMATORSK, "Donetsk", "Shelling", "https://example.org/a", "Battles", "UP"],
    # 2: a category of its own; a link that is not http goes to the source name
    ["2022-09-26", *MELITOPOL, "", "Raid", "Telegram @melitopol", "Partisan raid", ""],
    # 3: no title, no source, placed by its oblast name alone
    ["2022-09-27", "", "", "Kharkiv oblast", "", "", "", ""],
    # 4: no date
    ["", *KHARKIV, "", "No date", "", "", ""],
    # 5: no place
    ["2022-09-28", "", "", "", "No place", "", "", ""],
]
MAP_ARGS = [
    "--map", "start_date=When", "--map", "lat=Y", "--map", "lon=X", "--map", "oblast=Province",
    "--map", "title=Headline", "--map", "source_url=Link", "--map", "category=Kind",
    "--map", "source_name=Outlet",
]  # fmt: skip


def table_bytes(columns=TABLE_COLUMNS, rows=TABLE) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return buf.getvalue().encode()


def test_mapped_table_on_the_command_line(tmp_path, capsys):
    path, out = tmp_path / "own.csv", tmp_path / "accepted.csv"
    path.write_bytes(table_bytes())
    code, data = run(capsys, path, "--json", "--accepted", out, *MAP_ARGS)
    assert (code, data["format"], data["rows"], data["accepted"]) == (1, "mapped", 5, 3)
    assert data["mapping"] == {
        "start_date": "when", "lat": "y", "lon": "x", "oblast": "province", "title": "headline",
        "source_url": "link", "source_name": "outlet", "category": "kind",
    }  # fmt: skip
    errors = {e["record"]: e["reason"] for e in data["errors"]}
    assert set(errors) == {4, 5}
    assert "when is empty" in errors[4]
    assert "no province and no coordinates" in errors[5]
    accepted = read_csv(out)
    assert [r["id"] for r in accepted] == ["record-1", "record-2", "record-3"]
    assert [r[CATEGORY] for r in accepted] == ["battles", "other", "other"]
    assert [r.get(EVENT_TYPE, "") for r in accepted] == ["", "Partisan raid", ""]
    assert [r[SOURCE_URL] for r in accepted] == ["https://example.org/a", "", ""]
    assert [r[SOURCE_NAME] for r in accepted] == ["UP", "Telegram @melitopol", ""]
    assert [r[TITLE] for r in accepted] == ["Shelling", "Raid", ""]  # never invented
    assert [r["oblast"] for r in accepted] == ["UA-14", "UA-23", "UA-63"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--map", "colour=Kind"], "unknown field(s) 'colour'"),
        (["--map", "start_date=Nope"], "the file has no column 'nope'"),
        (["--map", "start_date"], "expected FIELD=COLUMN"),
    ],
)
def test_bad_map_arguments(args, message, tmp_path, capsys):
    path = tmp_path / "own.csv"
    path.write_bytes(table_bytes())
    assert main([str(path), *args]) == 2
    assert message in capsys.readouterr().err


def test_unknown_format_suggests_a_working_map_command(tmp_path, capsys):
    path = tmp_path / "own.csv"
    columns = ["date", "lat", "lon", "title", "link", "province"]
    rows = [
        ["2022-09-25", *KRAMATORSK, "Shelling", "https://example.org/a", "Donetsk"],
        ["2022-09-26", *SIEVIERODONETSK, "Clash", "https://example.org/b", "Luhansk"],
    ]
    path.write_bytes(table_bytes(columns, rows))
    assert main([str(path)]) == 2
    err = capsys.readouterr().err
    suggested = re.search(r"--map \S+=\S+(?: --map \S+=\S+)*", err)
    assert suggested, err
    args = suggested[0].rstrip(".").split()  # the sentence's full stop is not part of it
    assert "start_date=date" in args and "lat=lat" in args and "oblast=province" in args
    code, data = run(capsys, path, "--json", *args)
    assert (code, data["accepted"], data["rejected"]) == (0, 2, 0)


# --- --accepted round trip --------------------------------------------------------------------

ROUND_TRIP = [
    ("14/08/2020 00:00:00", "2020-08-14"),
    ("05/08/2020", "2020-08-05"),
    ("16 May 2025", "2025-05-16"),
    ("44827", "2022-09-23"),
    ("2022-09-23T21:00:00Z", "2022-09-23"),
    ("07-Feb-25", "2025-02-07"),
]


def test_accepted_file_revalidates_clean(tmp_path, capsys):
    path, out, again = tmp_path / "in.csv", tmp_path / "accepted.csv", tmp_path / "again.csv"
    path.write_bytes(acled_file(*(w for w, _ in ROUND_TRIP), admin1="Donets'ka oblast"))
    code, first = run(capsys, path, "--json", "--accepted", out)
    assert (code, first["rejected"]) == (0, 0), first["errors"]
    code, second = run(capsys, out, "--json", "--accepted", again)
    assert (code, second["format"], second["rejected"]) == (0, "native", 0), second["errors"]
    assert second["accepted"] == first["accepted"] == len(ROUND_TRIP)
    before, after = read_csv(out), read_csv(again)
    assert [r["id"] for r in before] == [f"UKR{i}" for i in range(1, len(ROUND_TRIP) + 1)]
    assert [r["start_date"] for r in before] == [e for _, e in ROUND_TRIP]
    keep = ("id", "start_date", "end_date", "oblast", "source_name", "category")
    assert [[r[k] for k in keep] for r in after] == [[r[k] for k in keep] for r in before]

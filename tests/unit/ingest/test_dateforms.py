"""Date forms as real files write them (dashboard/ingest/dateforms.py): each form read alone,
one column mixing them, bad values rejected with a reason, and the --accepted file's ISO dates
validating again. Every table is built in code (tests/samples.py).
"""

from __future__ import annotations

import pytest

from tests.loading import acled_file, decision, iso, load, read_column, read_csv, reasons, run

pytestmark = pytest.mark.usefixtures("no_heap_trimming")


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

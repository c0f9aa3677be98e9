"""Who held which settlement when (data/control.csv, dashboard/ingest/control.py and
dashboard/scene/control.py): the curated table validates, says what issue 17 asks on the
dates it names, and a bad row is rejected with its reason."""

import json
import subprocess
import sys
from datetime import date

import pytest

from dashboard.config import CONTROL_CSV, FIVE_OBLASTS, TOWNS_GEOJSON
from dashboard.ingest.control import UNKNOWN, load_control, status_on
from dashboard.scene.control import control_rows, legend_entries, popup_html

HEADER = (
    "id,settlement,settlement_uk,oblast,lat,lon,date,date_precision,status,"
    "source_name,source_url,verification,claimed_by,notes\n"
)
GOOD = (
    "ctl-x-20220302,Kherson,Херсон,UA-65,46.65581,32.6178,2022-03-02,day,occupied,"
    "S,https://e.org/a,confirmed,,\n"
)


@pytest.fixture(scope="module")
def table(regions):
    return load_control(CONTROL_CSV, regions)


def test_the_table_validates_with_40_or_more_settlements_in_all_five_oblasts(table):
    assert table.rejected.empty, table.rejected[["record", "reason"]]
    assert len(table.settlements) >= 40
    assert set(table.rows["oblast"]) == set(FIVE_OBLASTS)
    assert table.findings == []  # no copy or aggregator cited, no unexplained dispute
    assert table.rows["source_url"].str.match(r"^https?://").all()


def test_the_cli_validates_a_control_table():
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", str(CONTROL_CSV), "--json"],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["kind"] == "control" and report["rejected"] == 0
    assert report["settlements"] >= 40 and report["sources"] == []


@pytest.mark.parametrize(
    ("day", "settlement", "status"),
    [
        ("2022-09-10", "Balakliia", "ukrainian"),
        ("2022-09-10", "Lyman", "occupied"),
        ("2022-11-12", "Kherson", "ukrainian"),
        ("2022-11-12", "Nova Kakhovka", "occupied"),
        ("2022-02-20", "Kherson", "ukrainian"),  # before its first row
        ("2022-02-20", "Donetsk", "occupied"),  # since 2014
        ("2022-04-01", "Mariupol", "contested"),
        ("2023-01-10", "Kherson", UNKNOWN),  # after the table's last day
    ],
)
def test_status_on_the_dates_issue_17_names(table, day, settlement, status):
    on = status_on(table, day).set_index("settlement")
    assert on.loc[settlement, "status"] == status


def test_towns_and_control_share_one_point_per_settlement(table):
    towns = {
        f["properties"]["name_en"]: f["geometry"]["coordinates"]
        for f in json.loads(TOWNS_GEOJSON.read_text(encoding="utf-8"))["features"]
    }
    for row in table.rows.drop_duplicates("settlement").itertuples():
        assert towns[row.settlement] == pytest.approx([row.lon, row.lat]), row.settlement


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (GOOD.replace("occupied", "liberated"), "status 'liberated'"),
        (GOOD.replace("2022-03-02,day", "02/03/2022,day"), "use YYYY-MM-DD"),
        (GOOD.replace("2022-03-02,day", "2024-03-02,day"), "outside"),
        (GOOD.replace("46.65581,32.6178", "47.8,35.1"), "lies in UA-23, not UA-65"),
        (GOOD.replace(",confirmed,,", ",claimed,,"), "names its side"),
        (GOOD.replace("https://e.org/a", "javascript:alert(1)"), "http(s)"),
        (GOOD.replace("UA-65", "Kherson oblast"), "ISO code"),
    ],
)
def test_a_bad_row_is_rejected_with_its_reason(regions, row, reason):
    other = row.replace("Kherson,", "Testville,")  # a place of its own: one point each
    loaded = load_control((HEADER + GOOD.replace("ctl-x", "ctl-y") + other).encode(), regions)
    assert len(loaded.rows) == 1 and len(loaded.rejected) == 1
    assert reason in loaded.rejected["reason"].iloc[0]


def test_two_points_for_one_settlement_are_rejected(regions):
    moved = GOOD.replace("ctl-x", "ctl-z").replace("46.65581", "46.66")
    loaded = load_control((HEADER + GOOD + moved).encode(), regions)
    assert len(loaded.rows) == 0 and "more than one point" in loaded.rejected["reason"].iloc[0]


def test_popups_give_the_history_with_sources_escaped(regions):
    hostile = GOOD.replace(",S,", ",<script>x</script>,").replace(",,\n", ",,<img src=x>\n")
    loaded = load_control((HEADER + hostile).encode(), regions)
    rows = control_rows(loaded, date(2022, 9, 1), "en")
    assert rows[0]["status"] == "occupied"
    popup = popup_html(rows[0], loaded, "en")
    html = popup + rows[0]["tooltip"]
    assert "<script>" not in html and "<img" not in html and "&lt;script&gt;" in html
    assert "not a front line" in popup and "Status on 1 September 2022" in popup
    assert "https://e.org/a" in popup
    assert legend_entries(rows, "en") == (("occupied by Russian forces", "#b2182b"),)

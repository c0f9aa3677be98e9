"""The curated data/events.csv: complete, sourced, consistent with the reference facts."""

import json
import subprocess
import sys
from urllib.parse import urlparse

import pytest

from dashboard.config import CATEGORIES, EVENTS_CSV, FIVE_OBLASTS
from dashboard.geo.regions import locate_points
from dashboard.ingest.events import load_events
from tests.oracle import active_oblasts

FOUR = {"UA-65", "UA-23", "UA-14", "UA-09"}
MIRRORS = (
    "cloudfront.net",
    "wikimili",
    "iwiki",
    "sagapedia",
    "wiki7",
    "cryer.org.uk",
    "owiki",
    "findatwiki",
    "stringtranslate",
    "wikisum",
)


@pytest.fixture(scope="module")
def result(regions):
    return load_events(EVENTS_CSV, regions)


@pytest.fixture(scope="module")
def events(result):
    return result.events


def test_validates_with_zero_rejected(result):
    assert result.rejected.empty, result.rejected[["record", "reason"]]
    assert result.rows >= 60


def test_cli_reports_every_oblast():
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", str(EVENTS_CSV), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(proc.stdout)
    assert data["rejected"] == 0 and data["rows"] >= 60
    assert data["events"] >= 90  # distinct events (issue 16)
    assert all(data["by_oblast"][c] > 0 for c in FIVE_OBLASTS)
    assert data["sources"] == []  # no copy, syndication or aggregator; no unexplained dispute


def test_at_least_90_distinct_events_february_to_november(events):
    assert events["group_id"].nunique() >= 90
    months = set(events["start_date"].dt.month)
    assert set(range(2, 12)) <= months


def test_every_event_has_http_source_and_known_category(events):
    for url in events["source_url"]:
        parsed = urlparse(url)
        assert parsed.scheme in ("http", "https") and parsed.netloc, url
    assert set(events["category"]) <= set(CATEGORIES)
    assert (events["title"].str.strip() != "").all()  # analysts' files may leave it blank


def test_sources_are_canonical_not_mirrors(events):
    for url in events["source_url"]:
        assert not any(m in url for m in MIRRORS), url


def test_voting_in_exactly_the_four_oblasts_23_to_27_september(events):
    vote = events[(events["category"] == "referendum") & events["end_date"].notna()]
    assert vote["group_id"].nunique() == 1
    assert set(vote["oblast_code"]) == FOUR and len(vote) == 4
    assert set(vote["start_date"].dt.strftime("%Y-%m-%d")) == {"2022-09-23"}
    assert set(vote["end_date"].dt.strftime("%Y-%m-%d")) == {"2022-09-27"}
    assert set(active_oblasts(events, "2022-09-25", "referendum")) == FOUR


def test_11_september_plan_is_not_a_vote(events):
    sep11 = events[(events["start_date"] == "2022-09-11") & (events["category"] == "referendum")]
    assert len(sep11) > 0
    assert set(sep11["verification"]) == {"not_held"}
    assert "not held" in sep11.iloc[0]["title"].lower()
    assert active_oblasts(events, "2022-09-11", "referendum") == []


@pytest.mark.parametrize(
    ("date", "needle", "category"),
    [
        ("2022-09-06", "Kharkiv counteroffensive", "combat"),
        ("2022-09-20", "Zelenskyy's video address", "statement"),
        ("2022-09-21", "Biden at the UN General Assembly", "statement"),
        ("2022-10-12", "ES-11/4", "diplomacy"),
        ("2022-09-30", "'accession treaties'", "annexation"),
        ("2022-11-11", "Ukrainian forces enter Kherson", "liberation"),
        ("2022-03-04", "Zaporizhzhia nuclear power plant", "nuclear_safety"),
    ],
)
def test_reference_dates(events, date, needle, category):
    hit = events[(events["start_date"] == date) & events["title"].str.contains(needle, regex=False)]
    assert len(hit) >= 1
    assert set(hit["category"]) == {category}


def test_national_and_international_events_are_not_in_an_oblast(events):
    wide = events[events["scope"] != "oblast"]
    assert len(wide) >= 3
    assert (wide["oblast_code"] == "").all() and wide["lat"].isna().all()


def test_claims_name_the_side(events):
    claims = events[events["verification"] == "claimed"]
    assert len(claims) >= 5
    assert set(claims["claimed_by"]) <= {"Russia", "Ukraine"}
    assert set(events["verification"]) <= {"confirmed", "claimed", "not_held"}


def test_coordinates_lie_in_the_stated_oblast(events, regions):
    pts = events[events["lat"].notna()]
    located = locate_points(pts["lon"].to_numpy(), pts["lat"].to_numpy(), regions)
    mismatched = pts[located != pts["oblast_code"].to_numpy()]
    assert mismatched.empty, mismatched[["id", "settlement", "oblast_code"]]


def test_ids_stable_and_unique(events):
    assert events["id"].is_unique
    assert events["id"].str.match(r"^ev-\d{8}-[a-z0-9-]+(-UA-\d{2})?$").all()
    shared = events.groupby("group_id")["oblast_code"].nunique()
    sizes = events.groupby("group_id").size()
    assert (shared == sizes).all()  # a multi-oblast event has one row per distinct oblast


def test_neutral_wording(events):
    loaded = ["terrorist", "heroic", "glorious", "nazi", "orcs", "liberated by russia"]
    text = (events["title"] + " " + events["description"]).str.lower()
    for word in loaded:
        assert not text.str.contains(word, regex=False).any(), word


def test_every_setting_the_code_reads_is_documented_in_the_readme():
    import re

    from dashboard.config import ROOT

    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "dashboard").glob("*.py"))
    settings = set(re.findall(r"\bOEM_[A-Z_]+\b", code))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert settings >= {"OEM_TILES", "OEM_EVENTS_CSV", "OEM_MAX_UPLOAD_MB"}
    assert all(f"`{name}`" in readme for name in settings), settings


def _row(events, event_id):
    hit = events[events["id"] == event_id]
    assert len(hit) == 1, event_id
    return hit.iloc[0]


def test_the_defects_found_in_the_row_by_row_check_are_fixed(events):
    """Issue 16's list, row by row."""
    convoy = _row(events, "ev-20220930-zaporizhzhia-convoy")
    text = convoy["description"]
    assert "Ukrainian officials said" in text and "blamed Ukrain" in text  # both accounts
    assert "32" in text and "Starukh" in text  # the final toll, and who gave it
    lyman = _row(events, "ev-20220528-lyman-taken")
    assert (lyman["verification"], lyman["claimed_by"]) == ("claimed", "Russia")
    assert lyman["title"].startswith("Russian MoD claims") and lyman["notes"]
    vuzlovyi = _row(events, "ev-20220927-kupiansk-vuzlovyi")
    assert vuzlovyi["settlement"] == "Kupiansk-Vuzlovyi"
    assert (vuzlovyi["lat"], vuzlovyi["lon"]) == (49.67061, 37.64319)
    assert "east bank of Kupiansk" not in vuzlovyi["title"]
    volnovakha = _row(events, "ev-20220311-volnovakha-claim")
    assert "russian-backed-separatists-capture-ukraines-volnovakha" in volnovakha["source_url"]
    assert "Kreminna" not in _row(events, "ev-20220418-battle-for-donbas")["title"]
    kreminna = _row(events, "ev-20220418-kreminna")
    assert kreminna["oblast_code"] == "UA-09" and "Haidai" in kreminna["description"]
    for event_id, tolls in (
        ("ev-20220309-mariupol-maternity-hospital", "City Council"),
        ("ev-20220408-kramatorsk-station", "Kyrylenko"),
        ("ev-20220709-chasiv-yar-strike", "State Emergency Service"),
    ):
        assert tolls in _row(events, event_id)["description"], event_id  # who gave the toll
    for event_id, day in (
        ("ev-20220507-popasna-taken", "8 May"),
        ("ev-20220302-kherson-control-announced", "3 Mar"),
    ):
        row = _row(events, event_id)
        assert row["date_precision"] == "disputed" and day in row["notes"], event_id


@pytest.mark.parametrize(
    ("needle", "start", "oblasts"),
    [
        ("Chornobaivka", "2022-03-07", {"UA-65"}),
        ("all of Kherson oblast", "2022-03-15", {"UA-65"}),
        ("Freedom Square", "2022-03-21", {"UA-65"}),
        ("Manhush", "2022-04-21", {"UA-14"}),
        ("Saldo", "2022-04-25", {"UA-65"}),
        ("Azovstal", "2022-04-29", {"UA-14"}),
        ("Bilohorivka", "2022-05-08", {"UA-09"}),
        ("Rubizhne", "2022-05-12", {"UA-09"}),
        ("Hirske", "2022-06-24", {"UA-09"}),
        ("Antonivskyi Bridge closed", "2022-07-27", {"UA-65"}),
        ("Antonivskyi Bridge spans destroyed", "2022-11-11", {"UA-65"}),
        ("cut off from the grid", "2022-08-25", {"UA-23"}),
        ("Vysokopillia", "2022-09-04", {"UA-65"}),
        ("'independence' of Kherson and Zaporizhzhia", "2022-09-29", {"UA-65", "UA-23"}),
        ("Murashov", "2022-09-30", {"UA-23"}),
        ("federal property", "2022-10-05", {"UA-23"}),
        ("'evacuation' of Kherson", "2022-10-18", {"UA-65"}),
        ("martial law", "2022-10-19", FOUR),
    ],
)
def test_the_missing_events_are_in_with_their_date_and_oblast(events, needle, start, oblasts):
    hit = events[events["title"].str.contains(needle, regex=False, case=False)]
    hit = hit[hit["start_date"] == start]
    assert len(hit), needle
    assert set(hit["oblast_code"]) == oblasts, needle


def test_disputed_dates_say_who_gives_which_date(events):
    disputed = events[events["date_precision"] == "disputed"]
    assert len(disputed) >= 12
    assert (disputed["notes"].str.len() > 20).all(), disputed.loc[disputed["notes"] == "", "id"]


def test_figures_in_strike_rows_are_attributed(events):
    """A strike's toll says who gave it (a person or body named in the same text)."""
    sources = ("according to", "said", "says", "report", "put the toll", "gave")
    strikes = events[events["category"] == "strike_on_civilians"]
    for row in strikes.itertuples():
        if any(ch.isdigit() for ch in row.description.replace("2022", "")):
            assert any(s in row.description for s in sources), row.id

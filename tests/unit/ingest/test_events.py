"""Reading and validating native event tables: every record accepted or rejected with a reason."""

import pytest

from dashboard.ingest.events import UnreadableFile, load_events
from tests.builders import csv_bytes, row, rows_with_ids


def load(records, regions):
    return load_events(csv_bytes(records), regions)


def only_reason(result):
    assert len(result.rejected) == 1, result.rejected
    return result.rejected.iloc[0]["reason"]


@pytest.mark.parametrize(
    ("override", "reason"),
    [
        ({"start_date": "23/09/2022 25:00"}, "bad start_date '23/09/2022 25:00'"),
        ({"start_date": "2022-02-30"}, "bad start_date '2022-02-30'"),
        ({"start_date": "2022-13-01"}, "bad start_date '2022-13-01'"),
        ({"start_date": ""}, "start_date is empty"),
        ({"end_date": "2022-09-01"}, "end_date is before start_date"),
        ({"end_date": "soon"}, "bad end_date 'soon'"),
        ({"oblast": "Narnia"}, "unknown oblast 'Narnia'"),
        ({"oblast": "", "lat": "", "lon": ""}, "no oblast and no coordinates"),
        ({"category": "battle"}, "unknown category 'battle'"),
        ({"verification": "maybe"}, "unknown verification 'maybe'"),
        ({"source_url": "javascript:alert(1)"}, "source_url must be an http(s) address"),
        ({"source_url": "ftp://example.org/x"}, "source_url must be an http(s) address"),
        ({"verification": "claimed"}, "a claimed event needs claimed_by"),
        ({"lat": "47.1", "lon": ""}, "lat and lon must be given together"),
        ({"lat": "north", "lon": "37"}, "bad lat 'north'"),
        ({"lat": "95", "lon": "37"}, "lat is outside -90..90"),
        ({"scope": "national"}, "a national/international event names no oblast"),
        ({"scope": "galactic"}, "unknown scope 'galactic'"),
    ],
)
def test_bad_record_is_rejected_with_reason(regions, override, reason):
    result = load([row(), row(id="t-2", **override)], regions)
    assert result.accepted == 1
    assert result.rows == 2
    assert reason in only_reason(result)
    assert result.rejected.iloc[0]["record"] == 2


@pytest.mark.parametrize("missing", ["title", "source_url"])
def test_a_missing_title_or_source_is_kept_blank_never_invented(regions, missing):
    result = load([row(), row(id="t-2", **{missing: ""})], regions)
    assert result.accepted == 2
    assert result.events.set_index("id").loc["t-2", missing] == ""


def test_several_reasons_are_all_reported(regions):
    result = load([row(start_date="bad", category="x", oblast="Atlantis")], regions)
    reason = only_reason(result)
    for part in ("bad start_date", "unknown category", "unknown oblast"):
        assert part in reason


def test_duplicate_id_rejects_the_second_occurrence(regions):
    result = load([row(id="a"), row(id="b"), row(id="a")], regions)
    assert result.accepted == 2
    assert only_reason(result) == "duplicate id 'a' (first at record 1)"
    assert result.rejected.iloc[0]["record"] == 3


@pytest.mark.parametrize(
    ("spelling", "code"),
    [
        ("UA-65", "UA-65"),
        ("ua-23", "UA-23"),
        ("Zaporozhye", "UA-23"),
        ("Zaporizhzhia Oblast", "UA-23"),
        ("Zaporizhzhya oblast'", "UA-23"),
        ("Запорізька область", "UA-23"),
        ("Запорожская область", "UA-23"),
        ("Lugansk", "UA-09"),
        ("Luhans'k Oblast", "UA-09"),
        ("Луганська область", "UA-09"),
        ("Donets'k", "UA-14"),
        ("Донецкая область", "UA-14"),
        ("Kharkov", "UA-63"),
        ("Харківська область", "UA-63"),
        ("Khersonskaya oblast", "UA-65"),
        ("Херсонська область", "UA-65"),
    ],
)
def test_oblast_names_go_through_the_crosswalk(regions, spelling, code):
    result = load([row(oblast=spelling)], regions)
    assert result.accepted == 1
    ev = result.events.iloc[0]
    assert ev["oblast_code"] == code
    assert ev["in_five"]
    assert ev["placed_by"] == ("code" if spelling.upper() == code else "name")


def test_blank_oblast_is_placed_by_point(regions):
    # Mariupol town centre (Donetsk oblast)
    result = load([row(oblast="", lat="47.09514", lon="37.54131")], regions)
    ev = result.events.iloc[0]
    assert (ev["oblast_code"], ev["placed_by"]) == ("UA-14", "point")


def test_unknown_name_with_coordinates_is_placed_by_point(regions):
    result = load([row(oblast="Somewhere", lat="49.98081", lon="36.25272")], regions)
    assert result.accepted == 1
    assert result.events.iloc[0]["oblast_code"] == "UA-63"


def test_event_outside_the_five_is_kept_and_counted_outside(regions):
    records = rows_with_ids(
        {"oblast": "Dnipropetrovsk"},
        {"oblast": "", "lat": "50.45", "lon": "30.52"},  # Kyiv: no oblast of the five
        {"oblast": "", "scope": "international"},
        {},
    )
    result = load(records, regions)
    assert result.accepted == 4
    assert result.outside == 3
    assert result.by_oblast()["UA-65"] == 1
    assert list(result.events["oblast_code"][:3]) == ["UA-12", "", ""]


def test_multi_oblast_event_has_one_row_per_oblast(regions):
    records = [
        row(id=f"vote-{c}", group_id="vote", oblast=c, end_date="2022-09-27")
        for c in ("UA-65", "UA-23", "UA-14", "UA-09")
    ]
    result = load(records, regions)
    assert result.accepted == 4
    assert result.events.groupby("group_id")["oblast_code"].apply(set)["vote"] == {
        "UA-65",
        "UA-23",
        "UA-14",
        "UA-09",
    }


def test_types_are_real_dates_and_floats(regions):
    result = load([row(end_date="2022-09-27", lat="46.6", lon="32.6")], regions)
    ev = result.events.iloc[0]
    assert str(result.events["start_date"].dtype).startswith("datetime64")
    assert ev["last_date"].strftime("%Y-%m-%d") == "2022-09-27"
    assert ev["lat"] == pytest.approx(46.6)


def test_defaults_for_optional_vocabulary_columns(regions):
    result = load([row(verification="", scope="", date_precision="")], regions)
    ev = result.events.iloc[0]
    assert (ev["verification"], ev["scope"], ev["date_precision"]) == (
        "unverified",
        "oblast",
        "day",
    )


def test_header_only_file_has_no_rows(regions):
    result = load_events(csv_bytes([]), regions)
    assert (result.rows, result.accepted, len(result.rejected)) == (0, 0, 0)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
        (b"a,b\n1,2\n", "match no known format .found: a, b"),
        (b"id,start_date\n1,2\n", "missing required column.s. category, title, source_url"),
        (b"\xff\xfeA\x00\xd8", "not valid UTF-16"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "old Excel .xls"),
        (b"PK\x03\x04broken", "damaged"),
        (b"PAR1broken", "Parquet file cannot be read"),
    ],
)
def test_hopeless_files_raise_one_clear_message(regions, data, message):
    with pytest.raises(UnreadableFile, match=message):
        load_events(data, regions)


def test_missing_path_is_unreadable(tmp_path, regions):
    with pytest.raises(UnreadableFile, match="no such file"):
        load_events(tmp_path / "nope.csv", regions)


def test_ragged_records_are_rejected_not_dropped(regions):
    good = csv_bytes([row(id="a"), row(id="b")]).decode()
    lines = good.splitlines()
    lines.insert(2, "x,y,z")  # too few fields, between the two good records
    lines.append(lines[1] + ",extra,fields")  # too many fields
    result = load_events("\n".join(lines).encode(), regions)
    assert result.rows == 4
    assert result.accepted == 2
    reasons = dict(zip(result.rejected["record"], result.rejected["reason"], strict=True))
    assert reasons[2] == "record has fewer fields than the header" or "fields" in reasons[2]
    assert "fields" in reasons[4]


def test_short_record_in_fast_path_is_rejected(regions):
    text = csv_bytes([row(id="a")]).decode() + "t-9,,2022-09-01\n"
    result = load_events(text.encode(), regions)
    assert (result.rows, result.accepted) == (2, 1)
    assert result.rejected.iloc[0]["reason"] == "record has fewer fields than the header"


def test_bom_is_accepted(regions):
    result = load_events(b"\xef\xbb\xbf" + csv_bytes([row()]), regions)
    assert result.accepted == 1


def test_hostile_text_is_kept_verbatim(regions):
    text = "<script>alert(1)</script><img src=x onerror=alert(2)>"
    result = load([row(title=text, description='=HYPERLINK("http://x")')], regions)
    assert result.events.iloc[0]["title"] == text

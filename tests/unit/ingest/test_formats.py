"""Bring-your-own-data: every sample file gives exactly the expected accepted/rejected records."""

import csv
import io
import json
import re

import numpy as np
import pandas as pd
import pytest

from dashboard.config import CATEGORY, EVENT_TYPE, SOURCE_NAME, SOURCE_URL, TITLE
from dashboard.ingest import tables
from dashboard.ingest.dateforms import FORMS_HELP
from dashboard.ingest.events import UnreadableFile, load_events
from dashboard.render.csv import safe_csv_bytes
from dashboard.validate import main
from tests import samples
from tests.loading import read_csv, run
from tests.samples import (
    BINARY_FIXTURES,
    FIXTURES,
    KHARKIV,
    KRAMATORSK,
    MELITOPOL,
    SIEVIERODONETSK,
)
from tests.synth import acled_events

ALL = FIXTURES + BINARY_FIXTURES


def validate_json(tmp_path, capsys, fixture, *extra):
    path = tmp_path / fixture.name
    path.write_bytes(fixture.build())
    code = main([str(path), "--json", *extra])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("fixture", ALL, ids=lambda f: f.name)
def test_fixture_gives_exact_counts_and_reasons(tmp_path, capsys, fixture):
    code, data = validate_json(tmp_path, capsys, fixture)
    assert data["accepted"] + data["rejected"] == data["rows"]
    assert (data["rows"], data["accepted"], data["rejected"]) == (
        fixture.rows,
        fixture.accepted,
        fixture.rejected,
    )
    if fixture.unusable:
        assert code == 2
        assert fixture.unusable in data["error"]
        return
    assert code == (0 if fixture.rejected == 0 else 1)
    assert data["format"] == fixture.format
    reasons = {e["record"]: e["reason"] for e in data["errors"]}
    assert set(reasons) == set(fixture.reasons)
    for record, part in fixture.reasons.items():
        assert part in reasons[record]


def test_committed_fixtures_match_their_builders():
    for fixture in FIXTURES:
        path = samples.FIXTURE_DIR / fixture.name
        assert path.read_bytes() == fixture.build(), f"run python -m tests.samples ({path.name})"


def events_of(build, regions, **kwargs):
    return load_events(build(), regions, **kwargs).events.set_index("record")


def test_every_acled_date_form_means_the_right_day(regions):
    events = events_of(samples.acled_dates, regions)
    parsed = {r: d.strftime("%Y-%m-%d") for r, d in events["start_date"].items()}
    assert parsed == samples.ACLED_DATES_PARSED


def test_acled_fields_are_kept_and_mapped(regions):
    events = events_of(samples.acled_current, regions)
    first = events.loc[1]
    assert (first["category"], first["event_type"], first["sub_event_type"]) == (
        "explosions_remote_violence",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    )
    assert (first["actor1"], first["actor2"]) == (
        "Military Forces of Russia (2000-)",
        "Civilians (Ukraine)",
    )
    assert events.loc[3, "fatalities"] == 2
    assert events.loc[6, "category"] == "battles"
    assert first["source_url"] == ""  # ACLED has no link per event: its sources are named
    assert first["source_name"] == "Synthetic source"
    # placement: by name, by point for blank and unknown names, Kyiv kept outside the five
    placed = events[["oblast_code", "placed_by", "in_five"]].to_dict("index")
    assert placed[1] == {"oblast_code": "UA-14", "placed_by": "name", "in_five": True}
    assert placed[3] == {"oblast_code": "UA-63", "placed_by": "point", "in_five": True}
    assert placed[4] == {"oblast_code": "UA-65", "placed_by": "point", "in_five": True}
    assert placed[5] == {"oblast_code": "UA-30", "placed_by": "name", "in_five": False}


def test_pre2019_acled_types_map_onto_todays_and_keep_the_old_name(regions):
    events = events_of(samples.acled_pre2019, regions)
    assert list(events["category"]) == ["explosions_remote_violence", "battles", "riots_protests"]
    assert events.loc[2, "sub_event_type"] == "Battle-Government regains territory"
    assert events.loc[1, "start_date"] == pd.Timestamp("2018-04-18")  # 18/04/2018, day-first


def test_encodings_and_decimal_commas_decode_to_the_same_values(regions):
    utf16 = load_events(samples.acled_utf16_tab(), regions)
    cp1251 = events_of(samples.acled_cp1251_semicolon, regions)
    assert utf16.read_as == "CSV, UTF-16, tab-delimited"
    assert utf16.events.loc[1, "settlement"] == "Сєвєродонецьк"
    assert list(utf16.events["oblast_code"]) == ["UA-14", "UA-09"]
    assert cp1251.loc[1, "settlement"] == "Харків"
    assert cp1251.loc[1, "lat"] == pytest.approx(49.9935)
    assert list(cp1251["oblast_code"]) == ["UA-63", "UA-23"]


def test_ucdp_deaths_sides_and_spans_are_kept(regions):
    with_header = events_of(samples.ucdp_ged, regions)
    mariupol = with_header.loc[2]
    assert (mariupol["fatalities"], mariupol["fatalities_low"], mariupol["fatalities_high"]) == (
        12,
        10,
        30,
    )
    assert (mariupol["actor1"], mariupol["actor2"]) == (
        "Government of Russia (Soviet Union)",
        "Civilians",
    )
    assert mariupol["category"] == "one_sided"
    kherson = with_header.loc[3]
    assert (kherson["oblast_code"], kherson["placed_by"]) == ("UA-65", "point")
    assert kherson["last_date"] == pd.Timestamp("2022-11-11")
    assert kherson["date_precision"] == "approximate"
    headerless = events_of(lambda: samples.ucdp_ged(header=False), regions)
    columns = ["start_date", "last_date", "oblast_code", "category", "fatalities"]
    pd.testing.assert_frame_equal(headerless[columns], with_header[columns])


def test_xlsx_and_parquet_give_the_same_events_as_csv(regions):
    csv_events = events_of(samples.acled_current, regions)
    xlsx_events = events_of(lambda: samples.xlsx_of(samples.acled_current()), regions)
    columns = ["id", "start_date", "lat", "lon", "oblast_code", "fatalities", "category"]
    pd.testing.assert_frame_equal(xlsx_events[columns], csv_events[columns])
    parquet = load_events(samples.parquet_of(samples.ucdp_ged()), regions)
    assert parquet.read_as == "Parquet"
    assert parquet.events["start_date"].min() == pd.Timestamp("2022-03-09")


def test_forcing_the_wrong_format_names_the_expected_columns(tmp_path, capsys):
    code, data = validate_json(tmp_path, capsys, samples.ACLED_CURRENT, "--format", "ucdp")
    assert code == 2
    assert "not in the UCDP GED format: missing required column(s) id, date_start" in data["error"]
    assert data["rejected"] == data["rows"] == 12


def test_forcing_the_right_format_works(tmp_path, capsys):
    code, data = validate_json(tmp_path, capsys, samples.UCDP, "--format", "ucdp")
    assert (code, data["accepted"]) == (1, 4)


def test_size_limit_gives_a_clear_message(regions):
    with pytest.raises(UnreadableFile, match=r"over the 0 MB limit; nothing was loaded"):
        load_events(samples.acled_current(), regions, max_bytes=100)


def test_workbook_that_unpacks_too_far_is_refused(regions, monkeypatch):
    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED", 1000)
    with pytest.raises(UnreadableFile, match="unpacks to more than"):
        load_events(samples.xlsx_of(samples.acled_current()), regions)


def test_hostile_text_is_kept_verbatim_for_escaping_later(regions):
    events = events_of(samples.native_hostile, regions)
    assert events.loc[1, "title"] == samples.HOSTILE_TEXT
    assert events.loc[2, "title"] == samples.FORMULAS[0]


def test_a_100k_row_acled_file_loses_nothing(regions):
    frame = acled_events(100_000, seed=7, regions=regions)
    bad = np.arange(499, 100_000, 1000)  # 100 planted bad dates
    frame.loc[bad, "event_date"] = "31-02-2023"
    data = frame.to_csv(index=False).encode()
    result = load_events(data, regions)
    assert (result.rows, result.accepted, len(result.rejected)) == (100_000, 99_900, 100)
    assert list(result.rejected["record"]) == list(bad + 1)
    assert result.reasons().to_dict() == {f"bad event_date … (expected {FORMS_HELP})": 100}
    assert sum(result.by_oblast().values()) == 99_900


def test_reasons_are_grouped_by_kind_for_the_report(regions):
    data = samples.delimited(
        [
            samples.acled(event_id_cnty="A", latitude="52.2297", longitude="21.0122"),
            samples.acled(event_id_cnty="B", latitude="50.5997", longitude="36.5983"),
            samples.acled(event_id_cnty="C", event_date="soon"),
            samples.acled(event_id_cnty="C"),
        ],
        samples.ACLED_COLUMNS,
    )
    result = load_events(data, regions)
    assert result.reasons().to_dict() == {
        "coordinates outside Ukraine: latitude …, longitude …": 2,
        f"bad event_date … (expected {FORMS_HELP})": 1,
        "duplicate event_id_cnty …": 1,
    }
    assert result.outcomes() == {
        "accepted: in the five oblasts": 0,
        "accepted: elsewhere in Ukraine": 0,
        "accepted: national / international": 0,
        "rejected": 4,
    }


def test_formula_cells_from_a_file_are_neutralised_in_every_export(regions):
    result = load_events(samples.native_hostile(), regions)
    exported = safe_csv_bytes(result.events).decode("utf-8-sig")
    rejected = safe_csv_bytes(result.rejected).decode("utf-8-sig")
    for formula in samples.FORMULAS:
        assert formula in result.events.to_numpy().astype(str)  # kept verbatim in the data
        assert "'" + formula.replace('"', '""') in exported
    assert ",javascript:alert(1)," in rejected  # not a formula: left as written


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

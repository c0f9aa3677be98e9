"""The shared store against a real PostgreSQL+PostGIS cluster (tests/conftest.py starts it)."""

import json
from datetime import date

import pandas as pd
import psycopg
import pytest

from dashboard import config
from dashboard.ingest.events import load_events
from dashboard.state import deck as decks
from dashboard.state.view_state import ViewState
from dashboard.team import store as store_mod
from dashboard.team.store import Store, StoreError

UCDP = config.ROOT.parent / "shared" / "data" / "ucdp-ukraine-2023-05.csv"


@pytest.fixture(scope="module")
def store(database_url):
    found = Store(database_url)
    found.migrate()
    return found


@pytest.fixture(scope="module")
def ucdp(regions):
    """The real UCDP export analysts have (Windows-1252, month-first), as the loader reads it."""
    return load_events(UCDP, regions, dataset="Upload: ucdp-ukraine-2023-05.csv")


@pytest.fixture(scope="module")
def shared_ucdp(store, ucdp):
    events = ucdp.events.drop(columns=["dataset"])
    return store.share_dataset(
        events,
        name="UCDP GED Candidate, May 2023",
        file_name=UCDP.name,
        user="editor@example.org",
        licence="CC BY 4.0, UCDP",
        report={"rows": ucdp.rows, "accepted": ucdp.accepted, "rejected": len(ucdp.rejected)},
        rows_read=ucdp.rows,
    )


def test_migrating_twice_is_harmless_and_gives_the_head_revision(store):
    assert store.migrate() == "0002"
    assert store.revision() == "0002"
    with psycopg.connect(store.url) as conn:
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables")}
        assert {"oem_dataset", "oem_event", "oem_deck", "oem_view"} <= tables
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes")}
        assert {"oem_event_date", "oem_event_oblast", "oem_event_geom", "oem_event_span"} <= indexes


def test_a_real_export_round_trips_through_the_store_unchanged(store, ucdp, shared_ucdp):
    back = store.events(shared_ucdp)
    sent = ucdp.events.drop(columns=["dataset"]).reset_index(drop=True)
    assert len(back) == len(sent) == 3882
    pd.testing.assert_frame_equal(back[sent.columns], sent, check_dtype=False)
    for name in (config.START, config.LAT, config.IN_FIVE, config.RECORD):
        assert back[name].dtype == sent[name].dtype


def test_the_dataset_is_listed_with_who_when_what_and_its_report(store, ucdp, shared_ucdp):
    found = store.dataset(shared_ucdp)
    assert found.name == "UCDP GED Candidate, May 2023"
    assert found.file_name == UCDP.name
    assert found.shared_by == "editor@example.org"
    assert found.licence == "CC BY 4.0, UCDP"
    assert (found.events, found.rows_read) == (3882, ucdp.rows)
    assert found.report["rejected"] == len(ucdp.rejected) == 1
    assert found.first_date == ucdp.events[config.START].min().date()


def test_a_window_is_filtered_in_the_database_as_in_memory(store, ucdp, shared_ucdp):
    events = ucdp.events
    start, end = date(2022, 9, 1), date(2022, 9, 30)
    last = events["last_date"]
    overlaps = (events[config.START].dt.date <= end) & (last.dt.date >= start)
    got = store.window(shared_ucdp, start, end)
    assert len(got) == int(overlaps.sum()) > 100
    in_kharkiv = overlaps & (events[config.PLACED_OBLAST] == "UA-63")
    assert len(store.window(shared_ucdp, start, end, oblasts=["UA-63"])) == int(in_kharkiv.sum())
    counts = store.counts_by_oblast(shared_ucdp, start, end)
    assert counts["UA-63"] == int(in_kharkiv.sum())
    assert sum(counts.values()) == len(got)


def test_points_are_postgis_geometries_on_an_index(store, ucdp, shared_ucdp):
    events = ucdp.events
    box = (36.0, 49.0, 38.5, 50.5)  # around Kharkiv, Izium, Kupiansk
    inside = events[config.LON].between(box[0], box[2]) & events[config.LAT].between(box[1], box[3])
    assert store.within(shared_ucdp, box) == int(inside.sum()) > 0
    with psycopg.connect(store.url) as conn:
        srid = conn.execute(
            "SELECT DISTINCT ST_SRID(geom) FROM oem_event WHERE geom IS NOT NULL"
        ).fetchall()
    assert srid == [(4326,)]


def test_hostile_text_is_stored_as_text(store, ucdp):
    """Quotes, a statement terminator, formulas, NUL, newlines and bidi controls: stored and
    read back as text (parameters and COPY, never SQL built from text)."""
    hostile = 'Robert\'); DROP TABLE oem_event;--\n=HYPERLINK("x")\r\t\u202e"q",\\N'
    events = ucdp.events.drop(columns=["dataset"]).head(3).copy()
    events[config.TITLE] = hostile + "\x00tail"
    new = store.share_dataset(events, name=hostile, file_name=hostile, user=hostile)
    back = store.events(new)
    assert list(back[config.TITLE]) == [hostile + "tail"] * 3  # NUL cannot be held; dropped
    assert store.dataset(new).name.startswith("Robert'); DROP TABLE")
    assert len(store.events(new)) == 3  # the table is still there


def test_a_dataset_over_the_limit_is_refused_before_anything_is_written(database_url, ucdp):
    small = Store(database_url, limit=100)
    before = len(small.datasets())
    with pytest.raises(StoreError, match="at most 100 per dataset"):
        small.share_dataset(ucdp.events, name="big", file_name="big.csv", user="e@x.org")
    assert len(small.datasets()) == before
    with pytest.raises(StoreError, match="no events"):
        small.share_dataset(ucdp.events.head(0), name="none", file_name="", user="e@x.org")


def test_decks_and_saved_views_are_shared(store):
    deck = decks.Deck(
        slides=(
            decks.Slide(ViewState(date=date(2022, 9, 23)), decks.Text("Votes", "Голосування")),
        ),
        title=decks.Text("September"),
    )
    deck_id = store.share_deck(decks.to_json(deck), title="September", user="e@x.org")
    assert [d.id for d in store.decks()][0] == deck_id
    back, problems = decks.from_json(store.deck(deck_id))
    assert back == deck and problems == []
    assert store.deck(10**9) is None
    view_id = store.save_view("Referendum week", "date=2022-09-27&window=7", "e@x.org")
    assert store.views()[0].id == view_id
    with pytest.raises(StoreError, match="needs a name"):
        store.save_view("  ", "date=2022-09-27", "e@x.org")


def test_an_unreachable_database_gives_one_message(tmp_path):
    gone = Store(f"postgresql://oem@/oem?host={tmp_path}&port=1")
    with pytest.raises(StoreError, match="cannot be reached"):
        gone.datasets()
    with pytest.raises(StoreError, match="no database"):
        Store("")


def test_the_migrate_command_says_what_it_did(database_url, monkeypatch, capsys):
    monkeypatch.setenv("OEM_DATABASE_URL", database_url)
    assert store_mod.main(["migrate"]) == 0
    assert "revision 0002" in capsys.readouterr().out
    assert store_mod.main([]) == 2
    assert capsys.readouterr().err.startswith("usage:")
    monkeypatch.setenv("OEM_DATABASE_URL", "postgresql://oem@/oem?host=/nonexistent&port=1")
    assert store_mod.main(["migrate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the shared store cannot be reached")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_reports_are_json(store, shared_ucdp):
    with psycopg.connect(store.url) as conn:
        raw = conn.execute(
            "SELECT report::text FROM oem_dataset WHERE id = %s", (shared_ucdp,)
        ).fetchone()[0]
    assert json.loads(raw)["rows"] == 3883

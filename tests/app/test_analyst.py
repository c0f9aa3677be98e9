"""AppTest: the analyst's filters on an ACLED file (actor, sub-event type, civilian targeting,
fatalities), a date range, and the link that reopens them (issue 18)."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.page import session
from dashboard.render.csv import events_export, safe_csv_bytes
from tests.app.test_page import APP
from tests.app.test_upload import page, upload
from tests.synth import acled_events

WAGNER = "Wagner Group"
SHELLING = "Shelling/artillery/missile attack"


@pytest.fixture(scope="module")
def acled_bytes() -> bytes:
    return acled_events(3000, seed=3).to_csv(index=False).encode("utf-8")


@pytest.fixture
def acled(acled_bytes):
    app = upload(page(), "acled_3000.csv", acled_bytes)
    app.radio(key="window").set_value("cumulative").run()
    return app


def drawn(app):
    return session.drawn(app.session_state)


def ids_of(frame: pd.DataFrame) -> set[str]:
    return set(frame["id"].astype(str))


def csv_ids(app) -> set[str]:
    """The ids in the events CSV the page offers for this view (the download's own function)."""
    view = drawn(app).view
    data = safe_csv_bytes(events_export(view.shown, view.active_flags, "en"))
    table = pd.read_csv(StringIO(data.decode("utf-8-sig")), dtype=str)
    return set(table["id"])


def summary_total(app) -> int:
    summary = next(d for d in app.dataframe if "Under way" in d.value.columns).value
    return int(summary["Events"].sum())


def test_actor_and_sub_event_type_filter_map_counts_table_and_csv_alike(acled):
    app = acled
    everything = drawn(app).view.shown
    # offered with their number of events in the file, most frequent first
    assert "Wagner Group (223)" in app.multiselect(key="actor").options
    assert app.multiselect(key="sub").options[0].startswith(SHELLING)
    app.multiselect(key="actor").set_value([WAGNER]).run()
    app.multiselect(key="sub").set_value([SHELLING]).run()
    assert not app.exception, app.exception
    shown = drawn(app).view.shown
    expected = everything[
        everything["actor1"].str.contains(WAGNER, regex=False)
        & (everything["sub_event_type"] == SHELLING)
    ]
    assert 0 < len(shown) < len(everything)
    assert ids_of(shown) == ids_of(expected)  # the map's events
    # the counts: every event in the five oblasts, once (the synthetic data has no claims)
    assert summary_total(app) == len(shown)
    # the table (its first rows) and the CSV hold the same events
    table = next(d for d in app.dataframe if "Title" in d.value.columns).value
    assert set(table["ID"].astype(str)) <= ids_of(shown)
    assert csv_ids(app) == ids_of(shown)
    # the page says how many the filters keep of all
    assert any(f"keep {len(shown):,} of 3,000 events" in c.value for c in app.caption)
    assert any(f"Events shown ({len(shown):,} of" in s.value for s in app.subheader)
    # the weekly chart counts the same events
    weekly = drawn(app).view.index.weekly()
    assert int(weekly.to_numpy().sum()) == len(shown)


def test_a_link_reopens_the_filtered_view_once_the_file_is_loaded(acled, acled_bytes):
    app = acled
    app.multiselect(key="actor").set_value([WAGNER]).run()
    app.multiselect(key="sub").set_value([SHELLING]).run()
    app.toggle(key="civ").set_value(True).run()
    before = ids_of(drawn(app).view.shown)
    params = {k: v[-1] if isinstance(v, list) else v for k, v in app.query_params.items()}
    assert params["actor"] == WAGNER and params["sub"] == SHELLING and params["civ"] == "1"
    again = AppTest.from_file(APP, default_timeout=60)
    for key, value in params.items():
        again.query_params[key] = value
    again.run()
    again.run()
    upload(again, "acled_3000.csv", acled_bytes)
    assert not again.exception, again.exception
    assert again.multiselect(key="actor").value == [WAGNER]
    assert again.toggle(key="civ").value is True
    assert ids_of(drawn(again).view.shown) == before
    assert set(drawn(again).view.shown["civilian_targeting"]) == {"Civilian targeting"}


def test_fatalities_range_keeps_only_events_with_a_figure_inside_it(acled):
    app = acled
    app.number_input(key="fmin").set_value(2).run()
    app.number_input(key="fmax").set_value(3).run()
    shown = drawn(app).view.shown
    assert len(shown) and shown["fatalities"].between(2, 3).all()


def test_a_date_range_bounds_the_slider_and_counts_from_its_first_day(acled):
    app = acled
    app.date_input(key="range_pick").set_value((date(2022, 9, 23), date(2022, 10, 5))).run()
    assert not app.exception, app.exception
    slider = app.slider(key="date")
    bounds = [pd.Timestamp(v, unit="us").date() for v in (slider.min, slider.max)]
    assert bounds == [date(2022, 9, 23), date(2022, 10, 5)]
    assert slider.value == date(2022, 10, 5)
    shown = drawn(app).view.shown
    assert shown["start_date"].min() >= pd.Timestamp("2022-09-23")
    assert shown["start_date"].max() <= pd.Timestamp("2022-10-05")
    params = {k: v[-1] if isinstance(v, list) else v for k, v in app.query_params.items()}
    assert (params["from"], params["to"]) == ("2022-09-23", "2022-10-05")
    slider.set_value(date(2022, 9, 30)).run()
    shown = drawn(app).view.shown
    assert shown["start_date"].max() <= pd.Timestamp("2022-09-30")
    assert shown["start_date"].min() >= pd.Timestamp("2022-09-23")
    assert "range to 5 October 2022" in drawn(app).window_text

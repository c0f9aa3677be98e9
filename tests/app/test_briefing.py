"""AppTest: links open the view they describe, the page speaks Ukrainian, presentation mode and
playback controls drive the date."""

import dataclasses
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.page import session
from dashboard.state import holds
from dashboard.state.permalink import from_query
from tests.app.test_page import APP, shown

DONE_WHEN = "date=2022-09-25&window=7&present=1&lang=uk&lat=47.5&lon=36.5&zoom=6"


def open_link(query: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    for key, value in (p.split("=", 1) for p in query.split("&") if p):
        app.query_params[key] = value
    app.run()
    app.run()  # in a browser the first-visit timer does it: the full page after the light run
    assert not app.exception, app.exception
    return app


def link_of(app) -> dict[str, str]:
    return {k: v[-1] if isinstance(v, list) else v for k, v in app.query_params.items()}


def notices(app) -> str:
    return " ".join(w.value for w in app.warning).replace("\\", "")


def test_a_full_link_opens_that_view_and_is_written_back():
    query = (
        "date=2022-09-25&window=30&cat=referendum,strike_on_civilians&oblast=UA-65,UA-14"
        "&q=vot&lang=en&tiles=none&outside=1&step=7&speed=1.5&loop=1"
    )
    app = open_link(query)
    assert app.slider(key="date").value == date(2022, 9, 25)
    assert app.radio(key="window").value == "30"
    assert app.multiselect(key="cat").value == ["referendum", "strike_on_civilians"]
    assert app.multiselect(key="oblast").value == ["UA-65", "UA-14"]
    assert app.text_input(key="q").value == "vot"
    assert app.toggle(key="outside").value is True
    assert app.radio(key="step").value == 7
    assert app.select_slider(key="speed").value == 1.5
    assert app.toggle(key="loop").value is True
    view = session.drawn(app.session_state).view
    assert view.window_days == 30 and set(shown(app)["category"]) <= {
        "referendum",
        "strike_on_civilians",
    }
    assert not app.warning
    # the address bar now holds the same state, parameter for parameter
    again, problems = from_query("&".join(f"{k}={v}" for k, v in link_of(app).items()))
    wanted, _ = from_query(query)
    wanted = dataclasses.replace(wanted, tiles=None)  # the default basemap stays out of links
    assert problems == [] and again == wanted


def test_the_link_follows_the_widgets():
    app = open_link("date=2022-09-25")
    app.radio(key="window").set_value("7").run()
    app.multiselect(key="oblast").set_value(["UA-63"]).run()
    app.slider(key="date").set_value(date(2022, 9, 10)).run()
    link = link_of(app)
    assert link["date"] == "2022-09-10" and link["window"] == "7" and link["oblast"] == "UA-63"
    app.selectbox(key="lang").set_value("uk").run()
    assert link_of(app)["lang"] == "uk"


def test_a_custom_window_comes_back_as_custom():
    app = open_link("date=2022-09-25&window=14")
    assert app.radio(key="window").value == "custom"
    assert app.number_input(key="window_days").value == 14
    assert session.drawn(app.session_state).view.window_days == 14


def test_invalid_values_are_ignored_with_a_visible_notice():
    app = open_link("date=2022-02-30&window=abc&cat=referendum,nonsense&zoom=99&lang=fr&present=2")
    text = notices(app)
    for fragment in (
        "date='2022-02-30'",
        "window='abc'",
        "cat='nonsense'",
        "zoom='99'",
        "lang='fr'",
        "present='2'",
    ):
        assert fragment in text
    # the good part of the link still applies, the page still works, defaults fill the rest
    assert app.multiselect(key="cat").value == ["referendum"]
    assert app.selectbox(key="lang").value == "en"
    assert app.radio(key="window").value == "cumulative"
    assert not app.error
    app.button(key="dismiss_notices").click().run()
    assert "ignored" not in notices(app)


def test_a_date_outside_the_data_is_moved_with_a_notice():
    app = open_link("date=2031-01-01")
    assert app.slider(key="date").value == date(2022, 11, 14)
    assert "outside the data" in notices(app)


def test_a_category_absent_from_the_data_is_reported():
    app = open_link("cat=battles")
    assert "cat='battles': no events of this category" in notices(app)
    assert app.multiselect(key="cat").value == []


def test_the_done_when_link_opens_presentation_in_ukrainian():
    app = open_link(DONE_WHEN)
    assert app.toggle(key="present").value is True
    assert session.view(app.session_state).map_view == (47.5, 36.5, 6)
    assert app.slider(key="date").value == date(2022, 9, 25)
    assert not app.title  # the page title gives way to the banner
    banner = " ".join(h.proto.body for h in app.get("html"))
    assert "25 вересня 2022" in banner and "Херсонська, Запорізька" in banner
    assert "19 вересня – 25 вересня 2022 (7 дн.)" in banner
    assert app.button(key="play").label == "▶ Відтворити"
    link = link_of(app)
    assert (link["lat"], link["lon"], link["zoom"], link["present"]) == ("47.5", "36.5", "6", "1")


def test_ukrainian_labels_and_oblast_names():
    app = open_link("date=2022-09-25&lang=uk")
    assert app.title[0].value.startswith("Карта подій")
    assert app.slider(key="date").label == "Дата"
    assert app.radio(key="window").options[0] == "Наростаючим"
    assert app.multiselect(key="oblast").options[0] == "Херсонська область"
    summary = next(d.value for d in app.dataframe if "Область" in d.value.columns)
    # short names, so the numbers keep to the narrow column (issue 17)
    assert list(summary["Область"]) == [
        "Херсонська",
        "Запорізька",
        "Донецька",
        "Луганська",
        "Харківська",
        "Інше",
    ]
    table = next(d.value for d in app.dataframe if "Назва" in d.value.columns)
    assert "псевдореферендум" in set(table["Категорія"])
    assert {"підтверджено"} <= set(table["Статус"])
    legend = " ".join(h.proto.body for h in app.get("html"))
    assert "Заливка області" in legend and "25 вересня 2022" in legend
    assert app.button(key="play").label == "▶ Відтворити"


def test_switching_language_keeps_the_view():
    app = open_link("date=2022-09-25&window=7&oblast=UA-14")
    app.selectbox(key="lang").set_value("uk").run()
    assert app.slider(key="date").value == date(2022, 9, 25)
    assert app.radio(key="window").value == "7"
    assert app.multiselect(key="oblast").value == ["UA-14"]


def test_presentation_toggle_and_exit():
    app = open_link("date=2022-09-25")
    app.toggle(key="present").set_value(True).run()
    assert not app.title and app.button(key="exit_present")
    app.button(key="exit_present").click().run()
    assert app.toggle(key="present").value is False and app.title


@pytest.mark.parametrize("step, expected", [(1, date(2022, 9, 26)), (7, date(2022, 10, 2))])
def test_forward_and_back_move_by_the_step(step, expected):
    app = open_link(f"date=2022-09-25&step={step}")
    app.button(key="step_forward").click().run()
    assert app.slider(key="date").value == expected
    app.button(key="step_back").click().run()
    assert app.slider(key="date").value == date(2022, 9, 25)


def test_a_forward_survives_the_browser_sending_back_the_date_before_it():
    """Forward, then a run the browser asked for before that click's widgets reached it (CI: a
    Forward pressed as presentation opened, then the map drawn for presentation reporting its
    view): the slider and the hidden box after it come back as they were. The step stays.
    Once the browser has the step, the date before is the user's (Forward, then ←)."""
    app = open_link("date=2022-09-25&window=7")
    box = app.text_input(key=holds.ACK).value
    app.button(key="step_forward").click().run()
    assert app.text_input(key=holds.ACK).value != box
    app.slider(key="date").set_value(date(2022, 9, 25))
    app.text_input(key=holds.ACK).set_value(box).run()  # the stale copy
    assert app.slider(key="date").value == date(2022, 9, 26)
    assert session.drawn(app.session_state).view.date == pd.Timestamp("2022-09-26")
    app.slider(key="date").set_value(date(2022, 9, 25)).run()  # with the box as it now is
    assert app.slider(key="date").value == date(2022, 9, 25)
    app.button(key="step_forward").click().run()
    app.slider(key="date").set_value(date(2022, 9, 20)).run()  # any other date
    assert app.slider(key="date").value == date(2022, 9, 20)


def test_play_and_pause_toggle_playback():
    app = open_link("date=2022-09-25")
    app.button(key="play").click().run()
    assert session.page_state(app.session_state).playing is True
    assert app.button(key="play").label == "‖ Pause"
    app.button(key="play").click().run()
    assert session.page_state(app.session_state).playing is False


def test_playback_stops_at_the_end_or_loops():
    app = open_link("date=2022-11-14&play=1")
    app.button(key="step_forward").click().run()
    assert app.slider(key="date").value == date(2022, 11, 14)
    looping = open_link("date=2022-11-14&play=1&loop=1")

    session.set_page(
        replace(session.page_state(looping.session_state), last_tick=None), looping.session_state
    )
    looping.button(key="step_forward").click().run()
    assert looping.slider(key="date").value == date(2022, 2, 21)  # the first date of the data


def test_share_panel_offers_link_png_and_html():
    app = open_link("date=2022-09-25&window=7&lang=uk")
    code = next(t for t in app.text_input if t.label == "Посилання на цей вигляд").value
    assert "?date=2022-09-25&window=7&lang=uk" in code
    keys = {b.key for b in app.get("download_button")}
    assert {"download_png_1920", "download_png_1280", "download_html"} <= keys

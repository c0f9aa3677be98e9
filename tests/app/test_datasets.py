"""AppTest: the bundled datasets are offered by name, a link names the one it shows, UCDP's
events are attributed, and certainty is in the table (issue 16)."""

from datetime import UTC, date, datetime

from dashboard.page import session
from tests.app.test_briefing import link_of, notices, open_link
from tests.app.test_page import shown

UCDP = "UCDP GED/Candidate 2014–2023"


def captions(app) -> str:
    return " ".join(c.value for c in app.caption).replace("\\", "")


def test_the_datasets_are_offered_by_name():
    app = open_link("")
    select = app.selectbox(key="data")
    assert select.value == "curated"
    assert list(select.options) == [
        "Curated timeline 2022",
        UCDP,
        "Both: curated timeline and UCDP",
    ]
    assert set(shown(app)["dataset"]) == {"Curated timeline 2022"}
    assert "data" not in link_of(app)  # the default is not written


def test_a_link_opens_ucdp_with_its_range_and_attribution():
    app = open_link("data=ucdp&date=2022-09-25&window=7")
    assert app.selectbox(key="data").value == "ucdp"
    assert not app.warning, notices(app)
    events = shown(app)
    assert set(events["dataset"]) == {UCDP} and set(events["format"]) == {"ucdp"}
    assert app.slider(key="date").value == date(2022, 9, 25)
    first, last = (
        datetime.fromtimestamp(v / 1e6, tz=UTC).date()  # the proto holds microseconds
        for v in (app.slider(key="date").min, app.slider(key="date").max)
    )
    assert first == date(2014, 1, 22) and last == date(2023, 3, 5)  # the last event ends 5 Mar
    assert "Uppsala Conflict Data Program" in captions(app) and "CC BY 4.0" in captions(app)
    assert link_of(app)["data"] == "ucdp"


def test_ucdp_has_at_least_400_events_of_2022_in_the_five_oblasts():
    app = open_link("data=ucdp&date=2022-12-31&window=365")
    events = shown(app)
    assert (events["oblast_code"].isin(["UA-65", "UA-23", "UA-14", "UA-09", "UA-63"])).sum() >= 400


def test_both_datasets_together_and_back():
    app = open_link("data=both&date=2022-09-30&window=30")
    assert set(shown(app)["dataset"]) == {"Curated timeline 2022", UCDP}
    caption = captions(app)
    assert "Curated timeline 2022" in caption and "Uppsala" in caption
    app.selectbox(key="data").set_value("curated").run()
    assert set(shown(app)["dataset"]) == {"Curated timeline 2022"}
    assert "Uppsala" not in captions(app)
    assert "data" not in link_of(app)


def test_a_link_to_an_upload_opens_the_curated_timeline_and_says_why():
    app = open_link("data=upload&date=2022-09-25")
    assert app.selectbox(key="data").value == "curated"
    assert "which a link cannot carry" in notices(app)
    assert set(shown(app)["dataset"]) == {"Curated timeline 2022"}
    app.run()  # held as settled: the next run does not go back to the link's value
    assert app.selectbox(key="data").value == "curated"


def test_the_table_shows_a_disputed_date():
    app = open_link("date=2022-05-07&window=1")
    table = next(d.value for d in app.dataframe if "Title" in d.value.columns)
    popasna = table[table["Title"].str.contains("Popasna")]
    assert list(popasna["Date precision"]) == ["date disputed"]
    assert list(popasna["Status"]) == ["Event confirmed; its date is disputed"]
    assert "Haidai" in popasna["Notes"].iloc[0]
    drawn = session.drawn(app.session_state)
    assert drawn.legend.caveats  # the slide and presentation say it too

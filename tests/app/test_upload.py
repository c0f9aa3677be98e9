"""AppTest: an analyst uploads a file; it is validated, reported, shown, and kept to the session."""

import hashlib
import re
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.config import EVENTS_CSV
from dashboard.geo.regions import load_regions
from dashboard.page import session
from tests import maplayers as maps
from tests import samples
from tests.app.test_page import APP, shown


def page():
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    app.run()  # in a browser the first-visit timer does it: the full page after the light run
    assert not app.exception, app.exception
    return app


def upload(app, name: str, data: bytes):
    app.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    assert not app.exception, app.exception
    return app


@pytest.fixture
def acled_page():
    return upload(page(), "acled_current.csv", samples.acled_current())


def plain(markdown: str) -> str:
    """Markdown with its backslash escapes removed: the text a reader sees."""
    return re.sub(r"\\(.)", r"\1", markdown)


def expander_labels(app) -> list[str]:
    return [plain(e.label) for e in app.expander]


def test_upload_is_validated_reported_and_shown(acled_page):
    app = acled_page
    report = next(x for x in expander_labels(app) if x.startswith("Validation report"))
    assert "7 of 12 records accepted, 5 rejected" in report
    rejected = next(d for d in app.dataframe if "reason" in d.value.columns).value
    assert list(rejected["record"]) == [8, 9, 10, 11, 12]
    assert "duplicate event_id_cnty 'UKR1001'" in rejected["reason"].iloc[3]
    assert app.download_button(key="download_rejected") is not None
    assert app.selectbox(key="data").value == "upload"  # a new file is shown at once
    # an option is plain text: the name as it is (a Markdown escape showed as "acled\_current")
    assert "Your file: acled_current.csv" in app.selectbox(key="data").options
    assert set(shown(app)["format"]) == {"acled"}
    assert len(shown(app)) == 7  # cumulative up to the last date of the file
    assert any("Upload: acled_current.csv" in plain(c.value) for c in app.caption)
    assert any("Read as ACLED (current columns); CSV, UTF-8" in c.value for c in app.caption)


def test_both_datasets_are_labelled(acled_page):
    app = acled_page.selectbox(key="data").set_value("upload_curated").run()
    events = shown(app)
    assert set(events["format"]) == {"native", "acled"}
    assert set(events["dataset"]) == {"Curated timeline 2022", "Upload: acled_current.csv"}
    app.selectbox(key="data").set_value("curated").run()
    assert set(shown(app)["format"]) == {"native"}


def test_category_filter_offers_acled_event_types(acled_page):
    app = acled_page
    assert "battles" in app.multiselect(key="cat").options or any(
        "Battles" in o for o in app.multiselect(key="cat").options
    )
    app.multiselect(key="cat").set_value(["battles"]).run()
    assert set(shown(app)["event_type"]) == {"Battles"}


def test_fatalities_colour_the_oblasts(acled_page):
    app = acled_page.radio(key="metric").set_value("fatalities").run()
    view = session.drawn(app.session_state).view
    assert view.metric == "fatalities"
    assert view.counts.loc["UA-63", "fatalities"] == 2  # Kharkiv, 07-Feb-25
    assert view.counts.loc["UA-09", "fatalities"] == 4  # Sievierodonetsk, 16-05-2025
    assert view.breaks[-1] == 4


def test_events_outside_the_five_are_counted_and_drawn_on_request(acled_page):
    app = acled_page
    summary = next(d for d in app.dataframe if "Under way" in d.value.columns).value
    assert summary.set_index("Oblast").loc["Elsewhere", "Events"] == 1
    view = session.drawn(app.session_state).view
    args = (view.shown, view.active)
    hidden = maps.markers_layer(*args).data["features"]
    drawn = maps.markers_layer(*args, show_outside=True).data["features"]
    assert all(f["properties"]["inside"] for f in hidden)
    assert [f["properties"]["inside"] for f in drawn].count(False) == 1  # Kyiv
    app.toggle(key="outside").set_value(True).run()
    assert not app.exception


def test_unusable_upload_says_why_and_keeps_the_bundled_map():
    bad = samples.FIXTURES[[f.name for f in samples.FIXTURES].index("missing_column.csv")]
    app = upload(page(), "wrong.csv", bad.build())
    # A table in no known format is offered the mapping form, which says why.
    assert any("Map the columns of wrong.csv" in plain(x.value) for x in app.subheader)
    assert any("missing required column(s) source_url" in plain(i.value) for i in app.info)
    app.selectbox(key="map_start_date").set_value("").run()  # no date: nothing can load
    message = plain(app.error[0].value)
    assert "wrong.csv cannot be used" in message
    assert "None of its 2 records were loaded" in message
    assert set(shown(app)["format"]) == {"native"}


def test_upload_over_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setenv("OEM_MAX_UPLOAD_MB", "1")
    app = upload(page(), "big.csv", samples.acled_current() * 100_000)
    assert "over the 1 MB limit" in plain(app.error[0].value)


def test_upload_stays_in_its_session_and_off_the_disk(acled_page):
    digest = hashlib.sha256(EVENTS_CSV.read_bytes()).hexdigest()
    other = page()  # a second browser session
    assert "_upload" not in other.session_state
    assert set(shown(other)["format"]) == {"native"}
    assert hashlib.sha256(EVENTS_CSV.read_bytes()).hexdigest() == digest


def test_hostile_upload_is_escaped_in_popups_and_tooltips():
    app = upload(page(), "hostile.csv", samples.native_hostile())
    app.slider(key="date").set_value(date(2022, 9, 23)).run()
    view = session.drawn(app.session_state).view
    layer = maps.markers_layer(view.shown, view.active)
    popups = " ".join(f["properties"]["_popup"] for f in layer.data["features"])
    tips = " ".join(f["properties"]["_tooltip"] for f in layer.data["features"])
    assert "&lt;script&gt;" in popups and "<script>" not in popups
    assert "<img" not in popups and "<img" not in tips
    regions = load_regions()
    m = maps.base_map(regions)
    maps.date_layers(regions, view.shown, view.counts, view.breaks, view.active, "x").add_to(m)
    html = m.get_root().render()
    assert "<script>alert" not in html and "<img src=x" not in html


def test_markdown_in_file_and_column_names_is_shown_as_text():
    name = "![x](http://example.org/p.png)[a](javascript:alert(1)).csv"
    app = upload(page(), name, b"![img](http://example.org/q.png),b\n1,2\n")
    form = next(x.value for x in app.subheader if "Map the columns" in plain(x.value))
    for message in (app.error[0].value, form):
        assert "](" not in message.replace("\\]\\(", "")  # every bracket escaped
        assert "\\!\\[x\\]\\(http\\:" in message
    assert plain(app.error[0].value).startswith(name + " cannot be used")


def test_a_new_file_under_the_same_name_replaces_the_old_one(acled_page):
    app = acled_page
    first_ids = set(shown(app)["id"])
    upload(app, "acled_current.csv", samples.acled_dates())
    view = session.drawn(app.session_state).view
    assert set(view.shown["id"]).isdisjoint(first_ids - {"UKR1001"})
    assert view.date == pd.Timestamp("2025-05-16")  # the new file's last date
    # Class breaks were rebuilt for the new file: its 13 events are all in Donetsk.
    assert view.counts.loc["UA-14", "total"] == 13
    assert view.breaks[-1] == 13

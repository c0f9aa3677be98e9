"""The date fragment keeps its id from run to run. Streamlit names a fragment by its place on
the page; moved, its id changes, and a request the browser sends for the old one (a click, a
step of the map's time bar) is dropped with "Couldn't find fragment"."""

from streamlit.runtime import fragment as fragments
from streamlit.type_util import get_object_name

from tests import samples
from tests.app.test_upload import expander_labels, page, upload


def test_the_date_fragment_keeps_its_place_whatever_is_drawn_above_it(monkeypatch):
    places = []
    real = fragments._make_fragment_identity

    def spy(func, *, delta_path, additional_hash_info):
        if get_object_name(func).endswith("date_fragment.<locals>.body"):
            places.append(delta_path)
        return real(func, delta_path=delta_path, additional_hash_info=additional_hash_info)

    monkeypatch.setattr(fragments, "_make_fragment_identity", spy)
    app = page()  # the light first run, then the full page
    assert len(places) == 2
    # an upload's report and its rejected records above the map
    upload(app, "acled_current.csv", samples.acled_current())
    assert any(label.startswith("Validation report") for label in expander_labels(app))
    # a file the page cannot read: its message above the map, the bundled data still shown
    upload(app, "broken.csv", b"\x00\x01 not a table")
    assert any("cannot be used" in e.value for e in app.error)
    app.toggle(key="present").set_value(True).run()  # presentation: no title, no caption
    app.toggle(key="present").set_value(False).run()
    assert not app.exception, app.exception
    assert len(places) >= 6 and len(set(places)) == 1, places

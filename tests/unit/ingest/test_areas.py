"""An analyst's dated control areas (dashboard/ingest/areas.py), on a synthetic file written
here: the polygon in force on each date, in the map payload, the legend and the slide."""

import json
from datetime import date

import pytest

from dashboard.config import EVENTS_CSV
from dashboard.ingest import areas
from dashboard.ingest.events import load_events

KHERSON_BOX = [[[32.4, 46.5], [33.0, 46.5], [33.0, 46.8], [32.4, 46.8], [32.4, 46.5]]]
LEFT_BANK = [[[32.7, 46.2], [33.6, 46.2], [33.6, 46.6], [32.7, 46.6], [32.7, 46.2]]]


def feature(coords, **props) -> dict:
    return {
        "type": "Feature",
        "properties": props,
        "geometry": {"type": "Polygon", "coordinates": coords},
    }


def collection(*features, **meta) -> bytes:
    return json.dumps({"type": "FeatureCollection", **meta, "features": list(features)}).encode()


SPANS = collection(
    feature(KHERSON_BOX, valid_from="2022-03-02", valid_to="2022-11-10", status="occupied"),
    feature(LEFT_BANK, valid_from="2022-03-01", status="occupied"),
    feature(KHERSON_BOX, status="no date"),
    {
        "type": "Feature",
        "properties": {"date": "2022-05-01"},
        "geometry": {"type": "Point", "coordinates": [33, 46]},
    },
    name="Test areas",
    source="Synthetic <b>source</b>",
    licence="CC0",
)


def test_spans_are_in_force_between_their_dates_and_bad_features_are_listed():
    loaded = areas.read_areas([("areas.geojson", SPANS)])
    assert len(loaded.areas) == 2 and len(loaded.rejected) == 2
    assert "no date" in loaded.rejected[0][1] and "Polygon" in loaded.rejected[1][1]
    assert loaded.credit == "Test areas (Synthetic <b>source</b>; CC0)"
    assert len(areas.areas_on(loaded, date(2022, 2, 28))) == 0
    assert len(areas.areas_on(loaded, date(2022, 3, 1))) == 1  # the left bank only
    assert len(areas.areas_on(loaded, date(2022, 9, 1))) == 2
    assert len(areas.areas_on(loaded, date(2022, 11, 12))) == 1  # Kherson no longer


def test_one_file_per_date_each_in_force_until_the_next():
    early = collection(feature(KHERSON_BOX, status="occupied"), source="S")
    late = collection(feature(LEFT_BANK, status="occupied"), date="2022-11-12")
    loaded = areas.read_areas([("control-2022-03-02.geojson", early), ("later.geojson", late)])
    assert [a.start for a in loaded.areas] == [date(2022, 3, 2), date(2022, 11, 12)]
    on_sep = areas.areas_on(loaded, date(2022, 9, 1))
    assert len(on_sep) == 1 and on_sep[0].geometry["coordinates"][0][0][1] == pytest.approx(46.5)
    on_nov = areas.areas_on(loaded, date(2022, 11, 20))
    assert len(on_nov) == 1 and on_nov[0].start == date(2022, 11, 12)


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("a.geojson", b"\x00\x01 not json")], "not GeoJSON"),
        ([("a.geojson", b'{"type": "Feature"}')], "not a GeoJSON FeatureCollection"),
        ([("a.geojson", collection(feature(KHERSON_BOX)))], "no usable area"),
        ([("a.geojson", collection()), ("b.geojson", collection())], "needs a date"),
    ],
)
def test_unusable_files_say_why(files, message):
    with pytest.raises(areas.AreasError, match=message):
        areas.read_areas(files)


def test_the_areas_in_force_reach_the_payload_legend_attribution_and_slide(regions):
    from dashboard.render import slides
    from dashboard.scene import build

    loaded = areas.read_areas([("areas.geojson", SPANS)])
    events = load_events(EVENTS_CSV, regions).events
    made = build.make(events, regions, date(2022, 9, 1), 7, areas=loaded)
    shown = made.layers.payload["a"]["features"]
    assert len(shown) == 2
    assert "Synthetic &lt;b&gt;source&lt;/b&gt;" in shown[0]["properties"]["tip"]  # escaped
    assert "Test areas" in made.legend.areas and "CC0" in made.attribution
    after = build.make(events, regions, date(2022, 11, 12), 7, areas=loaded)
    assert len(after.layers.payload["a"]["features"]) == 1
    before = build.make(events, regions, date(2022, 2, 24), 7, areas=loaded)
    assert "a" not in before.layers.payload and not before.legend.areas
    picture = slides.of_scene(made, regions, (1280, 720))
    x, y = picture.frame.project(32.7, 46.65)  # inside the Kherson box, away from markers
    r, g, b = picture.image.getpixel((round(x), round(y)))
    assert r > g and r > b  # the area's red tint is drawn

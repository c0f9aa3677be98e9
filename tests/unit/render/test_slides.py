"""Slide PNGs and the standalone map: drawn on the server, the same colours as the page."""

import io
import json
import re
from collections import Counter
from datetime import date

import pytest
from PIL import Image, ImageDraw

from dashboard import snapshot
from dashboard.config import FIVE_OBLASTS
from dashboard.ingest.events import load_events
from dashboard.query.view import Filters
from dashboard.render import slides
from dashboard.render.html import standalone_html
from dashboard.render.leaflet import feature_group
from dashboard.scene import build as scene
from dashboard.scene.palette import count_colour


def oblast_colour(slide: slides.Slide, regions, code: str) -> str:
    """The most common colour inside an oblast's outline in the picture."""
    mask = Image.new("1", slide.image.size, 0)
    draw = ImageDraw.Draw(mask)
    geometry = regions.display.loc[code, "geometry"]
    for polygon in getattr(geometry, "geoms", [geometry]):
        x, y = slide.frame.project(*(c for c in zip(*polygon.exterior.coords, strict=True)))
        draw.polygon(list(zip(x, y, strict=True)), fill=1)
    pixels = [
        p
        for p, m in zip(slide.image.get_flattened_data(), mask.get_flattened_data(), strict=True)
        if m
    ]
    ((colour, _),) = Counter(pixels).most_common(1)
    return "#" + "".join(f"{v:02x}" for v in colour)


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)])
def test_png_has_the_size_asked_for(events, regions, size):
    made = scene.make(events, regions, date(2022, 9, 25), 7)
    png = slides.of_scene(made, regions, size).png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(png)).size == size


@pytest.mark.parametrize(
    "day, window", [(date(2022, 9, 25), 7), (date(2022, 11, 14), None), (date(2022, 4, 1), 30)]
)
def test_oblast_fill_in_the_png_matches_the_on_screen_scale(events, regions, day, window):
    made = scene.make(events, regions, day, window)
    slide = slides.of_scene(made, regions, (1920, 1080))
    on_screen = {
        f["properties"]["iso_code"]: f["properties"]["_style"]["fillColor"]
        for f in made.layers.oblasts.data["features"]
    }
    seen = set()
    for code in FIVE_OBLASTS:
        expected = count_colour(int(made.view.counts.loc[code, "total"]), made.view.breaks)
        assert on_screen[code].lower() == expected.lower()  # what Leaflet is told to draw
        assert oblast_colour(slide, regions, code) == expected.lower()  # what the PNG shows
        seen.add(expected)
    if window is None:
        assert len(seen) > 1  # the cumulative view really tells the oblasts apart


def test_legend_in_the_png_lists_the_classes_on_the_map(events, regions):
    made = scene.make(events, regions, date(2022, 11, 14), None, lang="uk")
    fills = {f["properties"]["_style"]["fillColor"] for f in made.layers.oblasts.data["features"]}
    colours = [c for _, c in made.legend.bins]
    assert set(colours) == fills  # every class drawn, and no class that is not
    scale = [count_colour(0, made.view.breaks)]
    scale += [count_colour(b, made.view.breaks) for b in made.view.breaks]
    assert colours == [c for c in scale if c in fills]  # in the scale's order
    empty = scene.make(events, regions, date(2022, 2, 22), 1, lang="uk")  # no event that day
    assert len(empty.view) == 0
    assert [label for label, _ in empty.legend.bins] == ["немає"]  # no dark class
    assert not empty.legend.show_outline and not empty.legend.has_markers
    assert not empty.legend.caveats


def test_fatalities_metric_colours_by_fatalities(regions):
    from tests import samples

    loaded = load_events(samples.acled_current(), regions)
    last = loaded.events["last_date"].max()
    made = scene.make(loaded.events, regions, last, None, metric="fatalities")
    for f in made.layers.oblasts.data["features"]:
        code = f["properties"]["iso_code"]
        value = int(made.view.counts.loc[code, "fatalities"])
        assert f["properties"]["_style"]["fillColor"] == count_colour(value, made.view.breaks)


def test_the_view_given_is_the_view_drawn(events, regions):
    made = scene.make(events, regions, date(2022, 9, 25), 7, center=(47.5, 36.5), zoom=6)
    slide = slides.of_scene(made, regions, (1920, 1080))
    x, y = slide.frame.project(36.5, 47.5)
    frame = slide.frame
    assert (x, y) == pytest.approx((frame.left + frame.width / 2, frame.top + frame.height / 2))
    assert frame.zoom == 6


def test_without_a_view_the_five_oblasts_fit(events, regions):
    slide = slides.of_scene(scene.make(events, regions, date(2022, 9, 25), 7), regions, (1280, 720))
    f = slide.frame
    for lon, lat in slides.FIT_BOUNDS:
        x, y = f.project(lon, lat)
        assert f.left <= x <= f.left + f.width and f.top <= y <= f.top + f.height


def test_ukrainian_scene_has_ukrainian_words(events, regions):
    made = scene.make(events, regions, date(2022, 9, 25), 7, lang="uk")
    assert made.date_text == "25 вересня 2022"
    assert made.title.startswith("Херсонська, Запорізька")
    assert "Кордони" in made.attribution
    tips = " ".join(f["properties"]["_tooltip"] for f in made.layers.oblasts.data["features"])
    assert "Донецька область" in tips and "Подій у періоді" in tips


def test_standalone_html_opens_without_any_server(events, regions):
    made = scene.make(events, regions, date(2022, 9, 25), 7, lang="uk", overlay="full")
    html = standalone_html(made, regions).decode("utf-8")
    assert "L.map(" in html and "Leaflet" in html[:200_000]  # Leaflet is inside the file
    # no script, stylesheet or image is fetched from anywhere
    assert not re.findall(r"<script[^>]+src=", html)
    assert not re.findall(r"<link[^>]+href=", html)
    for words in ("25 вересня 2022", "Заливка області", "ДОНЕЦЬКА ОБЛ.", "Маріуполь"):
        assert words in html or json.dumps(words)[1:-1] in html  # as text or inside JSON
    assert "/app/static" not in html


def test_text_from_files_is_escaped_in_the_standalone_html(regions):
    from tests import samples

    loaded = load_events(samples.native_hostile(), regions)
    last = loaded.events["last_date"].max()
    made = scene.make(loaded.events, regions, last, None, overlay="full")
    html = standalone_html(made, regions).decode("utf-8")
    # the file's hostile text is in the page only as escaped text
    for raw in re.findall(r"<(?:script|img)\b[^>]*>", html):
        assert "alert" not in raw and "onerror" not in raw, raw


TEMPLATE_TEXT = "Kherson {{ 7*7 }} {{ cycler.__init__.__globals__.os.getpid() }} {% if %}"


def test_template_syntax_in_event_text_is_shown_not_run(regions):
    """folium compiles rendered macros as Jinja templates; event text must never be one."""
    from streamlit_folium import _get_feature_group_string

    from tests import maplayers as maps
    from tests.builders import csv_bytes, row

    hostile = row(
        title=TEMPLATE_TEXT, description=TEMPLATE_TEXT, settlement=TEMPLATE_TEXT,
        lat="46.64", lon="32.61",
    )  # fmt: skip
    loaded = load_events(csv_bytes([hostile]), regions)
    assert len(loaded.events) == 1
    day = loaded.events["start_date"].iloc[0]
    made = scene.make(loaded.events, regions, day, 7, overlay="full")
    assert made.layers.markers.payload["m"], "the event is drawn with its popup"
    html = standalone_html(made, regions).decode("utf-8")
    group = feature_group(made.layers, made.controls)
    page = _get_feature_group_string(group, maps.base_map(regions))
    for out in (html, page):
        assert "{{ 7*7 }}" in out and "{% if %}" in out
        assert "Kherson 49" not in out


def test_snapshot_command_writes_the_png(tmp_path, capsys):
    out = tmp_path / "out.png"
    code = snapshot.main(
        ["date=2022-09-25&window=7&lang=uk", "--size", "1920x1080", "-o", str(out)]
    )
    assert code == 0
    assert Image.open(out).size == (1920, 1080)
    assert "wrote" in capsys.readouterr().out


def test_snapshot_makes_a_series_and_reports_ignored_values(tmp_path, capsys):
    out = tmp_path / "brief.png"
    code = snapshot.main(
        [
            "window=7&zoom=99",
            "--from",
            "2022-09-22",
            "--to",
            "2022-09-28",
            "--step",
            "3",
            "--size",
            "1280x720",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["brief-2022-09-22.png", "brief-2022-09-25.png", "brief-2022-09-28.png"]
    assert all(Image.open(tmp_path / n).size == (1280, 720) for n in names)
    assert "ignored: zoom='99'" in capsys.readouterr().err


def test_snapshot_with_filters_matches_the_page_view(tmp_path, events, regions):
    state, _ = snapshot.permalink.from_query("cat=referendum&oblast=UA-65")
    made = scene.make(events, regions, date(2022, 9, 25), None, Filters(state.cat, state.oblast))
    assert set(made.view.shown["category"]) == {"referendum"}


def test_snapshot_refuses_unusable_input(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(b"\x00\x01\x02binary")
    assert snapshot.main(["", "--events", str(bad), "-o", str(tmp_path / "x.png")]) == 2
    assert (
        snapshot.main(
            ["", "--from", "2022-10-01", "--to", "2022-09-01", "-o", str(tmp_path / "y.png")]
        )
        == 2
    )
    err = capsys.readouterr().err
    assert "Traceback" not in err and "before" in err


def test_snapshot_date_outside_the_data_is_moved_with_a_notice(tmp_path, capsys):
    assert snapshot.main(["date=2030-01-01", "-o", str(tmp_path / "late.png")]) == 0
    assert "outside the data" in capsys.readouterr().err


def test_reservoirs_and_towns_are_part_of_the_static_map(regions):
    """Issue 17: the Kakhovka reservoir and the towns of 2022 travel with the map, offline."""
    from dashboard.scene import basemap

    static = basemap.static_features(regions, "uk")
    water = static["water"]["features"]
    assert len(water) >= 5
    from shapely.geometry import Point, shape

    kakhovka = Point(34.07, 47.34)  # in the reservoir, across from Enerhodar
    assert any(shape(f["geometry"]).contains(kakhovka) for f in water)
    names = {t[2] for t in static["town_list"]}
    assert {"Херсон", "Маріуполь", "Ізюм", "Мелітополь", "Сєвєродонецьк"} <= names
    assert "water" in basemap.static_geo(regions, "en")

"""Oblast geometry, the crosswalk and point placement, including the border rule."""

import numpy as np
import pandas as pd
import pytest
import shapely

from dashboard.config import FIVE_OBLASTS, GEO_DIR
from dashboard.geo.regions import locate_points, resolve_names


def test_five_oblasts_with_codes_and_both_names(regions):
    assert list(regions.display.index) == list(FIVE_OBLASTS)
    names = dict(zip(regions.display["iso_code"], regions.display["name_en"], strict=True))
    assert names == {
        "UA-65": "Kherson",
        "UA-23": "Zaporizhzhia",
        "UA-14": "Donetsk",
        "UA-09": "Luhansk",
        "UA-63": "Kharkiv",
    }
    assert regions.display.loc["UA-63", "name_uk"] == "Харківська область"


def test_display_geometry_is_small_and_gap_free(regions):
    assert (GEO_DIR / "oblasts.geojson").stat().st_size <= 150 * 1024
    ukraine = regions.context[regions.context["kind"] == "oblast"]
    coverage = list(ukraine.geometry) + list(regions.display.geometry)
    assert shapely.coverage_is_valid(coverage)  # no overlaps, edges matched
    union = shapely.union_all(coverage)
    holes = sum(len(p.interiors) for p in getattr(union, "geoms", [union]))
    assert holes == 0  # no gaps between neighbours


def test_crimea_and_sevastopol_are_drawn_as_ukraine(regions):
    ctx = regions.context.set_index("iso_code")
    assert {"UA-43", "UA-40"} <= set(ctx.index)
    ukraine = ctx.loc["UKR", "geometry"]
    russia = ctx.loc["RUS", "geometry"]
    for code in ("UA-43", "UA-40"):
        point = ctx.loc[code, "geometry"].representative_point()
        assert ukraine.covers(point)
        assert not russia.covers(point)


def test_display_stays_close_to_full_resolution(regions):
    for code in FIVE_OBLASTS:
        full = regions.full.loc[code, "geometry"]
        disp = regions.display.loc[code, "geometry"]
        assert disp.symmetric_difference(full).area / full.area < 0.02


def shared_border_vertex(regions, a, b):
    """A vertex that lies on the full-resolution boundary of both oblasts."""
    border = regions.full.loc[a, "geometry"].boundary.intersection(
        regions.full.loc[b, "geometry"].boundary
    )
    coords = shapely.get_coordinates(border)
    assert len(coords), f"{a} and {b} share no border"
    return coords[len(coords) // 2]


@pytest.mark.parametrize(("a", "b"), [("UA-14", "UA-23"), ("UA-09", "UA-14"), ("UA-09", "UA-63")])
def test_point_on_shared_border_lands_in_lower_code(regions, a, b):
    x, y = shared_border_vertex(regions, a, b)
    assert regions.full.loc[a, "geometry"].covers(shapely.Point(x, y))
    assert regions.full.loc[b, "geometry"].covers(shapely.Point(x, y))
    assert locate_points(np.array([x]), np.array([y]), regions)[0] == min(a, b)


def test_points_inside_outside_and_missing(regions):
    lon = np.array([36.25272, 32.6178, 30.52, np.nan, 0.0])
    lat = np.array([49.98081, 46.65581, 50.45, 47.0, 0.0])
    assert list(locate_points(lon, lat, regions)) == ["UA-63", "UA-65", "", "", ""]


def test_resolve_names_blank_code_unknown(regions):
    out = resolve_names(pd.Series(["", "UA-65", "Kharkov Oblast", "Mordor", "UA-99"]), regions)
    assert list(out[:3]) == ["", "UA-65", "UA-63"]
    assert out[3:].isna().all()

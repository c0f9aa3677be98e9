"""The map that never changes with the date, as plain GeoJSON: the styled context (neighbours,
Ukraine's oblasts and outline), the five oblasts' shapes and their labels. No folium, no
Streamlit. ``render.leaflet`` sends it to the browser; ``render.slides`` paints it.
"""

from __future__ import annotations

import json
from html import escape

from dashboard import caches
from dashboard.config import FIVE_OBLASTS, TOWNS_GEOJSON, WATER_GEOJSON
from dashboard.geo.regions import Regions
from dashboard.i18n import map_label

CENTER = (48.2, 35.6)  # degrees: the five oblasts in view

ZOOM = 6
# With no view in the link the map fits these bounds (the five oblasts: south-west, north-east
# corners, lat/lon), as the slide PNG does; MAX_BOUNDS keeps every view inside the countries
# drawn (scripts/build_geo.py CONTEXT_BBOX), and MIN_ZOOM keeps a full-HD screen inside them.
FIT_BOUNDS = ((45.85, 30.6), (50.55, 40.25))
MAX_BOUNDS = ((25.0, -10.0), (72.0, 80.0))
MIN_ZOOM = 5
MAX_ZOOM = 13

FILL_OPACITY = 1.0  # no tiles: nothing to see through, so colours are exactly the legend's

FILL_OPACITY_TILES = 0.85


def _feature(geometry: dict, **props) -> dict:
    return {"type": "Feature", "geometry": geometry, "properties": props}


def _geojson_of(frame) -> list[dict]:
    return json.loads(frame.to_json(drop_id=True))["features"]


def static_features(regions: Regions, lang: str = "en") -> dict[str, dict]:
    """Context and label FeatureCollections, built once per Regions and language (read-only
    afterwards)."""
    cached = caches.STATIC_FEATURES.get((id(regions), lang))
    if cached is not None and cached["regions"] is regions:
        return cached
    context_features = []
    for f in _geojson_of(regions.context):
        kind = f["properties"]["kind"]
        if kind == "country" and f["properties"]["iso_code"] != "UKR":
            style = {"color": "#9a9a9a", "weight": 1, "fillColor": "#ececec", "fillOpacity": 1}
        elif kind == "country":  # Ukraine's outline, over its oblasts
            style = {"color": "#4d4d4d", "weight": 2, "fill": False}
        else:
            style = {"color": "#b5b5b5", "weight": 0.8, "fillColor": "#fbfbf8", "fillOpacity": 1}
        context_features.append(_feature(f["geometry"], _style=style))
    # Reservoirs and lakes (scripts/build_water.py): drawn over the oblasts' fill.
    water_style = {"color": "#8fb0cc", "weight": 0.6, "fillColor": WATER, "fillOpacity": 1}
    water = [_feature(f["geometry"], _style=water_style) for f in _water()]
    # Draw neighbours first, then Ukraine's oblasts, then the national outline on top.
    order = {"#ececec": 0, "#fbfbf8": 1}
    context_features.sort(key=lambda f: order.get(f["properties"]["_style"].get("fillColor"), 2))
    labels = []
    for code in FIVE_OBLASTS:
        point = regions.display.loc[code, "geometry"].representative_point()
        label = escape(map_label(code, lang))
        labels.append(_feature({"type": "Point", "coordinates": [point.x, point.y]}, _label=label))
    oblasts = [
        _feature(f["geometry"], iso_code=f["properties"]["iso_code"])
        for f in _geojson_of(regions.display)
    ]
    towns = [
        [
            f["geometry"]["coordinates"][1],
            f["geometry"]["coordinates"][0],
            escape(f["properties"]["name_en" if lang == "en" else "name_uk"]),
            int(f["properties"]["rank"]),
        ]
        for f in _towns()
    ]
    cached = {
        "regions": regions,
        "town_list": towns,
        "context": {"type": "FeatureCollection", "features": context_features},
        "oblasts": {"type": "FeatureCollection", "features": oblasts},
        "water": {"type": "FeatureCollection", "features": water},
        "labels": {"type": "FeatureCollection", "features": labels},
        "label_list": [
            [
                f["geometry"]["coordinates"][1],
                f["geometry"]["coordinates"][0],
                f["properties"]["_label"],
            ]
            for f in labels
        ],
    }
    caches.STATIC_FEATURES[(id(regions), lang)] = cached
    return cached


WATER = "#dfe9f2"  # as the sea (.leaflet-container in render/leaflet.py MAP_CSS)


def _water() -> list[dict]:
    """data/geo/water.geojson (scripts/build_water.py); [] without it."""
    if not WATER_GEOJSON.exists():
        return []
    return json.loads(WATER_GEOJSON.read_text(encoding="utf-8"))["features"]


def _towns() -> list[dict]:
    """data/geo/towns.geojson (scripts/build_towns.py): names, points, rank; [] without it."""
    if not TOWNS_GEOJSON.exists():
        return []
    return json.loads(TOWNS_GEOJSON.read_text(encoding="utf-8"))["features"]


def static_geo(regions: Regions, lang: str = "en", control=None) -> dict:
    """What the client draws once: the styled context, the five oblasts' shapes, the water,
    and each settlement's control history (``scene.control.histories``)."""
    from dashboard.scene.control import histories

    static = static_features(regions, lang)
    return {
        "context": static["context"],
        "oblasts": static["oblasts"],
        "water": static["water"],
        "control": histories(control, lang),
    }

"""Places a user can go to: the five oblasts (their bounds), the towns of the context layer
(``data/geo/towns.geojson``) and the settlements the events name. No Streamlit.

A place is a ``Place`` with a key that a select box keeps (``oblast:UA-23``, ``town:<geonames
id>``, ``event:<settlement>``) and the view the map flies to: bounds for an oblast, a centre and
zoom for a point.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.config import FIVE_OBLASTS, LAT, LON, SETTLEMENT, TOWNS_GEOJSON
from dashboard.geo.regions import Regions
from dashboard.i18n import oblast_title
from dashboard.query.filters import per_frame

TOWN_ZOOM = 10  # a town and its surroundings fill the map at this zoom
MAX_DATA_PLACES = 3000  # settlements of the events offered (the most frequent)


@dataclass(frozen=True)
class Place:
    key: str
    name: str  # in the page's language, plain text
    detail: str  # what it is: "oblast", the town's oblast, "in the events (N)"
    fly: dict  # {"b": [[s, w], [n, e]]} or {"c": [lat, lon], "z": zoom}


def oblast_places(regions: Regions, lang: str) -> list[Place]:
    """The five oblasts, flown to by their bounds."""
    frame = regions.display.set_index("iso_code")
    out = []
    for code in FIVE_OBLASTS:
        west, south, east, north = (float(v) for v in frame.loc[code].geometry.bounds)
        bounds = [[round(south, 4), round(west, 4)], [round(north, 4), round(east, 4)]]
        out.append(Place(f"oblast:{code}", oblast_title(code, lang), "oblast", {"b": bounds}))
    return out


@functools.lru_cache(maxsize=1)
def _town_features() -> tuple[dict, ...]:
    if not TOWNS_GEOJSON.exists():
        return ()
    return tuple(json.loads(TOWNS_GEOJSON.read_text(encoding="utf-8"))["features"])


def town_places(lang: str) -> list[Place]:
    """The towns of the context layer, largest first."""
    out = []
    for f in _town_features():
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"]
        name = p.get(f"name_{lang}") or p["name_en"]
        detail = oblast_title(p["oblast"], lang) if p.get("oblast") in FIVE_OBLASTS else ""
        out.append(
            Place(
                f"town:{p.get('geonameid', p['name_en'])}",
                name,
                detail,
                {"c": [round(lat, 5), round(lon, 5)], "z": TOWN_ZOOM},
            )
        )
    return out


def data_places(events: pd.DataFrame) -> list[Place]:
    """The settlements the events name (with coordinates), most events first: each at the
    median of its events' points."""

    def make() -> list[Place]:
        if SETTLEMENT not in events or not len(events):
            return []
        frame = pd.DataFrame(
            {
                "name": events[SETTLEMENT].fillna("").astype(str).str.strip(),
                "lat": events[LAT].to_numpy(dtype=float),
                "lon": events[LON].to_numpy(dtype=float),
            }
        )
        frame = frame[(frame["name"] != "") & np.isfinite(frame["lat"]) & np.isfinite(frame["lon"])]
        if not len(frame):
            return []
        grouped = frame.groupby("name", sort=False).agg(
            lat=("lat", "median"), lon=("lon", "median"), n=("lat", "size")
        )
        grouped = grouped.sort_values("n", ascending=False, kind="stable").head(MAX_DATA_PLACES)
        return [
            Place(
                f"event:{name}",
                str(name),
                str(int(row.n)),
                {"c": [round(float(row.lat), 5), round(float(row.lon), 5)], "z": TOWN_ZOOM},
            )
            for name, row in grouped.iterrows()
        ]

    return per_frame(events, "places", make)


def places(regions: Regions, events: pd.DataFrame, lang: str) -> dict[str, Place]:
    """Every place offered, by key: the oblasts, the towns, then the events' settlements whose
    names no town has already."""
    out = {p.key: p for p in oblast_places(regions, lang)}
    named = set()
    for p in town_places(lang):
        out[p.key] = p
        named.add(p.name.casefold())
    for town in town_places("en"):
        named.add(town.name.casefold())
    for p in data_places(events):
        if p.name.casefold() not in named:
            out[p.key] = p
    return out

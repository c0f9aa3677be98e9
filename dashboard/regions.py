"""Oblast polygons, the name/code crosswalk and point-in-polygon placement. No Streamlit.

Border rule: a point on the boundary shared by two of the five oblasts is *covered* by both;
it is placed in the one whose ISO 3166-2 code sorts first (e.g. UA-14 before UA-23). Placement
uses the full-resolution 1:10m polygons, never the simplified display geometry.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.config import (
    CONTEXT_GEOJSON,
    CROSSWALK_CSV,
    FIVE_OBLASTS,
    OBLASTS_DISPLAY,
    OBLASTS_FULL,
)
from dashboard.names import normalise_name

ISO_CODE = re.compile(r"^UA-\d{2}$")
# Ukraine's extent plus ~0.5 degree: a coarse check for points far outside the country.
UKRAINE_BBOX = (21.5, 44.0, 41.0, 53.0)


@dataclass(frozen=True)
class Regions:
    """The geometry and names everything else joins against (treat as read-only)."""

    display: gpd.GeoDataFrame  # five oblasts, simplified, for drawing
    full: gpd.GeoDataFrame  # five oblasts, full resolution, for placing points
    context: gpd.GeoDataFrame  # rest of Ukraine and neighbours, for drawing beneath
    crosswalk: dict[str, str]  # normalised spelling -> ISO code (all Ukrainian units)

    @property
    def known_codes(self) -> frozenset[str]:
        """Every ISO code the crosswalk knows (the five plus the rest of Ukraine)."""
        return frozenset(self.crosswalk.values())

    def name_en(self, code: str) -> str:
        """English name of any Ukrainian unit by ISO code ('' if unknown)."""
        return _names(self).get(code, ("", ""))[0]

    def name_uk(self, code: str) -> str:
        """Ukrainian name of any Ukrainian unit by ISO code ('' if unknown)."""
        return _names(self).get(code, ("", ""))[1]


def _names(regions: Regions) -> dict[str, tuple[str, str]]:
    rows = pd.concat([regions.display, regions.context[regions.context["kind"] == "oblast"]])
    return {r.iso_code: (r.name_en, r.name_uk) for r in rows.itertuples()}


@lru_cache(maxsize=1)
def load_regions() -> Regions:
    """Read data/geo once per process."""
    display = gpd.read_file(OBLASTS_DISPLAY).set_index("iso_code", drop=False)
    full = gpd.read_file(OBLASTS_FULL).set_index("iso_code", drop=False)
    display = display.loc[list(FIVE_OBLASTS)]
    full = full.loc[sorted(FIVE_OBLASTS)]
    context = gpd.read_file(CONTEXT_GEOJSON)
    with CROSSWALK_CSV.open(encoding="utf-8") as fh:
        crosswalk = {row["spelling"]: row["iso_code"] for row in csv.DictReader(fh)}
    return Regions(display=display, full=full, context=context, crosswalk=crosswalk)


def resolve_names(values: pd.Series, regions: Regions) -> pd.Series:
    """Map region names or ISO codes to ISO codes; '' where blank, None where unknown."""
    text = values.fillna("").astype(str).str.strip()
    out = pd.Series(None, index=values.index, dtype=object)
    out[text == ""] = ""
    upper = text.str.upper()
    is_code = upper.str.match(ISO_CODE) & upper.isin(regions.known_codes)
    out[is_code] = upper[is_code]
    todo = out.isna()
    if todo.any():
        # Few distinct spellings in even a large file: normalise each once.
        uniques = text[todo].unique()
        lookup = {u: regions.crosswalk.get(normalise_name(u)) for u in uniques}
        out[todo] = text[todo].map(lookup)
    return out


CHUNK_POINTS = 100_000  # points tested at once: bounds the memory of a 1M-point file


def _distinct(lon, lat) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct (lon, lat) pairs and, per input point, the index of its pair. Event exports
    repeat coordinates (geocoded to a settlement's centre), so each is tested once."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    # A pair as one complex number: hashed exactly, NaN included.
    inverse, uniq = pd.factorize(lon + 1j * lat, use_na_sentinel=False)
    uniq = np.asarray(uniq, dtype=complex)
    return uniq.real.copy(), uniq.imag.copy(), inverse


def _covers_chunked(geom, lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    out = np.zeros(lon.shape, dtype=bool)
    for i in range(0, len(lon), CHUNK_POINTS):
        j = i + CHUNK_POINTS
        out[i:j] = shapely.covers(geom, shapely.points(lon[i:j], lat[i:j]))
    return out


def locate_points(lon: np.ndarray, lat: np.ndarray, regions: Regions) -> np.ndarray:
    """ISO code of the oblast covering each point ('' for none), by the border rule above."""
    ulon, ulat, inverse = _distinct(lon, lat)
    return _locate_distinct(ulon, ulat, regions)[inverse]


def _locate_distinct(lon: np.ndarray, lat: np.ndarray, regions: Regions) -> np.ndarray:
    codes = np.full(lon.shape, "", dtype=object)
    valid = np.isfinite(lon) & np.isfinite(lat)
    for code, geom in zip(regions.full.index, regions.full.geometry, strict=True):
        minx, miny, maxx, maxy = geom.bounds
        cand = valid & (codes == "") & (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
        if not cand.any():
            continue
        shapely.prepare(geom)
        hit = _covers_chunked(geom, lon[cand], lat[cand])
        idx = np.flatnonzero(cand)[hit]
        codes[idx] = code
    return codes


UKRAINE_TOLERANCE = 0.02  # degrees (~2 km): the outline is simplified; border villages count in
_OUTLINES: dict[int, tuple[Regions, object]] = {}  # Ukraine's widened, prepared outline


def _ukraine_outline(regions: Regions):
    cached = _OUTLINES.get(id(regions))
    if cached is None or cached[0] is not regions:
        outline = regions.context.loc[
            (regions.context["kind"] == "country") & (regions.context["iso_code"] == "UKR"),
            "geometry",
        ].iloc[0]
        # Ukraine's outline includes Crimea and Sevastopol (UN GA resolution 68/262).
        grown = outline.buffer(UKRAINE_TOLERANCE)
        shapely.prepare(grown)
        cached = (regions, grown)
        _OUTLINES[id(regions)] = cached
    return cached[1]


def in_ukraine(lon: np.ndarray, lat: np.ndarray, regions: Regions) -> np.ndarray:
    """True where a point (degrees, EPSG:4326) lies in Ukraine, within ~2 km of its border."""
    lon, lat, inverse = _distinct(lon, lat)
    return _in_ukraine_distinct(lon, lat, regions)[inverse]


def _in_ukraine_distinct(lon: np.ndarray, lat: np.ndarray, regions: Regions) -> np.ndarray:
    out = np.zeros(lon.shape, dtype=bool)
    minx, miny, maxx, maxy = UKRAINE_BBOX
    cand = np.isfinite(lon) & np.isfinite(lat)
    cand &= (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
    if cand.any():
        out[cand] = _covers_chunked(_ukraine_outline(regions), lon[cand], lat[cand])
    return out

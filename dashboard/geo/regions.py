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
import pyproj
import shapely

from dashboard.config import (
    CONTEXT_GEOJSON,
    CROSSWALK_CSV,
    FIVE_OBLASTS,
    OBLASTS_DISPLAY,
    OBLASTS_FULL,
)
from dashboard.geo.names import EXTRA_SPELLINGS, normalise_name

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
    # The curated spellings are also merged here, so one added to names.py works before
    # crosswalk.csv is rebuilt; as in build_geo.py, a curated spelling decides a clash.
    for code, spellings in EXTRA_SPELLINGS.items():
        for spelling in spellings:
            key = normalise_name(spelling)
            if key:
                crosswalk[key] = code
    return Regions(display=display, full=full, context=context, crosswalk=crosswalk)


def resolve_names(values: pd.Series, regions: Regions) -> pd.Series:
    """Map region names or ISO codes to ISO codes; '' where blank, None where unknown.

    Unambiguous typos ('Donestk', 'Khreson') resolve too; resolve_names_detailed says which."""
    return resolve_names_detailed(values, regions)[0]


def resolve_names_detailed(values: pd.Series, regions: Regions) -> tuple[pd.Series, pd.Series]:
    """(codes, fuzzy): the codes as resolve_names gives them, and True where a code came from
    a typo match (see _fuzzy_code) rather than an exact spelling or ISO code."""
    text = values.fillna("").astype(str).str.strip()
    out = np.full(len(text), None, dtype=object)  # None (not NaN) for unknown, throughout
    fuzzy = np.zeros(len(text), dtype=bool)
    blank = (text == "").to_numpy(dtype=bool)
    out[blank] = ""
    upper = text.str.upper()
    is_code = (upper.str.match(ISO_CODE) & upper.isin(regions.known_codes)).to_numpy(dtype=bool)
    out[is_code] = upper.to_numpy(dtype=object)[is_code]
    todo = ~blank & ~is_code
    if todo.any():
        # Few distinct spellings in even a large file: resolve each once.
        inverse, uniques = pd.factorize(text.to_numpy(dtype=object)[todo])
        codes = np.full(len(uniques), None, dtype=object)
        typo = np.zeros(len(uniques), dtype=bool)
        for n, value in enumerate(uniques):
            key = normalise_name(value)
            codes[n] = regions.crosswalk.get(key)
            if codes[n] is None and not _CODE_LIKE.match(value):
                codes[n] = _fuzzy_code(key, regions)
                typo[n] = codes[n] is not None
        out[todo] = codes[inverse]
        fuzzy[todo] = typo[inverse]
    return (
        pd.Series(out, index=values.index, dtype=object),
        pd.Series(fuzzy, index=values.index, dtype=bool),
    )


# Typo matching: optimal string alignment (Damerau-Levenshtein with adjacent transpositions)
# against the normalised crosswalk spellings. A match must be close and unambiguous.
FUZZY_MIN_LENGTH = 4  # shorter inputs ('Don', 'Kyi') are never guessed
FUZZY_SHORT_KEY = 6  # spellings up to this long accept 1 edit, longer ones 2
_FUZZY_LIMIT = 3  # largest distance ever needed: 2 edits plus the 1-edit margin
# Anything shaped like a region code (UA-66, ua 14, UKR1, RU-BEL; 'ua 05' in the crosswalk):
# codes are exact or unknown, never "nearly" another code.
_CODE_LIKE = re.compile(r"^\s*([a-z]{2,3}[\s\-_.]*\d{1,3}|[a-z]{2}-[a-z0-9]{1,3})\s*$", re.I)
_CODE_KEY = re.compile(r"^[a-z]{2,3} ?\d{1,3}$")
_FUZZY_MEMO_MAX = 50_000


@dataclass
class _FuzzyIndex:
    """The crosswalk spellings as arrays for a quick prefilter, plus a memo of answers."""

    keys: list[str]
    codes: list[str]
    lengths: np.ndarray  # len(key)
    longest: int
    alphabet: dict[str, int]  # character -> column of counts
    counts: np.ndarray  # keys x alphabet: how often each character occurs in each key
    memo: dict[str, str | None]


_FUZZY: dict[int, tuple[Regions, _FuzzyIndex]] = {}


def _fuzzy_index(regions: Regions) -> _FuzzyIndex:
    cached = _FUZZY.get(id(regions))
    if cached is None or cached[0] is not regions:
        items = sorted((k, c) for k, c in regions.crosswalk.items() if not _CODE_KEY.match(k))
        keys = [k for k, _ in items]
        alphabet = {ch: i for i, ch in enumerate(sorted({ch for k in keys for ch in k}))}
        counts = np.zeros((len(keys), len(alphabet)), dtype=np.int16)
        for row, key in enumerate(keys):
            for ch in key:
                counts[row, alphabet[ch]] += 1
        index = _FuzzyIndex(
            keys=keys,
            codes=[c for _, c in items],
            lengths=np.array([len(k) for k in keys], dtype=np.int64),
            longest=max(len(k) for k in keys),
            alphabet=alphabet,
            counts=counts,
            memo={},
        )
        cached = (regions, index)
        _FUZZY[id(regions)] = cached
    return cached[1]


def osa_distance(a: str, b: str, limit: int | None = None) -> int:
    """Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    two adjacent characters each cost 1 (a swapped pair is not edited again). With ``limit``,
    any distance above it is reported as limit + 1 (and computed faster, in a diagonal band)."""
    la, lb = len(a), len(b)
    cap = max(la, lb) if limit is None else limit
    if abs(la - lb) > cap:
        return cap + 1
    far = cap + 1  # stands for "more than cap" outside the band
    before: list[int] | None = None
    prev = [j if j <= cap else far for j in range(lb + 1)]
    for i in range(1, la + 1):
        ai = a[i - 1]
        cur = [far] * (lb + 1)
        cur[0] = i if i <= cap else far
        best = cur[0]
        for j in range(max(1, i - cap), min(lb, i + cap) + 1):
            bj = b[j - 1]
            v = prev[j - 1] + (ai != bj)
            if prev[j] + 1 < v:
                v = prev[j] + 1
            if cur[j - 1] + 1 < v:
                v = cur[j - 1] + 1
            if (
                before is not None
                and j > 1
                and ai == b[j - 2]
                and a[i - 2] == bj
                and ai != bj
                and before[j - 2] + 1 < v
            ):
                v = before[j - 2] + 1
            cur[j] = v if v < far else far
            if v < best:
                best = v
        if best > cap:  # every later row is at least this far
            return far
        before, prev = prev, cur
    return min(prev[lb], far)


def _fuzzy_code(key: str, regions: Regions) -> str | None:
    """The code of the one crosswalk spelling ``key`` is a plain typo of, else None.

    Accepted only when the best distance is <= 1 for a spelling of <= 6 characters or <= 2
    for a longer one, every spelling at that distance has the same code, and no spelling of
    another code is within the best distance + 1. Inputs under 4 characters or shaped like
    a code are never matched. Deterministic; memoised per spelling."""
    if len(key) < FUZZY_MIN_LENGTH or _CODE_KEY.match(key):
        return None
    index = _fuzzy_index(regions)
    if len(key) > index.longest + _FUZZY_LIMIT:  # also keeps a hostile 1 MB "name" cheap
        return None
    if key in index.memo:
        return index.memo[key]
    # Prefilter: length, then the character-multiset ("bag") distance, a lower bound of the
    # edit distance (a swap keeps the bag; any other edit changes it by at most 1).
    near = np.flatnonzero(np.abs(index.lengths - len(key)) <= _FUZZY_LIMIT)
    code = None
    if len(near):
        wanted = np.zeros(len(index.alphabet), dtype=np.int16)
        foreign = 0
        for ch in key:
            col = index.alphabet.get(ch)
            if col is None:
                foreign += 1
            else:
                wanted[col] += 1
        diff = index.counts[near] - wanted
        missing = np.maximum(diff, 0).sum(axis=1)
        extra = np.maximum(-diff, 0).sum(axis=1) + foreign
        near = near[np.maximum(missing, extra) <= _FUZZY_LIMIT]
        found = [(osa_distance(key, index.keys[i], _FUZZY_LIMIT), int(i)) for i in near]
        found = [(d, i) for d, i in found if d <= _FUZZY_LIMIT]
        allowed = [d for d, i in found if d <= (1 if len(index.keys[i]) <= FUZZY_SHORT_KEY else 2)]
        if allowed:
            best = min(allowed)
            winners = {index.codes[i] for d, i in found if d == best}
            if len(winners) == 1:
                code = winners.pop()
                if any(index.codes[i] != code and d <= best + 1 for d, i in found):
                    code = None
    if len(index.memo) >= _FUZZY_MEMO_MAX:
        index.memo.clear()
    index.memo[key] = code
    return code


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
_FIVE: dict[int, tuple[Regions, object]] = {}  # the five oblasts at full resolution, as one


def _country_outline(regions: Regions):
    """Ukraine's (simplified) outline from the context layer. It includes Crimea and
    Sevastopol (UN GA resolution 68/262)."""
    return regions.context.loc[
        (regions.context["kind"] == "country") & (regions.context["iso_code"] == "UKR"),
        "geometry",
    ].iloc[0]


def _ukraine_outline(regions: Regions):
    cached = _OUTLINES.get(id(regions))
    if cached is None or cached[0] is not regions:
        grown = _country_outline(regions).buffer(UKRAINE_TOLERANCE)
        shapely.prepare(grown)
        cached = (regions, grown)
        _OUTLINES[id(regions)] = cached
    return cached[1]


def _five_full(regions: Regions):
    cached = _FIVE.get(id(regions))
    if cached is None or cached[0] is not regions:
        five = shapely.union_all(regions.full.geometry.values)
        shapely.prepare(five)
        cached = (regions, five)
        _FIVE[id(regions)] = cached
    return cached[1]


def in_ukraine(lon: np.ndarray, lat: np.ndarray, regions: Regions) -> np.ndarray:
    """True where a point (degrees, EPSG:4326) lies in Ukraine, within ~2 km of its border,
    or in one of the five oblasts at full resolution (a village a little beyond the
    simplified outline, such as the tip of the Berdiansk spit, counts in)."""
    lon, lat, inverse = _distinct(lon, lat)
    return _in_ukraine_distinct(lon, lat, regions)[inverse]


def _in_ukraine_distinct(lon: np.ndarray, lat: np.ndarray, regions: Regions) -> np.ndarray:
    out = np.zeros(lon.shape, dtype=bool)
    minx, miny, maxx, maxy = UKRAINE_BBOX
    cand = np.isfinite(lon) & np.isfinite(lat)
    cand &= (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
    if cand.any():
        out[cand] = _covers_chunked(_ukraine_outline(regions), lon[cand], lat[cand])
    five = _five_full(regions)
    minx, miny, maxx, maxy = five.bounds
    more = cand & ~out & (lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy)
    if more.any():
        out[more] = _covers_chunked(five, lon[more], lat[more])
    return out


NEAR_BORDER_KM = 5.0  # outside Ukraine but within this distance of it: "near the border"
DISTANCE_MARGIN = 1.0  # degrees around UKRAINE_BBOX in which distances are measured
# Lambert azimuthal equal-area on GRS80, as ETRS89-LAEA (EPSG:3035) but centred on Ukraine:
# EPSG:3035 is centred at 10 E and its scale is ~2 % off at the eastern border; centred here
# the error is under 0.4 % anywhere in UKRAINE_BBOX plus the margin.
DISTANCE_CRS = "+proj=laea +lat_0=48.5 +lon_0=31.5 +x_0=0 +y_0=0 +ellps=GRS80 +units=m +no_defs"


@dataclass(frozen=True)
class _Land:
    """Ukraine (its outline plus the five oblasts at full resolution) in DISTANCE_CRS metres."""

    to_metres: pyproj.Transformer
    shape: object  # prepared (Multi)Polygon
    edges: shapely.STRtree  # the shape's boundary as two-point segments


_LAND: dict[int, tuple[Regions, _Land]] = {}


def _ukraine_land(regions: Regions) -> _Land:
    cached = _LAND.get(id(regions))
    if cached is None or cached[0] is not regions:
        to_metres = pyproj.Transformer.from_crs("EPSG:4326", DISTANCE_CRS, always_xy=True)

        def project(xy: np.ndarray) -> np.ndarray:
            return np.column_stack(to_metres.transform(xy[:, 0], xy[:, 1]))

        land = shapely.union_all([_country_outline(regions), *regions.full.geometry.values])
        shape = shapely.transform(land, project)
        shapely.prepare(shape)
        segments = []
        for line in shapely.get_parts(shapely.boundary(shape)):
            xy = shapely.get_coordinates(line)
            segments.append(np.stack([xy[:-1], xy[1:]], axis=1))
        edges = shapely.STRtree(shapely.linestrings(np.concatenate(segments)))
        cached = (regions, _Land(to_metres=to_metres, shape=shape, edges=edges))
        _LAND[id(regions)] = cached
    return cached[1]


def outside_distance_km(lon: np.ndarray, lat: np.ndarray, regions: Regions) -> np.ndarray:
    """Distance in km from each point (degrees, EPSG:4326) to Ukraine: 0.0 inside or on the
    border, NaN where lon or lat is missing or not finite, and ``np.inf`` (not measured) for a
    point more than DISTANCE_MARGIN (1 degree) outside UKRAINE_BBOX.

    Ukraine is the context layer's country outline (Crimea and Sevastopol included) together
    with the five oblasts at full resolution, since the outline is simplified. Distances are
    planar in DISTANCE_CRS (a Lambert azimuthal equal-area projection centred on Ukraine),
    within ~0.4 % of the geodesic distance. Compare with NEAR_BORDER_KM."""
    ulon, ulat, inverse = _distinct(lon, lat)
    return _outside_distance_distinct(ulon, ulat, regions)[inverse]


def _outside_distance_distinct(lon: np.ndarray, lat: np.ndarray, regions: Regions) -> np.ndarray:
    out = np.full(lon.shape, np.inf)
    finite = np.isfinite(lon) & np.isfinite(lat)
    out[~finite] = np.nan
    minx, miny, maxx, maxy = UKRAINE_BBOX
    margin = DISTANCE_MARGIN
    cand = finite & (lon >= minx - margin) & (lon <= maxx + margin)
    cand &= (lat >= miny - margin) & (lat <= maxy + margin)
    todo = np.flatnonzero(cand)
    if not len(todo):
        return out
    land = _ukraine_land(regions)
    for i in range(0, len(todo), CHUNK_POINTS):
        part = todo[i : i + CHUNK_POINTS]
        x, y = land.to_metres.transform(lon[part], lat[part])
        points = shapely.points(x, y)
        metres = np.zeros(len(part))
        outside = ~shapely.covers(land.shape, points)
        if outside.any():
            # The nearest boundary segment of each outside point (an STRtree search, so a
            # large file does not compare every point with every segment).
            found, dist = land.edges.query_nearest(
                points[outside], return_distance=True, all_matches=False
            )
            near = np.empty(int(outside.sum()))
            near[found[0]] = dist
            metres[outside] = near
        out[part] = metres / 1000.0
    return out

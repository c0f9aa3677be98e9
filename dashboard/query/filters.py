"""The analyst's filters and the mask they select. No Streamlit.

``Filters`` is one frozen value (the shared index cache keys on it). Every filter is applied
to the rows of the events frame the same way for the map, the counts, the table, the weekly
chart, the CSV and the slides, since all of them read the one index built from this mask
(``query.view.index_for``).

The fields an upload may carry (actors, event and sub-event types, civilian targeting,
fatalities) are matched through per-frame codes: each distinct value of a column is looked at
once, so a filter change at a million events costs a few array operations
(``bench/run.py`` measures it).
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.config import (
    ACTOR1,
    ACTOR2,
    ADMIN2,
    CATEGORY,
    CIVILIAN,
    CROSSWALK_CSV,
    DESCRIPTION,
    EVENT_TYPE,
    FATALITIES,
    IN_FIVE,
    LAT,
    LON,
    OBLAST,
    OBLAST_NAMES_EN,
    PLACED_OBLAST,
    SETTLEMENT,
    SOURCE_NAME,
    SUB_EVENT_TYPE,
    TITLE,
)
from dashboard.state.choices import OUTSIDE

ACTOR_SEP = "; "  # ACLED's actor plus its associated actors, joined on load (ingest.convert)
CIVILIAN_TARGETING = "Civilian targeting"  # ACLED's value of civilian_targeting


@dataclass(frozen=True)
class Filters:
    """What the analyst chose; an empty field filters nothing.

    - ``categories``, ``oblasts`` (ISO codes and/or OUTSIDE), ``query`` (search words);
    - ``actors``: events with any of these actors on either side (ACLED actor1/actor2 and their
      associated actors; UCDP side_a/side_b);
    - ``event_types`` (ACLED event type, UCDP type of violence) and ``sub_types`` (ACLED
      sub-event type, UCDP dyad);
    - ``civilian``: only events ACLED codes as civilian targeting;
    - ``fatalities``: (least, most), each None for no bound; an event with no figure is left
      out once a bound is set;
    - ``area``: a polygon drawn on the map, as (lat, lon) vertices.
    """

    categories: tuple[str, ...] = ()
    oblasts: tuple[str, ...] = ()
    query: str = ""
    actors: tuple[str, ...] = ()
    event_types: tuple[str, ...] = ()
    sub_types: tuple[str, ...] = ()
    civilian: bool = False
    fatalities: tuple[int | None, int | None] = (None, None)
    area: tuple[tuple[float, float], ...] = ()

    def __bool__(self) -> bool:
        return self != Filters()

    @property
    def analyst(self) -> bool:
        """True when a filter beyond category and oblast is set (those the curated data has)."""
        return bool(
            self.query.strip()
            or self.actors
            or self.event_types
            or self.sub_types
            or self.civilian
            or self.fatalities != (None, None)
            or len(self.area) >= 3
        )


def filters_of(state) -> Filters:
    """The filters of a view (``state.view_state.ViewState``): the one place a view becomes
    filters, for the page, the slides, the CSV and the command line alike."""
    return Filters(
        categories=tuple(state.cat),
        oblasts=tuple(state.oblast),
        query=state.q,
        actors=tuple(state.actor),
        event_types=tuple(state.etype),
        sub_types=tuple(state.sub),
        civilian=bool(state.civ),
        fatalities=(state.fmin, state.fmax),
        area=tuple(state.area) if len(state.area) >= 3 else (),
    )


# --- per-frame memo ----------------------------------------------------------------------------

_MEMO: OrderedDict = OrderedDict()  # (id(frame), key) -> (weak reference, value)
_LOCK = threading.Lock()
MEMO_SIZE = 64


def per_frame(events: pd.DataFrame, key, make):
    """``make()`` computed once per frame and key (frames are read-only once loaded)."""
    slot = (id(events), key)
    with _LOCK:
        got = _MEMO.get(slot)
        if got is not None and got[0]() is events:
            _MEMO.move_to_end(slot)
            return got[1]
    value = make()
    with _LOCK:
        _MEMO[slot] = (weakref.ref(events), value)
        while len(_MEMO) > MEMO_SIZE:
            _MEMO.popitem(last=False)
    return value


def column_codes(events: pd.DataFrame, column: str) -> tuple[np.ndarray, list[str]]:
    """A text column as (codes per row, distinct values), made once per frame. Missing values
    become ""."""

    def make():
        values = events[column].fillna("").astype(str) if column in events else None
        if values is None:
            return np.zeros(len(events), dtype=np.int64), [""]
        codes, uniques = pd.factorize(values, use_na_sentinel=False)
        return codes.astype(np.int64), [str(u) for u in uniques]

    return per_frame(events, ("codes", column), make)


def split_actors(value: str) -> list[str]:
    return [a.strip() for a in value.split(ACTOR_SEP) if a.strip()]


def actor_counts(events: pd.DataFrame) -> list[tuple[str, int]]:
    """Every actor named on either side, with its number of events, most frequent first."""

    def make():
        totals: dict[str, int] = {}
        for column in (ACTOR1, ACTOR2):
            if column not in events:
                continue
            codes, uniques = column_codes(events, column)
            per_value = np.bincount(codes, minlength=len(uniques))
            for value, n in zip(uniques, per_value.tolist(), strict=True):
                for actor in dict.fromkeys(split_actors(value)):
                    totals[actor] = totals.get(actor, 0) + int(n)
        return sorted(totals.items(), key=lambda item: (-item[1], item[0]))

    return per_frame(events, "actors", make)


def value_counts(events: pd.DataFrame, column: str) -> list[tuple[str, int]]:
    """The non-empty values of a text column with their counts, most frequent first."""

    def make():
        if column not in events:
            return []
        codes, uniques = column_codes(events, column)
        per_value = np.bincount(codes, minlength=len(uniques)).tolist()
        pairs = [(u, int(n)) for u, n in zip(uniques, per_value, strict=True) if u and n]
        return sorted(pairs, key=lambda item: (-item[1], item[0]))

    return per_frame(events, ("values", column), make)


def has_civilian_targeting(events: pd.DataFrame) -> bool:
    return any(value == CIVILIAN_TARGETING for value, _ in value_counts(events, CIVILIAN))


def fatality_bounds(events: pd.DataFrame) -> tuple[int, int] | None:
    """The least and most fatalities of any event with a figure, or None when none has one."""

    def make():
        if FATALITIES not in events:
            return None
        known = events[FATALITIES].dropna()
        if not len(known):
            return None
        return int(known.min()), int(known.max())

    return per_frame(events, "fatality bounds", make)


def _in_values(events: pd.DataFrame, column: str, wanted: tuple[str, ...]) -> np.ndarray:
    codes, uniques = column_codes(events, column)
    hit = np.isin(np.asarray(uniques, dtype=object), np.asarray(wanted, dtype=object))
    return hit[codes]


def _with_actors(events: pd.DataFrame, wanted: tuple[str, ...]) -> np.ndarray:
    chosen = set(wanted)
    mask = np.zeros(len(events), dtype=bool)
    for column in (ACTOR1, ACTOR2):
        if column not in events:
            continue
        codes, uniques = column_codes(events, column)
        hit = np.array([bool(chosen.intersection(split_actors(u))) for u in uniques], dtype=bool)
        mask |= hit[codes]
    return mask


def _in_area(events: pd.DataFrame, area: tuple[tuple[float, float], ...]) -> np.ndarray:
    import shapely

    polygon = shapely.Polygon([(lon, lat) for lat, lon in area])
    if not polygon.is_valid:
        polygon = shapely.make_valid(polygon)
    shapely.prepare(polygon)
    lat = events[LAT].to_numpy(dtype=float)
    lon = events[LON].to_numpy(dtype=float)
    inside = np.zeros(len(events), dtype=bool)
    located = np.isfinite(lat) & np.isfinite(lon)
    west, south, east, north = polygon.bounds
    near = located & (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
    if near.any():
        inside[near] = shapely.intersects_xy(polygon, lon[near], lat[near])
    return inside


# What search looks in (those columns a frame has), beside its oblast's every spelling.
SEARCHED = (
    TITLE,
    DESCRIPTION,
    SETTLEMENT,
    OBLAST,
    ACTOR1,
    ACTOR2,
    SOURCE_NAME,
    EVENT_TYPE,
    SUB_EVENT_TYPE,
    ADMIN2,
)


@functools.lru_cache(maxsize=1)
def oblast_aliases() -> dict[str, list[str]]:
    """ISO code -> every spelling of the oblast the crosswalk knows, and its English name."""
    table = pd.read_csv(CROSSWALK_CSV, dtype=str, keep_default_na=False)
    out: dict[str, list[str]] = {}
    for spelling, code in zip(table["spelling"], table["iso_code"], strict=True):
        out.setdefault(code, []).append(spelling)
    for code, name in OBLAST_NAMES_EN.items():
        out.setdefault(code, []).append(name)
    return out


def search_text(events: pd.DataFrame):
    """The frame's folded search text (``query.search``), made once per frame."""
    from dashboard.query.search import SearchText

    columns = [c for c in SEARCHED if c in events]
    return per_frame(events, "search", lambda: SearchText.build(events, columns, oblast_aliases()))


def _searched(events: pd.DataFrame, query: str) -> np.ndarray:
    return np.asarray(search_text(events).mask(query), dtype=bool)


def filter_mask(events: pd.DataFrame, filters: Filters) -> np.ndarray | None:
    """Mask of the events matching every non-empty filter; None when there is no filter."""
    if not filters:
        return None
    mask = np.ones(len(events), dtype=bool)
    if filters.categories:
        mask &= _in_values(events, CATEGORY, filters.categories)
    if filters.oblasts:
        wanted = _in_values(events, PLACED_OBLAST, filters.oblasts)
        if OUTSIDE in filters.oblasts:
            wanted |= ~events[IN_FIVE].to_numpy(dtype=bool)
        mask &= wanted
    if filters.actors:
        mask &= _with_actors(events, filters.actors)
    if filters.event_types:
        mask &= _in_values(events, EVENT_TYPE, filters.event_types)
    if filters.sub_types:
        mask &= _in_values(events, SUB_EVENT_TYPE, filters.sub_types)
    if filters.civilian:
        mask &= _in_values(events, CIVILIAN, (CIVILIAN_TARGETING,))
    least, most = filters.fatalities
    if least is not None or most is not None:
        deaths = (
            events[FATALITIES].to_numpy(dtype=float)
            if FATALITIES in events
            else np.full(len(events), np.nan)
        )
        known = ~np.isnan(deaths)
        if least is not None:
            known &= deaths >= least
        if most is not None:
            known &= deaths <= most
        mask &= known
    if len(filters.area) >= 3:
        mask &= _in_area(events, filters.area)
    if filters.query.strip():
        mask &= _searched(events, filters.query)
    return mask

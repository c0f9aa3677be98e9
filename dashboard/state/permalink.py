"""The codec between a link's query string and ``ViewState``. No Streamlit.

Every parameter is checked on its own: a bad value is dropped (the default is used instead) and
reported in a notice, so a mistyped link still opens, and says what it could not honour.

| parameter | meaning | values |
|---|---|---|
| data | the datasets shown | curated (default), ucdp, both, upload, upload_curated |
| date | the date shown | YYYY-MM-DD |
| window | days counted up to the date | 1..3660; 0 or absent = cumulative |
| cat | categories | comma-separated keys (data/README.md, docs/FORMATS.md) |
| oblast | oblasts | comma-separated ISO codes of the five, or `outside` |
| q | search text | up to 200 characters |
| actor | actors on either side | `|`-separated names, at most 50 |
| etype | event types (UCDP: type of violence) | `|`-separated, at most 50 |
| sub | sub-event types (UCDP: dyad) | `|`-separated, at most 50 |
| civ | only ACLED's civilian targeting | 0, 1 |
| fmin, fmax | fatalities, least and most | whole numbers |
| from, to | a date range: the slider runs inside it | YYYY-MM-DD, both |
| area | a polygon drawn on the map | `lat,lon;lat,lon;...`, 3..60 vertices |
| density | how events are drawn | auto, points, clusters, heat |
| lang | language | en, uk |
| present | presentation mode | 0, 1 |
| lat, lon | map centre | degrees, around Ukraine (lat 40..57, lon 18..46) |
| zoom | map zoom | whole number 4..13 |
| tiles | basemap | none, osm, carto-light |
| metric | what colours the oblasts | events, fatalities |
| outside | show events outside the five | 0, 1 |
| step | playback step in days | 1, 7 |
| speed | playback seconds per step | 0.5..2 |
| loop | playback loops | 0, 1 |
| play | start playing when opened | 0, 1 |
| deck | a briefing deck (``state.deck``): its file, deflated, base64url | up to 32,000 characters |
| slide | the deck's slide shown | 1..the number of slides |
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import fields, replace
from datetime import date as Date
from urllib.parse import parse_qsl, urlencode

from dashboard.config import ALL_CATEGORIES, FIVE_OBLASTS
from dashboard.i18n import LANGS
from dashboard.state.choices import (
    DATA,
    DENSITY,
    MAX_AREA,
    MAX_FATALITIES,
    MAX_LISTED,
    MAX_QUERY,
    MAX_VALUE,
    MAX_WINDOW,
    METRICS,
    OUTSIDE,
    STEPS,
    TILES,
)
from dashboard.state.view_state import DEFAULT, ViewState

MAX_NOTICES = 20  # notices one link may give; the rest are counted
LAT_RANGE = (40.0, 57.0)
LON_RANGE = (18.0, 46.0)
ZOOM_RANGE = (4.0, 13.0)
SPEED_RANGE = (0.5, 2.0)
# Streamlit's own parameters: not ours to judge.
IGNORED = {"embed", "embed_options"}
ORDER = (
    "data",
    "team",
    "date",
    "window",
    "cat",
    "oblast",
    "q",
    "actor",
    "etype",
    "sub",
    "civ",
    "fmin",
    "fmax",
    "from",
    "to",
    "area",
    "density",
    "lang",
    "present",
    "lat",
    "lon",
    "zoom",
    "tiles",
    "metric",
    "outside",
    "step",
    "speed",
    "loop",
    "play",
    "slide",
    "deck",
)


def _shown(value: str) -> str:
    """A value as quoted in a notice: short, one line."""
    text = re.sub(r"\s+", " ", value)
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _flag(value: str) -> bool:
    if value not in ("0", "1"):
        raise ValueError("use 0 or 1")
    return value == "1"


def _number(value: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise ValueError("not a number") from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ValueError(f"outside {low:g}..{high:g}")
    return number


def _date(value: str) -> Date:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("use YYYY-MM-DD")
    try:
        return Date.fromisoformat(value)
    except ValueError:
        raise ValueError("no such date") from None


def _window(value: str) -> int | None:
    if not re.fullmatch(r"\d{1,5}", value):
        raise ValueError(f"use a whole number of days, 0..{MAX_WINDOW}")
    days = int(value)
    if days > MAX_WINDOW:
        raise ValueError(f"more than {MAX_WINDOW} days")
    return days or None


def _choice(value: str, options) -> str:
    if value not in options:
        raise ValueError("use " + ", ".join(str(o) for o in options))
    return value


def _zoom(value: str) -> int:
    low, high = (int(v) for v in ZOOM_RANGE)
    if not re.fullmatch(r"\d{1,2}", value) or not low <= int(value) <= high:
        raise ValueError(f"use a whole number, {low}..{high}")
    return int(value)


def _step(value: str) -> int:
    if value not in {str(s) for s in STEPS}:
        raise ValueError("use 1 (a day) or 7 (a week)")
    return int(value)


def _count(value: str) -> int:
    if not re.fullmatch(r"\d{1,8}", value) or int(value) > MAX_FATALITIES:
        raise ValueError(f"use a whole number, 0..{MAX_FATALITIES}")
    return int(value)


def _area(value: str) -> tuple[tuple[float, float], ...]:
    points = [p for p in value.split(";") if p.strip()]
    if not 3 <= len(points) <= MAX_AREA:
        raise ValueError(f"use 3..{MAX_AREA} points as lat,lon;lat,lon;...")
    out = []
    for point in points:
        parts = point.split(",")
        if len(parts) != 2:
            raise ValueError("use lat,lon;lat,lon;...")
        out.append((_number(parts[0], *LAT_RANGE), _number(parts[1], *LON_RANGE)))
    return tuple(out)


def check_area(points) -> tuple[tuple[float, float], ...]:
    """Vertices from the map as an area a link can hold, or () when they cannot be one."""
    try:
        return _area(";".join(f"{lat!r},{lon!r}" for lat, lon in points))
    except (TypeError, ValueError):
        return ()


def check_view(view) -> tuple[float, float, int] | None:
    """A map view the client reported (lat, lon, zoom) if a link could hold it, else None: the
    map is never where a link cannot go, and a zoom of 3e9 never reaches 2 ** zoom."""
    try:
        lat, lon, zoom = (float(v) for v in view)
    except (TypeError, ValueError):
        return None
    ok = all(math.isfinite(v) for v in (lat, lon, zoom)) and zoom == int(zoom)
    ranges = (LAT_RANGE, LON_RANGE, ZOOM_RANGE)
    if not ok or not all(
        lo <= v <= hi for v, (lo, hi) in zip((lat, lon, zoom), ranges, strict=True)
    ):
        return None
    return lat, lon, int(zoom)


PARSERS = {
    "data": lambda v: _choice(v.lower(), DATA),
    "date": _date,
    "window": _window,
    "lang": lambda v: _choice(v, LANGS),
    "present": _flag,
    "lat": lambda v: _number(v, *LAT_RANGE),
    "lon": lambda v: _number(v, *LON_RANGE),
    "zoom": _zoom,
    "tiles": lambda v: _choice(v, TILES),
    "metric": lambda v: _choice(v, METRICS),
    "outside": _flag,
    "step": _step,
    "speed": lambda v: _number(v, *SPEED_RANGE),
    "loop": _flag,
    "play": _flag,
    "civ": _flag,
    "fmin": _count,
    "fmax": _count,
    "from": _date,
    "to": _date,
    "area": _area,
    "density": lambda v: _choice(v, DENSITY),
    "slide": lambda v: int(_number(v, 1, 60)) if re.fullmatch(r"\d{1,2}", v) else _whole_slide(),
    "team": lambda v: int(v) if re.fullmatch(r"[1-9]\d{0,11}", v) else _team_id(),
}


def _team_id():
    raise ValueError("use a shared dataset's number")


def _whole_slide():
    raise ValueError("use a slide number, 1..60")


SLIDE_ONLY = {"deck", "slide", "present", "lang", "play"}  # a link to a slide, no view of its own
LISTS = ("actor", "etype", "sub")  # free text values, "|"-separated
LINK_NAMES = {"range_from": "from", "range_to": "to"}  # ViewState field -> link parameter
FIELD_NAMES = {v: k for k, v in LINK_NAMES.items()}


def _last(value) -> str:
    """st.query_params gives the last value of a repeated key; a plain dict may hold a list."""
    if isinstance(value, list | tuple):
        value = value[-1] if value else ""
    return str(value)


def parse(params: Mapping[str, object]) -> tuple[ViewState, list[str]]:
    """The state a query string asks for, and one notice per value that was ignored."""
    values: dict[str, object] = {}
    notices: list[str] = []
    for key, raw in params.items():
        value = _last(raw).strip()
        if key in IGNORED:
            continue
        if key == "trimmed":  # the server cut an over-long link (dashboard/serving.py)
            count = int(value) if re.fullmatch(r"\d{1,9}", value) else 0
            # first: the notice lists only so many items, and this one explains the rest
            notices.insert(0, f"the link was too long: {count} of its parameters were dropped")
            continue
        if key in ("cat", "oblast") and value.count(",") >= MAX_LISTED:
            # thousands of values cost no more than fifty (and give one notice, not thousands)
            notices.append(f"{key}: more than {MAX_LISTED} values; the first {MAX_LISTED} are read")
            value = ",".join(value.split(",", MAX_LISTED)[:MAX_LISTED])
        if key in PARSERS:
            if value == "":
                continue
            try:
                values[key] = PARSERS[key](value)
            except ValueError as why:
                notices.append(f"{key}={_shown(value)}: {why}")
        elif key == "cat":
            kept, bad = _listed(value, ALL_CATEGORIES, str.lower)
            values["cat"] = kept
            notices += [f"cat={_shown(v)}: no such category" for v in bad]
        elif key == "oblast":
            kept, bad = _listed(value, (*FIVE_OBLASTS, OUTSIDE), _oblast_key)
            values["oblast"] = kept
            notices += [
                f"oblast={_shown(v)}: use the ISO code of one of the five oblasts, or '{OUTSIDE}'"
                for v in bad
            ]
        elif key == "deck":
            if value == "":
                continue
            from dashboard.state import deck as decks  # the deck reads views with this module

            try:
                values["deck"], problems = decks.decode(value)
            except decks.DeckError as why:
                problems = [f"not opened: {p}" for p in why.problems]
            notices += [f"deck: {p}" for p in problems[:20]]
            if len(problems) > 20:
                notices.append(f"deck: {len(problems) - 20} more problems")
        elif key in LISTS:
            values[key], why = _texts(value)
            notices += [f"{key}: {w}" for w in why]
        elif key == "q":
            text = re.sub(r"[\x00-\x1f\x7f]", " ", value)
            if len(text) > MAX_QUERY:
                notices.append(f"q: longer than {MAX_QUERY} characters, cut to {MAX_QUERY}")
                text = text[:MAX_QUERY]
            values["q"] = text
        else:
            notices.append(f"{_shown(key)[1:-1]}: unknown parameter")
    if ("lat" in values) != ("lon" in values):
        given = "lat" if "lat" in values else "lon"
        notices.append(f"{given}: needs both lat and lon; the map opens on its default centre")
        values.pop("lat", None)
        values.pop("lon", None)
    if ("from" in values) != ("to" in values):
        given = "from" if "from" in values else "to"
        notices.append(f"{given}: a range needs both from and to; none is used")
        values.pop("from", None)
        values.pop("to", None)
    elif "from" in values and values["from"] > values["to"]:
        notices.append("from, to: from is after to; they are swapped")
        values["from"], values["to"] = values["to"], values["from"]
    if "slide" in values:
        if "deck" not in values:
            notices.append("slide: there is no deck to show it from")
            values.pop("slide")
        elif values["slide"] > len(values["deck"]):
            notices.append(f"slide={values['slide']}: the deck has {len(values['deck'])} slides")
            values["slide"] = len(values["deck"])
    if "fmin" in values and "fmax" in values and values["fmin"] > values["fmax"]:
        notices.append("fmin, fmax: fmin is above fmax; they are swapped")
        values["fmin"], values["fmax"] = values["fmax"], values["fmin"]
    if len(notices) > MAX_NOTICES:
        notices = [*notices[:MAX_NOTICES], f"{len(notices) - MAX_NOTICES} more values ignored"]
    values = {FIELD_NAMES.get(k, k): v for k, v in values.items()}
    base = DEFAULT
    if values.get("slide") is not None and set(values) <= SLIDE_ONLY:
        # "deck=...&slide=3" alone opens slide 3's view. A link with any view parameter is that
        # whole view (the page writes every one), its slide only the place in the deck.
        base = values["deck"].slides[values["slide"] - 1].view
    return replace(base, **values), notices


def _texts(value: str) -> tuple[tuple[str, ...], list[str]]:
    """A "|"-separated list of names (actors, types): control characters removed, each name
    cut to MAX_VALUE characters, at most MAX_LISTED names."""
    why: list[str] = []
    items = [re.sub(r"[\x00-\x1f\x7f]", " ", v).strip() for v in value.split("|")]
    items = list(dict.fromkeys(v for v in items if v))
    if len(items) > MAX_LISTED:
        why.append(f"more than {MAX_LISTED} values; the first {MAX_LISTED} are used")
        items = items[:MAX_LISTED]
    if any(len(v) > MAX_VALUE for v in items):
        why.append(f"a value longer than {MAX_VALUE} characters is cut")
        items = [v[:MAX_VALUE] for v in items]
    return tuple(items), why


def _oblast_key(value: str) -> str:
    return value.lower() if value.lower() == OUTSIDE else value.upper()


def _listed(value: str, options, normalise) -> tuple[tuple[str, ...], list[str]]:
    kept: list[str] = []
    bad: list[str] = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        key = normalise(item)
        if key in options:
            if key not in kept:
                kept.append(key)
        else:
            bad.append(item)
    return tuple(kept), bad


def _coord(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _format(name: str, value) -> str | None:
    if isinstance(value, bool):
        return "1" if value else "0"
    if name == "window":
        return str(value or 0)
    if name == "deck":
        from dashboard.state import deck as decks

        return decks.encode(value)
    if name == "area":
        return ";".join(f"{_coord(lat)},{_coord(lon)}" for lat, lon in value)
    if name in LISTS:
        return "|".join(value)
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, float):
        return _coord(value) if name in ("lat", "lon") else f"{value:g}"
    if isinstance(value, Date):
        return value.isoformat()
    return str(value)


def to_params(state: ViewState) -> dict[str, str]:
    """The query parameters for a state, in a fixed order. ``date`` and ``window`` are always
    written (a link must say which date it shows); the rest only when they differ from the
    default."""
    out: dict[str, str] = {}
    for f in fields(ViewState):
        value = getattr(state, f.name)
        if f.name == "window":
            if state.date is not None or value is not None:
                out["window"] = _format("window", value)
        elif value is not None and value != f.default:
            out[LINK_NAMES.get(f.name, f.name)] = _format(f.name, value)
    return {k: out[k] for k in ORDER if k in out}


def to_query(state: ViewState) -> str:
    return urlencode(to_params(state), safe=",-:;|")


def from_query(query: str) -> tuple[ViewState, list[str]]:
    """Parse a query string such as ``date=2022-09-25&window=7&lang=uk`` (a leading '?' too)."""
    return parse(dict(parse_qsl(query.lstrip("?"), keep_blank_values=True)))


def clamp_date(wanted: Date | None, first: Date, last: Date) -> tuple[Date, str | None]:
    """The date to show for a link's date within the data's range, and a notice if moved."""
    if wanted is None:
        return last, None
    if wanted < first or wanted > last:
        near = first if wanted < first else last
        return near, (
            f"date={wanted.isoformat()}: outside the data ({first.isoformat()} to "
            f"{last.isoformat()}); showing {near.isoformat()}"
        )
    return wanted, None

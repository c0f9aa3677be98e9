"""Control areas from an analyst's own file: dated polygons (GeoJSON). No Streamlit.

No control polygons ship with the app (the public ones we know of are not openly licensed);
analysts who hold licensed ones load them in the page. Two shapes are read:

- one GeoJSON FeatureCollection whose features carry a ``date`` (``YYYY-MM-DD``: the area as
  of that day, in force until the next date in the file) or a ``valid_from``/``valid_to`` span
  (``valid_to`` empty: still in force);
- several GeoJSON files, one per date: each file's date is its ``date`` member or the first
  ``YYYY-MM-DD`` in its name, and its features are the areas of that day.

The layer's ``name``, ``source`` and ``licence`` (or ``license``/``attribution``) are read from
the collection's own members; a feature's ``status`` or ``label`` (e.g. "occupied") is kept.
Every feature is used or listed as rejected with its reason; text is escaped where it is shown
(``scene``), never here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date as Date
from datetime import datetime

import shapely
from shapely.geometry import mapping, shape

MAX_BYTES = 50 * 1024 * 1024  # per upload
MAX_FEATURES = 20_000
SIMPLIFY = 0.002  # degrees (~200 m): what the map and the slide draw
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


class AreasError(ValueError):
    """A file that cannot be used at all, with a one-line reason."""


@dataclass(frozen=True)
class Area:
    start: Date
    end: Date | None  # None: until the next dated area of the file (or still in force)
    geometry: dict  # GeoJSON geometry, simplified
    label: str = ""
    spanned: bool = False  # valid_from/valid_to given (else one date, until the next one)


@dataclass(frozen=True)
class Areas:
    """The areas of one upload, with the file's own words about where they come from."""

    areas: tuple[Area, ...]
    name: str = ""
    source: str = ""
    licence: str = ""
    rejected: tuple[tuple[str, str], ...] = ()  # (where: file and feature number, reason)
    files: tuple[str, ...] = field(default_factory=tuple)

    @property
    def credit(self) -> str:
        """'Control areas: NAME (SOURCE, LICENCE)' parts that the file gives."""
        parts = [p for p in (self.source, self.licence) if p]
        head = self.name or ", ".join(self.files)
        return f"{head} ({'; '.join(parts)})" if parts else head


def _day(value) -> Date | None:
    if value in (None, ""):
        return None
    text = str(value).strip()[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"date {str(value)[:40]!r}: use YYYY-MM-DD")
    try:
        return Date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"date {text!r}: no such date") from None


def _geometry(raw) -> dict:
    if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
        kind = raw.get("type") if isinstance(raw, dict) else type(raw).__name__
        raise ValueError(f"geometry {kind!r}: an area is a Polygon or MultiPolygon")
    geom = shape(raw)
    minx, miny, maxx, maxy = geom.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValueError("coordinates outside longitude/latitude ranges (use WGS 84, EPSG:4326)")
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    geom = shapely.simplify(geom, SIMPLIFY, preserve_topology=True)
    if geom.is_empty:
        raise ValueError("empty geometry")
    return mapping(geom)


def _collection(name: str, data: bytes) -> dict:
    if len(data) > MAX_BYTES:
        raise AreasError(f"{name}: over the {MAX_BYTES // 2**20} MB limit")
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise AreasError(f"{name}: not GeoJSON ({str(exc)[:80]})") from None
    if not isinstance(obj, dict) or obj.get("type") != "FeatureCollection":
        raise AreasError(f"{name}: not a GeoJSON FeatureCollection")
    if not isinstance(obj.get("features"), list):
        raise AreasError(f"{name}: no features")
    if len(obj["features"]) > MAX_FEATURES:
        raise AreasError(f"{name}: more than {MAX_FEATURES:,} features")
    return obj


def _meta(obj: dict, key: str, *others: str) -> str:
    for k in (key, *others):
        value = obj.get(k)
        if isinstance(value, str) and value.strip():
            return value.strip()[:300]
    return ""


def read_areas(files: list[tuple[str, bytes]]) -> Areas:
    """Areas from one dated FeatureCollection or from one file per date (see the module)."""
    if not files:
        raise AreasError("no file")
    per_date = len(files) > 1
    areas, rejected, meta = [], [], {"name": "", "source": "", "licence": ""}
    for name, data in files:
        obj = _collection(name, data)
        for key, others in (
            ("name", ("title",)),
            ("source", ()),
            ("licence", ("license", "attribution")),
        ):
            meta[key] = meta[key] or _meta(obj, key, *others)
        file_day = None
        if per_date:
            found = obj.get("date") or (_DATE.search(name).group(1) if _DATE.search(name) else "")
            try:
                file_day = _day(found)
            except ValueError as exc:
                raise AreasError(f"{name}: {exc}") from None
            if file_day is None:
                raise AreasError(f"{name}: one file per date needs a date (in its name or 'date')")
        for i, feature in enumerate(obj["features"], start=1):
            where = f"{name}, feature {i}"
            try:
                props = feature.get("properties") or {}
                geometry = _geometry(feature.get("geometry"))
                label = str(props.get("status") or props.get("label") or "")[:120]
                start, end, spanned = file_day, None, False
                if start is None:
                    if props.get("valid_from") not in (None, ""):
                        start, end, spanned = (
                            _day(props["valid_from"]),
                            _day(props.get("valid_to")),
                            True,
                        )
                        if end is not None and end < start:
                            raise ValueError("valid_to is before valid_from")
                    else:
                        start = _day(props.get("date"))
                    if start is None:
                        raise ValueError("no date: give 'date' or 'valid_from' (and 'valid_to')")
                areas.append(Area(start, end, geometry, label, spanned))
            except (ValueError, TypeError, AttributeError) as exc:
                rejected.append((where, str(exc)))
    if not areas:
        raise AreasError("no usable area: " + "; ".join(f"{w}: {r}" for w, r in rejected[:3]))
    areas.sort(key=lambda a: a.start)
    return Areas(
        tuple(areas),
        meta["name"],
        meta["source"],
        meta["licence"],
        tuple(rejected),
        tuple(name for name, _ in files),
    )


def areas_on(areas: Areas | None, day) -> list[Area]:
    """The areas in force on ``day``: spanned ones whose span holds it, and, of the dated
    ones, those of the latest date not after it."""
    if areas is None:
        return []
    if isinstance(day, datetime):  # a Timestamp too
        day = day.date()
    elif not isinstance(day, Date):
        day = Date.fromisoformat(str(day)[:10])
    spans = [
        a for a in areas.areas if a.spanned and a.start <= day and (a.end is None or day <= a.end)
    ]
    dated = [a for a in areas.areas if not a.spanned and a.start <= day]
    latest = max((a.start for a in dated), default=None)
    return spans + [a for a in dated if a.start == latest]

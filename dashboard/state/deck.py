"""A briefing deck: an ordered list of slides, each a full view with a title, a caption, speaker
notes and map annotations. The model, its JSON file format and its link token. No Streamlit.

The file (``docs/DECKS.md`` documents it field by field)::

    {"format": "oblast-events-map/deck", "version": 1,
     "title": {"en": "...", "uk": "..."},
     "upload": "acled-2022.csv",            # optional: the uploaded file the slides show
     "slides": [{"view": "date=2022-09-10&window=7&lat=49.2&lon=37.3&zoom=8",
                 "title": {"en": "...", "uk": "..."}, "caption": {...}, "notes": {...},
                 "annotations": [{"kind": "arrow", "from": [lat, lon], "to": [lat, lon],
                                  "text": {"en": "..."}},
                                 {"kind": "circle", "at": [lat, lon], "radius_km": 15},
                                 {"kind": "label", "at": [lat, lon], "text": {"en": "Izium"}}]}]}

A slide's ``view`` is the page's own link query (``state.permalink``), so a slide is exactly
what its link shows and is checked by the same rules. Any text may be a plain string (English)
or ``{"en", "uk"}``; Ukrainian falls back to English.

Loading checks every field and returns one message per problem. A bad value is dropped or cut
and the rest kept; only a file that is not a deck at all, or has no usable slide, is refused.
Text is kept as text: whoever shows it escapes it (HTML, PowerPoint and PDF text are plain).
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import math
import re
import zlib
from dataclasses import dataclass, replace

from dashboard.state import permalink
from dashboard.state.view_state import ViewState

FORMAT = "oblast-events-map/deck"
VERSION = 1
MAX_FILE_BYTES = 1_000_000  # a deck file; a link's token decodes to at most this too
MAX_TOKEN = 32_000  # characters of a link's deck token
MAX_SLIDES = 60
MAX_TITLE = 160  # characters of a deck's or slide's title
MAX_CAPTION = 800
MAX_NOTES = 4000
MAX_ANNOTATIONS = 20  # per slide
MAX_LABEL = 120  # characters of an annotation's text
RADIUS_KM = (0.2, 500.0)
KINDS = ("arrow", "circle", "label")
LANGS = ("en", "uk")
# Lone surrogates too: a file may hold them as escapes ("\\ud800"), and no UTF-8 can write them.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029\ud800-\udfff]")
_CONTROL_LINE = re.compile(r"[\x00-\x1f\x7f\u2028\u2029\ud800-\udfff]")


@dataclass(frozen=True)
class Text:
    """A text in English and (optionally) Ukrainian."""

    en: str = ""
    uk: str = ""

    def get(self, lang: str) -> str:
        return (self.uk or self.en) if lang == "uk" else (self.en or self.uk)

    def __bool__(self) -> bool:
        return bool(self.en or self.uk)


@dataclass(frozen=True)
class Annotation:
    """An arrow (``points``: from, to), a circle (``points``: its centre; ``radius_km``) or a
    text label (``points``: where it stands) drawn on the map. Points are (lat, lon)."""

    kind: str
    points: tuple[tuple[float, float], ...]
    text: Text = Text()
    radius_km: float | None = None


@dataclass(frozen=True)
class Slide:
    view: ViewState  # never presenting, playing, or holding a deck (``slide_view``)
    title: Text = Text()
    caption: Text = Text()
    notes: Text = Text()
    annotations: tuple[Annotation, ...] = ()


@dataclass(frozen=True)
class Deck:
    slides: tuple[Slide, ...] = ()
    title: Text = Text()
    upload: str | None = None  # the uploaded file's name, when slides show an upload

    def __len__(self) -> int:
        return len(self.slides)


class DeckError(ValueError):
    """A file that is not a usable deck; ``problems`` says why, one message each."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


# --- pure changes ----------------------------------------------------------------------------


def slide_view(view: ViewState) -> ViewState:
    """A view as a slide holds it: not presenting, not playing, no deck of its own."""
    return replace(view, present=False, play=False, deck=None, slide=None)


def add(deck: Deck | None, slide: Slide, after: int | None = None) -> Deck:
    """The deck with ``slide`` after slide index ``after`` (None: at the end); a full deck
    (MAX_SLIDES) is returned unchanged."""
    deck = deck or Deck()
    if len(deck.slides) >= MAX_SLIDES:
        return deck
    slides = list(deck.slides)
    at = len(slides) if after is None else max(0, min(len(slides), after + 1))
    slides.insert(at, replace(slide, view=slide_view(slide.view)))
    return replace(deck, slides=tuple(slides))


def move(deck: Deck, index: int, to: int) -> Deck:
    slides = list(deck.slides)
    if not (0 <= index < len(slides)):
        return deck
    item = slides.pop(index)
    slides.insert(max(0, min(len(slides), to)), item)
    return replace(deck, slides=tuple(slides))


def duplicate(deck: Deck, index: int) -> Deck:
    if not (0 <= index < len(deck.slides)) or len(deck.slides) >= MAX_SLIDES:
        return deck
    return add(deck, deck.slides[index], after=index)


def delete(deck: Deck, index: int) -> Deck:
    if not (0 <= index < len(deck.slides)):
        return deck
    return replace(deck, slides=deck.slides[:index] + deck.slides[index + 1 :])


def put(deck: Deck, index: int, slide: Slide) -> Deck:
    """The deck with slide ``index`` replaced."""
    if not (0 <= index < len(deck.slides)):
        return deck
    slide = replace(slide, view=slide_view(slide.view))
    return replace(deck, slides=deck.slides[:index] + (slide,) + deck.slides[index + 1 :])


# --- writing ---------------------------------------------------------------------------------


def _text_out(text: Text):
    return {k: v for k, v in (("en", text.en), ("uk", text.uk)) if v}


def _point_out(point) -> list[float]:
    return [round(point[0], 5), round(point[1], 5)]


def _annotation_out(a: Annotation) -> dict:
    out: dict = {"kind": a.kind}
    if a.kind == "arrow":
        out["from"], out["to"] = _point_out(a.points[0]), _point_out(a.points[1])
    else:
        out["at"] = _point_out(a.points[0])
    if a.kind == "circle":
        out["radius_km"] = a.radius_km
    if a.text:
        out["text"] = _text_out(a.text)
    return out


def to_dict(deck: Deck) -> dict:
    out: dict = {"format": FORMAT, "version": VERSION}
    if deck.title:
        out["title"] = _text_out(deck.title)
    if deck.upload:
        out["upload"] = deck.upload
    slides = []
    for s in deck.slides:
        item: dict = {"view": permalink.to_query(slide_view(s.view))}
        for name in ("title", "caption", "notes"):
            if getattr(s, name):
                item[name] = _text_out(getattr(s, name))
        if s.annotations:
            item["annotations"] = [_annotation_out(a) for a in s.annotations]
        slides.append(item)
    out["slides"] = slides
    return out


def to_json(deck: Deck) -> str:
    """The deck file: UTF-8 JSON, indented, Ukrainian as itself (not \\u escapes)."""
    return json.dumps(to_dict(deck), ensure_ascii=False, indent=2) + "\n"


@functools.lru_cache(maxsize=64)
def encode(deck: Deck) -> str:
    """The deck as a link parameter: compact JSON, deflated, base64url without padding."""
    raw = json.dumps(to_dict(deck), ensure_ascii=False, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


# --- reading ---------------------------------------------------------------------------------


def _short(value) -> str:
    if value is None:
        return "missing"
    text = re.sub(r"\s+", " ", str(value))
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _number(value) -> float | None:
    """A JSON number as a finite float; None for anything else (true/false, text, a number
    too large for a float)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


class _Reader:
    """Reads one deck, collecting one message per problem."""

    def __init__(self):
        self.problems: list[str] = []

    def say(self, where: str, why: str) -> None:
        self.problems.append(f"{where}: {why}")

    def text(self, value, where: str, limit: int, lines: bool) -> Text:
        if value is None:
            return Text()
        if isinstance(value, str):
            value = {"en": value}
        if not isinstance(value, dict):
            self.say(where, 'use a text, or {"en": "...", "uk": "..."}; ignored')
            return Text()
        out = {}
        for key, item in value.items():
            if key not in LANGS:
                self.say(f"{where}.{_short(key)[1:-1]}", "unknown language (use en, uk); ignored")
                continue
            if not isinstance(item, str):
                self.say(f"{where}.{key}", "not a text; ignored")
                continue
            item = item.replace("\r\n", "\n")
            clean = (_CONTROL if lines else _CONTROL_LINE).sub(" ", item)
            clean = clean.strip()
            if len(clean) > limit:
                self.say(f"{where}.{key}", f"longer than {limit} characters; cut to {limit}")
                clean = clean[:limit].rstrip()
            out[key] = clean
        return Text(**out)

    def point(self, value, where: str, then: str) -> tuple[float, float] | None:
        """A [lat, lon] point; when it is bad, one message ending with ``then`` (what
        follows: the annotation is not drawn)."""
        lat_range, lon_range = permalink.LAT_RANGE, permalink.LON_RANGE
        ok = isinstance(value, list | tuple) and len(value) == 2
        numbers = [_number(v) for v in value] if ok else []
        if not ok or None in numbers:
            missing = "missing: " if value is None else ""
            self.say(where, f"{missing}use [lat, lon] in degrees; {then}")
            return None
        lat, lon = numbers
        if not (lat_range[0] <= lat <= lat_range[1] and lon_range[0] <= lon <= lon_range[1]):
            self.say(
                where,
                f"outside the map (lat {lat_range[0]:g}..{lat_range[1]:g}, "
                f"lon {lon_range[0]:g}..{lon_range[1]:g}); {then}",
            )
            return None
        return (lat, lon)

    def annotation(self, value, where: str) -> Annotation | None:
        if not isinstance(value, dict):
            self.say(where, "not an object; ignored")
            return None
        kind = value.get("kind")
        if kind not in KINDS:
            self.say(f"{where}.kind", f"{_short(kind)}: use arrow, circle or label; ignored")
            return None
        known = {"kind", "text", *({"from", "to"} if kind == "arrow" else {"at"})}
        if kind == "circle":
            known.add("radius_km")
        for key in value:
            if key not in known:
                self.say(f"{where}.{_short(key)[1:-1]}", f"not a field of a {kind}; ignored")
        text = self.text(value.get("text"), f"{where}.text", MAX_LABEL, lines=False)
        then = f"the {kind} is not drawn"
        if kind == "arrow":
            points = (
                self.point(value.get("from"), f"{where}.from", then),
                self.point(value.get("to"), f"{where}.to", then),
            )
        else:
            points = (self.point(value.get("at"), f"{where}.at", then),)
        if any(p is None for p in points):
            return None
        radius = None
        if kind == "circle":
            radius = _number(value.get("radius_km"))
            low, high = RADIUS_KM
            if radius is None or not low <= radius <= high:
                self.say(f"{where}.radius_km", f"use a number of km, {low:g}..{high:g}; ignored")
                return None
        if kind == "label" and not text:
            self.say(f"{where}.text", "a label needs a text; ignored")
            return None
        return Annotation(kind, tuple(points), text, radius)

    def slide(self, value, where: str) -> Slide | None:
        if not isinstance(value, dict):
            self.say(where, "not an object; ignored")
            return None
        for key in value:
            if key not in ("view", "title", "caption", "notes", "annotations"):
                self.say(f"{where}.{_short(key)[1:-1]}", "unknown field; ignored")
        query = value.get("view", "")
        if not isinstance(query, str):
            self.say(f"{where}.view", "use the link's query text, e.g. 'date=2022-09-25'")
            query = ""
        if len(query) > 20_000:
            self.say(f"{where}.view", "longer than 20000 characters; the default view is used")
            query = ""
        query = _CONTROL_LINE.sub(" ", query)  # a lone surrogate in q= could not be linked
        view, notices = permalink.from_query(query)
        for notice in notices:
            self.say(f"{where}.view", notice)
        if view.deck is not None or view.slide is not None:
            self.say(f"{where}.view", "a slide cannot hold a deck; ignored")
        annotations = []
        items = value.get("annotations", [])
        if not isinstance(items, list):
            self.say(f"{where}.annotations", "not a list; ignored")
            items = []
        if len(items) > MAX_ANNOTATIONS:
            self.say(f"{where}.annotations", f"more than {MAX_ANNOTATIONS}; the first are kept")
            items = items[:MAX_ANNOTATIONS]
        for i, item in enumerate(items):
            a = self.annotation(item, f"{where}.annotations[{i + 1}]")
            if a is not None:
                annotations.append(a)
        return Slide(
            view=slide_view(view),
            title=self.text(value.get("title"), f"{where}.title", MAX_TITLE, lines=False),
            caption=self.text(value.get("caption"), f"{where}.caption", MAX_CAPTION, lines=True),
            notes=self.text(value.get("notes"), f"{where}.notes", MAX_NOTES, lines=True),
            annotations=tuple(annotations),
        )

    def deck(self, data) -> Deck:
        if not isinstance(data, dict):
            raise DeckError(["the file is not a deck (a JSON object with 'format' and 'slides')"])
        fmt, version = data.get("format"), data.get("version")
        if fmt != FORMAT:
            raise DeckError([f"format: {_short(fmt)}: not a deck of this map (use {FORMAT!r})"])
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise DeckError([f"version: {_short(version)}: use a whole number ({VERSION})"])
        if version > VERSION:
            raise DeckError(
                [
                    f"version: {version}: made by a newer version of the map (this one reads "
                    f"version {VERSION}); update the map"
                ]
            )
        for key in data:
            if key not in ("format", "version", "title", "upload", "slides"):
                self.say(_short(key)[1:-1], "unknown field; ignored")
        title = self.text(data.get("title"), "title", MAX_TITLE, lines=False)
        upload = data.get("upload")
        if upload is not None and not isinstance(upload, str):
            self.say("upload", "use the file's name; ignored")
            upload = None
        if upload is not None:
            upload = _CONTROL_LINE.sub(" ", upload).strip()[:200] or None
        items = data.get("slides")
        if not isinstance(items, list):
            raise DeckError([*self.problems, "slides: missing, or not a list"])
        if len(items) > MAX_SLIDES:
            self.say("slides", f"more than {MAX_SLIDES}; the first {MAX_SLIDES} are kept")
            items = items[:MAX_SLIDES]
        slides = [self.slide(item, f"slide {i + 1}") for i, item in enumerate(items)]
        slides = [s for s in slides if s is not None]
        if not slides:
            raise DeckError([*self.problems, "slides: no usable slide"])
        return Deck(slides=tuple(slides), title=title, upload=upload)


def from_json(raw: bytes | str) -> tuple[Deck, list[str]]:
    """A deck file's deck and one message per problem found (each fixed or dropped).
    Raises ``DeckError`` (with its messages) for a file that is not a usable deck."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if len(raw) > MAX_FILE_BYTES:
        raise DeckError([f"the file is larger than {MAX_FILE_BYTES // 1000} KB"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DeckError([f"not UTF-8 text (byte {exc.start + 1})"]) from None
    if not text.strip():
        raise DeckError(["the file is empty"])
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise DeckError(["not JSON: nested too deeply"]) from None
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if hasattr(exc, "lineno") else ""
        message = exc.msg if hasattr(exc, "msg") else str(exc)
        raise DeckError([f"not JSON{where}: {message}"]) from None
    reader = _Reader()
    return reader.deck(data), reader.problems


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def decode(token: str) -> tuple[Deck, list[str]]:
    """A link's deck token (``encode``) as a deck, and its problems. Raises ``DeckError``."""
    if len(token) > MAX_TOKEN:
        raise DeckError([f"longer than {MAX_TOKEN} characters"])
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        unpacker = zlib.decompressobj()
        raw = unpacker.decompress(packed, MAX_FILE_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        raise DeckError(["not a deck token (it was cut or changed)"]) from None
    if len(raw) > MAX_FILE_BYTES or unpacker.unconsumed_tail:
        raise DeckError([f"unpacks to more than {MAX_FILE_BYTES // 1000} KB"])
    if not unpacker.eof:  # the stream stops short: the link was cut
        raise DeckError(["not a deck token (it was cut or changed)"])
    return from_json(raw)

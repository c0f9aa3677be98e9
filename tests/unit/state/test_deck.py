"""Briefing decks (dashboard/state/deck.py): the model, its file and its link token.

A file or token from anyone must load or be refused with DeckError, one message per problem
naming where it is; never another exception. Text is kept as text (escaping is the renderer's)."""

from __future__ import annotations

import base64
import json
import re
import zlib
from dataclasses import replace
from datetime import date

import pytest

from dashboard.config import ROOT
from dashboard.state import deck as decks
from dashboard.state import permalink
from dashboard.state.deck import (
    MAX_ANNOTATIONS,
    MAX_CAPTION,
    MAX_FILE_BYTES,
    MAX_LABEL,
    MAX_NOTES,
    MAX_SLIDES,
    MAX_TITLE,
    MAX_TOKEN,
    Annotation,
    Deck,
    DeckError,
    Slide,
    Text,
)
from dashboard.state.view_state import ViewState

IZIUM, BALAKLIIA, LYMAN = (49.20875, 37.24849), (49.4627, 36.85951), (48.98837, 37.80225)
SLIDE = Slide(
    view=ViewState(date=date(2022, 9, 10), window=7, lat=49.3, lon=37.0, zoom=8),
    title=Text("Balakliia and Izium retaken", "Балаклія та Ізюм знову під контролем України"),
    caption=Text("The week to 10 September."),
    notes=Text("First line.\nSecond line (Interfax-Ukraine).", "Перший рядок.\nДругий."),
    annotations=(
        Annotation("arrow", (BALAKLIIA, (49.71055, 37.61517)), Text("From 6 Sep", "З 6 вересня")),
        Annotation("circle", (LYMAN,), Text(), 15.0),
        Annotation("label", (IZIUM,), Text("Izium", "Ізюм")),
    ),
)
VOTE = Slide(
    view=ViewState(
        date=date(2022, 9, 27),
        range_from=date(2022, 9, 23),
        range_to=date(2022, 9, 27),
        cat=("referendum",),
        lang="uk",
    ),
    title=Text("Voting in the so-called 'referendums'"),
)
DECK = Deck(slides=(SLIDE, VOTE), title=Text("September 2022", "Вересень 2022"), upload="acled.csv")


def doc(*slides, escaped: bool = False, **top) -> str:
    """A deck file: the top fields given (format and version unless overridden) and slides.
    ``escaped``: every non-ASCII character as a \\u escape (a lone surrogate can only be one)."""
    data = {"format": decks.FORMAT, "version": decks.VERSION, **top}
    if slides:
        data["slides"] = list(slides)
    return json.dumps(data, ensure_ascii=escaped)


GOOD = {"view": "date=2022-09-10&window=7"}


def refused(raw) -> list[str]:
    with pytest.raises(DeckError) as caught:
        decks.from_json(raw)
    return caught.value.problems


# --- round trips -------------------------------------------------------------------------------


def test_the_file_round_trips():
    text = decks.to_json(DECK)
    assert decks.from_json(text) == (DECK, [])
    assert decks.from_json(text.encode("utf-8")) == (DECK, [])
    assert "Ізюм" in text and "\\u" not in text  # Ukrainian as itself
    assert json.loads(text)["format"] == decks.FORMAT


def test_the_link_token_round_trips_and_is_url_safe():
    token = decks.encode(DECK)
    assert decks.decode(token) == (DECK, [])
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def test_a_byte_order_mark_is_accepted():
    assert decks.from_json(b"\xef\xbb\xbf" + decks.to_json(DECK).encode()) == (DECK, [])


def test_a_plain_string_is_english_and_ukrainian_falls_back_to_it():
    deck, problems = decks.from_json(doc({**GOOD, "title": "Izium"}))
    assert problems == [] and deck.slides[0].title == Text("Izium")
    assert deck.slides[0].title.get("uk") == "Izium"
    assert Text("", "Ізюм").get("en") == "Ізюм"


# --- pure edits --------------------------------------------------------------------------------


def titled(*names: str) -> Deck:
    return Deck(slides=tuple(replace(VOTE, title=Text(n)) for n in names))


def names(deck: Deck) -> list[str]:
    return [s.title.en for s in deck.slides]


@pytest.mark.parametrize(
    "after, expect",
    [(None, ["a", "b", "c", "new"]), (0, ["a", "new", "b", "c"]), (2, ["a", "b", "c", "new"])],
)
def test_add_puts_the_slide_after_an_index(after, expect):
    new = replace(VOTE, title=Text("new"))
    assert names(decks.add(titled("a", "b", "c"), new, after=after)) == expect


def test_add_starts_a_deck_and_a_full_deck_is_left_unchanged():
    assert names(decks.add(None, VOTE)) == [VOTE.title.en]
    full = titled(*(str(i) for i in range(MAX_SLIDES)))
    assert decks.add(full, VOTE) is full
    assert decks.add(full, VOTE, after=0) is full  # never drops the last slide to make room


@pytest.mark.parametrize(
    "index, to, expect",
    [
        (0, 2, ["b", "c", "a"]),
        (2, 0, ["c", "a", "b"]),
        (1, 1, ["a", "b", "c"]),
        (0, 99, ["b", "c", "a"]),
        (2, -5, ["c", "a", "b"]),
        (3, 0, ["a", "b", "c"]),  # no such slide
        (-1, 0, ["a", "b", "c"]),
    ],
)
def test_move(index, to, expect):
    assert names(decks.move(titled("a", "b", "c"), index, to)) == expect


def test_duplicate_delete_and_put():
    deck = titled("a", "b")
    assert names(decks.duplicate(deck, 0)) == ["a", "a", "b"]
    assert decks.duplicate(deck, 5) is deck
    full = titled(*(str(i) for i in range(MAX_SLIDES)))
    assert decks.duplicate(full, 0) is full
    assert names(decks.delete(deck, 0)) == ["b"]
    assert decks.delete(deck, 2) is deck
    assert names(decks.put(deck, 1, replace(VOTE, title=Text("z")))) == ["a", "z"]
    assert decks.put(deck, 2, VOTE) is deck
    assert names(deck) == ["a", "b"]  # the edits return new decks


@pytest.mark.parametrize("edit", ["add", "put"])
def test_a_slide_view_never_presents_plays_or_holds_a_deck(edit):
    view = replace(SLIDE.view, present=True, play=True, deck=DECK, slide=2)
    slide = replace(SLIDE, view=view)
    deck = decks.add(titled("a"), slide) if edit == "add" else decks.put(titled("a"), 0, slide)
    held = deck.slides[-1].view
    assert (held.present, held.play, held.deck, held.slide) == (False, False, None, None)
    assert held == SLIDE.view


def test_a_file_view_that_presents_or_plays_is_held_as_a_still_view():
    deck, problems = decks.from_json(doc({"view": "date=2022-09-10&present=1&play=1"}))
    assert problems == []
    view = deck.slides[0].view
    assert (view.present, view.play) == (False, False) and view.date == date(2022, 9, 10)
    written = decks.to_dict(
        replace(DECK, slides=(replace(SLIDE, view=replace(SLIDE.view, present=True)),))
    )
    assert "present" not in written["slides"][0]["view"]


def test_a_file_view_that_holds_a_deck_is_refused_that_part():
    query = f"date=2022-09-10&deck={decks.encode(DECK)}&slide=1"
    deck, problems = decks.from_json(doc({"view": query}))
    assert problems == ["slide 1.view: a slide cannot hold a deck; ignored"]
    assert deck.slides[0].view.deck is None and deck.slides[0].view.slide is None


# --- the page's link ---------------------------------------------------------------------------


def test_a_link_with_a_deck_and_a_slide_parses_and_is_written_back():
    token = decks.encode(DECK)
    state, notices = permalink.from_query(f"date=2022-09-10&window=7&deck={token}&slide=2")
    assert notices == []
    assert state.deck == DECK and state.slide == 2
    query = permalink.to_query(state)
    assert query.endswith(f"&slide=2&deck={token}")
    assert permalink.from_query(query) == (state, [])


def test_a_slide_beyond_the_deck_is_clamped_with_a_notice():
    state, notices = permalink.from_query(f"deck={decks.encode(DECK)}&slide=9")
    assert state.slide == 2 and notices == ["slide=9: the deck has 2 slides"]


@pytest.mark.parametrize(
    "query, notice",
    [
        ("slide=2", "slide: there is no deck to show it from"),
        ("slide=0", "slide='0': outside 1..60"),
        ("slide=x", "slide='x': use a slide number, 1..60"),
        ("deck=not-a-deck&slide=1", "deck: not opened: not a deck token (it was cut or changed)"),
    ],
)
def test_a_bad_slide_or_deck_in_a_link_gives_a_notice(query, notice):
    state, notices = permalink.from_query(query)
    assert notice in notices
    assert state.deck is None and state.slide is None


# --- files that are not decks: refused, one message ----------------------------------------


@pytest.mark.parametrize(
    "raw, message",
    [
        (b"", "the file is empty"),
        (b" \n\t", "the file is empty"),
        (b'{"format": "oblast-events-map/deck",\n "version": 1,\n "slides": [}', None),
        (b"\xff\xfe{\x00}\x00", "not UTF-8 text (byte 1)"),
        ("Вересень".encode("cp1251"), "not UTF-8 text (byte 1)"),
        (b"[]", "the file is not a deck (a JSON object with 'format' and 'slides')"),
        (b'"a deck"', "the file is not a deck (a JSON object with 'format' and 'slides')"),
        (b"{}", "format: missing: not a deck of this map (use 'oblast-events-map/deck')"),
        (
            b'{"format": "powerpoint"}',
            "format: 'powerpoint': not a deck of this map (use 'oblast-events-map/deck')",
        ),
        (doc(GOOD, version=0), "version: '0': use a whole number (1)"),
        (doc(GOOD, version="1"), "version: '1': use a whole number (1)"),
        (doc(GOOD, version=True), "version: 'True': use a whole number (1)"),
        (doc(GOOD, version=1.5), "version: '1.5': use a whole number (1)"),
        (doc(GOOD, version=None), "version: missing: use a whole number (1)"),
        (
            doc(GOOD, version=2),
            "version: 2: made by a newer version of the map (this one reads version 1); "
            "update the map",
        ),
        (doc(), "slides: missing, or not a list"),
        (doc(slides={"1": GOOD}), "slides: missing, or not a list"),
        (doc(slides=[]), "slides: no usable slide"),
        (b"[" * 100_000, "not JSON: nested too deeply"),
        (b'{"a":' * 100_000, "not JSON: nested too deeply"),
        (doc(slides=[{**GOOD, "title": {"en": "x"}}]).replace('"x"', "NaN"), None),
        (b'{"version": Infinity}', "not JSON: Infinity is not a number JSON allows"),
        (b'{"version": -Infinity}', "not JSON: -Infinity is not a number JSON allows"),
        (b'{"format": "oblast-events-map/deck", "version": NaN}', None),
        (b" " * (MAX_FILE_BYTES + 1), "the file is larger than 1000 KB"),
    ],
)
def test_a_file_that_is_not_a_deck_is_refused_with_one_message(raw, message):
    problems = refused(raw)
    assert len(problems) == 1, problems
    assert "\n" not in problems[0] and len(problems[0]) < 160
    if message is not None:
        assert problems == [message]


@pytest.mark.parametrize(
    "raw, line, column",
    [
        (b'{"format": "oblast-events-map/deck",\n "version": 1,\n "slides": [}', 3, 13),
        (b'{"format": "oblast-events-map/deck", "version": 1,,}', 1, 51),
        (b"{'format': 'deck'}", 1, 2),
    ],
)
def test_a_file_that_is_not_json_says_where(raw, line, column):
    (problem,) = refused(raw)
    assert problem.startswith(f"not JSON (line {line}, column {column}): ")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_constants_are_refused_even_deep_inside(constant):
    raw = doc({"view": "date=2022-09-10", "annotations": [{"kind": "label", "at": [1, 2]}]})
    assert refused(raw.replace("[1, 2]", f"[49, {constant}]")) == [
        f"not JSON: {constant} is not a number JSON allows"
    ]


def test_slides_that_are_all_bad_are_refused_with_each_named():
    assert refused(doc(1, "slide", None)) == [
        "slide 1: not an object; ignored",
        "slide 2: not an object; ignored",
        "slide 3: not an object; ignored",
        "slides: no usable slide",
    ]


# --- problems inside a deck: fixed or dropped, one message each, the rest kept --------------


def load(raw) -> tuple[Deck, list[str]]:
    deck, problems = decks.from_json(raw)
    assert all("\n" not in p for p in problems)
    return deck, problems


def test_more_than_max_slides_keeps_the_first():
    deck, problems = load(doc(*[{"view": f"date=2022-09-{1 + i % 28:02d}"} for i in range(99)]))
    assert len(deck) == MAX_SLIDES
    assert problems == [f"slides: more than {MAX_SLIDES}; the first {MAX_SLIDES} are kept"]


@pytest.mark.parametrize(
    "extra, problem",
    [
        ({"colour": "red"}, "colour: unknown field; ignored"),
        ({"upload": 5}, "upload: use the file's name; ignored"),
        ({"title": ["x"]}, 'title: use a text, or {"en": "...", "uk": "..."}; ignored'),
        ({"title": {"en": "x", "fr": "y"}}, "title.fr: unknown language (use en, uk); ignored"),
    ],
)
def test_a_bad_top_field_is_dropped_with_one_message(extra, problem):
    deck, problems = load(doc(GOOD, **extra))
    assert problems == [problem] and len(deck) == 1


@pytest.mark.parametrize(
    "slide, problem",
    [
        ({**GOOD, "colour": "red"}, "slide 1.colour: unknown field; ignored"),
        ({"view": "date=2022-02-30&window=7"}, "slide 1.view: date='2022-02-30': no such date"),
        ({"view": "date=2022-09-10&foo=1"}, "slide 1.view: foo: unknown parameter"),
        ({"view": "date=2022-09-10&zoom=20"}, "slide 1.view: zoom='20': use a whole number, 4..13"),
        ({"view": 20220910}, "slide 1.view: use the link's query text, e.g. 'date=2022-09-25'"),
        (
            {"view": "q=" + "a" * 20_001},
            "slide 1.view: longer than 20000 characters; the default view is used",
        ),
        ({**GOOD, "title": 5}, 'slide 1.title: use a text, or {"en": "...", "uk": "..."}; ignored'),
        ({**GOOD, "title": {"en": 5}}, "slide 1.title.en: not a text; ignored"),
        ({**GOOD, "caption": {"uk": None}}, "slide 1.caption.uk: not a text; ignored"),
        (
            {**GOOD, "notes": {"en": "x", "ru": "y"}},
            "slide 1.notes.ru: unknown language (use en, uk); ignored",
        ),
        ({**GOOD, "annotations": {}}, "slide 1.annotations: not a list; ignored"),
    ],
)
def test_a_bad_slide_field_is_dropped_with_one_message(slide, problem):
    deck, problems = load(doc(slide))
    assert problems == [problem] and len(deck) == 1


@pytest.mark.parametrize(
    "field, limit",
    [("title", MAX_TITLE), ("caption", MAX_CAPTION), ("notes", MAX_NOTES)],
)
@pytest.mark.parametrize("lang", ["en", "uk"])
def test_a_text_too_long_is_cut_with_one_message_naming_where(field, limit, lang):
    deck, problems = load(doc(GOOD, {**GOOD, field: {lang: "я" * (limit + 50)}}))
    assert problems == [f"slide 2.{field}.{lang}: longer than {limit} characters; cut to {limit}"]
    assert getattr(deck.slides[1], field) == Text(**{lang: "я" * limit})


def test_control_characters_are_removed_and_lines_kept_where_lines_belong():
    slide = {
        **GOOD,
        "title": "a\x00b\tc\nd\u2028e\x7f",
        "caption": "one\r\ntwo\x07three\u2029four",
        "notes": {"en": " first\nsecond\x1b[31m ", "uk": "\ud800x"},
    }
    deck, problems = load(doc(slide, upload="acled\n2022.csv", escaped=True))
    assert problems == []
    s = deck.slides[0]
    assert s.title.en == "a b c d e"  # a title is one line
    assert s.caption.en == "one\ntwo three four"  # Windows line ends too
    assert s.notes == Text("first\nsecond [31m", "x")
    assert deck.upload == "acled 2022.csv"
    assert decks.decode(decks.encode(deck)) == (deck, [])  # a lone surrogate could not be


def test_a_search_text_in_a_view_cannot_carry_a_lone_surrogate():
    deck, problems = load(doc({"view": "date=2022-09-10&q=Izium\udc00"}, escaped=True))
    assert problems == [] and deck.slides[0].view.q == "Izium"
    assert decks.decode(decks.encode(deck)) == (deck, [])


# --- annotations -------------------------------------------------------------------------------


def with_annotations(*items) -> str:
    return doc({**GOOD, "annotations": list(items)})


LABEL = {"kind": "label", "at": list(IZIUM), "text": "Izium"}
ARROW = {"kind": "arrow", "from": list(BALAKLIIA), "to": list(IZIUM)}
CIRCLE = {"kind": "circle", "at": list(LYMAN), "radius_km": 15}
OUTSIDE = "outside the map (lat 40..57, lon 18..46)"
WHERE = "slide 1.annotations[1]"


@pytest.mark.parametrize(
    "item, problem",
    [
        ({**LABEL, "kind": "star"}, f"{WHERE}.kind: 'star': use arrow, circle or label; ignored"),
        ({"at": [49, 37]}, f"{WHERE}.kind: missing: use arrow, circle or label; ignored"),
        (
            {**LABEL, "kind": ["label"]},
            f"{WHERE}.kind: \"['label']\": use arrow, circle or label; ignored",
        ),
        ("Izium", f"{WHERE}: not an object; ignored"),
        (
            {"kind": "label", "text": "x"},
            f"{WHERE}.at: missing: use [lat, lon] in degrees; the label is not drawn",
        ),
        (
            {**ARROW, "to": None},
            f"{WHERE}.to: missing: use [lat, lon] in degrees; the arrow is not drawn",
        ),
        ({**LABEL, "at": [10.0, 10.0]}, f"{WHERE}.at: {OUTSIDE}; the label is not drawn"),
        ({**ARROW, "from": [49.0, 120.0]}, f"{WHERE}.from: {OUTSIDE}; the arrow is not drawn"),
        ({**CIRCLE, "at": [-49.0, 37.0]}, f"{WHERE}.at: {OUTSIDE}; the circle is not drawn"),
        (
            {**LABEL, "at": [True, 37]},
            f"{WHERE}.at: use [lat, lon] in degrees; the label is not drawn",
        ),
        (
            {**LABEL, "at": ["49", "37"]},
            f"{WHERE}.at: use [lat, lon] in degrees; the label is not drawn",
        ),
        (
            {**LABEL, "at": [49, 37, 0]},
            f"{WHERE}.at: use [lat, lon] in degrees; the label is not drawn",
        ),
        (
            {**LABEL, "at": {"lat": 49, "lon": 37}},
            f"{WHERE}.at: use [lat, lon] in degrees; the label is not drawn",
        ),
        (
            {**LABEL, "at": [49, 10**400]},
            f"{WHERE}.at: use [lat, lon] in degrees; the label is not drawn",
        ),
        ({**CIRCLE, "radius_km": 0.1}, f"{WHERE}.radius_km: use a number of km, 0.2..500; ignored"),
        ({**CIRCLE, "radius_km": 501}, f"{WHERE}.radius_km: use a number of km, 0.2..500; ignored"),
        (
            {**CIRCLE, "radius_km": True},
            f"{WHERE}.radius_km: use a number of km, 0.2..500; ignored",
        ),
        (
            {**CIRCLE, "radius_km": "15"},
            f"{WHERE}.radius_km: use a number of km, 0.2..500; ignored",
        ),
        (
            {**CIRCLE, "radius_km": 10**400},
            f"{WHERE}.radius_km: use a number of km, 0.2..500; ignored",
        ),
        (
            {"kind": "circle", "at": list(LYMAN)},
            f"{WHERE}.radius_km: use a number of km, 0.2..500; ignored",
        ),
        ({**LABEL, "text": None}, f"{WHERE}.text: a label needs a text; ignored"),
        ({**LABEL, "text": " \n "}, f"{WHERE}.text: a label needs a text; ignored"),
    ],
)
def test_a_bad_annotation_is_dropped_with_one_message(item, problem):
    deck, problems = load(with_annotations(item, LABEL))
    assert problems == [problem]
    assert deck.slides[0].annotations == (Annotation("label", (IZIUM,), Text("Izium")),)


@pytest.mark.parametrize(
    "item, problem",
    [
        ({**LABEL, "colour": "red"}, f"{WHERE}.colour: not a field of a label; ignored"),
        ({**LABEL, "to": [49, 37]}, f"{WHERE}.to: not a field of a label; ignored"),
        ({**ARROW, "radius_km": 3}, f"{WHERE}.radius_km: not a field of a arrow; ignored"),
        (
            {**LABEL, "text": {"en": "Izium", "de": "Isjum"}},
            f"{WHERE}.text.de: unknown language (use en, uk); ignored",
        ),
        (
            {**LABEL, "text": "I" * (MAX_LABEL + 1)},
            f"{WHERE}.text.en: longer than {MAX_LABEL} characters; cut to {MAX_LABEL}",
        ),
    ],
)
def test_a_bad_annotation_field_is_dropped_and_the_annotation_kept(item, problem):
    deck, problems = load(with_annotations(item))
    assert problems == [problem]
    assert [a.kind for a in deck.slides[0].annotations] == [item["kind"]]


def test_a_number_too_large_for_a_float_is_not_a_point():
    raw = with_annotations({**LABEL, "at": [49, 37]}).replace("[49, 37]", "[49, 1e999]")
    _, problems = load(raw)  # Python reads 1e999 as inf; it is not a JSON constant
    assert problems == [f"{WHERE}.at: use [lat, lon] in degrees; the label is not drawn"]


def test_an_arrow_with_both_ends_bad_says_each():
    _, problems = load(with_annotations({**ARROW, "from": [0, 0], "to": "Izium"}))
    assert problems == [
        f"{WHERE}.from: {OUTSIDE}; the arrow is not drawn",
        f"{WHERE}.to: use [lat, lon] in degrees; the arrow is not drawn",
    ]


def test_too_many_annotations_keep_the_first():
    items = [{**LABEL, "text": str(i)} for i in range(MAX_ANNOTATIONS + 5)]
    deck, problems = load(with_annotations(*items))
    assert problems == [f"slide 1.annotations: more than {MAX_ANNOTATIONS}; the first are kept"]
    assert [a.text.en for a in deck.slides[0].annotations] == [
        str(i) for i in range(MAX_ANNOTATIONS)
    ]


def test_annotations_are_read_as_the_model_holds_them():
    deck, problems = load(with_annotations(ARROW, CIRCLE, {**LABEL, "text": {"uk": "Ізюм"}}))
    assert problems == []
    arrow, circle, label = deck.slides[0].annotations
    assert arrow == Annotation("arrow", (BALAKLIIA, IZIUM))
    assert circle == Annotation("circle", (LYMAN,), Text(), 15.0)
    assert label.text.get("en") == "Ізюм"


# --- hostile text is kept as plain text ----------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        '=HYPERLINK("http://example.invalid","click")',
        "+cmd|' /C calc'!A0",
        "\u202eevil.exe\u202c and \u200f",  # right-to-left override, right-to-left mark
        "{{7*7}} ${7*7} %s %n",
        "'; DROP TABLE decks; --",
        "Купʼянськ «референдум» — 23–27",
    ],
)
def test_hostile_text_round_trips_unchanged(text):
    slide = replace(
        SLIDE,
        title=Text(text, text),
        caption=Text(text),
        notes=Text(text),
        annotations=(Annotation("label", (IZIUM,), Text(text)),),
    )
    deck = Deck(slides=(slide,), title=Text(text))
    assert decks.from_json(decks.to_json(deck)) == (deck, [])
    assert decks.decode(decks.encode(deck)) == (deck, [])


# --- link tokens ---------------------------------------------------------------------------


def token_of(raw: bytes) -> str:
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


CUT = "not a deck token (it was cut or changed)"


@pytest.mark.parametrize(
    "token",
    ["", "garbage!", "not a token at all", "A", "AAAA", "%%%%", "eJzLSM3JyQcABiwCFQ"[:-3]],
)
def test_a_garbage_token_is_refused(token):
    with pytest.raises(DeckError) as caught:
        decks.decode(token)
    assert caught.value.problems == [CUT]


@pytest.mark.parametrize("keep", [1, 2, 3, 5, 0.5, 0.9])
def test_a_cut_token_is_refused_as_cut(keep):
    token = decks.encode(DECK)
    cut = token[: int(len(token) * keep)] if isinstance(keep, float) else token[:-keep]
    with pytest.raises(DeckError) as caught:
        decks.decode(cut)
    assert caught.value.problems == [CUT]


def test_a_changed_token_is_refused():
    token = decks.encode(DECK)
    middle = len(token) // 2
    changed = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]
    with pytest.raises(DeckError):
        decks.decode(changed)


def test_a_token_that_inflates_too_far_is_refused_without_inflating_it_all(monkeypatch):
    bomb = token_of(b"{" + b" " * 5_000_000)
    assert len(bomb) < MAX_TOKEN  # small enough to pass as a link: the inflating is what stops
    inflated = []
    real = zlib.decompressobj

    class Counting:
        def __init__(self):
            self.inner = real()

        def decompress(self, data, max_length=0):
            out = self.inner.decompress(data, max_length)
            inflated.append(len(out))
            return out

        def __getattr__(self, name):
            return getattr(self.inner, name)

    monkeypatch.setattr(zlib, "decompressobj", Counting)
    with pytest.raises(DeckError) as caught:
        decks.decode(bomb)
    assert caught.value.problems == ["unpacks to more than 1000 KB"]
    assert 0 < sum(inflated) <= MAX_FILE_BYTES + 1


def test_a_token_over_max_token_is_refused_before_anything_else():
    with pytest.raises(DeckError) as caught:
        decks.decode("A" * (MAX_TOKEN + 1))
    assert caught.value.problems == [f"longer than {MAX_TOKEN} characters"]


def test_a_token_of_a_bad_file_gives_the_file_problems():
    with pytest.raises(DeckError) as caught:
        decks.decode(token_of(b"[]"))
    assert caught.value.problems == [
        "the file is not a deck (a JSON object with 'format' and 'slides')"
    ]
    deck, problems = decks.decode(token_of(doc({**GOOD, "colour": 1}).encode()))
    assert problems == ["slide 1.colour: unknown field; ignored"] and len(deck) == 1


def test_a_link_with_a_bomb_gives_one_notice():
    state, notices = permalink.from_query("deck=" + token_of(b"{" + b" " * 5_000_000))
    assert state.deck is None
    assert notices == ["deck: not opened: unpacks to more than 1000 KB"]


# --- anything at all: loads, or DeckError ----------------------------------------------------

ODD = [None, True, 0, -1, 1e308, 10**400, "", "x" * 5000, [], {}, [[]], {"en": []}, [1, 2]]
PATHS = [
    ("format",),
    ("version",),
    ("title",),
    ("upload",),
    ("slides",),
    ("slides", 0),
    ("slides", 0, "view"),
    ("slides", 0, "title"),
    ("slides", 0, "caption", "uk"),
    ("slides", 0, "notes"),
    ("slides", 0, "annotations"),
    ("slides", 0, "annotations", 0),
    ("slides", 0, "annotations", 0, "kind"),
    ("slides", 0, "annotations", 0, "from"),
    ("slides", 0, "annotations", 0, "from", 0),
    ("slides", 0, "annotations", 1, "radius_km"),
    ("slides", 0, "annotations", 2, "text"),
    ("slides", 0, "annotations", 2, "text", "en"),
]


@pytest.mark.parametrize("path", PATHS, ids=lambda path: ".".join(map(str, path)))
def test_any_value_anywhere_loads_or_is_refused_with_deck_error(path):
    for value in ODD:
        data = json.loads(decks.to_json(DECK))
        place = data
        for key in path[:-1]:
            place = place[key]
        place[path[-1]] = value
        try:
            deck, problems = decks.from_json(json.dumps(data))
        except DeckError as why:
            problems = why.problems
        else:
            decks.decode(decks.encode(deck))  # whatever loads can be linked
        assert all(isinstance(p, str) and "\n" not in p for p in problems), problems


def test_every_cut_of_a_file_loads_or_is_refused_with_deck_error():
    raw = decks.to_json(DECK).encode()
    for end in range(0, len(raw), 3):
        try:
            decks.from_json(raw[:end])
        except DeckError as why:
            assert len(why.problems) == 1


# --- docs/DECKS.md -------------------------------------------------------------------------


def test_the_documented_example_loads_with_no_problem():
    text = (ROOT / "docs" / "DECKS.md").read_text(encoding="utf-8")
    (example,) = re.findall(r"```json\n(.*?)```", text, re.S)
    deck, problems = decks.from_json(example)
    assert problems == [] and len(deck) == 2
    assert {a.kind for s in deck.slides for a in s.annotations} == set(decks.KINDS)
    assert len(decks.encode(deck)) < 800


def test_the_documentation_gives_every_limit():
    text = (ROOT / "docs" / "DECKS.md").read_text(encoding="utf-8")
    for name, value in [
        ("MAX_FILE_BYTES", MAX_FILE_BYTES),
        ("MAX_TOKEN", MAX_TOKEN),
        ("MAX_SLIDES", MAX_SLIDES),
        ("MAX_TITLE", MAX_TITLE),
        ("MAX_CAPTION", MAX_CAPTION),
        ("MAX_NOTES", MAX_NOTES),
        ("MAX_ANNOTATIONS", MAX_ANNOTATIONS),
        ("MAX_LABEL", MAX_LABEL),
    ]:
        assert f"| {value:,} " in text or f"| {value} " in text, name
        assert f"`{name}`" in text, name
    low, high = decks.RADIUS_KM
    assert f"{low:g} to {high:g} km" in text and "`RADIUS_KM`" in text

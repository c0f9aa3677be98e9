"""The sample deck, docs/deck-september-2022.json: it loads with no problem, and its dates,
places and wording agree with the bundled events table and the project's reference timeline."""

from __future__ import annotations

import csv
import json
import math
import re
from datetime import date

import pytest

from dashboard.config import EVENTS_CSV, ROOT, TOWNS_GEOJSON
from dashboard.state import deck as decks

SAMPLE = ROOT / "docs" / "deck-september-2022.json"
# The project's fact base lives beside the repository (data/README.md); a clone without it
# still checks the deck against the events table and the dates below.
REFERENCE = ROOT.parent / "shared" / "reference" / "timeline-2022.csv"
NEAR_TOWN = 0.15  # degrees: a label stands just off its town, so the town's own name shows

# Each slide, by a word of its English title: the events.csv rows that date it, and the text
# of the same events in the reference timeline. The date is checked against both.
DATED = [
    ("Before", "ev-20220905-kherson-referendum-paused", "referendum' is paused", "2022-09-05"),
    ("retaken", "ev-20220910-balakliia-flag", "officially raised over Balakliia", "2022-09-10"),
    ("retaken", "ev-20220910-izium-liberated", "Russian forces abandon Izium", "2022-09-10"),
    ("after the occupation", "ev-20220915-izium-burial-site", "Mass burial site", "2022-09-15"),
    (
        "announced",
        "ev-20220920-referendums-announced-UA-14",
        "announce 'referendums'",
        "2022-09-20",
    ),
    ("annex", "ev-20220930-accession-treaties-UA-14", "'accession treaties'", "2022-09-30"),
    ("Lyman", "ev-20221001-lyman-withdrawal", "announces withdrawal from Lyman", "2022-10-01"),
]
VOTE = ("Voting", "ev-20220923-referendum-vote-UA-14")
VOTE_REFERENCE = (("on joining Russia begin", "2022-09-23"), ("'referendums' ends", "2022-09-27"))
COUNTEROFFENSIVE = ("ev-20220906-kharkiv-counteroffensive", "launches the Kharkiv counteroffensive")


@pytest.fixture(scope="module")
def loaded():
    return decks.from_json(SAMPLE.read_bytes())


@pytest.fixture(scope="module")
def deck(loaded):
    return loaded[0]


@pytest.fixture(scope="module")
def rows():
    with EVENTS_CSV.open(encoding="utf-8") as fh:
        return {row["id"]: row for row in csv.DictReader(fh)}


@pytest.fixture(scope="module")
def reference():
    if not REFERENCE.exists():
        pytest.skip(f"the reference timeline is not here ({REFERENCE})")
    with REFERENCE.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def slide(deck, word: str):
    hits = [s for s in deck.slides if word in s.title.en]
    assert len(hits) == 1, (word, [s.title.en for s in deck.slides])
    return hits[0]


def day(text: str) -> date:
    return date.fromisoformat(text)


def reference_date(reference, needle: str) -> date:
    hits = [r for r in reference if needle in r["event"]]
    assert len(hits) == 1, needle
    return day(hits[0]["date"])


def test_loads_with_no_problem(loaded):
    deck, problems = loaded
    assert problems == []
    assert 6 <= len(deck) <= 8


def test_every_slide_is_dated_by_the_table_here(deck):
    words = {w for w, *_ in DATED} | {VOTE[0]}
    for s in deck.slides:
        assert sum(w in s.title.en for w in words) == 1, s.title.en


def test_every_slide_date_lies_in_the_bundled_data(deck, rows):
    first = min(day(r["start_date"]) for r in rows.values())
    last = max(day(r["end_date"] or r["start_date"]) for r in rows.values())
    for s in deck.slides:
        assert first <= s.view.date <= last, s.title.en
        if s.view.has_range:
            assert first <= s.view.range_from <= s.view.range_to <= last


@pytest.mark.parametrize(("word", "event_id", "needle", "when"), DATED)
def test_a_slide_has_the_date_of_its_event_in_the_events_table(
    deck, rows, word, event_id, needle, when
):
    s = slide(deck, word)
    assert rows[event_id]["start_date"] == when
    assert s.view.date == day(when)
    assert s.view.window == 7 and not s.view.has_range
    assert rows[event_id]["source_name"] in s.notes.en  # the briefer can say where it is from


@pytest.mark.parametrize(("word", "event_id", "needle", "when"), DATED)
def test_a_slide_has_the_date_of_its_event_in_the_reference(
    deck, reference, word, event_id, needle, when
):
    assert reference_date(reference, needle) == slide(deck, word).view.date == day(when)


def test_the_voting_slide_spans_the_vote(deck, rows):
    s = slide(deck, VOTE[0])
    vote = rows[VOTE[1]]
    assert (s.view.range_from, s.view.range_to) == (day(vote["start_date"]), day(vote["end_date"]))
    assert s.view.date == s.view.range_to
    assert vote["source_name"] in s.notes.en


def test_the_voting_slide_spans_the_vote_in_the_reference(deck, reference):
    s = slide(deck, VOTE[0])
    (begins, first), (ends, last) = VOTE_REFERENCE
    assert reference_date(reference, begins) == s.view.range_from == day(first)
    assert reference_date(reference, ends) == s.view.range_to == day(last)


def test_the_first_slide_is_before_the_counteroffensive(deck, rows):
    assert slide(deck, "Before").view.date < day(rows[COUNTEROFFENSIVE[0]]["start_date"])


def test_the_first_slide_is_before_the_counteroffensive_in_the_reference(deck, reference):
    assert slide(deck, "Before").view.date < reference_date(reference, COUNTEROFFENSIVE[1])


def test_both_languages_for_every_title_and_caption_and_notes_in_english(deck):
    assert deck.title.en and deck.title.uk
    for s in deck.slides:
        for text in (s.title, s.caption):
            assert text.en and text.uk, s.title.en
            assert not re.search("[а-яіїєґ]", text.en, re.I), text.en
            assert re.search("[а-яіїєґ]", text.uk, re.I), text.uk
        assert len(s.notes.en) > 200, s.title.en


def test_views_are_offline_safe_and_in_english(deck):
    for s in deck.slides:
        view = s.view
        assert view.tiles is None and view.lang == "en" and view.data == "curated"
        assert (view.lat is None) == (view.lon is None) == (view.zoom is None)


def towns():
    features = json.loads(TOWNS_GEOJSON.read_text(encoding="utf-8"))["features"]
    return [(f["properties"], tuple(reversed(f["geometry"]["coordinates"]))) for f in features]


def nearest(point):
    props, at = min(towns(), key=lambda t: math.dist(t[1], point))
    return props, math.dist(at, point)


def test_annotations_stand_at_their_towns_inside_the_five_oblasts(deck, regions):
    west, south, east, north = regions.full.total_bounds
    kinds: dict[str, int] = {}
    for s in deck.slides:
        for a in s.annotations:
            kinds[a.kind] = kinds.get(a.kind, 0) + 1
            for lat, lon in a.points:
                assert south - 0.1 <= lat <= north + 0.1 and west - 0.1 <= lon <= east + 0.1
                props, off = nearest((lat, lon))
                assert off <= NEAR_TOWN, (a, props["name_en"])
            if a.kind == "label":  # a label names the town it stands by, in both languages
                props, _ = nearest(a.points[0])
                assert props["name_en"] in a.text.en and props["name_uk"] in a.text.uk, a
    assert sum(bool(s.annotations) for s in deck.slides) >= 3
    assert kinds.get("arrow") and kinds.get("circle") and kinds.get("label", 0) >= 3


def test_the_labels_name_izium_balakliia_and_lyman(deck):
    labels = " ".join(a.text.en for s in deck.slides for a in s.annotations if a.kind == "label")
    assert all(town in labels for town in ("Izium", "Balakliia", "Lyman"))
    circles = [a for s in deck.slides for a in s.annotations if a.kind == "circle"]
    assert any(nearest(c.points[0])[0]["name_en"] == "Lyman" for c in circles)


def texts(deck, lang: str) -> list[str]:
    out = [deck.title.get(lang)]
    for s in deck.slides:
        out += [s.title.get(lang), s.caption.get(lang), s.notes.get(lang)]
        out += [a.text.get(lang) for a in s.annotations]
    return [t for t in out if t]


def test_referendums_are_quoted_and_the_annexation_is_a_claim(deck):
    english, ukrainian = " ".join(texts(deck, "en")), " ".join(texts(deck, "uk"))
    assert re.findall(r"referend", english, re.I)
    # 'referendums' in quotes (Biden's words quoted: 'sham referenda')
    assert not re.findall(r"(?<!')(?<!'sham )referend", english, re.I)
    assert re.findall(r"референдум", ukrainian, re.I)
    assert not re.findall(r"(?<!«)референдум", ukrainian, re.I)
    for text, word, claim in ((english, "annex", "claim"), (ukrainian, "анекс", "заяв")):
        for found in re.finditer(word, text, re.I):
            assert claim in text[max(0, found.start() - 30) : found.start()].lower(), text[
                found.start() - 60 : found.end() + 20
            ]


def test_neutral_wording(deck):
    loaded = ["terrorist", "heroic", "glorious", "nazi", "orcs", "рашист", "орки", "героїч"]
    text = " ".join(texts(deck, "en") + texts(deck, "uk")).lower()
    for word in loaded:
        assert word not in text, word

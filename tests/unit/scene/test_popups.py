"""Popups and tooltips (dashboard/scene/popups.py): text from a file is escaped."""

import pandas as pd

from dashboard.ingest.events import load_events
from dashboard.query.view import (
    Filters,
    build_view,
)
from tests import maplayers as maps
from tests.builders import csv_bytes, row

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_popup_and_tooltips_escape_file_text(regions):
    records = [
        row(
            title=HOSTILE,
            description=HOSTILE,
            settlement=HOSTILE,
            source_name=HOSTILE,
            lat="46.65581",
            lon="32.6178",
            verification="claimed",
            claimed_by=HOSTILE,
        )
    ]
    events = load_events(csv_bytes(records), regions).events
    view = build_view(events, "2022-09-23", None, Filters())
    group = maps.date_layers(regions, view.shown, view.counts, view.breaks, view.active, "x")
    html = str(group.payload) + str(group.oblasts.data) + str(group.markers.data)
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_source_link_attribute_is_escaped():
    ev = pd.Series(
        {
            "category": "combat",
            "title": "t",
            "description": "d",
            "verification": "confirmed",
            "claimed_by": "",
            "source_name": "s",
            "source_url": "https://e.org/?a=1&b='x'",
            "start_date": pd.Timestamp("2022-01-01"),
            "end_date": pd.NaT,
        }
    )
    out = maps.event_html(ev, active=False)
    assert "href='https://e.org/?a=1&amp;b=&#x27;x&#x27;'" in out
    assert "target='_blank' rel='noopener noreferrer'" in out


def _events(regions, **fields):
    base = {"lat": "46.65581", "lon": "32.6178", "settlement": "Kherson"}
    return load_events(csv_bytes([row(**(base | fields))]), regions).events


def _marker(regions, events, day="2022-09-23"):
    view = build_view(events, day, None, Filters())
    group = maps.date_layers(regions, view.shown, view.counts, view.breaks, view.active, "x")
    return group.markers.data["features"][0]["properties"]


def test_a_disputed_date_says_so_next_to_the_date_with_the_note(regions):
    note = "TASS says 30 Sep; AFP <b>29 Sep</b>"
    events = _events(regions, date_precision="disputed", notes=note, verification="confirmed")
    props = _marker(regions, events)
    popup, tip = props["_popup"], props["_tooltip"]
    assert (
        "23 Sep 2022 <span class='oem-prec oem-prec-disputed' title='TASS says 30 Sep; AFP "
        in popup
    )
    assert "date disputed</span>" in popup
    assert "Note: TASS says 30 Sep; AFP &lt;b&gt;29 Sep&lt;/b&gt;" in popup  # in full, escaped
    assert "Event confirmed; its date is disputed" in popup
    assert ">Confirmed<" not in popup and "Confirmed ·" not in popup
    assert "(date disputed)" in tip  # the marker's tooltip too


def test_an_exact_date_carries_no_qualifier(regions):
    props = _marker(regions, _events(regions))
    assert "oem-prec" not in props["_popup"] and "(" not in props["_tooltip"].split(":", 1)[1]
    assert "Confirmed" in props["_popup"]


def test_ucdp_precision_codes_are_put_into_words(regions):
    from dashboard.i18n import precision_words
    from tests import samples

    events = load_events(samples.ucdp_ged(), regions).events
    coded = events[events["date_code"] != "ucdp:1"].head(1)
    assert len(coded), "the sample has an event whose date is not exact"
    html = maps.event_html(coded.iloc[0], active=False)
    words = {
        "ucdp:2": "date within 2–6 days",
        "ucdp:3": "only the week is known",
        "ucdp:4": "only the month is known",
        "ucdp:5": "only the year is known",
    }[coded["date_code"].iloc[0]]
    assert words in html and "As coded by UCDP GED" in html
    place = precision_words("place", coded["place_code"].iloc[0], "en")
    assert place and f"Location: {place}" in html


def test_every_precision_code_has_words_in_both_languages():
    from dashboard.i18n import precision_words

    for kind, fmt, codes in (
        ("date", "ucdp", range(1, 6)),
        ("place", "ucdp", range(1, 8)),
        ("date", "acled", range(1, 4)),
        ("place", "acled", range(1, 4)),
    ):
        for code in codes:
            for lang in ("en", "uk"):
                assert precision_words(kind, f"{fmt}:{code}", lang), (kind, fmt, code, lang)
    assert precision_words("date", "ucdp:9", "en") == ""  # outside the codebook: nothing
    assert precision_words("date", "", "en") == ""

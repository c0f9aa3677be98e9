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

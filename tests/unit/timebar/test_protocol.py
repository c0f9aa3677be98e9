"""The page ⇄ map client protocol (dashboard/timebar/protocol.py): the keys the page adds to a
payload, and what it accepts from the browser."""

from __future__ import annotations

from datetime import date

import pytest

from dashboard.timebar import protocol

WORDS = {"label": "Date <b>", "prev": "Back", "next": "Next", "locale": "uk-UA"}


def test_client_keys_name_the_scene_its_time_bar_and_the_last_report():
    keys = protocol.client_keys(
        "/app/static/steps/abc/", "abc", date(2022, 2, 21), date(2022, 11, 14), WORDS, "c:1"
    )
    assert list(keys) == ["k", "steps", "seen"]
    assert keys["steps"] == {
        "url": "/app/static/steps/abc/",
        "first": "2022-02-21",
        "last": "2022-11-14",
        "label": "Date &lt;b&gt;",  # escaped: the client puts it in the page as HTML
        "prev": "Back",
        "next": "Next",
        "locale": "uk-UA",
    }
    assert keys["seen"] == "c:1"


@pytest.mark.parametrize(
    "value, out",
    [
        ({"oem": {"date": "2022-09-23", "id": "c1:1"}}, ("c1:1", date(2022, 9, 23))),
        ({"oem": {"date": "2022-13-45", "id": "c1:2"}}, ("c1:2", None)),
        ({"oem": {"date": "<script>", "id": "c1:3"}}, ("c1:3", None)),
        ({"oem": {"date": 20220923, "id": "c1:4"}}, ("c1:4", None)),
        ({"oem": {"date": "2022-09-23T00:00", "id": "c1:5"}}, ("c1:5", None)),
        ({"oem": {"date": "2022-09-23", "id": "x" * 500}}, ("x" * 64, date(2022, 9, 23))),
        ({"oem": {"date": "2022-09-23"}}, None),  # no id
        ({"oem": "2022-09-23"}, None),
        ({"center": {"lat": 1, "lng": 2}, "zoom": 6}, None),
        ("2022-09-23", None),
        (None, None),
    ],
)
def test_parse_report(value, out):
    assert protocol.parse_report(value) == out


@pytest.mark.parametrize(
    "value, out",
    [
        ({"center": {"lat": 47.512345, "lng": 36.498765}, "zoom": 7}, (47.5123, 36.4988, 7)),
        ({"center": {"lat": 47.5, "lng": 36.5}, "zoom": None}, None),
        ({"center": {"lat": "x", "lng": 36.5}, "zoom": 7}, None),
        ({"center": None, "zoom": 7}, None),
        ({"zoom": 7}, None),
        (None, None),
    ],
)
def test_parse_view(value, out):
    assert protocol.parse_view(value) == out


def test_the_client_speaks_the_same_keys():
    """The JavaScript side reads and writes exactly these names."""
    from dashboard.config import PACKAGE_DIR

    js = (PACKAGE_DIR / "web" / "oem-map.js").read_text(encoding="utf-8")
    for needle in ("p.steps", "p.seen", "p.k", "oem: { date: day, id: lastSent }", 'oem: "escape"'):
        assert needle in js, needle

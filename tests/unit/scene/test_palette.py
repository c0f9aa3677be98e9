"""Colours (dashboard/scene/palette.py)."""

from dashboard.query.view import (
    class_breaks,
)
from dashboard.scene.palette import NO_EVENTS, count_colour, legend_bins

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def test_count_colours_darken_with_count():
    breaks = class_breaks(23)
    colours = [count_colour(n, breaks) for n in (0, 1, 6, 11, 16, 23)]
    assert colours[0] == NO_EVENTS
    assert len(set(colours)) == 6
    assert legend_bins(breaks)[1] == ("1–5", colours[1])

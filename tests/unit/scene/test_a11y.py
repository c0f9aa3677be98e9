"""Colour-blind safety and contrast, measured: simulation, CIEDE2000 and WCAG ratios."""

import pytest

from dashboard.config import ACLED_CATEGORIES, CATEGORIES, UCDP_CATEGORIES
from dashboard.scene import a11y, legend
from dashboard.scene.a11y import VISIONS, contrast_ratio, delta_e, min_pairwise, simulate, to_lab
from dashboard.scene.palette import CATEGORY_COLOURS, COUNT_COLOURS, NO_EVENTS

# Distinct enough to tell apart at a glance on a marker (CIEDE2000; ~2.3 is just noticeable).
MIN_CATEGORY_DELTA = 10.0
MIN_STEP_DELTA = 10.0


@pytest.mark.parametrize(
    "lab1, lab2, expected",
    [  # Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17, 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_the_published_test_data(monkeypatch, lab1, lab2, expected):
    # The published pairs are in Lab; hex colours cannot hold them exactly, so feed Lab in.
    labs = {"a": lab1, "b": lab2}
    monkeypatch.setattr(a11y, "to_lab", lambda c: labs[c])
    assert a11y.delta_e("a", "b") == pytest.approx(expected, abs=1e-4)


def test_simulation_keeps_greys_and_confuses_red_with_green():
    for vision in VISIONS:
        assert simulate("#808080", vision) == "#808080"
    normal = delta_e("#d62728", "#2ca02c")
    for vision in ("deuteranopia", "protanopia"):
        seen = delta_e(simulate("#d62728", vision), simulate("#2ca02c", vision))
        assert seen < normal / 2  # the classic confusion pair really is confused


@pytest.mark.parametrize(
    "family",
    [
        CATEGORIES,
        {k: v for k, v in ACLED_CATEGORIES.items() if k != "riots_protests"},
        UCDP_CATEGORIES,
    ],
    ids=["native", "acled", "ucdp"],
)
@pytest.mark.parametrize("vision", VISIONS)
def test_category_colours_stay_distinct_under_colour_blindness(family, vision):
    colours = {k: CATEGORY_COLOURS[k] for k in family}
    closest, a, b = min_pairwise(colours, vision)
    assert closest >= MIN_CATEGORY_DELTA, f"{a} and {b}: {closest:.1f} under {vision}"


@pytest.mark.parametrize("vision", VISIONS)
def test_count_scale_stays_ordered_and_stepped_under_colour_blindness(vision):
    seen = [simulate(c, vision) for c in COUNT_COLOURS]
    lightness = [to_lab(c)[0] for c in seen]
    assert lightness == sorted(lightness, reverse=True)  # more events: darker, for everyone
    steps = [delta_e(a, b) for a, b in zip(seen, seen[1:], strict=False)]
    assert min(steps) >= MIN_STEP_DELTA, steps
    assert delta_e(simulate(NO_EVENTS, vision), seen[0]) >= MIN_STEP_DELTA


def test_legend_and_banner_text_have_aaa_contrast():
    assert contrast_ratio(legend.TEXT, legend.BACKGROUND) >= 7
    from dashboard.render import slides

    assert contrast_ratio(slides.BANNER, slides.BANNER_TEXT) >= 7

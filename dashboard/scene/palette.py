"""Colours. Colour-blind-safe: ColorBrewer YlOrBr for the count classes
(``query.view.class_breaks``), Paul Tol's 'muted' qualitative scheme for categories. Both are
checked under deuteranopia and protanopia simulation (dashboard.scene.a11y,
tests/unit/scene/test_a11y.py; docs/ACCESSIBILITY.md)."""

from __future__ import annotations

from dashboard.config import CATEGORIES

NO_EVENTS = "#f4f4f2"
# ColorBrewer YlOrBr, 5 classes: light (few) to dark (many).
COUNT_COLOURS = ("#ffffd4", "#fed98e", "#fe9929", "#d95f0e", "#993404")  # one per class
CATEGORY_COLOURS = dict(
    zip(
        CATEGORIES,
        (
            "#882255",  # occupation: wine
            "#117733",  # liberation: green
            "#999933",  # combat: olive
            "#332288",  # referendum: indigo
            "#AA4499",  # annexation: purple
            "#CC6677",  # strike_on_civilians: rose
            "#DDCC77",  # nuclear_safety: sand
            "#222222",  # detention: near black
            "#44AA99",  # humanitarian: teal
            "#88CCEE",  # statement: cyan
            "#6699CC",  # diplomacy: blue (grey was too close to teal under deuteranopia)
        ),
        strict=True,
    )
)
# ACLED event types and UCDP types of violence: Paul Tol's 'vibrant' scheme (colour-blind safe),
# distinct from the muted native colours so both can share a map.
CATEGORY_COLOURS.update(
    {
        "battles": "#CC3311",  # red
        "explosions_remote_violence": "#EE7733",  # orange
        "violence_against_civilians": "#EE3377",  # magenta
        "protests": "#0077BB",  # blue
        "riots": "#33BBEE",  # cyan
        "strategic_developments": "#009988",  # teal
        "riots_protests": "#0077BB",  # blue, as protests
        "state_based": "#CC3311",
        "non_state": "#EE7733",
        "one_sided": "#EE3377",
    }
)
ACTIVE_OUTLINE = "#000000"
OTHER_CATEGORY = "#555555"


def count_colour(count: int, breaks: list[int]) -> str:
    """Fill colour for a count, given the class upper bounds from class_breaks."""
    if count <= 0:
        return NO_EVENTS
    offset = len(COUNT_COLOURS) - len(breaks)  # fewer classes use the darker end
    for i, upper in enumerate(breaks):
        if count <= upper:
            return COUNT_COLOURS[offset + i]
    return COUNT_COLOURS[-1]


def legend_bins(breaks: list[int]) -> list[tuple[str, str]]:
    """(label, colour) rows for the legend, starting with 'no events'."""
    rows = [("0", NO_EVENTS)]
    lower = 1
    for upper in breaks:
        label = str(upper) if upper == lower else f"{lower}–{upper}"
        rows.append((label, count_colour(upper, breaks)))
        lower = upper + 1
    return rows


def category_colour(category: str) -> str:
    """Marker colour for a category (unknown categories get a neutral grey)."""
    return CATEGORY_COLOURS.get(category, OTHER_CATEGORY)


# The heat layer's colours, low to high (payload ``hg``: web/oem-map.js draws leaflet.heat
# with them, and the legend shows the same ramp). Blue to red through pale yellow, readable
# over the oblasts' orange fill and on a projector.
HEAT_GRADIENT = (
    (0.2, "#2c7bb6"),
    (0.45, "#abd9e9"),
    (0.65, "#ffffbf"),
    (0.85, "#fdae61"),
    (1.0, "#d7191c"),
)

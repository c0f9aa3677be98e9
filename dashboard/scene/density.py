"""How the events are drawn when they are many: points, clusters or a heat layer. No Streamlit.

The payload keys (``scene.layers`` documents them all): ``dm`` names the drawing; for heat,
``h`` holds ``[lat, lon, events]`` per place or grid cell, ``hmax`` the weight drawn at full
heat and ``hg`` the colour ramp (the legend shows the same one).
"""

from __future__ import annotations

import numpy as np

from dashboard.query.index import EventIndex, Selection
from dashboard.scene.palette import HEAT_GRADIENT

# "auto" draws points up to AUTO_CLUSTERS events on the map, clusters up to AUTO_HEAT, heat
# beyond: past a few thousand events, circles (even grouped on a grid) cover each other and
# hide where the events are densest.
AUTO_CLUSTERS = 1500
AUTO_HEAT = 8000
HEAT_POINTS = 3000  # places (or grid cells, when there are more) in a heat layer


def density_of(choice: str, drawn_events: int) -> str:
    """The drawing a density choice gives for this many events on the map."""
    if choice in ("points", "clusters", "heat"):
        return choice
    if drawn_events > AUTO_HEAT:
        return "heat"
    return "clusters" if drawn_events > AUTO_CLUSTERS else "points"


def heat_points(index: EventIndex, sel: Selection, show_outside: bool) -> tuple[list, int]:
    """The heat layer's points: per place (or grid cell, past HEAT_POINTS) its mean position
    and its number of events; and the weight drawn at full heat (the 99th percentile of the
    places' events, so one outlier does not leave the rest unseen)."""
    level, ids, used, drawn = index.choose_level(sel, show_outside, HEAT_POINTS)
    groups = np.flatnonzero(used)
    if not len(groups):
        return [], 1
    sizes = used[groups]
    lat = np.bincount(ids, weights=sel.take(index.lat)[drawn], minlength=level.n)[groups] / sizes
    lon = np.bincount(ids, weights=sel.take(index.lon)[drawn], minlength=level.n)[groups] / sizes
    points = [
        [round(a, 4), round(b, 4), int(n)]
        for a, b, n in zip(lat.tolist(), lon.tolist(), sizes.tolist(), strict=True)
    ]
    return points, max(1, int(np.percentile(sizes, 99)))


def heat_layer(index: EventIndex, sel: Selection, show_outside: bool) -> dict:
    """The payload keys of a heat layer for the selected events."""
    points, top = heat_points(index, sel, show_outside)
    return {"h": points, "hmax": top, "hg": {f"{s:g}": c for s, c in HEAT_GRADIENT}}

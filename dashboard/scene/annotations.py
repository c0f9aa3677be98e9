"""A slide's map annotations (``state.deck.Annotation``) as the map client and the slide
painter both draw them: one style, defined here. No Streamlit.

Annotations are the briefer's marks, not data: drawn in near-black with a white casing over
everything but the legend, never interactive, never counted.

The client's payload key ``ann`` (``dashboard/web/oem-map.js``) is a list of::

    {"k": "arrow",  "p": [[lat, lon], [lat, lon]], "t": "text or empty"}
    {"k": "circle", "p": [[lat, lon]], "r": metres, "t": "..."}
    {"k": "label",  "p": [[lat, lon]], "t": "..."}

``t`` is plain text in the language shown; the client sets it as text, never as HTML.
"""

from __future__ import annotations

import math

INK = "#111111"  # line and text colour
CASING = "#ffffff"  # the halo under lines and text, so they read on any fill
LINE_WIDTH = 3.5  # px, on screen and on a 1920x1080 slide
CASING_WIDTH = 7.0  # px, under the line
HEAD_LENGTH = 18.0  # px, an arrow's head
HEAD_ANGLE = 28.0  # degrees either side of the shaft
TEXT_SIZE = 16  # px, an annotation's text
TEXT_HALO = 3  # px
EARTH_RADIUS_M = 6_371_008.8


def payload(annotations, lang: str) -> list[dict]:
    """The client's ``ann`` list for a slide's annotations, in ``lang``."""
    out = []
    for a in annotations:
        item = {"k": a.kind, "p": [[round(lat, 5), round(lon, 5)] for lat, lon in a.points]}
        if a.kind == "circle":
            item["r"] = round(float(a.radius_km) * 1000.0, 1)
        item["t"] = a.text.get(lang)
        out.append(item)
    return out


def circle_ring(lat: float, lon: float, radius_m: float, n: int = 96) -> list[tuple[float, float]]:
    """(lat, lon) points of a circle of ``radius_m`` metres on the sphere (as Leaflet's
    L.circle, whose radius is in metres on the ground)."""
    d = radius_m / EARTH_RADIUS_M
    p1, l1 = math.radians(lat), math.radians(lon)
    out = []
    for i in range(n):
        b = 2 * math.pi * i / n
        p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
        l2 = l1 + math.atan2(
            math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
        )
        out.append((math.degrees(p2), math.degrees(l2)))
    return out

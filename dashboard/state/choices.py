"""Every choice list a view offers, defined once: the link parser, the page's widgets, the
scene and the CLI all read them from here. No Streamlit."""

from __future__ import annotations

# The data shown (``ingest.datasets`` has what each is): the two bundled datasets, both, and an
# analyst's upload alone or beside the curated timeline. A link may name any of them; one
# naming an upload opens on the curated timeline, with a notice, until that file is loaded.
DATA = ("curated", "ucdp", "both", "upload", "upload_curated")
OUTSIDE = "outside"  # the oblast filter's option for events in none of the five oblasts
METRICS = ("events", "fatalities")  # what colours the oblasts
WINDOWS = {"cumulative": None, "7": 7, "30": 30, "90": 90}  # the window radio's presets
CUSTOM = "custom"  # the window radio's last option: a number of days (``window_days``)
DEFAULT_CUSTOM_DAYS = 14
STEPS = (1, 7)  # playback step, days
SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)  # playback, seconds per step
TILES = ("none", "osm", "carto-light")  # basemaps (render.leaflet.TILES has their URLs)
MAX_WINDOW = 3660  # days
MAX_QUERY = 200  # characters of search text
DENSITY = ("auto", "points", "clusters", "heat")  # how events are drawn
MAX_LISTED = 50  # values of one list filter a link may hold (actors, types, categories)
MAX_VALUE = 200  # characters of one such value
MAX_AREA = 60  # vertices of a drawn area
MAX_FATALITIES = 10_000_000
SLIDE_SIZES = ((1920, 1080), (1280, 720))  # the page's PNG buttons


def window_choice(window: int | None) -> tuple[str, int | None]:
    """The window radio's option for a window, and the custom days box's value (or None)."""
    for choice, days in WINDOWS.items():
        if days == window:
            return choice, None
    return CUSTOM, window


def nearest_speed(speed: float) -> float:
    """The offered speed nearest to ``speed``."""
    return min(SPEEDS, key=lambda s: abs(s - speed))

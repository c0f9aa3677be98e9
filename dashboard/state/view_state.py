"""The view as one value. No Streamlit.

``ViewState`` is everything a link holds: two people opening the same link get equal states,
and so the same view. ``PageState`` is what one session adds while it runs (playing, the last
playback tick, the last report from the map, notices, the link's values still to apply). Both
are frozen: ``state.transitions`` turns one state into the next, ``state.permalink`` turns a
state into a query string and back, and ``page.session`` moves them in and out of Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as Date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dashboard.state.deck import Deck


@dataclass(frozen=True)
class ViewState:
    """Everything a link can say about a view. ``None`` means "not given: use the default"
    (the latest date, cumulative counts, the map's default centre and zoom, the deployment's
    basemap)."""

    data: str = "curated"  # the datasets shown (``state.choices.DATA``)
    # A dataset of the team's shared store (its id; 0: none), shown as the upload is.
    team: int = 0
    date: Date | None = None
    window: int | None = None  # days counted up to the date; None = cumulative
    cat: tuple[str, ...] = ()  # categories shown (empty: all)
    oblast: tuple[str, ...] = ()  # ISO codes and/or "outside" (empty: all)
    q: str = ""  # search text
    # The analyst's filters on fields an upload may have (``query.filters.Filters``).
    actor: tuple[str, ...] = ()  # actors on either side
    etype: tuple[str, ...] = ()  # event types (UCDP: type of violence)
    sub: tuple[str, ...] = ()  # sub-event types (UCDP: dyad)
    civ: bool = False  # only ACLED's civilian targeting
    fmin: int | None = None  # fatalities, least and most
    fmax: int | None = None
    # A from-to range (link: from, to): the slider runs inside it and the map counts from its
    # first day to the slider's date. Both or neither.
    range_from: Date | None = None
    range_to: Date | None = None
    area: tuple[tuple[float, float], ...] = ()  # a polygon drawn on the map: (lat, lon) vertices
    density: str = "auto"  # how events are drawn (``state.choices.DENSITY``)
    lang: str = "en"
    present: bool = False  # presentation mode
    lat: float | None = None  # map centre and zoom, once the view is not the default one
    lon: float | None = None
    zoom: int | None = None
    tiles: str | None = None  # None: the deployment's default (settings OEM_TILES)
    metric: str = "events"  # what colours the oblasts
    outside: bool = False  # draw events outside the five oblasts
    step: int = 1  # playback step, days
    speed: float = 1.0  # playback, seconds per step
    loop: bool = False
    play: bool = False  # a link that starts playing (the page never writes it)
    # A briefing deck (``state.deck``) open beside the view, and the slide shown (1-based;
    # None: the view is not one of its slides). A slide's own view never holds a deck.
    deck: Deck | None = None
    slide: int | None = None

    @property
    def has_range(self) -> bool:
        return self.range_from is not None and self.range_to is not None

    @property
    def map_view(self) -> tuple[float | None, float | None, int | None]:
        return self.lat, self.lon, self.zoom


DEFAULT = ViewState()


@dataclass(frozen=True)
class PageState:
    """One session's running state beside its view."""

    playing: bool = False
    last_tick: float | None = None  # monotonic time of the last playback step
    map_report: str | None = None  # id of the last date report taken from the map's time bar
    notices: tuple[str, ...] = ()  # what the link asked for and could not be honoured
    link_date: Date | None = None  # the link's date, until data is shown to place it in
    link_cat: tuple[str, ...] | None = None  # the link's categories, until checked on the data
    data_key: tuple | None = None  # the data the date was last settled for

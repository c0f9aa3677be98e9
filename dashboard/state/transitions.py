"""Pure transitions of the view: each takes states (and facts such as the data's date range or
the time) and returns new states. No Streamlit, no clock, no I/O: each has a table-driven unit
test (tests/unit/state/test_transitions.py). ``page.session`` applies them."""

from __future__ import annotations

from dataclasses import replace
from datetime import date as Date
from datetime import timedelta

from dashboard.state.permalink import check_view, clamp_date
from dashboard.state.view_state import PageState, ViewState

TICK_SHARE = 0.8  # a timer run this share of the interval after the last step steps again


def settle_date(
    view: ViewState, page: PageState, first: Date, last: Date, data_key: tuple
) -> tuple[ViewState, PageState]:
    """The date for the data shown: the link's date (once, moved into the data's range with a
    notice), the latest date for new data, or the current date kept inside the range."""
    if page.data_key != data_key or view.date is None:
        day, note = clamp_date(page.link_date, first, last)
        notices = (*page.notices, note) if note else page.notices
        return replace(view, date=day), replace(
            page, data_key=data_key, link_date=None, notices=notices
        )
    return replace(view, date=min(max(view.date, first), last)), page


def advance(
    view: ViewState, page: PageState, first: Date, last: Date, direction: int = 1
) -> tuple[ViewState, PageState]:
    """One step (``view.step`` days) forward or back. Past the end: loop to the first date
    while playing with loop on; otherwise stop on the last date (and stop playing there)."""
    current = view.date or last
    day = current + direction * timedelta(days=int(view.step))
    if day > last:
        if page.playing and view.loop:
            day = first
        elif current < last:
            day = last
        else:
            day = last
            page = replace(page, playing=False)
    return replace(view, date=max(first, min(last, day))), page


def tick(
    view: ViewState, page: PageState, first: Date, last: Date, now: float, interval: float
) -> tuple[ViewState, PageState]:
    """A playback timer run: step once per interval (a click in between does not step)."""
    if not page.playing:
        return view, page
    if page.last_tick is None:
        return view, replace(page, last_tick=now)
    if now - page.last_tick >= TICK_SHARE * interval:
        return advance(view, replace(page, last_tick=now), first, last)
    return view, page


def toggle_play(page: PageState) -> PageState:
    return replace(page, playing=not page.playing, last_tick=None)


def map_report(
    view: ViewState, page: PageState, report: tuple[str, Date | None] | None
) -> tuple[ViewState, PageState]:
    """A date the map's time bar stepped to (``timebar.protocol.parse_report``: its id and
    date). A new report moves the view there and pauses playback; a report already taken, or
    one without a valid date, changes nothing but the id seen."""
    if report is None or report[0] == page.map_report:
        return view, page
    report_id, day = report
    page = replace(page, map_report=report_id)
    if day is None:
        return view, page
    return replace(view, date=day), replace(page, playing=False)


def enter_presentation(view: ViewState) -> ViewState:
    return replace(view, present=True)


def leave_presentation(view: ViewState) -> ViewState:
    return replace(view, present=False)


def same_view(a, b, pixels: float = 4.0) -> bool:
    """True when two (lat, lon, zoom) views differ by less than a few screen pixels: Leaflet
    rounds its pixel origin, so a view it was asked for comes back slightly off."""
    if a is None or b is None or None in a or None in b or a[2] != b[2]:
        return False
    degrees = pixels * 360 / (256 * 2 ** a[2])
    return abs(a[0] - b[0]) < degrees and abs(a[1] - b[1]) < degrees


def move_map(
    view: ViewState, moved: tuple[float, float, int] | None, default: tuple[float, float, int]
) -> ViewState:
    """Where the user moved the map (rounded lat, lon, zoom). A view is kept, and a link
    carries it, once it differs from the default one; a report within a few pixels of the view
    already held (Leaflet's rounding) changes nothing."""
    moved = check_view(moved) if moved is not None else None  # a value from the browser
    if moved is None:
        return view
    held = view.map_view if view.lat is not None else None
    if held is not None and same_view(moved, held):
        return view
    default = check_view(default)  # the map's own fit: reported by the browser too
    if held is None and default is not None and same_view(moved, default):
        return view
    lat, lon, zoom = moved
    return replace(view, lat=lat, lon=lon, zoom=zoom)


def forget_view(view: ViewState, fitted: tuple[float, float, int]) -> ViewState:
    """The map's own fit is not a place the user chose: a view held that is the fit (within a
    few pixels, as ``same_view``) is dropped, and the link carries none."""
    fitted = check_view(fitted) if fitted is not None else None
    if view.lat is not None and fitted is not None and same_view(view.map_view, fitted):
        return replace(view, lat=None, lon=None, zoom=None)
    return view


def link_data(
    view: ViewState, page: PageState, categories: list[str], fatalities: bool
) -> tuple[ViewState, PageState]:
    """The link's categories and metric, checked once against the data shown: a category with
    no events there, or fatalities over data without figures, is dropped with a notice."""
    if page.link_cat is None:
        return view, page
    kept = tuple(c for c in page.link_cat if c in categories)
    notices = page.notices + tuple(
        f"cat={c!r}: no events of this category in the data"
        for c in page.link_cat
        if c not in categories
    )
    if view.metric == "fatalities" and not fatalities:
        notices += ("metric='fatalities': these events carry no fatality figures",)
        view = replace(view, metric="events")
    return replace(view, cat=kept), replace(page, link_cat=None, notices=notices)


def settle_data(
    view: ViewState, page: PageState, offered: tuple[str, ...], from_link: bool
) -> tuple[ViewState, PageState]:
    """The data shown among the choices ``offered`` (an upload's only once a file is loaded):
    anything else shows the curated timeline, with a notice when a link asked for it."""
    if view.data in offered:
        return view, page
    if from_link:
        note = (
            f"data={view.data!r}: this view was of an uploaded file, which a link cannot carry; "
            "load the file in the sidebar"
        )
        page = replace(page, notices=(*page.notices, note))
    return replace(view, data="curated"), page


def dismiss_notices(page: PageState) -> PageState:
    return replace(page, notices=())


def add_notice(page: PageState, note: str) -> PageState:
    """One more notice (a link's value the page could not honour), once."""
    return page if note in page.notices else replace(page, notices=(*page.notices, note))


def go_to_slide(view: ViewState, number: int) -> ViewState:
    """Slide ``number`` (1-based, kept inside the deck) of the view's deck, shown in the
    language and mode the view has now: a room's language is the presenter's, and a change of
    language would reload the map."""
    deck = view.deck
    if deck is None or not deck.slides:
        return view
    number = max(1, min(len(deck.slides), int(number)))
    slide = deck.slides[number - 1].view
    return replace(slide, lang=view.lang, present=view.present, deck=deck, slide=number)

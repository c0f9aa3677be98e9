"""The only module that reads and writes Streamlit's session state and query string.

The view (``state.view_state.ViewState``) lives in the session under its field names, which
are the widgets' keys: ``date``, ``cat``, ``oblast``, ``q``, ``lang``, ``present``, ``tiles``,
``metric``, ``outside``, ``step``, ``speed``, ``loop``; the window is the radio ``window`` (a
preset or "custom") with the custom number of days in ``window_days``; ``lat``, ``lon``,
``zoom`` are where the map was left once it is not the default view. The session's running
state (``PageState``) is one value under ``_page``. Other page modules keep per-session
values only through ``value``/``put``/``drop``.

A link is applied on a session's first run, all at once (``open_link``), before any widget
exists; each value it set is then held against Streamlit's settling glitch (``hold``) until
the user changes that widget (``touch``).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import date as Date

import streamlit as st

from dashboard import settings
from dashboard.scene.basemap import FIT_BOUNDS
from dashboard.state import holds, permalink, transitions
from dashboard.state.choices import (
    CUSTOM,
    DEFAULT_CUSTOM_DAYS,
    SPEEDS,
    TILES,
    WINDOWS,
    nearest_speed,
    window_choice,
)
from dashboard.state.view_state import PageState, ViewState

PAGE = "_page"
DECK = "_deck"  # the briefing deck open in this session (``state.deck.Deck``), or None
PAGE_KEYS = (
    "data",
    "team",
    "lang",
    "present",
    "tiles",
    "metric",
    "outside",
    "q",
    "oblast",
    "cat",
    "actor",
    "etype",
    "sub",
    "civ",
    "fmin",
    "fmax",
    "density",
    "range_from",
    "range_to",
    "area",
)
FRAGMENT_KEYS = ("window", "window_days", "step", "speed", "loop")  # set in the date fragment
LINK_SETTLE_S = 3.0  # after a session's first full run: widget "changes" then are the glitch
# What the settling glitch reports: each widget's default value (the first option; 1 for the
# days box). Only these are held back while a session settles.
GLITCH_VALUES = {
    "data": "curated",
    "team": 0,
    "lang": "en",
    "tiles": TILES[0],
    "metric": "events",
    "outside": False,
    "q": "",
    "oblast": [],
    "cat": [],
    "actor": [],
    "etype": [],
    "sub": [],
    "civ": False,
    "fmin": None,
    "fmax": None,
    "density": "auto",
    "window": "cumulative",
    "window_days": 1,
    "step": 1,
    "speed": SPEEDS[0],
    "loop": False,
}


def _whole(number) -> int | None:
    """A number box's value as a whole number (None: empty)."""
    return None if number is None else int(number)


def _ss(ss=None):
    return st.session_state if ss is None else ss


def value(key: str, default=None, ss=None):
    ss = _ss(ss)
    try:
        return ss[key]
    except KeyError:
        return default


def put(key: str, item, ss=None) -> None:
    _ss(ss)[key] = item


def drop(*keys: str) -> None:
    for key in keys:
        st.session_state.pop(key, None)


# --- the running state ---------------------------------------------------------------------


def page_state(ss=None) -> PageState:
    """This session's PageState (``ss``: another session state, e.g. a test's)."""
    return value(PAGE, PageState(), ss)


def set_page(page: PageState, ss=None) -> None:
    _ss(ss)[PAGE] = page


def drawn(ss=None):
    """The scene the page drew last (``scene.build.Scene``), or None."""
    return value("_scene", None, ss)


# --- the view ------------------------------------------------------------------------------


def default_tiles() -> str:
    """The basemap shown first: OEM_TILES if it names one, else none (air-gapped rooms)."""
    wanted = settings.get("OEM_TILES").lower()
    return wanted if wanted in TILES else "none"


def view(ss=None) -> ViewState:
    """The view as the session holds it now (its widgets' values)."""
    ss = _ss(ss)
    choice = value("window", "cumulative", ss)
    window = int(value("window_days", DEFAULT_CUSTOM_DAYS, ss)) if choice == CUSTOM else None
    if choice != CUSTOM:
        window = WINDOWS.get(choice)
    tiles = value("tiles", None, ss)
    day = value("date", None, ss)
    range_from, range_to = value("range_from", None, ss), value("range_to", None, ss)
    return ViewState(
        data=value("data", "curated", ss),
        team=int(value("team", 0, ss) or 0),
        date=day if isinstance(day, Date) else None,
        window=window,
        cat=tuple(value("cat", None, ss) or ()),
        oblast=tuple(value("oblast", None, ss) or ()),
        q=value("q", "", ss) or "",
        actor=tuple(value("actor", None, ss) or ()),
        etype=tuple(value("etype", None, ss) or ()),
        sub=tuple(value("sub", None, ss) or ()),
        civ=bool(value("civ", False, ss)),
        fmin=_whole(value("fmin", None, ss)),
        fmax=_whole(value("fmax", None, ss)),
        range_from=range_from if range_to is not None else None,
        range_to=range_to if range_from is not None else None,
        area=tuple(value("area", None, ss) or ()),
        density=value("density", "auto", ss) or "auto",
        lang=value("lang", "en", ss),
        present=bool(value("present", False, ss)),
        lat=value("lat", None, ss),
        lon=value("lon", None, ss),
        zoom=value("zoom", None, ss),
        tiles=tiles if tiles != default_tiles() else None,
        metric=value("metric", "events", ss),
        outside=bool(value("outside", False, ss)),
        step=int(value("step", 1, ss)),
        speed=float(value("speed", 1.0, ss)),
        loop=bool(value("loop", False, ss)),
        play=False,  # a link never starts playing unless its author adds play=1
        deck=value(DECK, None, ss),
        slide=value("slide", None, ss) if value(DECK, None, ss) is not None else None,
    )


def _keys_of(state: ViewState) -> dict:
    """The session keys that hold a view."""
    choice, days = window_choice(state.window)
    keys = {
        "data": state.data,
        "team": state.team,
        "window": choice,
        "lang": state.lang,
        "present": state.present,
        "tiles": state.tiles or default_tiles(),
        "metric": state.metric,
        "outside": state.outside,
        "q": state.q,
        "oblast": list(state.oblast),
        "cat": list(state.cat),
        "actor": list(state.actor),
        "etype": list(state.etype),
        "sub": list(state.sub),
        "civ": state.civ,
        "fmin": state.fmin,
        "fmax": state.fmax,
        "range_from": state.range_from,
        "range_to": state.range_to,
        "area": state.area,
        "density": state.density,
        "step": state.step,
        "speed": nearest_speed(state.speed),
        "loop": state.loop,
        "lat": state.lat,
        "lon": state.lon,
        "zoom": state.zoom,
        DECK: state.deck,
        "slide": state.slide,
    }
    if days is not None:
        keys["window_days"] = days
    if state.date is not None:
        keys["date"] = state.date
    return keys


def save(state: ViewState) -> None:
    """Write the fields that differ from what the session holds (before their widgets run, or
    in a widget's callback: Streamlit refuses a widget's key once it is drawn)."""
    ss = st.session_state
    current = _keys_of(view())
    for key, item in _keys_of(state).items():
        if key not in ss or current.get(key) != item:
            ss[key] = item


def apply(transition, *args, hold_date: bool = False) -> None:
    """Run a transition of (view, page) on the session's state, and keep the result.
    ``hold_date``: a date the transition moves on the server's own account (back, forward, a
    playback step, the map's time bar) is held against the browser's stale copy of the
    slider (``state.holds``); the hold is written first, so a run stopped between the two
    writes still keeps the step."""
    before_view, before_page = view(), page_state()
    after_view, after_page = transition(before_view, before_page, *args)
    moved = before_view.date is not None and after_view.date != before_view.date
    if hold_date and moved:
        ss = st.session_state
        n = int(ss.get("_moves", 0)) + 1
        ss["_moves"] = n
        dates = {"date": (after_view.date, before_view.date)}
        holds.hold(ss, holds.MOVED, time.monotonic(), dates, ack=str(n))
    if after_view != before_view:
        save(after_view)
    if after_page != before_page:
        set_page(after_page)


def settle_date(first: Date, last: Date, data_key: tuple) -> None:
    """Before the slider: ``transitions.settle_date``, and the date written even when it did
    not change: a slider whose range changed is a new widget, which would otherwise start at
    its first date."""
    apply(transitions.settle_date, first, last, data_key)
    st.session_state["date"] = view().date


def apply_page(transition, *args) -> None:
    """Run a transition of the PageState alone."""
    set_page(transition(page_state(), *args))


def apply_view(transition, *args) -> None:
    """Run a transition of the ViewState alone."""
    save(transition(view(), *args))


# --- the link ------------------------------------------------------------------------------


def open_link() -> None:
    """On a session's first run: the link's view becomes the session's, all at once, and each
    value it set is held as the link set it (``hold``). Later runs do nothing here."""
    ss = st.session_state
    if PAGE in ss:
        return
    state, notices = permalink.parse(st.query_params.to_dict())
    keys = _keys_of(replace(state, date=None, cat=()))
    if "window_days" not in keys:
        keys["window_days"] = DEFAULT_CUSTOM_DAYS
    for key, item in keys.items():
        ss[key] = item
    ss["_seed"] = {k: keys[k] for k in (*PAGE_KEYS, *FRAGMENT_KEYS) if k in keys}
    ss["_touched"] = set()
    set_page(
        PageState(
            playing=state.play, notices=tuple(notices), link_date=state.date, link_cat=state.cat
        )
    )


def link_settle_s() -> float:
    """OEM_LINK_SETTLE_S, else LINK_SETTLE_S (seconds; a bad value is ignored)."""
    return max(0.0, settings.get_float("OEM_LINK_SETTLE_S", LINK_SETTLE_S))


def keys_starting(prefixes: tuple[str, ...]) -> list[str]:
    """The session's keys that start with one of ``prefixes``, sorted."""
    return sorted(str(k) for k in st.session_state if str(k).startswith(prefixes))


def hold(keys: tuple[str, ...]) -> None:
    """Before the widgets: each value the link set stays as the link set it until the user
    changes that widget (``touch``). Four people opening one link at once each see it."""
    ss = st.session_state
    seed, touched = ss.get("_seed", {}), ss.get("_touched", set())
    for key in keys:
        if key in seed and key not in touched and ss.get(key) != seed[key]:
            ss[key] = seed[key]
    keep_shown(keys if keys == FRAGMENT_KEYS else None)


def keep_shown(keys: tuple[str, ...] | None = None) -> None:
    """Before the widgets: a value the server wrote itself (a slide, a date moved) is put
    back when the browser sends its stale copy (``state.holds``)."""
    holds.keep(st.session_state, time.monotonic(), keys)


def write_ack() -> None:
    """Just before the hidden box after the date slider: the number of the last date the
    server moved, which the browser sends back once it has it (``state.holds``)."""
    wanted = str(value("_moves", 0))
    if value(holds.ACK) != wanted:
        st.session_state[holds.ACK] = wanted


def touch(key: str):
    """on_change for a widget the link may set: from now on the user's value rules.

    Streamlit's client sometimes reports a widget's default as a change while a new session
    settles (its first reruns) and for controls hidden in presentation: measured with four
    sessions opening one link at once, ``window`` went back to cumulative, ``speed`` to 0.5 and
    the hidden ``present`` toggle to off, 7-12 s after the link was opened. Nobody can use a
    hidden control, and a change back to a widget's default before the first full run is
    LINK_SETTLE_S old is taken for that glitch: the link's value is kept. Any other change is
    the user's at once (a toggle switched on two seconds after an upload)."""

    def changed() -> None:
        ss = st.session_state
        if key == "present":
            # Only the visible sidebar can switch presentation on; "off" from the hidden
            # toggle is the glitch (the way out is leave_presentation: button or Esc).
            if ss.get("present"):
                ss.setdefault("_touched", set()).add(key)
            return
        touched, seed = ss.setdefault("_touched", set()), ss.get("_seed", {})
        # Presentation as held, not as this rerun's callbacks left it: the hidden toggle's
        # glitch may have run first.
        presenting = ss.get("present") if "present" in touched else seed.get("present")
        settled = ss.get("_settled_at")
        settling = settled is None or time.monotonic() - settled < link_settle_s()
        # The glitch reports a widget's default; any other value is the user's at once.
        glitch_like = ss.get(key) == GLITCH_VALUES.get(key)
        if not (settling and glitch_like) and not presenting:  # in presentation: hidden
            touched.add(key)

    return changed


def show_view(state: ViewState) -> None:
    """Show a whole view at once (a deck's slide), as a link would: every value written, and
    held as the link's were (``hold``), so a settling widget cannot undo part of it. The map
    flies to the view's centre and zoom, or to its default fit."""
    ss = st.session_state
    keys = _keys_of(state)
    keys.setdefault("window_days", value("window_days", DEFAULT_CUSTOM_DAYS))
    changed = {k: (item, ss.get(k)) for k, item in keys.items() if ss.get(k) != item}
    holds.hold(ss, holds.SHOWN, time.monotonic(), changed)  # against a stale browser
    ss.pop(holds.MOVED, None)  # the slide's date, not a step's before it
    for key, item in keys.items():
        ss[key] = item
    seed = ss.setdefault("_seed", {})
    for key in seed:
        if key in keys:
            seed[key] = keys[key]
    n = (value("_fly") or (0, None))[0] + 1
    if state.lat is not None and state.lon is not None:
        target = {"c": [state.lat, state.lon], "z": state.zoom}
    else:
        target = {"b": [list(FIT_BOUNDS[0]), list(FIT_BOUNDS[1])]}
    ss["_fly"] = (n, target)


def leave_presentation() -> None:
    """ "Exit presentation" (and Esc): the user's choice, held from now on."""
    apply_view(transitions.leave_presentation)
    st.session_state.setdefault("_touched", set()).add("present")


def settle_data(offered: tuple[str, ...]) -> None:
    """Before the data select: the data shown is one of the choices offered."""
    seed = st.session_state.get("_seed", {})
    from_link = "data" in seed and "data" not in touched_keys()
    apply(transitions.settle_data, offered, from_link)
    if from_link:
        seed["data"] = view().data  # held as settled, not as the link asked


def choose_data(choice: str) -> None:
    """The page chose the data (a new upload is shown at once): the user's choice from now on."""
    st.session_state["data"] = choice
    st.session_state.setdefault("_touched", set()).add("data")


def mark_touched(*keys: str) -> None:
    """These values are the user's from now on (set by a button or the map, not a widget)."""
    st.session_state.setdefault("_touched", set()).update(keys)


def touched_keys() -> set:
    return st.session_state.get("_touched", set())


def link_data(categories: list[str], fatalities: bool) -> None:
    """The link's categories and metric checked against the data shown (once)."""
    if page_state().link_cat is None:
        return
    apply(transitions.link_data, categories, fatalities)
    st.session_state.setdefault("_seed", {})["cat"] = list(value("cat") or [])


def settled() -> None:
    """After a session's first full run: from now on a widget change is the user's."""
    st.session_state.setdefault("_settled_at", time.monotonic())


def write_link(state: ViewState) -> str:
    """Put the view in the address bar (only when it changed); return the full link."""
    params = permalink.to_params(state)
    if st.query_params.to_dict() != params:
        st.query_params.from_dict(params)
    base = (st.context.url or "").split("?")[0]
    return f"{base}?{permalink.to_query(state)}"

"""The page: one run, top to bottom. Data enters (``page.data``, the upload panel), the view
is read once (``page.session``), the scene is built (``scene.build``) and shown (the map,
panels, share). Everything that moves with the date is a fragment, so playback and the
slider rerun only that part."""

from __future__ import annotations

import functools
import logging
import time
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard import caches, settings
from dashboard.geo.regions import Regions
from dashboard.i18n import check_lang, dataset_label, long_date, tr
from dashboard.ingest import datasets
from dashboard.ingest.events import LoadResult
from dashboard.ingest.textsafe import md_escape
from dashboard.page import areas as areas_panel
from dashboard.page import (
    callbacks,
    controls,
    data,
    deck_editor,
    mapview,
    outside,
    panels,
    reaper,
    relay,
    session,
    share,
    sidebar,
)
from dashboard.page import deck as deck_page
from dashboard.page import present as presentation
from dashboard.page import team as team_page
from dashboard.page import upload as uploads
from dashboard.page.styles import PAGE_CSS, PRESENT_CSS
from dashboard.query.filters import Filters, filters_of
from dashboard.query.view import (
    breaks_for_index,
    categories_in,
    data_facts,
    has_fatalities,
)
from dashboard.scene import annotations, legend
from dashboard.scene import build as scene
from dashboard.state import transitions
from dashboard.timebar import protocol, steps

log = logging.getLogger("oblast_events_map")
SHOWN_ONCE = "_shown_once"  # the page has had its first (light) run
FIRST_VISIT_DELAY_S = 2.0  # after the first run reaches the browser: the rest of the page


@dataclass(frozen=True)
class Shown:
    """What this run shows: the events and their regions, the files they came from, and the
    key that names the data (which datasets, which upload, which version of the bundled file)."""

    events: pd.DataFrame
    regions: Regions
    upload: datasets.Upload | None
    data_key: tuple
    bundled: dict[str, LoadResult]  # label -> the bundled datasets shown
    choice: str
    labels: list[str]


def date_fragment(shown: Shown, present: bool, light: bool) -> None:
    """Everything that moves with the date; a fragment, so playback reruns only this.

    ``light`` (a visitor's first run): the tables and the share panel wait for the next full
    run (``finish_first_visit``), so their scripts do not compete with the map's."""
    page = session.page_state()
    playing, interval = page.playing, float(session.view().speed)
    slide = session.view().slide

    @st.fragment(run_every=interval if playing else None)
    def body() -> None:
        started = time.perf_counter()
        try:
            with caches.PREPARER.step():  # no date is prepared ahead meanwhile
                one_step(shown, present, light, playing, interval, slide)
        finally:
            data.log_timing("step", started)
        # While the browser draws this date, write the dates around it for the map's time
        # bar (after the step, so the two do not compete for the interpreter).
        job = session.value("_prepare")
        if job is not None and settings.get("OEM_PREPARE_AHEAD") != "0":
            caches.PREPARER.submit(*job)

    body()


def one_step(
    shown: Shown, present: bool, light: bool, playing: bool, interval: float, slide
) -> None:
    session.hold(session.FRAGMENT_KEYS)  # a fragment run sets its own widgets
    now = session.view()
    if session.page_state().playing != playing or float(now.speed) != interval:
        st.rerun()  # play/pause or speed changed: re-arm the timer with a full run
    if outside.changed():
        st.rerun(scope="app")  # the whole page goes with a widget outside the fragment
    if now.present != present or now.slide != slide:
        # Another slide is a whole view (data, filters, range may change): a full run.
        # "Exit presentation" is clicked inside this fragment: only a full run leaves
        # presentation (its styles, banner and hidden sidebar belong to the whole page).
        st.rerun()
    events, lang = shown.events, check_lang(now.lang)
    T = tr(lang)
    first, last = controls.date_range(events)
    tiles = now.tiles or session.default_tiles()
    key = mapview.map_key(tiles, lang, present)
    report = protocol.parse_report(mapview.map_value(key))
    session.apply(transitions.map_report, report, hold_date=True)
    session.settle_date(first, last, shown.data_key)
    session.apply(transitions.tick, first, last, time.monotonic(), interval, hold_date=True)
    # In presentation the controls stay on the page, hidden, so their values persist.
    with st.container(key="playback_settings" if present else "time_controls"):
        controls.time_controls(events, lang, T)
        c1, c2 = st.columns([1.75, 3])  # "Вперед ▶" whole at 1366 px
        with c1:
            if not present:
                controls.play_buttons(events, T, present=False)
        with c2:
            controls.playback_settings(T)
    view = session.view()
    inputs = scene_inputs(view, shown, tiles, "legend" if present else "")
    files = caches.step_files()
    scene_key = files.key(shown.data_key, *inputs.key_parts())
    words = {"label": T("map_date"), "prev": T("map_prev"), "next": T("map_next")}
    words["locale"] = T("locale")
    seen = session.page_state().map_report
    # An upload's events are never written to disk (docs/FORMATS.md): no date files for it,
    # its time bar asks this session's server for each date.
    private = datasets.needs_upload(shown.choice)
    url = "" if private else files.url(scene_key)
    client = protocol.client_keys(url, scene_key, first, last, words, seen)
    client.update(protocol.view_keys(session.value("_fly"), view.area, *deck_keys(view, lang)))
    the_scene = scene.make(date=view.date, client=client, **inputs.args())
    session.put(
        "_prepare",
        None
        if private
        else (
            files,
            scene_key,
            steps.days_around(view.date, first, last, int(view.step)),
            functools.partial(scene.step_payload, key=scene_key, **inputs.args()),
        ),
    )
    session.put("_scene", the_scene)
    if present:
        presentation.view(the_scene, shown.regions, events, T)
        session.write_link(session.view())
        return
    show_date(the_scene, shown, inputs, light, lang, T)


def deck_keys(view, lang: str):
    """The slide shown's annotations, and the deck's place while it is presented."""
    if view.deck is None or view.slide is None:
        return (), None
    marks = annotations.payload(view.deck.slides[view.slide - 1].annotations, lang)
    return marks, ({"n": view.slide, "of": len(view.deck)} if view.present else None)


def scene_inputs(view, shown: Shown, tiles: str, overlay: str) -> scene.Inputs:
    """The scene inputs of the view, with the shared index and the session's class breaks
    (they depend on the data, filters, window and metric, never on the date)."""
    filters = filters_of(view)
    index = data.cached_index(shown.events, shown.data_key, filters)
    breaks_key = (shown.data_key, filters, view.window, view.metric)
    held = session.value("_breaks")
    if held is None or held[0] != breaks_key:
        held = (breaks_key, breaks_for_index(index, view.window, view.metric))
        session.put("_breaks", held)
    return scene.inputs_for(
        view,
        shown.events,
        shown.regions,
        index,
        tiles,
        overlay,
        held[1],
        data.control_table(),
        session.value("_areas_shown"),
    )


def show_date(the_scene, shown: Shown, inputs, light: bool, lang: str, T) -> None:
    """The map, the side panel, the events table and the share panel for the date."""
    map_col, side_col = st.columns([3, 1])
    with map_col:
        mapview.draw(the_scene, shown.regions, mapview.MAP_HEIGHT, present=False)
    view = session.view()  # after the map: it may have moved
    link = session.write_link(view)
    with side_col:
        panels.date_banner(the_scene)
        if not light:  # the table's script is large: after the map
            st.dataframe(
                panels.summary_table(the_scene.view, lang, T),
                hide_index=True,
                width="stretch",
                key="oblast_summary",
            )
        st.html(legend.to_html(the_scene.legend))
    st.subheader(shown_count(the_scene, shown, inputs, T))
    if light:
        st.caption(T("loading_table"))
        return
    panels.events_table(the_scene.view, view.date, lang, T)
    share.panel(view, inputs, link, shown.upload is not None, T)


def shown_count(the_scene, shown: Shown, inputs, T) -> str:
    """'N events in the window', or with filters 'N of M events in the window' (M: with no
    filter at all, on the same dates)."""
    n = len(the_scene.view)
    if not inputs.filters:
        return T("events_shown", n=n)
    everything = data.cached_index(shown.events, shown.data_key, Filters())
    view = the_scene.view
    total = len(everything.select(view.date, view.window_days))
    return T("events_shown_of", n=f"{n:,}", total=f"{total:,}")


@st.fragment(run_every=FIRST_VISIT_DELAY_S)
def finish_first_visit() -> None:
    """A visitor's first run draws the map without the tables and the chart, whose scripts
    (2 MB) would compete with the map's for the browser; shortly after, this timer runs the
    whole page once. It exists only in that first run, so it never fires again."""
    if session.value("_first_visit_armed"):
        st.rerun()  # the whole page: tables, share panel and chart
    session.put("_first_visit_armed", True)


def load(T, team: team_page.Team | None = None) -> Shown:
    """The data shown: the datasets of the sidebar's data select (``ingest.datasets.PARTS``).
    A bundled dataset is loaded once per process, and only when some session shows it; a
    team's shared dataset is shown as an upload is."""
    regions = data.cached_regions()
    with st.sidebar:
        sidebar.language_and_mode(T)
        team_slot = st.container()  # who is signed in and the team's datasets, at the top
        deck_page.sidebar(T)
        team_page.decks_panel(team, T)
        choice_slot = st.container()  # the data select, once the upload panel has run
        upload = uploads.upload_panel(regions, T)
        with team_slot:
            upload = team_page.dataset_panel(team, upload, T)
        session.put("_areas_shown", areas_panel.areas_panel(T))
    with choice_slot:
        choice = uploads.data_choice(upload, T)
    results, bundled, versions = [], {}, []
    for key in datasets.PARTS[choice]:
        if key == datasets.UPLOAD:
            results.append(upload.result if upload is not None else None)
            continue
        found, result = data.bundled(key)
        if isinstance(result, str):
            error = md_escape(result)
            st.error(T("bundled_unloadable", name=md_escape(found.path.name), error=error))
            continue
        results.append(result)
        bundled[found.label] = result
        versions.append(found.path.stat().st_mtime)
    events = datasets.combine(results)
    labels = [str(x) for x in events["dataset"].unique()] if len(events) else []
    # A file that gave no events (unreadable, or still being mapped) is not shown, so it does
    # not change the data key: the date and filters stay as they were.
    upload_token = session.value("_upload")[0] if datasets.needs_upload(choice) else None
    data_key = (choice, *labels, upload_token, *versions)
    return Shown(events, regions, upload, data_key, bundled, choice, labels)


def run() -> None:
    callbacks.install()  # a click's callback runs whole
    reaper.watch()  # closed, and its memory handed back, once its tab has gone
    session.open_link()
    session.hold(session.PAGE_KEYS)
    view = session.view()
    lang = check_lang(view.lang)
    T = tr(lang)
    is_present = view.present
    st.set_page_config(
        page_title=T("page_title"),
        page_icon="🗺️",
        layout="wide",
        initial_sidebar_state="collapsed" if is_present else "auto",
    )
    st.html(PRESENT_CSS if is_present else PAGE_CSS)
    # Everything above the map that varies from run to run (a sign-in notice, a dataset's
    # error, an upload's report and mapping form) goes in one container, so the date fragment
    # keeps its place on the page. Streamlit names a fragment by its place: moved, its id
    # changes, and a request the browser sends for the old id is dropped ("Couldn't find
    # fragment"): a step of the map's time bar, a click inside it.
    top = st.container()
    with top:
        allowed, team = team_page.gate(T)
        if not allowed:  # the sign-in page, or no role: nothing else is drawn, no data loaded
            return
        shown = load(T, team)
        events = shown.events
        notice_slot = st.container()  # filled last: checks further down add notices
        if len(events) == 0:
            st.title(T("no_events_title"))
            if shown.upload is not None:
                uploads.validation_report(shown.upload, lang, T)
            uploads.mapping_form(shown.upload, T)
            st.warning(T("no_valid_events"))
            with notice_slot:
                panels.notices(T)
            return
        session.link_data(categories_in(events), has_fatalities(events))
        if not is_present:
            header(shown, lang, T)
    with st.sidebar:
        sidebar.filters(events, lang, T, shown.regions, shown.data_key)
    light = not session.value(SHOWN_ONCE)  # a visitor's first run: the map first
    date_fragment(shown, is_present, light)
    relay.twins(events, T, is_present)
    if not is_present:
        st.subheader(T("per_week"))
        if light:
            st.caption(T("loading_chart"))
        else:
            # The full run draws the chart, not the date's fragment: re-drawing it on each
            # report from the map's time bar made the page follow the time bar too late.
            now = session.view()
            weekly = data.cached_index(events, shown.data_key, filters_of(now)).weekly()
            span = (now.range_from, now.range_to) if now.has_range else None
            bounds = controls.data_range(events)
            panels.timeline_chart(weekly, lang, T, span=span, bounds=bounds)
        drawn = session.drawn()
        if drawn is not None:  # what the map shows comes from: datasets, UCDP's credit
            st.caption(md_escape(drawn.attribution))
        if not light:
            deck_editor.editor(shown, lang, T)
    with notice_slot:
        panels.notices(T)
    session.put(SHOWN_ONCE, True)
    if light:
        finish_first_visit()
    else:
        session.settled()  # the first full run is done


def header(shown: Shown, lang: str, T) -> None:
    """Title, caption (what the data is and what it promises about sources), upload report."""
    events = shown.events
    facts = data_facts(events)
    st.title(T("title"))
    st.caption(
        T(
            "caption",
            events=f"{facts.groups:,}",
            rows=f"{len(events):,}",
            labels=T("and").join(md_escape(dataset_label(x, lang)) for x in shown.labels),
            as_of=long_date(facts.last, lang),
            sources=panels.sources_sentence(events, T),
        )
    )
    # A team's dataset was validated when it was shared: the sidebar gives that report.
    if shown.upload is not None and not datasets.is_team(shown.upload):
        uploads.validation_report(shown.upload, lang, T)
    uploads.mapping_form(shown.upload, T)
    for label, result in shown.bundled.items():
        if len(result.rejected):
            name = md_escape(dataset_label(label, lang))
            st.warning(T("bundled_rejected", n=len(result.rejected), name=name))


def main() -> None:
    """The page, never a traceback: a failure is logged and the page says so."""
    try:
        run()
        outside.note_full_run()
    except Exception:
        log.exception("page failed")
        st.error(tr(check_lang(session.value("lang", "en")))("page_failed"))

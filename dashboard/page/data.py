"""The data a page shows, loaded once per process (Streamlit's caches; ``caches.py`` lists
every process-wide cache), and the server's timing log."""

from __future__ import annotations

import functools
import logging
import time

import pandas as pd
import streamlit as st

from dashboard import caches, settings
from dashboard.config import CONTROL_CSV
from dashboard.geo.regions import Regions, load_regions
from dashboard.ingest import datasets
from dashboard.ingest.budget import cut
from dashboard.ingest.control import ControlTable, load_control
from dashboard.ingest.events import LoadResult, UnreadableFile, load_events, settle_heap
from dashboard.page import session
from dashboard.query.index import EventIndex
from dashboard.query.view import Filters, IndexCache
from dashboard.render import assets


def bundled(key: str) -> tuple[datasets.Bundled, LoadResult | str]:
    """A bundled dataset and its events (or the message why its file cannot be used)."""
    found = datasets.bundled_sets()[key]
    mtime = found.path.stat().st_mtime if found.path.exists() else 0.0
    return found, cached_events(str(found.path), mtime, found.label)


@st.cache_resource(show_spinner=False)
def cached_regions() -> Regions:
    """The oblasts and their context (no key: one geometry set per process)."""
    return load_regions()


@st.cache_resource(show_spinner=False, ttl=60)
def static_problem() -> str | None:
    """Why the map's script files cannot be served (dashboard/static not writable, the npm
    package missing), or None. Asked again after a minute: a folder fixed is picked up."""
    try:
        assets.ensure_static()
        assets.client_url()
    except (OSError, assets.MissingAsset) as exc:
        logging.getLogger("oblast_events_map").error("map files: %s", exc)
        return cut(getattr(exc, "strerror", None) or str(exc), 200)
    return None


@st.cache_resource(show_spinner=False)
def cached_events(path: str, mtime: float, label: str) -> LoadResult | str:
    """Load once per file version (key: path, mtime and label); a hopeless file gives its
    message instead of a result."""
    try:
        result = load_events(
            path, cached_regions(), dataset=label, max_bytes=datasets.BUNDLED_MAX_BYTES
        )
    except UnreadableFile as exc:
        return str(exc)
    settle_heap()
    return result


@st.cache_resource(show_spinner=False)
def cached_control(mtime: float) -> ControlTable | None:
    """The control table (key: its file's mtime); None when it is missing or unreadable (the
    map then draws no settlement symbols, and the log says why)."""
    try:
        return load_control(CONTROL_CSV, cached_regions())
    except (OSError, ValueError) as exc:
        logging.getLogger("oblast_events_map").warning("control table not loaded: %s", exc)
        return None


def control_table() -> ControlTable | None:
    mtime = CONTROL_CSV.stat().st_mtime if CONTROL_CSV.exists() else 0.0
    return cached_control(mtime)


PRIVATE_INDEXES = 4  # per session, over its own upload


def cached_index(events: pd.DataFrame, data_key: tuple, filters: Filters) -> EventIndex:
    """The per-date index of the data and filters: built once, shared by every session (it
    references the events frame, never copies it). Over the session's own upload it is kept in
    the session, so it goes with the session and the upload (``page.reaper``)."""
    held = session.value("_upload")
    if held is None or held[0] not in data_key:
        return caches.SHARED_INDEXES.get(events, data_key, filters)
    mine = session.value("_indexes")
    if mine is None:
        mine = IndexCache(size=PRIVATE_INDEXES)
        session.put("_indexes", mine)
    return mine.get(events, data_key, filters)


def log_timing(what: str, started: float) -> None:
    """With OEM_TIMING_LOG set, append how long the server spent on this run (ms) to that
    file: ``make bench`` reads the real server's step times from it."""
    log_ms(what, (time.perf_counter() - started) * 1000)


def log_ms(what: str, ms: float) -> None:
    path = settings.get("OEM_TIMING_LOG")
    if path:
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"{what}\t{ms:.2f}\n")


caches.PREPARER.on_written = functools.partial(log_ms, "prepare")  # dates written ahead

"""Every process-wide cache, in one place: what it holds, its key and how long it lives.

Each is shared by all sessions of one server process and never holds a session's private
state. Streamlit's own caches (``st.cache_resource``) are in ``page/data.py``, the only layer
that may import Streamlit; they are listed here too, so this file is the whole inventory.

| cache | key | lifetime |
|---|---|---|
| ``STATIC_FEATURES`` | (id of the Regions, language) | the process (2 languages × 1 Regions) |
| ``SHARED_INDEXES`` | (the data shown, the filters) | the 6 used last (``IndexCache``) |
| ``EventIndex.memo`` (in ``query/index.py``) | per index: popup pieces per language | its index |
| ``step_files()`` | scene key → a folder of date payloads | 256 MB, scenes used last kept |
| ``PREPARER`` | one thread writing dates ahead | the process |
| ``render.paint.font`` / ``font_path`` | (size, bold) | ``lru_cache`` 64 / 2 entries |
| ``page.data.cached_regions`` | none (one geometry set) | the process |
| ``page.data.cached_events`` | (events file path, its mtime) | the process |
"""

from __future__ import annotations

import atexit
import logging
import threading

from dashboard.query.view import IndexCache
from dashboard.render import assets
from dashboard.timebar.steps import Preparer, StepFiles

log = logging.getLogger("oblast_events_map")

# Context, oblast shapes and labels as GeoJSON (scene.basemap.static_features): built once per
# Regions and language, read-only afterwards. The entry keeps its Regions, so an id reused by
# another Regions object is detected.
STATIC_FEATURES: dict[tuple[int, str], dict] = {}

# The per-date index of each (data, filters) shown: built once, shared by every session. It
# references the events frame, never copies it; the six used last are kept.
SHARED_INDEXES = IndexCache()

# Dates written ahead for the map's time bar, one thread per process (timebar/steps.py).
PREPARER = Preparer()

_FILES: StepFiles | None = None
_FILES_LOCK = threading.Lock()


def step_files() -> StepFiles:
    """The process's folder of dates written ahead (made on first use; ``steps.MAX_BYTES``)."""
    global _FILES
    with _FILES_LOCK:
        if _FILES is None:
            _FILES = StepFiles(assets.STATIC_DIR / "steps", assets.URL_PREFIX + "/steps")
            try:
                _FILES.start()  # folders left by ended processes go before anything is served
            except OSError as exc:  # a read-only static folder: the time bar asks the server
                log.warning("date files unavailable: %s", exc)
            atexit.register(_FILES.close)
        return _FILES

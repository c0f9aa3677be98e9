"""Sessions do not outlive their tab: a session that has been disconnected for
``OEM_SESSION_GRACE_S`` (default ``GRACE_S``) is closed, and the memory it held goes back to
the system: an upload, its indexes and uploaded bytes, and any visitor's scene and map.

A private upload lives only in its session's state (``page.upload``; its per-date indexes too,
``page.data.cached_index``), and every session keeps its last scene and map (about 10 MB).
Streamlit keeps a disconnected session, state and uploaded bytes included, for reconnection for
up to ``server.disconnectedSessionTTL`` (2 minutes), and drops it from that store only when the
store is next used, without shutting it down (so its uploaded file's bytes stay in the upload
manager). In the soak of 1 Dec, 20-odd closed visits held the server 92 % above its level
before until then. So every run registers its session (``watch``), and one daemon thread looks
at the registered sessions every ``CHECK_S``; one that has not been connected for the grace
period is closed on Streamlit's event loop (as Streamlit closes a session: state and uploaded
files dropped), and emptied (``forget``). Streamlit's send loop is made to run once: it holds
the last session it served until then (with no other visitor connected, until the next one
comes: hence ``forget``). Then the heap is collected (the frames sit in reference cycles,
frozen by ``settle_heap``) and freed memory handed back (``ingest.events.release_memory``;
Arrow's allocator is told to purge at once in ``dashboard/serve.py``). A tab that reconnects
after that gets a new session, opened from its link: the view comes back, an upload must be
loaded again. A file the session was still reading has its reading process killed
(``ingest.isolated.cancel_session``).
"""

from __future__ import annotations

import logging
import threading
import time

GRACE_S = 30.0  # a session away this long has ended (a brief network drop reconnects first)
CHECK_S = 5.0
RELEASE_AFTER_S = 1.0

log = logging.getLogger("oblast_events_map")
_LOCK = threading.Lock()
_WATCHED: dict[str, float | None] = {}  # session id -> when it was first seen away (None: here)
_THREAD: threading.Thread | None = None
closed = 0  # sessions closed by the reaper (read by the tests)


def grace_s() -> float:
    """OEM_SESSION_GRACE_S (default GRACE_S)."""
    from dashboard import settings

    return max(0.0, settings.get_float("OEM_SESSION_GRACE_S", GRACE_S))


def watch() -> None:
    """Close the running session once it has ended (every run calls this: a dict lookup)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None:  # not in a server (AppTest): nothing outlives the test's session
        return
    global _THREAD
    with _LOCK:
        _WATCHED.setdefault(ctx.session_id, None)
        if _THREAD is None or not _THREAD.is_alive():
            _THREAD = threading.Thread(target=_run, name="oem-upload-reaper", daemon=True)
            _THREAD.start()


def _run() -> None:
    me = threading.current_thread()
    while True:
        time.sleep(CHECK_S)
        if _THREAD is not me:  # replaced (the unit tests stop it so)
            return
        try:
            sweep(time.monotonic())
        except Exception:  # noqa: BLE001 - the reaper must outlive one bad sweep
            log.exception("upload reaper")


def forget(app_session) -> None:
    """Empty a closed session: its state (an upload, whose bytes are a widget's value, its
    indexes, scene and map), its widgets' callbacks (their arguments hold the events) and its
    fragments (the date fragment's closure holds the events shown). Streamlit's send loop keeps
    the last session it served in a local variable until another visitor connects, so a closed
    session's object can outlive it: in the soak of 1 Dec the last uploader's 150 MB file and
    470,000 rejected records stayed (+137 %) with no other visitor connected."""
    state = getattr(app_session, "_session_state", None)
    parts = [
        getattr(state, "clear", None),
        getattr(
            getattr(getattr(state, "_new_widget_state", None), "widget_metadata", None),
            "clear",
            None,
        ),  # fmt: skip
        getattr(getattr(app_session, "_fragment_storage", None), "clear", None),
    ]
    for clear in parts:
        if clear is None:
            continue
        try:
            clear()
        except Exception:  # noqa: BLE001 - its script may still be stopping: what is left goes
            log.debug("could not empty part of a closed session", exc_info=True)  # later


def sweep(now: float) -> int:
    """Close the watched sessions away for GRACE_S; how many were closed."""
    from streamlit.runtime import Runtime

    if not Runtime.exists():
        return 0
    runtime = Runtime.instance()
    ended = []
    with _LOCK:
        for session_id, away_since in list(_WATCHED.items()):
            if runtime.is_active_session(session_id):
                _WATCHED[session_id] = None
            elif away_since is None:
                _WATCHED[session_id] = now
            elif now - away_since >= grace_s():
                ended.append(session_id)
                del _WATCHED[session_id]
    if not ended:
        return 0
    done = threading.Event()
    closing: list[str] = []

    loop = runtime._get_async_objs()  # noqa: SLF001 - Streamlit's event loop and its events

    def close() -> None:  # on the event loop, as Streamlit requires; a tab back by now stays
        try:
            for session_id in ended:
                if not runtime.is_active_session(session_id):
                    info = runtime._session_mgr.get_session_info(session_id)  # noqa: SLF001
                    runtime.close_session(session_id)
                    closing.append(session_id)
                    if info is not None:
                        forget(info.session)
            # Streamlit's send loop keeps the last session it served in a local variable until
            # it next runs: run it now, so it lets go of the closed one.
            loop.need_send_data.set()
        finally:
            done.set()

    loop.eventloop.call_soon_threadsafe(close)
    done.wait(10)
    with _LOCK:  # a tab back before the loop closed it: watched again
        for session_id in set(ended) - set(closing):
            _WATCHED.setdefault(session_id, None)
    if not closing:
        return 0
    from dashboard.ingest import isolated

    for session_id in closing:
        isolated.cancel_session(session_id)  # a file still being read: its process killed
    time.sleep(RELEASE_AFTER_S)  # the send loop's turn
    from dashboard.ingest.events import settle_heap

    settle_heap()  # collected (the frames were frozen by the last settle), handed back, frozen
    global closed
    closed += len(closing)
    log.info("closed %d ended session(s)", len(closing))
    return len(closing)

"""The widgets outside the date fragment that are not part of the view: the upload's reading
options and the mapping form's boxes. The browser may fold a change of one of them (a mapping
box chosen) into a rerun the map asked for at the same moment, which then runs the date
fragment alone: the rest of the page would stay as it was (the mapping form kept asking for a
start date already chosen). A fragment run that finds one changed since the last full run
asks for a full run.
"""

from __future__ import annotations

from dashboard.page import session

PREFIXES = ("map_", "upload")  # the mapping form's boxes; the upload box and its options
HELD = "_outside_widgets"


def _comparable(item):
    item = getattr(item, "file_id", item)  # an uploaded file: the same file is the same value
    return tuple(item) if isinstance(item, list) else item


def values() -> tuple:
    """Those widgets' values, as one comparable value."""
    return tuple((k, _comparable(session.value(k))) for k in session.keys_starting(PREFIXES))


def note_full_run() -> None:
    """After a full run: the values that run drew the page with."""
    session.put(HELD, values())


def fragment_run() -> bool:
    """This run is a fragment's alone (the rest of the page is not drawn again)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return bool(ctx is not None and ctx.fragment_ids_this_run)


def changed() -> bool:
    """In a fragment's run: one of those widgets changed since the last full run."""
    held = session.value(HELD)
    return held is not None and fragment_run() and held != values()

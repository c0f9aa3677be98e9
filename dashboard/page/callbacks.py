"""A widget's callback runs whole.

Streamlit treats every read and write of the session state as a point where a newer request
from the browser may stop the run (``SafeSessionState._yield_callback``), inside a callback
too, and its callback runner (``SessionState._run_callback_and_record_rerun``) takes that stop
for the callback's own ``st.rerun()``: the rest of the callback is dropped. Seen on a busy
machine: Forward, then a sidebar toggle sent before Forward's run had started; Forward's
callback moved the date, then died on its next write, and the toggle's run, which carried the
slider as the browser still had it, undid the step (``tests/browser/test_briefing.py``).

So while a callback runs, that check waits. Streamlit checks for newer requests again right
after the callbacks, so a newer request still stops the run, only not half-way through a
click. The page's callbacks only read and write the session (milliseconds); none waits on a
file or the network.
"""

from __future__ import annotations

import logging

from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.session_state import SessionState

log = logging.getLogger("oblast_events_map")
RUNNER = "_run_callback_and_record_rerun"  # Streamlit 1.67 (requirements.txt)


def _no_check() -> None:
    return None


def run_whole(original):
    """``original`` (Streamlit's callback runner) with the session's stop check held back."""

    def runner(self, votes, run):
        ctx = get_script_run_ctx(suppress_warning=True)
        safe = getattr(ctx, "session_state", None)
        try:
            check = object.__getattribute__(safe, "_yield_callback")
        except AttributeError:
            return original(self, votes, run)
        object.__setattr__(safe, "_yield_callback", _no_check)
        try:
            return original(self, votes, run)
        finally:
            object.__setattr__(safe, "_yield_callback", check)

    runner.oem_whole = True
    runner.__wrapped__ = original
    return runner


def install() -> bool:
    """Once per process (each run calls it; later calls do nothing). False, logged, if this
    Streamlit has no such runner: a callback may then be cut short as before."""
    original = getattr(SessionState, RUNNER, None)
    if original is None:
        log.warning("callbacks: Streamlit has no %s; callbacks may be cut short", RUNNER)
        return False
    if not getattr(original, "oem_whole", False):
        setattr(SessionState, RUNNER, run_whole(original))
    return True

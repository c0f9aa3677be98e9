"""page.callbacks: a widget's callback runs whole even when a newer request is waiting."""

from types import SimpleNamespace

import pytest
from streamlit.runtime.scriptrunner import RerunData, RerunException
from streamlit.runtime.state.safe_session_state import SafeSessionState
from streamlit.runtime.state.session_state import SessionState, _CallbackRerunVotes

from dashboard.page import callbacks


def newer_request_waiting() -> None:
    """Streamlit's stop check when the browser has sent another request meanwhile."""
    raise RerunException(RerunData(query_string="newer"))


@pytest.fixture
def safe(monkeypatch):
    state = SessionState()
    wrapped = SafeSessionState(state, newer_request_waiting)
    ctx = SimpleNamespace(session_state=wrapped)
    monkeypatch.setattr(callbacks, "get_script_run_ctx", lambda suppress_warning=False: ctx)
    return wrapped


def click(safe) -> None:
    """A callback: two writes (the date, then its hold)."""
    safe["date"] = "2022-09-26"
    safe["hold"] = "26 over 25"


def test_without_it_streamlit_drops_the_rest_of_the_callback(safe):
    votes = _CallbackRerunVotes()
    runner = getattr(SessionState, callbacks.RUNNER)
    plain = getattr(runner, "__wrapped__", runner)
    plain(safe._state, votes, lambda: click(safe))
    assert votes.pending_reruns  # the newer request, taken for the callback's own st.rerun()
    assert "hold" not in safe._state and "date" not in safe._state


def test_with_it_the_callback_runs_whole_and_the_check_comes_back(safe):
    votes = _CallbackRerunVotes()
    runner = getattr(SessionState, callbacks.RUNNER)
    whole = callbacks.run_whole(getattr(runner, "__wrapped__", runner))
    whole(safe._state, votes, lambda: click(safe))
    assert safe._state["date"] == "2022-09-26" and safe._state["hold"] == "26 over 25"
    assert not votes.pending_reruns
    with pytest.raises(RerunException):  # after the callback, the newer request stops the run
        safe["date"]


def test_install_wraps_streamlits_runner_once():
    assert callbacks.install() and callbacks.install()
    runner = getattr(SessionState, callbacks.RUNNER)
    assert runner.oem_whole and not getattr(runner.__wrapped__, "oem_whole", False)

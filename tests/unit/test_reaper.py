"""The reaper closes every session once its tab has been gone for the grace period, and only
then: a session still connected, or back within the grace period, is left alone."""

import threading
from types import SimpleNamespace

import pytest
from streamlit.runtime import Runtime
from streamlit.runtime.fragment import MemoryFragmentStorage
from streamlit.runtime.state.session_state import SessionState

from dashboard.ingest import events, isolated
from dashboard.page import reaper


class FakeRuntime:
    """What the reaper uses of Streamlit's runtime; the event loop runs a call at once."""

    def __init__(self):
        self.connected: set[str] = set()
        self.closed: list[str] = []
        self.states: dict[str, SessionState] = {}
        self.fragments: dict[str, MemoryFragmentStorage] = {}
        self._session_mgr = SimpleNamespace(get_session_info=self.info)
        self.sent = threading.Event()
        loop = SimpleNamespace(call_soon_threadsafe=lambda fn: fn())
        self.async_objs = SimpleNamespace(eventloop=loop, need_send_data=self.sent)

    def is_active_session(self, session_id: str) -> bool:
        return session_id in self.connected

    def close_session(self, session_id: str) -> None:
        self.closed.append(session_id)

    def _get_async_objs(self):
        return self.async_objs

    def info(self, session_id: str):
        state = self.states.setdefault(session_id, SessionState())
        fragments = self.fragments.setdefault(session_id, MemoryFragmentStorage())
        return SimpleNamespace(
            session=SimpleNamespace(_session_state=state, _fragment_storage=fragments)
        )


@pytest.fixture
def runtime(monkeypatch):
    fake = FakeRuntime()
    monkeypatch.setattr(Runtime, "exists", staticmethod(lambda: True))
    monkeypatch.setattr(Runtime, "instance", staticmethod(lambda: fake))
    monkeypatch.setattr(reaper, "RELEASE_AFTER_S", 0)
    monkeypatch.setattr(reaper, "_WATCHED", {})
    monkeypatch.setattr(reaper, "_THREAD", None)  # a reaper started by an AppTest stops
    monkeypatch.setenv("OEM_SESSION_GRACE_S", "30")
    cancelled: list[str] = []
    monkeypatch.setattr(isolated, "cancel_session", cancelled.append)
    settled: list[bool] = []
    monkeypatch.setattr(events, "settle_heap", lambda: settled.append(True))
    fake.cancelled, fake.settled = cancelled, settled
    return fake


def test_a_session_gone_for_the_grace_period_is_closed_and_its_memory_settled(runtime):
    reaper._WATCHED.update({"gone": None, "here": None, "back": None})
    for session_id in ("gone", "here"):
        session = runtime.info(session_id).session
        session._session_state["_upload"] = b"x" * 1000
        session._fragment_storage.register("date", lambda: None)
    runtime.connected = {"here", "back"}
    assert reaper.sweep(100.0) == 0  # all seen; "gone" is first seen away now
    runtime.connected = {"here"}  # "back" drops too
    assert reaper.sweep(110.0) == 0
    runtime.connected = {"here", "back"}  # and comes back within the grace period
    assert reaper.sweep(129.9) == 0 and runtime.closed == []
    assert reaper.sweep(130.0) == 1
    assert runtime.closed == ["gone"] and runtime.cancelled == ["gone"]
    assert runtime.sent.is_set() and runtime.settled == [True]
    # its state emptied: Streamlit's send loop may keep the session object itself a while
    assert "_upload" not in runtime.states["gone"] and "_upload" in runtime.states["here"]
    assert not runtime.fragments["gone"].contains("date")
    assert runtime.fragments["here"].contains("date")
    assert set(reaper._WATCHED) == {"here", "back"}
    runtime.connected = {"here"}
    assert reaper.sweep(200.0) == 0  # "back" away again: its grace period starts over
    assert reaper.sweep(229.0) == 0 and reaper.sweep(230.0) == 1
    assert runtime.closed == ["gone", "back"]


def test_the_grace_period_is_a_setting(runtime, monkeypatch):
    monkeypatch.setenv("OEM_SESSION_GRACE_S", "5")
    reaper._WATCHED.update({"gone": None})
    assert reaper.sweep(0.0) == 0 and reaper.sweep(4.9) == 0 and reaper.sweep(5.0) == 1
    monkeypatch.setenv("OEM_SESSION_GRACE_S", "-3")  # never below zero
    assert reaper.grace_s() == 0.0


def test_a_session_back_before_the_loop_closes_it_stays(runtime):
    # checked again on the event loop: a tab that reconnected meanwhile is not closed
    reaper._WATCHED.update({"late": None})
    reaper.sweep(0.0)
    loop = runtime.async_objs.eventloop

    def reconnect_first(fn):
        runtime.connected.add("late")
        fn()

    loop.call_soon_threadsafe = reconnect_first
    assert reaper.sweep(31.0) == 0  # it had ended when looked at, but is back when the
    assert runtime.closed == [] and runtime.cancelled == []  # loop runs: left open, its
    assert runtime.settled == [] and "late" in reaper._WATCHED  # reading too; watched again

"""The headers every response carries (dashboard/serving.py): who may frame the page, and no
wildcard CORS on the app's static files."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from dashboard import serving
from dashboard.config import PACKAGE_DIR
from dashboard.serving import FrameGuard, frame_ancestors


def drive(coroutine) -> None:
    """Run a coroutine that never waits (these fakes do not) without an event loop: the
    browser tests may hold one running in this thread."""
    try:
        coroutine.send(None)
    except StopIteration:
        return
    raise AssertionError("the coroutine waited")


def respond(path: str, headers: list[tuple[bytes, bytes]], kind: str = "http", **guard):
    sent: list[dict] = []

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    async def receive():
        return {"type": "http.request"}

    async def send(message):
        sent.append(message)

    drive(FrameGuard(app, **guard)({"type": kind, "path": path}, receive, send))
    return sent


def header(sent, name: bytes) -> list[bytes]:
    return [v for k, v in sent[0]["headers"] if k == name]


def test_the_page_may_be_framed_by_this_site_only_by_default():
    sent = respond("/", [(b"content-type", b"text/html")], ancestors="")
    assert header(sent, b"content-security-policy") == [b"frame-ancestors 'self'"]
    assert header(sent, b"x-frame-options") == [b"SAMEORIGIN"]
    assert header(sent, b"content-type") == [b"text/html"]
    assert sent[1] == {"type": "http.response.body", "body": b"ok"}


def test_a_portal_named_in_the_setting_may_frame_it_and_junk_is_dropped(caplog):
    with caplog.at_level(logging.WARNING, logger="oblast_events_map"):
        sent = respond("/", [], ancestors="https://portal.example.org x;script-src *")
    assert header(sent, b"content-security-policy") == [
        b"frame-ancestors 'self' https://portal.example.org"
    ]
    assert header(sent, b"x-frame-options") == []  # it cannot name the portal
    assert "not an origin" in caplog.text


def test_static_files_lose_the_wildcard_cors_header_and_pages_keep_theirs():
    wildcard = [(b"access-control-allow-origin", b"*")]
    static = respond("/app/static/steps/x/2022-09-23.json", wildcard, ancestors="")
    assert header(static, b"access-control-allow-origin") == []
    other = respond("/_stcore/health", wildcard, ancestors="")
    assert header(other, b"access-control-allow-origin") == [b"*"]


def test_a_websocket_passes_the_guard_untouched():
    sent = respond("/_stcore/stream", [(b"x", b"y")], kind="websocket", ancestors="")
    assert sent[0]["headers"] == [(b"x", b"y")]


def test_frame_ancestors_keeps_self_once_and_wildcard_subdomains():
    assert frame_ancestors("'self' https://*.intranet.example:8443") == (
        "'self'",
        "https://*.intranet.example:8443",
    )


def test_an_over_long_link_is_cut_to_the_limits_and_counts_what_it_dropped():
    from dashboard.serving import MAX_PARAMS, trim_query

    assert trim_query("date=2022-09-25&window=7") is None
    many = "&".join(f"cat{k}=x" for k in range(5_000))
    query, dropped = trim_query(many)
    assert dropped == 5_000 - MAX_PARAMS
    assert query.split("&")[:2] == ["cat0=x", "cat1=x"]
    assert query.endswith(f"&trimmed={dropped}") and query.count("&") == MAX_PARAMS
    long = "date=2022-09-25&q=" + "x" * 600_000 + "&window=7"
    query, dropped = trim_query(long)
    assert query == "date=2022-09-25&window=7&trimmed=1"


def test_the_page_says_how_many_parameters_an_over_long_link_lost():
    from dashboard.state import permalink

    state, notices = permalink.parse({"date": "2022-09-25", "trimmed": "4900"})
    assert state.date.isoformat() == "2022-09-25"
    assert notices == ["the link was too long: 4900 of its parameters were dropped"]


def test_the_link_guard_redirects_a_page_request_and_passes_everything_else():
    from dashboard.serving import LinkGuard

    many = "&".join(f"cat{k}=x" for k in range(300)).encode()
    passed: list[str] = []

    async def app(scope, receive, send):
        passed.append(scope["path"])

    async def receive():
        return {"type": "http.request"}

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "query_string": many}
    drive(LinkGuard(app)(scope, receive, send))
    assert sent[0]["status"] == 303 and passed == []
    location = dict(sent[0]["headers"])[b"location"].decode()
    assert location.startswith("/?cat0=x&") and location.endswith("&trimmed=200")
    drive(LinkGuard(app)({**scope, "path": "/_stcore/health"}, receive, send))
    drive(LinkGuard(app)({**scope, "query_string": b"date=2022-09-25"}, receive, send))
    assert passed == ["/_stcore/health", "/"]


def test_the_server_takes_a_request_as_long_as_what_the_link_guard_cuts():
    # Without this, uvicorn's h11 answers a link over 16 KiB with a bare HTTP 400.
    from types import SimpleNamespace

    import h11
    from uvicorn.protocols.http import h11_impl

    from dashboard import serving

    fake = SimpleNamespace(DEFAULT_MAX_INCOMPLETE_EVENT_SIZE=16 * 1024)
    serving.room_for_long_links(fake)
    assert fake.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE == serving.MAX_REQUEST_HEAD_BYTES
    assert serving.MAX_REQUEST_HEAD_BYTES > serving.MAX_QUERY_CHARS + 16 * 1024
    # the seam still exists: uvicorn's protocol reads this name for each new connection
    source = Path(h11_impl.__file__).read_text()
    assert "else DEFAULT_MAX_INCOMPLETE_EVENT_SIZE" in source
    # and h11 then takes a 500 KB link arriving in pieces, as a socket delivers it
    conn = h11.Connection(h11.SERVER, serving.MAX_REQUEST_HEAD_BYTES)
    head = b"GET /?cat=" + b"a" * 500_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    events = []
    for i in range(0, len(head), 65_536):
        conn.receive_data(head[i : i + 65_536])
        events.append(conn.next_event())
    assert isinstance(events[-1], h11.Request)


def test_the_cut_is_the_first_notice_whatever_else_the_link_got_wrong():
    # the page lists 20 notices and counts the rest: the cut, which explains them, comes first
    from dashboard.state import permalink

    params = {f"x{k}": "1" for k in range(30)} | {"zoom": "99", "trimmed": "4900"}
    _, notices = permalink.parse(params)
    assert len(notices) > 20
    assert notices[0] == "the link was too long: 4900 of its parameters were dropped"


def test_memory_is_tuned_before_the_server_allocates(monkeypatch):
    monkeypatch.delenv("MIMALLOC_PURGE_DELAY", raising=False)
    monkeypatch.setenv("MIMALLOC_ABANDONED_PAGE_PURGE", "0")  # an operator's own choice stays
    serving.tune_memory()
    assert os.environ["MIMALLOC_PURGE_DELAY"] == "0"
    assert os.environ["MIMALLOC_ABANDONED_PAGE_PURGE"] == "0"
    entry = (PACKAGE_DIR / "serve.py").read_text()
    assert entry.index("tune_memory()") < entry.index("import streamlit")

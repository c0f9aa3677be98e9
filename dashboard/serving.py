"""What the server adds to every HTTP response, as plain ASGI middleware. No Streamlit.

``FrameGuard``: only this site (and the origins in ``OEM_FRAME_ANCESTORS``, for an intranet
portal that embeds the page) may show the page in a frame: ``Content-Security-Policy:
frame-ancestors`` for current browsers, ``X-Frame-Options: SAMEORIGIN`` for older ones (sent
only when no other origin is allowed: it cannot name one). Files under ``/app/static/`` (the
map's scripts, geometry and the bundled datasets' date files) are served without a wildcard
``Access-Control-Allow-Origin``: no other site's script can read them. ``dashboard/serve.py``
installs it.

``LinkGuard``: a link to the page with more than ``MAX_PARAMS`` parameters or
``MAX_QUERY_CHARS`` characters (a link the page writes has about 40 and a whole briefing deck
fits in far fewer characters) is answered with a redirect to the same link cut to those limits,
plus ``trimmed=<how many parameters were dropped>``, which the page states as a notice
(``state.permalink``). A link of thousands of parameters then costs the page no more than a
normal one, and nothing is dropped without a word.

``room_for_long_links``: uvicorn's HTTP parser (h11) answers a request whose line and headers
pass 16 KiB with a bare "400 Bad Request", before any of this runs: a link of 5,000
parameters or a 20,000-value list never reached the page. The server takes requests up to
``MAX_REQUEST_HEAD_BYTES`` (what ``LinkGuard`` cuts, plus room for headers); past that, h11's
400 stands (docs/DEPLOY.md).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import re

log = logging.getLogger("oblast_events_map")

STATIC_PREFIX = "/app/static/"
MAX_PARAMS = 100
MAX_QUERY_CHARS = 512 * 1024
TRIMMED = "trimmed"
MAX_REQUEST_HEAD_BYTES = MAX_QUERY_CHARS + 64 * 1024
_SOURCE = re.compile(r"^(?:'self'|https?://(?:\*\.)?[A-Za-z0-9.-]+(?::\d{1,5})?)$")


def frame_ancestors(extra: str) -> tuple[str, ...]:
    """'self' and each well-formed origin of ``extra`` (space-separated); others are dropped
    with a warning (a header must never carry what a setting smuggled in)."""
    out = ["'self'"]
    for token in extra.split():
        if _SOURCE.fullmatch(token) and token not in out:
            out.append(token)
        else:
            log.warning("OEM_FRAME_ANCESTORS: %r is not an origin; ignored", token[:80])
    return tuple(out)


def guard_headers(ancestors: tuple[str, ...]) -> list[tuple[bytes, bytes]]:
    headers = [(b"content-security-policy", f"frame-ancestors {' '.join(ancestors)}".encode())]
    if ancestors == ("'self'",):
        headers.append((b"x-frame-options", b"SAMEORIGIN"))
    return headers


class FrameGuard:
    """ASGI middleware: the frame and CORS headers above on every HTTP response."""

    def __init__(self, app, ancestors: str | None = None) -> None:
        from dashboard import settings

        self.app = app
        extra = settings.get("OEM_FRAME_ANCESTORS") if ancestors is None else ancestors
        self.headers = guard_headers(frame_ancestors(extra))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = scope.get("path", "").startswith(STATIC_PREFIX)
        dropped = {b"x-frame-options", b"content-security-policy"}
        if static:
            dropped.add(b"access-control-allow-origin")

        async def guarded(message):
            if message["type"] == "http.response.start":
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in dropped]
                message = {**message, "headers": kept + self.headers}
            await send(message)

        await self.app(scope, receive, guarded)


def trim_query(query: str) -> tuple[str, int] | None:
    """``query`` cut to MAX_PARAMS parameters and MAX_QUERY_CHARS characters, with the number
    of parameters dropped; None when it is within both."""
    if len(query) <= MAX_QUERY_CHARS and query.count("&") < MAX_PARAMS:
        return None
    parts = [p for p in query.split("&") if p and not p.startswith(f"{TRIMMED}=")]
    kept, size = [], 0
    for part in parts:
        if len(kept) == MAX_PARAMS:
            break
        if size + len(part) + 1 > MAX_QUERY_CHARS:
            continue  # one huge value goes; the parameters after it may still fit
        kept.append(part)
        size += len(part) + 1
    dropped = len(parts) - len(kept)
    if dropped == 0:
        return None
    return "&".join([*kept, f"{TRIMMED}={dropped}"]), dropped


class LinkGuard:
    """ASGI middleware: an over-long link to a page is redirected to its trimmed form."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http" and scope.get("method") == "GET":
            path = scope.get("path", "")
            raw = scope.get("query_string", b"").decode("latin-1")
            trimmed = (
                None
                if path.startswith(("/_stcore/", "/app/", "/component/"))
                else (trim_query(raw))
            )
            if trimmed is not None:
                location = f"{scope.get('root_path', '')}{path}?{trimmed[0]}"
                await send(
                    {
                        "type": "http.response.start",
                        "status": 303,
                        "headers": [
                            (b"location", location.encode("latin-1")),
                            (b"content-length", b"0"),
                            (b"cache-control", b"no-store"),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": b""})
                return
        await self.app(scope, receive, send)


def room_for_long_links(h11_protocol) -> None:
    """uvicorn's HTTP/1.1 protocol (``h11_protocol``: ``uvicorn.protocols.http.h11_impl``)
    takes a request line and headers of up to ``MAX_REQUEST_HEAD_BYTES``. Streamlit builds
    uvicorn's settings before it imports ``dashboard/serve.py`` and leaves this one unset, so
    each new connection reads the module's default: raised here, once, before the first
    request. (h11's own default, 16 KiB, was enforced only when a request came in more than
    one read: a 125 KB link opened and a 131 KB one got HTTP 400.)"""
    if getattr(h11_protocol, "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE", 0) < MAX_REQUEST_HEAD_BYTES:
        h11_protocol.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE = MAX_REQUEST_HEAD_BYTES


M_ARENA_MAX = -8  # glibc's mallopt parameter


def tune_memory() -> None:
    """Before the server allocates: freed memory goes back to the system.

    - Arrow's mimalloc hands freed pages back at once, also those of a script thread that has
      ended (an upload parsed in a session since closed): without this the server stayed
      ~120 MB above its level after such a session (page/reaper.py). Read when Arrow first
      allocates.
    - At most two glibc malloc arenas (default: 8 per core, one per busy thread). Each
      session's script thread otherwise leaves its own arena partly used after its upload is
      gone: after a 150 MB upload's session closed, the server stayed 11-14 % above its level
      before with the default and 7-11 % with two (one probe each, 1 Dec; the Python objects
      were the same).
    """
    os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")
    os.environ.setdefault("MIMALLOC_ABANDONED_PAGE_PURGE", "1")
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to set
        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)

"""The server: ``python -m streamlit run dashboard/serve.py`` (``make run``).

Streamlit's own ASGI app (``st.App``) around the page (``dashboard/app.py``), with the
headers every response carries (``dashboard.serving.FrameGuard``: who may frame the page) and
over-long links cut with a notice (``LinkGuard``).
Running ``dashboard/app.py`` directly still works, without those headers.
"""

import contextlib
import ctypes
import os
import sys
from pathlib import Path

M_ARENA_MAX = -8  # glibc's mallopt parameter

# Arrow's mimalloc hands freed pages back at once, also those of a script thread that has
# ended (an upload parsed in a session since closed): without this the server stayed ~120 MB
# above its level after such a session (page/reaper.py). Read when Arrow first allocates.
os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")
os.environ.setdefault("MIMALLOC_ABANDONED_PAGE_PURGE", "1")
# At most two glibc malloc arenas (default: 8 per core, one per busy thread). Each session's
# script thread otherwise leaves its own arena partly used after its upload is gone: after a
# 150 MB upload's session closed, the server stayed 11-14 % above its level before with the
# default and 7-11 % with two (one run each, 1 Dec; the Python objects were the same).
with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to set
    ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, 2)

import streamlit as st  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

# `streamlit run dashboard/serve.py` puts dashboard/ on sys.path, not the root: add the root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from uvicorn.protocols.http import h11_impl  # noqa: E402

from dashboard.serving import FrameGuard, LinkGuard, room_for_long_links  # noqa: E402

room_for_long_links(h11_impl)  # links up to what LinkGuard cuts reach the page

from dashboard.ingest import isolated  # noqa: E402

isolated.warm_later()  # the upload readers' forkserver, started before the first upload

app = st.App(
    Path(__file__).with_name("app.py"),
    middleware=[Middleware(FrameGuard), Middleware(LinkGuard)],
)

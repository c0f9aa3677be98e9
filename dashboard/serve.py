"""The server: ``python -m streamlit run dashboard/serve.py`` (``make run``).

Streamlit's own ASGI app (``st.App``) around the page (``dashboard/app.py``), with the
headers every response carries (``dashboard.serving.FrameGuard``: who may frame the page) and
over-long links cut with a notice (``LinkGuard``).
Running ``dashboard/app.py`` directly still works, without those headers.
"""

import os
import sys
from pathlib import Path

# Arrow's mimalloc hands freed pages back at once, also those of a script thread that has
# ended (an upload parsed in a session since closed): without this the server stayed ~120 MB
# above its level after such a session (page/reaper.py). Read when Arrow first allocates.
os.environ.setdefault("MIMALLOC_PURGE_DELAY", "0")
os.environ.setdefault("MIMALLOC_ABANDONED_PAGE_PURGE", "1")

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

"""The server: ``python -m streamlit run dashboard/serve.py`` (``make run``).

Streamlit's own ASGI app (``st.App``) around the page (``dashboard/app.py``), with the
headers every response carries (``dashboard.serving.FrameGuard``: who may frame the page) and
over-long links cut with a notice (``LinkGuard``).
Running ``dashboard/app.py`` directly still works, without those headers.
"""

import sys
from pathlib import Path

# `streamlit run dashboard/serve.py` puts dashboard/ on sys.path, not the root: add the root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from dashboard.serving import FrameGuard, LinkGuard, room_for_long_links, tune_memory  # noqa: E402

tune_memory()  # before Arrow and the script threads allocate

import streamlit as st  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402
from uvicorn.protocols.http import h11_impl  # noqa: E402

room_for_long_links(h11_impl)  # links up to what LinkGuard cuts reach the page

from dashboard.ingest import isolated  # noqa: E402

isolated.warm_later()  # the upload readers' forkserver, started before the first upload

app = st.App(
    Path(__file__).with_name("app.py"),
    middleware=[Middleware(FrameGuard), Middleware(LinkGuard)],
)

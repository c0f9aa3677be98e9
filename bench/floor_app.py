"""The stack's floor: the least page the given stack (Streamlit, folium, streamlit-folium) can
show a map with. One ``st_folium`` map of the five oblasts' outlines, drawn with the same offline
Leaflet as the dashboard; no events, no slider, no other widget. ``python -m bench.floor`` times
a new visitor's first map on it beside the dashboard and the naive app, on the same machine in
the same run, so a floor asked of the dashboard can be compared with what the stack allows.

    streamlit run bench/floor_app.py

As in bench/naive_app.py, one line is instrumentation: the map container gets a
``data-oem-date`` attribute (the benchmark waits for it as on the dashboard).
"""

from __future__ import annotations

import sys
from pathlib import Path

import folium
import streamlit as st
from streamlit_folium import st_folium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.naive_app_parts import DateMark  # noqa: E402
from dashboard.render import assets  # noqa: E402

START_DAY = "2022-09-01"


@st.cache_data
def outlines() -> str:
    return (ROOT / "data" / "geo" / "oblasts.geojson").read_text(encoding="utf-8")


assets.ensure_static()  # Leaflet copied from its package, as the dashboard does at start-up
m = folium.Map(location=(48.2, 35.6), zoom_start=6, tiles=None)
m.default_js = [("leaflet", assets.LEAFLET_JS)]  # offline, as the dashboard
m.default_css = [("leaflet_css", assets.LEAFLET_CSS)]
folium.GeoJson(outlines(), style_function=lambda _: {"weight": 1, "fillOpacity": 0}).add_to(m)
DateMark(START_DAY).add_to(m)
st_folium(m, key="map", height=600, width=1000, returned_objects=[])

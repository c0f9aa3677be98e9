"""The naive approach, for comparison: what a first-time user of these libraries writes.

Read the CSV with pandas, join the points to the oblasts with geopandas, and on every rerun
build a new folium map with one CircleMarker (and popup) per event in the 7 days up to the
slider's date. Run by ``bench/run.py`` as its own Streamlit app on the same file:

    OEM_EVENTS_CSV=/tmp/acled-100k.csv streamlit run bench/naive_app.py

Two lines are instrumentation, not part of the approach: the map container gets a
``data-oem-date`` attribute (the benchmark waits for it, as it does on the dashboard), and
the run time goes to OEM_TIMING_LOG.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.naive_app_parts import DateMark  # noqa: E402
from dashboard.render import assets  # noqa: E402

started = time.perf_counter()


@st.cache_data
def load(path: str) -> gpd.GeoDataFrame:
    df = pd.read_csv(path)
    df["event_date"] = pd.to_datetime(df["event_date"])
    points = gpd.GeoDataFrame(
        df, geometry=gpd.points_from_xy(df["longitude"], df["latitude"]), crs="EPSG:4326"
    )
    oblasts = gpd.read_file(ROOT / "data" / "geo" / "oblasts.geojson")
    return gpd.sjoin(points, oblasts, how="left", predicate="within")


events = load(os.environ["OEM_EVENTS_CSV"])
first, last = events["event_date"].min().date(), events["event_date"].max().date()
day = st.slider("Date", first, last, dt.date(2022, 9, 1), key="date")
since = pd.Timestamp(day) - pd.Timedelta(days=6)
shown = events[(events["event_date"] >= since) & (events["event_date"] <= pd.Timestamp(day))]

m = folium.Map(location=(48.2, 35.6), zoom_start=6, tiles=None)
m.default_js = [("leaflet", assets.LEAFLET_JS)]  # offline, as the dashboard
m.default_css = [("leaflet_css", assets.LEAFLET_CSS)]
for row in shown.itertuples():
    folium.CircleMarker(
        (row.latitude, row.longitude),
        radius=5,
        fill=True,
        # folium.Popup needs jQuery (a CDN); the tooltip carries the same text offline
        tooltip=f"{row.location} {row.event_date:%Y-%m-%d} {row.event_type}: {row.notes}",
    ).add_to(m)
DateMark(f"{day:%Y-%m-%d}").add_to(m)
st.write(f"{len(shown)} events")
st_folium(m, key="map", height=600, width=1000)

if os.environ.get("OEM_TIMING_LOG"):
    with open(os.environ["OEM_TIMING_LOG"], "a", encoding="utf-8") as out:
        out.write(f"step\t{(time.perf_counter() - started) * 1000:.2f}\n")

"""The sidebar's control-area upload: an analyst's dated control polygons (GeoJSON), kept in
this browser session only, drawn on the date they are in force (``ingest.areas``)."""

from __future__ import annotations

import streamlit as st

from dashboard.ingest import areas
from dashboard.ingest.textsafe import md_escape
from dashboard.page import session


def areas_panel(T) -> areas.Areas | None:
    """The upload box, what happened to the file(s), and the areas (or None)."""
    files = st.file_uploader(
        T("areas_upload", limit=areas.MAX_BYTES // 2**20),
        type=["geojson", "json"],
        accept_multiple_files=True,
        key="areas_upload",
        max_upload_size=areas.MAX_BYTES // 2**20,
        help=T("areas_help"),
    )
    if not files:
        session.drop("_areas")
        return None
    token = tuple((f.file_id, f.name, f.size) for f in files)
    held = session.value("_areas")
    if held is None or held[0] != token:
        try:
            loaded: areas.Areas | str = areas.read_areas([(f.name, f.getvalue()) for f in files])
        except areas.AreasError as exc:
            loaded = str(exc)
        session.put("_areas", (token, loaded))
    loaded = session.value("_areas")[1]
    if isinstance(loaded, str):
        st.error(T("areas_unusable", error=md_escape(loaded)))
        return None
    st.caption(
        T(
            "areas_read",
            n=len(loaded.areas),
            rejected=len(loaded.rejected),
            credit=md_escape(loaded.credit),
        )
    )
    for where, reason in loaded.rejected[:10]:
        st.caption(f"{md_escape(where)}: {md_escape(reason)}")
    return loaded

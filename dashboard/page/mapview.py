"""The map on the page: the base map and the date's layers through streamlit-folium, and where
the user moves it (``timebar.protocol`` reads the map's value)."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from dashboard.geo.regions import Regions
from dashboard.page import data, session
from dashboard.render import leaflet
from dashboard.scene.basemap import CENTER, ZOOM
from dashboard.state import permalink, transitions
from dashboard.timebar import protocol

MAP_KEY = "map"
MAP_HEIGHT = 620
PRESENT_HEIGHT = 760  # the presentation CSS sizes the frame to the screen


def map_key(tiles: str, lang: str, present: bool) -> str:
    """The map component's key: a new basemap, language or mode is a new map."""
    return f"{MAP_KEY}-{tiles}-{lang}-{int(present)}"


def map_value(key: str):
    """What the map's client last sent (``timebar.protocol``), or None."""
    return session.value(key)


def draw(the_scene, regions: Regions, height: int, present: bool) -> None:
    """The map. It opens where the view says (after a change of tiles, language or mode, where
    it was left) and reports where the user moves it; the view is never pushed back into the
    map, which would fight a user still panning."""
    problem = data.static_problem()
    if problem is not None:  # the rest of the page goes on without the map
        from dashboard.i18n import tr
        from dashboard.ingest.textsafe import md_escape

        st.error(tr(the_scene.lang)("map_files_missing", error=md_escape(problem)))
        return
    key = map_key(the_scene.tiles, the_scene.lang, present)
    home = session.value("_map_home")
    if home is None or home[0] != key:
        session.put("_map_home", (key, session.view().map_view))
    lat, lon, zoom = session.value("_map_home")[1]
    out = st_folium(
        leaflet.base_map(
            regions,
            the_scene.tiles,
            the_scene.lang,
            center=(lat, lon) if lat is not None else None,
            zoom=zoom,
            control=data.control_table(),
        ),
        key=key,
        feature_group_to_add=leaflet.feature_group(the_scene.layers, the_scene.controls),
        returned_objects=["center", "zoom"],
        height=height,
        use_container_width=True,
    )
    reported = protocol.parse_view(out)
    # A map opened with no view fits the five oblasts to its own size, and its client says
    # which view that gave (``protocol.parse_fit``): that is this map's default, so a link
    # carries a view only once the user has moved away from it.
    fitted = protocol.parse_fit(out)
    if fitted is not None and lat is None:
        session.put("_map_fit", (key, fitted))
        session.apply_view(transitions.forget_view, fitted)
    take_area(key)
    fit = session.value("_map_fit")
    default = fit[1] if fit is not None and fit[0] == key and lat is None else (*CENTER, ZOOM)
    session.apply_view(transitions.move_map, reported, default)


def take_area(key: str) -> None:
    """An area the user drew on the map (or cleared) becomes the view's, and the whole page
    runs again with it: the counts, the table and the chart all filter to it."""
    import streamlit as st

    drawn = protocol.parse_area(map_value(key))
    if drawn is None or drawn[0] == session.value("_area_id"):
        return
    session.put("_area_id", drawn[0])
    area = permalink.check_area(drawn[1])
    if area != tuple(session.view().area):
        session.put("area", area)
        session.mark_touched("area")
        st.rerun(scope="app")

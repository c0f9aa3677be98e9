"""A scene as one standalone HTML file: Leaflet and the map client inlined, so it opens from
disk with no internet and no server. No Streamlit."""

from __future__ import annotations

from html import escape

from dashboard.geo.regions import Regions
from dashboard.render import assets, leaflet


def standalone_html(scene, regions: Regions, control=None) -> bytes:
    """One HTML file with this map (``scene.build.Scene``), Leaflet inlined.

    Build ``scene`` with ``overlay="full"`` so the legend and the date travel with the map;
    ``control``: the control table whose settlements' histories the popups show.
    """
    zoom = None
    if scene.center is not None:
        zoom = scene.zoom if scene.zoom is not None else leaflet.ZOOM
    m = leaflet.base_map(
        regions,
        scene.tiles,
        scene.lang,
        center=scene.center,
        zoom=zoom,
        inline=True,
        control=control,
    )
    m.default_js = []
    m.default_css = []
    leaflet_js = assets.package_file("leaflet", "leaflet.js").read_text(encoding="utf-8")
    leaflet_css = assets.package_file("leaflet", "leaflet.css").read_text(encoding="utf-8")
    leaflet_js = leaflet_js.replace("</script", "<\\/script")
    client_js = assets.client_js().replace("</script", "<\\/script")
    m.get_root().header.add_child(
        leaflet.Raw(
            f"<title>{escape(scene.title)} · {escape(scene.date_text)}</title>"
            f"<style>{leaflet_css}</style><script>{leaflet_js}</script>"
            f"<script>{client_js}</script>"
        ),
        name="leaflet_inline",
        index=0,
    )
    leaflet.feature_group(scene.layers, scene.controls).add_to(m)
    return m.get_root().render().encode("utf-8")

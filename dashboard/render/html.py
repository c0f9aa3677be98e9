"""A scene as one standalone HTML file: Leaflet and the map client inlined, so it opens from
disk with no internet and no server. No Streamlit."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from dashboard.geo.regions import Regions
from dashboard.render import assets, leaflet


def _script(text: str) -> str:
    return "<script>" + text.replace("</script", "<\\/script") + "</script>"


def _style(text: str) -> str:
    return "<style>" + text.replace("</style", "<\\/style") + "</style>"


def plugin_tags(modes: Iterable[str]) -> str:
    """The plugins the density ``modes`` draw with, inline (the page loads them from URLs
    instead, ``leaflet.plugin_urls``): Leaflet.markercluster for clusters, leaflet.heat for
    heat. The client finds them present and needs no URL. Points need none."""
    modes = set(modes)
    tags = []
    if "clusters" in modes:
        css = assets.package_file("markercluster", "MarkerCluster.css")
        js = assets.package_file("markercluster", "leaflet.markercluster.js")
        tags += [_style(css.read_text(encoding="utf-8")), _script(js.read_text(encoding="utf-8"))]
    if "heat" in modes:
        tags.append(_script(assets.heat_source().read_text(encoding="utf-8")))
    return "".join(tags)


def inline_scripts(modes: Iterable[str] = ()) -> str:
    """Leaflet, the plugins of ``modes`` and the map client as inline <style>/<script> tags,
    in the order they must run (for the head of a page built with ``base_map(inline=True)``)."""
    leaflet_js = assets.package_file("leaflet", "leaflet.js").read_text(encoding="utf-8")
    leaflet_css = assets.package_file("leaflet", "leaflet.css").read_text(encoding="utf-8")
    return (
        _style(leaflet_css) + _script(leaflet_js) + plugin_tags(modes) + _script(assets.client_js())
    )


def standalone_html(scene, regions: Regions, control=None) -> bytes:
    """One HTML file with this map (``scene.build.Scene``), Leaflet inlined, and the plugin its
    payload's density mode (``dm``) draws with.

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
    mode = scene.layers.payload.get("dm", "points")
    m.get_root().header.add_child(
        leaflet.Raw(
            f"<title>{escape(scene.title)} · {escape(scene.date_text)}</title>"
            + inline_scripts([mode])
        ),
        name="leaflet_inline",
        index=0,
    )
    leaflet.feature_group(scene.layers, scene.controls).add_to(m)
    return m.get_root().render().encode("utf-8")

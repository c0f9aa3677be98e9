"""Leaflet through folium: the base map and the per-date layer the page sends to
streamlit-folium, from a scene's plain data. No Streamlit.

The base map is deterministic (same data -> same JavaScript), so streamlit-folium never reloads
its iframe; everything that changes with the date or filters lives in one FeatureGroup passed
as ``feature_group_to_add``. Text arrives here already escaped (``scene.popups``).
"""

from __future__ import annotations

import functools
import json

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from dashboard.geo.regions import Regions
from dashboard.i18n import tr
from dashboard.render import assets
from dashboard.scene import basemap
from dashboard.scene.basemap import CENTER, ZOOM

TILES = {
    "none": None,
    "osm": (
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "&copy; OpenStreetMap contributors",
    ),
    "carto-light": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "&copy; OpenStreetMap contributors &copy; CARTO",
    ),
}

MAP_CSS = """<style>
.oem-label{font:600 12px/1.1 system-ui,sans-serif;color:#555;text-align:center;letter-spacing:.08em;
  text-shadow:0 0 3px #fff,0 0 3px #fff;white-space:nowrap;pointer-events:none}
.oem-pop{font:13px/1.35 system-ui,sans-serif;max-height:320px;overflow-y:auto}
.oem-pop h4{margin:0 0 4px;font-size:14px}
.oem-ev{border-top:1px solid #ddd;padding:5px 0}
.oem-chip{display:inline-block;padding:0 5px;border-radius:3px;color:#fff;font-size:11px}
.oem-claim{color:#8a1c1c;font-weight:600}
.oem-nothold{color:#555;font-weight:600}
.oem-prec{font-size:11px;padding:0 4px;border-radius:3px;border:1px solid #8a5a00;color:#6b4500}
.oem-prec-disputed{background:#fff1d6;border-color:#b26b00;color:#7a3d00;font-weight:600}
.oem-now{background:#111;color:#fff;padding:0 4px;border-radius:3px;font-size:11px}
.oem-meta{color:#444;font-size:12px}
.leaflet-container{background:#dfe9f2}
html,body{height:100%;margin:0}
#map_div{height:100vh !important}
.oem-legend{background:#fff;color:#000;border:2px solid #000;border-radius:4px;
  padding:10px 14px;font:16px/1.35 system-ui,'DejaVu Sans',sans-serif;max-width:340px}
.oem-legend b{font-weight:700}
.oem-legend .sw{display:inline-block;width:26px;height:16px;border:1px solid #000;
  margin-right:8px;vertical-align:middle}
.oem-legend .dot{display:inline-block;width:14px;height:14px;border-radius:50%;
  border:1px solid #000;margin-right:8px;vertical-align:middle}
.oem-legend .row{white-space:nowrap}
.oem-legend .sec{margin-top:8px}
.oem-attrib{background:rgba(255,255,255,.92);color:#222;padding:3px 8px;max-width:60vw;
  font:12px/1.3 system-ui,'DejaVu Sans',sans-serif}
.oem-banner{background:#111;color:#fff;padding:8px 14px;border-radius:4px;
  font:700 26px/1.2 system-ui,'DejaVu Sans',sans-serif}
.oem-banner small{display:block;font-weight:400;font-size:15px}
.oem-timebar{background:#fff;border:2px solid rgba(0,0,0,.25);border-radius:6px;
  padding:4px 8px;display:flex;align-items:center;gap:6px;
  font:600 15px/1.2 system-ui,'DejaVu Sans',sans-serif;color:#111}
.oem-timebar input{width:220px;accent-color:#0b6e99;margin:0}
.oem-timebar button{border:1px solid #999;background:#f6f6f6;border-radius:4px;cursor:pointer;
  font-size:13px;padding:2px 7px;color:#111}
.oem-timebar button:hover{background:#e6eef3}
.oem-timebar input:focus-visible,.oem-timebar button:focus-visible{outline:3px solid #0b6e99;
  outline-offset:2px}
.oem-timebar output{min-width:10.5em;text-align:center}
@media (max-width:560px){.oem-timebar{gap:3px;padding:3px 4px;font-size:12px}
  .oem-timebar input{width:84px}.oem-timebar output{min-width:6.6em}}
.oem-town{font:600 12px/1.1 system-ui,'DejaVu Sans',sans-serif;color:#222;white-space:nowrap;
  text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff;pointer-events:none}
.oem-town.r0{font-size:14px;font-weight:700}
.oem-ctl{width:9px;height:9px;border:1.5px solid #fff;box-sizing:border-box;
  box-shadow:0 0 0 1px rgba(0,0,0,.55)}
.oem-cluster{display:flex;align-items:center;justify-content:center;border-radius:50%;
  background:rgba(17,17,17,.9);color:#fff;border:2px solid #fff;box-sizing:border-box;
  box-shadow:0 0 0 1px rgba(0,0,0,.6),0 1px 4px rgba(0,0,0,.35);
  font:700 15px/1 system-ui,'DejaVu Sans',sans-serif}
.oem-cluster:focus-visible{outline:3px solid #0b6e99;outline-offset:2px}
.oem-draw button{display:block;width:30px;height:30px;padding:0;margin:0;border:0;
  border-bottom:1px solid #ccc;background:#fff;color:#111;cursor:pointer}
.oem-draw button:first-child{border-radius:2px 2px 0 0}
.oem-draw button:last-of-type{border-bottom:0;border-radius:0 0 2px 2px}
.oem-draw button:hover{background:#f4f4f4}
.oem-draw button[aria-pressed=true]{background:#cfe3f1;color:#0b3d91}
.oem-draw button:focus-visible{outline:3px solid #0b6e99;outline-offset:1px}
.oem-draw svg{display:block;margin:auto}
.oem-draw-hint{position:absolute;left:40px;top:0;width:max-content;max-width:300px;
  background:#111;color:#fff;padding:6px 10px;border-radius:4px;
  font:14px/1.35 system-ui,'DejaVu Sans',sans-serif}
.oem-drawing{touch-action:none}
.oem-drawing,.oem-drawing .leaflet-interactive{cursor:crosshair !important}
</style>"""


class Raw(Element):
    """Text placed in the page exactly as given. folium wraps each rendered macro in an
    ``Element``, which compiles it as a Jinja template: event text such as ``{{ ... }}`` from a
    user's file would then be evaluated on the server (and a large payload costs a template
    compile on every step). This element is never compiled."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class SafeMacro(MacroElement):
    """A MacroElement whose rendered header, html and script go into the page as ``Raw``."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        module = self._template.module.__dict__
        for part in ("header", "html", "script"):
            macro = module.get(part)
            if macro is not None:
                getattr(figure, part).add_child(Raw(macro(self, kwargs)), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class ClientBase(SafeMacro):
    """Starts the map client (dashboard/web/oem-map.js) on the base map: labels inline, the
    geometry fetched once from the app's static files (or inlined for a standalone file)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
OEM.base({{ this._parent.get_name() }}, {{ this.options|tojson }});
{% endmacro %}"""
    )

    def __init__(self, options: dict) -> None:
        super().__init__()
        self._name = "oem_base"
        self.options = options


def base_map(
    regions: Regions,
    tiles: str = "none",
    lang: str = "en",
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    inline: bool = False,
    control=None,
) -> folium.Map:
    """The map that never changes with the date: context, oblast shapes, labels, assets.
    ``center`` (lat, lon) and ``zoom`` are where it opens; without them the client fits the
    five oblasts to the map's size (``basemap.FIT_BOUNDS``).
    ``inline`` puts the geometry in the page (a standalone file) instead of a static URL; the
    page's script then stays a few KB, and it is re-sent on every rerun. Inline, the map has
    no plugin URLs: the file carries the plugins its payload needs (``html.inline_scripts``)."""
    m = folium.Map(
        location=center or CENTER,
        zoom_start=zoom if zoom is not None else ZOOM,
        tiles=None,
        control_scale=True,
        min_zoom=basemap.MIN_ZOOM,
        max_zoom=basemap.MAX_ZOOM,
    )
    # Offline: Leaflet from the app's own static files, and no jQuery/Bootstrap/CDN fonts.
    m.default_js = [("leaflet", assets.LEAFLET_JS)]
    m.default_css = [("leaflet_css", assets.LEAFLET_CSS)]
    if not inline:
        m.default_js.append(("oem_client", assets.client_url()))
    m.get_root().header.add_child(Raw(MAP_CSS), name="oem_css")
    if TILES.get(tiles):
        url, attribution = TILES[tiles]
        folium.TileLayer(url, attr=attribution, name=tiles, max_zoom=19).add_to(m)
    static = basemap.static_features(regions, lang)
    options: dict = {
        "labels": static["label_list"],
        "towns": static["town_list"],
        "maxBounds": basemap.MAX_BOUNDS,
        "maxZoom": basemap.MAX_ZOOM,  # folium gives its max_zoom to tile layers only
        "plugins": {} if inline else plugin_urls(),
        "words": draw_words(lang),
    }
    if center is None:  # no view given: fit the five oblasts to whatever size the map has
        options["fit"] = basemap.FIT_BOUNDS
    if inline:
        options["geo"] = basemap.static_geo(regions, lang, control)
    else:
        name = ("url", id(control))  # published once per Regions, language and control table
        if name not in static:
            static[name] = assets.geo_url(basemap.static_geo(regions, lang, control))
        options["url"] = static[name]
    ClientBase(options).add_to(m)
    return m


def plugin_urls() -> dict:
    """Where the client loads its plugins from, the first time a payload needs one (``dm``
    clusters or heat): Leaflet.markercluster's script and stylesheet, leaflet.heat's script.
    MarkerCluster.Default.css is left out: it styles only the default cluster icons, which the
    client replaces with its own (``.oem-cluster``)."""
    return {
        "cluster_js": assets.CLUSTER_JS,
        "cluster_css": [assets.CLUSTER_CSS],
        "heat_js": assets.HEAT_JS,
    }


DRAW_WORDS = {  # the client's word -> the i18n key
    "rect": "draw_rect",
    "poly": "draw_poly",
    "clear": "draw_clear",
    "hint_rect": "draw_hint_rect",
    "hint_poly": "draw_hint_poly",
}


def draw_words(lang: str) -> dict[str, str]:
    """The area tool's titles and hints, plain text (the client sets them as text)."""
    T = tr(lang)  # noqa: N806 (reads like a gettext call)
    return {word: T(key) for word, key in DRAW_WORDS.items()}


class MapControl(SafeMacro):
    """Fixed HTML over the map (legend, title banner) that comes and goes with its layer group.

    A plain Leaflet control would outlive the per-date FeatureGroup that streamlit-folium swaps
    on every step; this layer adds the control when the group is added and removes it with it.
    The HTML must already be escaped.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new (L.Layer.extend({
  onAdd: function (map) {
    var html = {{ this.html|tojson }}, cls = {{ this.css_class|tojson }};
    this._control = L.control({position: {{ this.position|tojson }}});
    this._control.onAdd = function () {
      var div = L.DomUtil.create("div", cls);
      div.innerHTML = html;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    this._control.addTo(map);
  },
  onRemove: function (map) { if (this._control) { map.removeControl(this._control); } }
}))();
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, html: str, position: str = "bottomleft", css_class: str = "oem-legend"):
        super().__init__()
        self._name = "map_control"
        self.html = html
        self.position = position
        self.css_class = css_class


class DateLayer(SafeMacro):
    """One date on the page: the client restyles the oblasts and draws the markers from this
    compact payload (strings escaped, styles and strings sent once each)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
var {{ this.get_name() }} = new OEM.DateLayer({{ this.payload_json }});
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}"""
    )

    def __init__(self, payload: dict) -> None:
        super().__init__()
        self._name = "oem_date"
        self.payload = payload  # the scene may add to it until the layer is rendered

    @functools.cached_property
    def payload_json(self) -> str:
        return script_json(self.payload)  # encoded once: the macro is rendered twice


def script_json(value) -> str:
    """JSON safe inside an HTML <script> (as Jinja's ``tojson``), UTF-8 rather than \\u escapes
    (Ukrainian text is half the size)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        text = text.replace(char, code)
    return text


def feature_group(layers, controls: tuple[tuple[str, str, str], ...] = ()) -> folium.FeatureGroup:
    """A scene's date layers (``scene.layers.DateLayers``) as the FeatureGroup the page hands to
    streamlit-folium, with its fixed HTML ``controls`` (html, position, css class) over the map."""
    group = folium.FeatureGroup(name="events")
    DateLayer(layers.payload).add_to(group)
    for html, position, css_class in controls:
        MapControl(html, position, css_class).add_to(group)
    return group

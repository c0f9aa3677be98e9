"""Draw the current view as a PNG for slides, on the server, with no browser. No Streamlit.

The picture is drawn from the same layer data the page sends to Leaflet (``maps.date_layers``:
each feature's ``_style``), in the same Web Mercator projection and at the same zoom, so the
oblasts have exactly the colours of the on-screen scale and the markers the same sizes. Around
the map: a title and date banner, the legend (``dashboard.scene.legend``) and the attribution.

Shapes are drawn at twice the size and scaled down, which smooths their edges; the inside of
every shape keeps its exact colour.

A deck slide's annotations (``state.deck.Annotation``: arrows, circles, labels) are drawn over
the layers and the place names and under the banner, legend box and attribution, in the one
style of ``dashboard.scene.annotations``: an arrow's text beyond its tail, a circle's above
its top, a label's centred on its point (as the map client, ``web/oem-map.js``).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageDraw

from dashboard.geo.regions import Regions
from dashboard.i18n import tr
from dashboard.render.paint import NoFont, _fit_text, font, font_path, heat_overlay, rgb  # noqa: F401
from dashboard.render.slide_legend import AREA_STYLE, draw_legend
from dashboard.render.slide_names import draw_squares, place_names
from dashboard.scene import annotations as ann
from dashboard.scene import basemap
from dashboard.scene.legend import BACKGROUND, Legend

SIZES = {"1920x1080": (1920, 1080), "1280x720": (1280, 720)}
SEA = "#dfe9f2"  # the map's background, as .leaflet-container in maps.MAP_CSS
BANNER = "#111111"
BANNER_TEXT = "#ffffff"
SUPERSAMPLE = 2
TILE = 256  # Leaflet's world is 256 * 2**zoom pixels wide
FIT_BOUNDS = ((31.5, 45.9), (40.3, 50.5))  # lon/lat corners of the five oblasts
MIN_ZOOM, MAX_ZOOM = 4, 13
# Characters a picture, a PDF or a PowerPoint file cannot show as text (each becomes a space):
# controls, bidi overrides and marks (they would reorder or hide what follows), zero-width
# characters, lone surrogates and non-characters (XML refuses them).
UNSHOWN = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2028\u2029"
    "\u2066-\u2069\ufeff\ufff9-\uffff\ud800-\udfff]"
)


def mercator(lon, lat, zoom: float):
    """Leaflet's pixel coordinates (EPSG:3857) of points (floats or numpy arrays) at a zoom."""
    world = TILE * 2**zoom
    s = np.sin(np.radians(np.clip(lat, -85.0511, 85.0511)))
    x = (np.asarray(lon) + 180) / 360 * world
    y = (0.5 - np.log((1 + s) / (1 - s)) / (4 * np.pi)) * world
    return (float(x), float(y)) if np.ndim(x) == 0 else (x, y)


def unproject(x: float, y: float, zoom: float) -> tuple[float, float]:
    """(lat, lon) of Leaflet pixel coordinates at a zoom."""
    world = TILE * 2**zoom
    lon = x / world * 360 - 180
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / world))))
    return lat, lon


@dataclass(frozen=True)
class Frame:
    """Where the map sits in the image and what it shows."""

    left: int
    top: int
    width: int
    height: int
    center: tuple[float, float]  # lat, lon
    zoom: float

    def project(self, lon, lat):
        """Image pixel (at 1x) of a point, or of numpy arrays of points."""
        cx, cy = mercator(self.center[1], self.center[0], self.zoom)
        x, y = mercator(lon, lat, self.zoom)
        return self.left + self.width / 2 + (x - cx), self.top + self.height / 2 + (y - cy)


def fit_zoom(width: int, height: int, bounds=FIT_BOUNDS, padding: float = 0.06) -> tuple:
    """Centre and (fractional) zoom that fit ``bounds`` into a width x height map."""
    (west, south), (east, north) = bounds
    x0, y1 = mercator(west, south, 0)
    x1, y0 = mercator(east, north, 0)
    usable_w, usable_h = width * (1 - 2 * padding), height * (1 - 2 * padding)
    zoom = math.log2(min(usable_w / (x1 - x0), usable_h / (y1 - y0)))
    zoom = max(MIN_ZOOM, min(MAX_ZOOM, zoom))
    return unproject((x0 + x1) / 2, (y0 + y1) / 2, 0), zoom


@dataclass(frozen=True)
class Slide:
    image: Image.Image
    frame: Frame

    def png(self) -> bytes:
        out = io.BytesIO()
        self.image.save(out, format="PNG", optimize=False)
        return out.getvalue()


class _Painter:
    """Shapes at SUPERSAMPLE times the final size, alpha-composited layer by layer."""

    def __init__(self, size: tuple[int, int], frame: Frame):
        self.k = SUPERSAMPLE
        self.frame = frame
        self.image = Image.new("RGBA", (size[0] * self.k, size[1] * self.k), rgb(SEA) + (255,))

    def xy(self, coords) -> list[tuple[float, float]]:
        x, y = self.frame.project(coords[:, 0], coords[:, 1])
        return list(zip((x * self.k).tolist(), (y * self.k).tolist(), strict=True))

    def _rings(self, geometry: dict):
        kind = geometry["type"]
        polygons = [geometry["coordinates"]] if kind == "Polygon" else geometry["coordinates"]
        if kind not in ("Polygon", "MultiPolygon"):
            return
        for polygon in polygons:
            yield [self.xy(np.asarray(ring, dtype=float)) for ring in polygon]

    def polygons(self, features: list[dict]) -> None:
        """Fill, then outline, each polygon feature as its ``_style`` says (Leaflet defaults
        otherwise: stroke 3 px, fill opacity 0.2)."""
        for feature in features:
            style = feature["properties"].get("_style", {})
            rings = list(self._rings(feature["geometry"]))
            if not rings:
                continue
            if style.get("fill", True) and style.get("fillColor"):
                self._fill(rings, style["fillColor"], float(style.get("fillOpacity", 0.2)))
            if style.get("stroke", True) and style.get("weight", 3) > 0:
                self._outline(rings, style.get("color", "#3388ff"), float(style.get("weight", 3)))

    def _fill(self, rings, colour: str, opacity: float) -> None:
        alpha = round(255 * opacity)
        holes = any(len(polygon) > 1 for polygon in rings)
        if alpha == 255 and not holes:
            draw = ImageDraw.Draw(self.image)
            for polygon in rings:
                draw.polygon(polygon[0], fill=rgb(colour) + (255,))
            return
        mask = Image.new("L", self.image.size, 0)
        draw = ImageDraw.Draw(mask)
        for polygon in rings:
            draw.polygon(polygon[0], fill=alpha)
            for hole in polygon[1:]:
                draw.polygon(hole, fill=0)
        self.image.paste(Image.new("RGBA", self.image.size, rgb(colour) + (255,)), mask=mask)

    def _outline(self, rings, colour: str, weight: float) -> None:
        draw = ImageDraw.Draw(self.image)
        width = max(1, round(weight * self.k))
        for polygon in rings:
            for ring in polygon:
                draw.line([*ring, ring[0]], fill=rgb(colour) + (255,), width=width, joint="curve")

    def circles(self, features: list[dict]) -> None:
        """Circle markers as Leaflet draws them: radius and stroke in screen pixels."""
        overlay = Image.new("RGBA", self.image.size, (0, 0, 0, 0))
        draw = ImageDraw.Draw(overlay)
        k = self.k
        for feature in features:
            style = feature["properties"].get("_style", {})
            lon, lat = feature["geometry"]["coordinates"][:2]
            x, y = self.frame.project(lon, lat)
            r = float(style.get("radius", 10)) * k
            fill = rgb(style.get("fillColor", "#3388ff")) + (
                round(255 * float(style.get("fillOpacity", 0.2))),
            )
            stroke = rgb(style.get("color", "#3388ff")) + (255,)
            width = max(1, round(float(style.get("weight", 3)) * k))
            draw.ellipse((x * k - r, y * k - r, x * k + r, y * k + r), fill=fill)
            draw.ellipse((x * k - r, y * k - r, x * k + r, y * k + r), outline=stroke, width=width)
        self.image = Image.alpha_composite(self.image, overlay)

    def labels(self, features: list[dict], size: int) -> None:
        """Oblast names with a white halo, centred on their points."""
        from html import unescape

        draw = ImageDraw.Draw(self.image)
        face = font(size * self.k, bold=True)
        for feature in features:
            label = unescape(feature["properties"].get("_label", ""))
            lon, lat = feature["geometry"]["coordinates"][:2]
            x, y = self.frame.project(lon, lat)
            draw.text(
                (x * self.k, y * self.k),
                label,
                font=face,
                fill=rgb("#333333"),
                anchor="mm",
                stroke_width=max(2, round(size * self.k / 5)),
                stroke_fill=(255, 255, 255),
            )

    def finish(self, size: tuple[int, int]) -> Image.Image:
        return self.image.resize(size, Image.Resampling.LANCZOS).convert("RGB")


def render(
    size: tuple[int, int],
    context: list[dict],
    oblasts: list[dict],
    markers: list[dict],
    labels: list[dict],
    legend: Legend,
    title: str,
    date_text: str,
    window_text: str,
    attribution: str,
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    towns: list | None = None,
    squares: list[dict] | None = None,
    areas: list | None = None,
    water: list[dict] | None = None,
    heat: tuple | None = None,
    annotations=(),
    lang: str | None = None,
) -> Slide:
    """The slide: banner (title, date, window), map, legend box, attribution line.

    ``center`` (lat, lon) and ``zoom`` are Leaflet's; without them the five oblasts are fitted.
    ``annotations``: a deck slide's marks, their text in ``lang`` (default English).
    """
    width, height = size
    unit = height / 1080  # type scale: 1 at 1080 p
    banner_h = round(118 * unit)
    footer_h = round(38 * unit)
    map_h = height - banner_h - footer_h
    if center is None or zoom is None:
        # Fit the five oblasts into the part of the map the legend box leaves free.
        reserved = min(round(440 * unit), width // 2) + round(32 * unit)
        (lat, lon), zoom = fit_zoom(width - reserved, map_h)
        x, y = mercator(lon, lat, zoom)
        center = unproject(x - reserved / 2, y, zoom)
    frame = Frame(0, banner_h, width, map_h, center, zoom)

    painter = _Painter(size, frame)
    painter.polygons(context)
    painter.polygons(oblasts)
    painter.polygons(water or [])
    painter.polygons(
        [
            {"type": "Feature", "geometry": a.geometry, "properties": {"_style": AREA_STYLE}}
            for a in areas or []
        ]
    )
    painter.circles(markers)
    image = painter.finish(size)
    if heat is not None:  # the heat layer the map draws instead of markers
        points, top, gradient = heat
        image = Image.alpha_composite(
            image.convert("RGBA"),
            heat_overlay(size, points, frame.project, top, gradient, unit),
        ).convert("RGB")

    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, width, banner_h), fill=rgb(BANNER))
    pad = round(28 * unit)
    date_face = font(round(60 * unit), bold=True)
    date_w = draw.textlength(date_text, font=date_face)
    draw.text(
        (width - pad, round(12 * unit)), date_text, font=date_face, fill=BANNER_TEXT, anchor="ra"
    )
    small = font(round(22 * unit))
    draw.text(
        (width - pad, banner_h - round(12 * unit)),
        window_text,
        font=small,
        fill=BANNER_TEXT,
        anchor="rd",
    )
    room = int(width - date_w - 3 * pad)
    shown, face = _fit_text(draw, title, round(36 * unit), True, room, round(20 * unit))
    draw.text((pad, banner_h // 2), shown, font=face, fill=BANNER_TEXT, anchor="lm")

    legend_box = draw_legend(image, legend, frame, unit)
    draw_squares(image, frame, unit, squares or [])
    banner = (0, 0, width, banner_h)
    place_names(
        image, frame, unit, labels, towns or [], markers, squares or [], [legend_box, banner]
    )

    draw.rectangle((0, height - footer_h, width, height), fill=rgb(BACKGROUND))
    note = textwrap.shorten(attribution, width=400, placeholder="…")
    note, face = _fit_text(
        draw, note, round(17 * unit), False, width - 2 * pad, max(9, round(12 * unit))
    )
    draw.text((pad, height - footer_h // 2), note, font=face, fill=rgb("#222222"), anchor="lm")
    if annotations:
        footer = (0, height - footer_h, width, height)
        clear = (legend_box, banner, footer)
        image = _annotate(image, frame, unit, annotations, lang or "en", clear)
    return Slide(image, frame)


def _annotate(image, frame: Frame, unit: float, annotations, lang: str, clear) -> Image.Image:
    """The image with the annotations drawn on the map, nothing of them inside the ``clear``
    boxes (legend, banner, attribution): lines at SUPERSAMPLE size, all casings under all ink,
    then the texts with their halo."""
    k = SUPERSAMPLE
    # Transparent white: the edges the reduction blends fade to the casing's white, not grey.
    lines = Image.new("RGBA", (image.width * k, image.height * k), (255, 255, 255, 0))
    draw = ImageDraw.Draw(lines)
    ink_w = max(2.0, ann.LINE_WIDTH * unit) * k
    casing_w = max(4.0, ann.CASING_WIDTH * unit) * k
    texts = []
    for colour, width, halo in ((ann.CASING, casing_w, casing_w - ink_w), (ann.INK, ink_w, 0)):
        for a in annotations:
            spot = _mark(draw, frame, a, k, unit, rgb(colour) + (255,), width, halo)
            if not halo:
                texts.append((a, spot))
    lines = lines.reduce(k)
    words = Image.new("RGBA", image.size, (255, 255, 255, 0))
    draw = ImageDraw.Draw(words)
    size, halo = round(ann.TEXT_SIZE * unit), max(1, round(ann.TEXT_HALO * unit))
    room = max(40, frame.width * 2 // 5)
    for a, (x, y, anchor) in texts:
        text = " ".join(UNSHOWN.sub(" ", a.text.get(lang)).split())
        if not text:
            continue
        text, face = _fit_text(draw, text, size, True, room, max(8, round(11 * unit)))
        box = draw.textbbox((x, y), text, font=face, anchor=anchor, stroke_width=halo)
        if (
            frame.left <= x <= frame.left + frame.width
            and frame.top <= y <= frame.top + frame.height
        ):
            # A mark inside the map keeps its whole text inside the map.
            x += max(0, frame.left - box[0]) - max(0, box[2] - frame.left - frame.width)
            y += max(0, frame.top - box[1]) - max(0, box[3] - frame.top - frame.height)
        draw.text(
            (x, y),
            text,
            font=face,
            fill=rgb(ann.INK) + (255,),
            anchor=anchor,
            stroke_width=halo,
            stroke_fill=rgb(ann.CASING) + (255,),
        )
    out = image.convert("RGBA")
    for layer in (lines, words):
        for left, top, right, bottom in clear:
            layer.paste((255, 255, 255, 0), (int(left), int(top), int(right) + 1, int(bottom) + 1))
        out = Image.alpha_composite(out, layer)
    return out.convert("RGB")


def _mark(draw, frame: Frame, a, k: int, unit: float, colour, width: float, halo: float):
    """One annotation's line work at k times the size: ``width`` px lines and, for the casing
    (``halo`` > 0), an arrow head widened by ``halo``. Returns where its text goes at 1x:
    (x, y, anchor)."""

    def xy(point):
        x, y = frame.project(point[1], point[0])
        return x * k, y * k

    def cap(x, y, w):  # a round end or corner
        draw.ellipse((x - w / 2, y - w / 2, x + w / 2, y + w / 2), fill=colour)

    gap = 8 * unit + width / k / 2  # from the line's edge to its text
    if a.kind == "circle":
        ring = [xy(p) for p in ann.circle_ring(*a.points[0], float(a.radius_km) * 1000.0)]
        draw.line([*ring, ring[0], ring[1]], fill=colour, width=round(width), joint="curve")
        cx, _ = xy(a.points[0])
        top = min(y for _, y in ring)  # the circle's top, as the map client places it
        return cx / k, top / k - gap, "md"
    if a.kind != "arrow":  # a label: its text only, centred on the point
        x, y = xy(a.points[0])
        return x / k, y / k, "mm"
    (x0, y0), (x1, y1) = xy(a.points[0]), xy(a.points[1])
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = ((x1 - x0) / length, (y1 - y0) / length) if length > 1e-6 else (1.0, 0.0)
    head = min(ann.HEAD_LENGTH * unit * k, length) or ann.HEAD_LENGTH * unit * k
    sx, sy = (math.tan(math.radians(ann.HEAD_ANGLE)) * head * v for v in (-uy, ux))
    bx, by = x1 - ux * head, y1 - uy * head  # the shaft ends under the head, not at the tip
    triangle = [(x1, y1), (bx + sx, by + sy), (bx - sx, by - sy)]
    draw.line([(x0, y0), (bx, by)], fill=colour, width=round(width))
    cap(x0, y0, width)
    if halo > 0:
        draw.line([*triangle, triangle[0]], fill=colour, width=round(halo), joint="curve")
        for px, py in triangle:
            cap(px, py, halo)
    draw.polygon(triangle, fill=colour)
    # The text beyond the tail, away from the head (the head points at the place), on the
    # axis the arrow mostly runs along: as the map client places it.
    if abs(ux) >= abs(uy):
        return (x0 / k - gap, y0 / k, "rm") if ux > 0 else (x0 / k + gap, y0 / k, "lm")
    return (x0 / k, y0 / k - gap, "md") if uy > 0 else (x0 / k, y0 / k + gap, "ma")


def of_scene(
    scene, regions: Regions, size: tuple[int, int], annotations=(), lang: str | None = None
) -> Slide:
    """A scene (``scene.build.Scene``) as a slide picture, from its plain data: the same
    oblasts, markers (or heat), legend and words the page draws (server side, no browser).
    A picture cannot cluster: clustered markers are drawn as points, and the legend says so.
    ``annotations``: a deck slide's marks, their text in ``lang`` (default: the scene's)."""
    static = basemap.static_features(regions, scene.lang)
    payload, legend = scene.layers.payload, scene.legend
    heat, markers = None, scene.layers.markers.data["features"]
    if scene.layers.density == "heat":
        heat = (payload["h"], payload["hmax"], [(float(k), c) for k, c in payload["hg"].items()])
        markers = []
    elif scene.layers.density == "clusters":
        clusters = tr(scene.lang)("markers_clusters")
        legend = replace(legend, markers_text=legend.markers_text.replace(clusters, ""))
    return render(
        size,
        context=static["context"]["features"],
        oblasts=scene.layers.oblasts.data["features"],
        markers=markers,
        labels=static["labels"]["features"],
        legend=legend,
        title=scene.title,
        date_text=scene.date_text,
        window_text=scene.window_text,
        attribution=scene.attribution,
        center=scene.center,
        zoom=scene.zoom,
        towns=static["town_list"],
        squares=scene.layers.control,
        areas=scene.layers.areas,
        water=static["water"]["features"],
        heat=heat,
        annotations=annotations,
        lang=lang or scene.lang,
    )

"""The slide's legend box: the same ``scene.legend.Legend`` the page draws, in large type,
black on white (``render.slides`` places it bottom-left over the map). No Streamlit."""

from __future__ import annotations

import math

from PIL import Image, ImageDraw

from dashboard.render.paint import _fit_text, _wrap, font, rgb
from dashboard.scene.legend import BACKGROUND, DRAWN_LINE, TEXT, Legend
from dashboard.scene.palette import ACTIVE_OUTLINE, HEAT_GRADIENT

AREA_STYLE = {"color": "#7a0f1c", "weight": 1.5, "fillColor": "#b2182b", "fillOpacity": 0.18}


def draw_legend(image: Image.Image, legend: Legend, frame, unit: float) -> tuple:
    """The legend box, bottom-left over the map: black on white, large type."""
    draw = ImageDraw.Draw(image)
    body, bold = font(round(17 * unit)), font(round(17 * unit), bold=True)
    line = round(24 * unit)
    pad = round(14 * unit)
    swatch_w, swatch_h = round(30 * unit), round(18 * unit)
    box_w = min(round(440 * unit), frame.width // 2)
    text_w = box_w - 2 * pad
    cats = list(legend.categories)
    columns = 2 if len(cats) > 6 else 1
    col_w = (text_w - (columns - 1) * pad) // columns
    rows_per_col = math.ceil(len(cats) / columns) if cats else 0
    title_lines = _wrap(draw, legend.fill_title, bold, text_w)
    marker_lines = (
        _wrap(draw, f"{legend.markers_title}: {legend.markers_text}", body, text_w)
        if legend.has_markers
        else []
    )
    caveat_lines = [x for caveat in legend.caveats for x in _wrap(draw, caveat, body, text_w)]
    control_lines = _wrap(draw, legend.control_title, bold, text_w) if legend.control else []
    area_lines = _wrap(draw, legend.areas, body, text_w - swatch_w - 10) if legend.areas else []
    heat_lines = (
        _wrap(draw, legend.heat_title, body, text_w - swatch_w - 10) if legend.heat_title else []
    )
    drawn_lines = (
        _wrap(draw, legend.drawn_area, body, text_w - swatch_w - 10) if legend.drawn_area else []
    )
    gap = round(10 * unit)
    height = (
        pad * 2
        + line * (len(title_lines) + len(legend.bins) + int(legend.show_outline))
        + (gap + line * (len(marker_lines) + rows_per_col) if legend.has_markers else 0)
        + (gap + line * len(caveat_lines) if caveat_lines else 0)
        + (gap + line * (len(control_lines) + len(legend.control)) if legend.control else 0)
        + (gap + line * len(area_lines) if area_lines else 0)
        + (gap + line * len(heat_lines) if heat_lines else 0)
        + (gap + line * len(drawn_lines) if drawn_lines else 0)
    )
    left = frame.left + round(16 * unit)
    top = frame.top + frame.height - height - round(16 * unit)
    draw.rectangle(
        (left, top, left + box_w, top + height),
        fill=rgb(BACKGROUND),
        outline=rgb(TEXT),
        width=max(2, round(2 * unit)),
    )
    x, y = left + pad, top + pad
    for text in title_lines:
        draw.text((x, y), text, font=bold, fill=rgb(TEXT))
        y += line
    for label, colour in legend.bins:
        box = (x, y + (line - swatch_h) // 2, x + swatch_w, y + (line + swatch_h) // 2)
        draw.rectangle(box, fill=rgb(colour), outline=rgb(TEXT), width=1)
        draw.text((x + swatch_w + round(10 * unit), y), label, font=body, fill=rgb(TEXT))
        y += line
    if legend.show_outline:
        box = (x, y + (line - swatch_h) // 2, x + swatch_w, y + (line + swatch_h) // 2)
        draw.rectangle(box, outline=rgb(ACTIVE_OUTLINE), width=max(3, round(4 * unit)))
        draw.text((x + swatch_w + round(10 * unit), y), legend.outline, font=body, fill=rgb(TEXT))
        y += line
    if legend.has_markers:
        y += gap
    for text in marker_lines:
        draw.text((x, y), text, font=body, fill=rgb(TEXT))
        y += line
    dot = round(15 * unit)
    for i, (label, colour) in enumerate(cats):
        cx = x + (i // rows_per_col) * (col_w + pad)
        cy = y + (i % rows_per_col) * line
        draw.ellipse(
            (cx, cy + (line - dot) // 2, cx + dot, cy + (line + dot) // 2),
            fill=rgb(colour),
            outline=rgb(TEXT),
        )
        shown, _ = _fit_text(draw, label, round(17 * unit), False, col_w - dot - 8, 17)
        draw.text((cx + dot + round(8 * unit), cy), shown, font=body, fill=rgb(TEXT))
    y += line * rows_per_col
    if legend.control:
        y += gap
    for text in control_lines:
        draw.text((x, y), text, font=bold, fill=rgb(TEXT))
        y += line
    square = round(13 * unit)
    for label, colour in legend.control:
        sq_top = y + (line - square) // 2
        draw.rectangle(
            (x, sq_top, x + square, sq_top + square), fill=rgb(colour), outline=rgb(TEXT)
        )
        draw.text((x + square + round(10 * unit), y), label, font=body, fill=rgb(TEXT))
        y += line
    if area_lines:
        y += gap
        box = (x, y + (line - swatch_h) // 2, x + swatch_w, y + (line + swatch_h) // 2)
        draw.rectangle(box, fill=(243, 209, 213), outline=rgb(AREA_STYLE["color"]), width=2)
    for text in area_lines:
        draw.text((x + swatch_w + round(10 * unit), y), text, font=body, fill=rgb(TEXT))
        y += line
    if heat_lines:  # the heat ramp, low to high, beside its words
        y += gap
        top_y = y + (line - swatch_h) // 2
        stops = [colour for _, colour in HEAT_GRADIENT]
        for i in range(swatch_w):
            colour = stops[min(len(stops) - 1, i * len(stops) // swatch_w)]
            draw.line((x + i, top_y, x + i, top_y + swatch_h), fill=rgb(colour))
    for text in heat_lines:
        draw.text((x + swatch_w + round(10 * unit), y), text, font=body, fill=rgb(TEXT))
        y += line
    if drawn_lines:
        y += gap
        box = (x, y + (line - swatch_h) // 2, x + swatch_w, y + (line + swatch_h) // 2)
        draw.rectangle(box, outline=rgb(DRAWN_LINE), width=max(2, round(2 * unit)))
    for text in drawn_lines:
        draw.text((x + swatch_w + round(10 * unit), y), text, font=body, fill=rgb(TEXT))
        y += line
    if caveat_lines:
        y += gap
    for text in caveat_lines:
        draw.text((x, y), text, font=body, fill=rgb(TEXT))
        y += line
    return (left, top, left + box_w, top + height)

"""Names on the slide: oblast names, then town names by rank, each where it overlaps nothing
already drawn (the page's map does the same in ``web/oem-map.js`` placeLabels); and the
settlements' control squares. No Streamlit."""

from __future__ import annotations

from PIL import ImageDraw

from dashboard.render.paint import font, rgb

RANK_ZOOM = (0, 6, 7)  # the least zoom at which a town rank is named (web/oem-map.js too)


def _boxes_overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def place_names(image, frame, unit: float, labels, towns, markers, squares, taken):
    """Oblast names, then town names by rank, each where it overlaps no name already placed,
    no marker, no settlement square and nothing in ``taken`` (legend box, banner): the same
    rule as the page's map (web/oem-map.js placeLabels), on the final picture."""
    from html import unescape

    draw = ImageDraw.Draw(image)
    width, height = image.size
    round_ = []
    for feature in markers:
        lon, lat = feature["geometry"]["coordinates"][:2]
        x, y = frame.project(lon, lat)
        r = float(feature["properties"].get("_style", {}).get("radius", 8)) + 1.5
        round_.append((x - r, y - r, x + r, y + r, x, y, r))
    for row in squares:
        x, y = frame.project(row["lon"], row["lat"])
        round_.append((x - 6, y - 6, x + 6, y + 6, x, y, 6))
    placed = []
    halo = max(2, round(3 * unit))

    def put(text, x, y, face, spots, own, colour="#222222") -> None:
        box = draw.textbbox((0, 0), text, font=face)
        w, h = box[2] - box[0], box[3] - box[1]
        for dx, dy in spots(w, h):
            b = (x + dx - halo, y + dy - halo, x + dx + w + halo, y + dy + h + halo)
            if b[0] < frame.left or b[1] < frame.top or b[2] > width or b[3] > height:
                continue
            if any(_boxes_overlap(b, q) for q in (*placed, *taken)):
                continue
            if any(_boxes_overlap(b, c) for c in round_ if not own(c)):
                continue
            draw.text(
                (x + dx - box[0], y + dy - box[1]),
                text,
                font=face,
                fill=rgb(colour),
                stroke_width=halo,
                stroke_fill=(255, 255, 255),
            )
            placed.append(b)
            return

    big = font(round(16 * unit), bold=True)
    steps = (0, -18, 18, -36, 36)  # no further: the name would fall on a neighbour
    for feature in labels:
        lon, lat = feature["geometry"]["coordinates"][:2]
        x, y = frame.project(lon, lat)
        text = unescape(feature["properties"].get("_label", ""))
        put(
            text,
            x,
            y,
            big,
            lambda w, h: [
                (-w / 2 + dx * unit, -h / 2 + dy * unit) for dy in steps for dx in (0, -40, 40)
            ],
            lambda c: False,
            "#555555",
        )
    small, centre = font(round(13 * unit), bold=True), font(round(15 * unit), bold=True)
    for lat, lon, name, rank in towns:
        if frame.zoom < RANK_ZOOM[min(rank, 2)]:
            continue
        x, y = frame.project(lon, lat)
        if not (frame.left <= x <= width and frame.top <= y <= height):
            continue
        draw.ellipse((x - 3 * unit, y - 3 * unit, x + 3 * unit, y + 3 * unit), fill=rgb("#222222"))
        gap = 4 * unit
        for c in round_:
            if abs(c[4] - x) < 3 and abs(c[5] - y) < 3:
                gap = max(gap, c[6] + 3)
        put(
            unescape(name),
            x,
            y,
            centre if rank == 0 else small,
            lambda w, h, g=gap: [
                *((g, -h / 2), (-g - w, -h / 2), (-w / 2, -g - h), (-w / 2, g)),
                *((0.7 * g, -0.7 * g - h), (0.7 * g, 0.7 * g)),
                *((-0.7 * g - w, -0.7 * g - h), (-0.7 * g - w, 0.7 * g)),
            ],
            lambda c, x=x, y=y: abs(c[4] - x) < 3 and abs(c[5] - y) < 3,
        )


def draw_squares(image, frame, unit: float, squares) -> None:
    """Each settlement's control status: a small square with a white border."""
    from dashboard.scene.control import STATUS_STYLE

    draw = ImageDraw.Draw(image)
    half = 5 * unit
    for row in squares:
        x, y = frame.project(row["lon"], row["lat"])
        fill, border = STATUS_STYLE[row["status"]]
        draw.rectangle((x - half - 1, y - half - 1, x + half + 1, y + half + 1), fill=(70, 70, 70))
        draw.rectangle(
            (x - half, y - half, x + half, y + half), fill=rgb(fill), outline=rgb(border)
        )

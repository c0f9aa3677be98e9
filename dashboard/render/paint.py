"""Fonts, colours and text layout for the slide picture (``render.slides``). No Streamlit."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
# DejaVu Sans (Debian: fonts-dejavu-core) covers Latin and Cyrillic; Liberation/Arial also do.
FONT_FILES = {
    False: ("DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"),
    True: ("DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arial Bold.ttf", "arialbd.ttf"),
}


class NoFont(RuntimeError):
    """No TrueType font with Cyrillic was found."""


@lru_cache(maxsize=2)
def font_path(bold: bool) -> Path:
    for directory in FONT_DIRS:
        for name in FONT_FILES[bold]:
            for candidate in (directory / name, *directory.glob(f"*/{name}")):
                if candidate.is_file():
                    return candidate
    raise NoFont(
        "no TrueType font with Cyrillic found: install Debian's fonts-dejavu-core "
        "(scripts/ensure_chromium.sh does)"
    )


@lru_cache(maxsize=64)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(bold)), max(6, int(size)))


def rgb(colour: str) -> tuple[int, int, int]:
    text = colour.lstrip("#")
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _wrap(draw: ImageDraw.ImageDraw, text: str, face, width: int) -> list[str]:
    """Greedy word wrap to a pixel width."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        line = ""
        for word in words:
            trial = f"{line} {word}".strip()
            if line and draw.textlength(trial, font=face) > width:
                lines.append(line)
                line = word
            else:
                line = trial
        if line:
            lines.append(line)
    return lines or [""]


def _fit_text(draw, text: str, size: int, bold: bool, width: int, min_size: int):
    """The largest font (down to ``min_size``) at which ``text`` fits ``width`` on one line."""
    while size > min_size and draw.textlength(text, font=font(size, bold)) > width:
        size -= 1
    face = font(size, bold)
    if draw.textlength(text, font=face) > width:  # still too long: shorten with an ellipsis
        while text and draw.textlength(text + "…", font=face) > width:
            text = text[:-1]
        text += "…"
    return text, face


MIN_HEAT = 0.08  # the least opacity a spot has (leaflet.heat's minOpacity)
HEAT_RADIUS = 22  # px at 1920 wide: as web/oem-map.js draws leaflet.heat (radius + blur)


def heat_overlay(size, points, project, top: float, gradient, unit: float = 1.0) -> Image.Image:
    """A heat layer as an RGBA image of ``size``: each ``[lat, lon, weight]`` adds a Gaussian
    spot (weight over ``top``, at most 1) to a density grid, which the ``gradient`` stops
    ((position, colour) low to high) colour; transparent where nothing is."""
    import numpy as np

    width, height = size
    radius = max(4, round(HEAT_RADIUS * unit))
    axis = np.arange(-2 * radius, 2 * radius + 1)
    kernel = np.exp(-(axis[:, None] ** 2 + axis[None, :] ** 2) / (2 * (radius / 1.6) ** 2))
    # As a canvas heat layer composites its spots: each covers what is under it by its own
    # opacity, 1 - prod(1 - a), so a spot's weight, not the number of spots, sets the colour.
    clear = np.zeros((height + 4 * radius, width + 4 * radius), dtype=np.float32)
    for lat, lon, weight in points:
        x, y = project(lon, lat)
        col, row = int(round(float(x))), int(round(float(y)))
        if -2 * radius <= col < width + 2 * radius and -2 * radius <= row < height + 2 * radius:
            k = len(axis)
            a = kernel * min(1.0, max(weight / max(top, 1e-9), MIN_HEAT))
            clear[row : row + k, col : col + k] += np.log1p(-np.minimum(a, 0.999))
    clear = clear[2 * radius : 2 * radius + height, 2 * radius : 2 * radius + width]
    grid = 1.0 - np.exp(clear)
    stops = [(0.0, gradient[0][1])] + list(gradient)
    positions = np.array([p for p, _ in stops])
    colours = np.array([rgb(c) for _, c in stops], dtype=np.float32)
    lut = np.stack(
        [np.interp(np.linspace(0, 1, 256), positions, colours[:, i]) for i in range(3)], 1
    )
    level = (grid * 255).astype(np.uint8)
    alpha = np.clip(grid * 1.6, 0, 0.8) * 255
    rgba = np.dstack([lut[level], alpha]).astype(np.uint8)
    return Image.fromarray(rgba, "RGBA")

"""Fonts, colours and text layout for the slide picture (``render.slides``). No Streamlit."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from PIL import ImageDraw, ImageFont

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

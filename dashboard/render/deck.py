"""A briefing deck (``state.deck.Deck``) as PDF, PowerPoint and PNG files, drawn on the server
with no browser. No Streamlit.

One 16:9 layout for all three, in pixels of a 1920x1080 page (``Box``); a PDF or PowerPoint
point is two of them, so the page is 960 x 540 pt (338.7 x 190.5 mm, 13.333 x 7.5 in): the
slide's title at the top, the map picture (``render.slides``, with the slide's annotations, its
banner and legend) on the left, the caption beside it, and a footer with the deck's title and
"n / total". Text is laid out once (``fit``), measured in DejaVu Sans, the font the PDF embeds
and the PNGs use, and written as the same lines in both; PowerPoint gets the same text and
size and wraps it itself (in its theme's font, Calibri, narrower than DejaVu Sans: it fits).
Text that does not fit at the smallest size is cut with an ellipsis. A character DejaVu Sans
has no glyph for (emoji, Chinese) is shown as □ in all three, so they show the same text.

Speaker notes go into PowerPoint's notes pages only: PDF and PNG pages are what the audience
sees, and are kept clean. All text is plain text (``plain``): nothing in it is markup.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from PIL import Image, ImageDraw

from dashboard.geo.regions import Regions
from dashboard.render import slides
from dashboard.render.paint import font, font_path, rgb

PAGE = (1920, 1080)
PT = 0.5  # points (PDF, PowerPoint) per layout pixel
EMU = 6350  # PowerPoint's units per layout pixel (914400 per inch, 144 pixels per inch)
INK, CAPTION_INK, MUTED, RULE = "#111111", "#222222", "#555555", "#c8c8c8"
MISSING_FILL = "#eeeeee"
ELLIPSIS = "…"
NO_GLYPH = "\u25a1"  # □, for a character the font cannot draw
# Invisible characters that would reorder or hide text, and emoji variation selectors: dropped
# (other unshowable ones, ``slides.UNSHOWN``, become spaces).
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufe00-\ufe0f\ufeff]")


@dataclass(frozen=True)
class Box:
    """A rectangle of the layout, in pixels of the 1920x1080 page."""

    x: float
    y: float
    w: float
    h: float


TITLE = Box(48, 32, 1824, 108)
PICTURE = Box(48, 160, 1344, 756)  # 16:9, as the map pictures
CAPTION = Box(1432, 160, 440, 756)
FOOTER = Box(48, 972, 1824, 60)
RULE_Y = 952
COUNTER_W = 180  # the footer's "n / total", right-aligned
MISSING_INSET = 96  # around the reason shown in place of a picture


@dataclass(frozen=True)
class Page:
    """One slide as exported: its texts in the export language, and the map picture (PNG), or
    why it cannot be drawn (``missing``) to show in its place."""

    number: int
    total: int
    title: str
    caption: str
    notes: str
    picture: bytes | None = None
    missing: str | None = None


def plain(text: str, lines: bool = False) -> str:
    """Text as plain text to write: invisible marks dropped, what cannot be shown a space;
    one line unless ``lines`` (line breaks kept, spaces within a line kept as typed)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = slides.UNSHOWN.sub(" ", _INVISIBLE.sub("", text))
    if not lines:
        return " ".join(text.split())
    return "\n".join(row.rstrip() for row in text.split("\n")).strip("\n ")


@functools.lru_cache(maxsize=2)
def _glyphs(bold: bool) -> frozenset[int]:
    """The characters the font has glyphs for (fpdf2 fails on any other)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(font_path(bold)), lazy=True) as face:
        return frozenset(face.getBestCmap())


def drawable(text: str, bold: bool = False) -> str:
    """``text`` with each character the font cannot draw as NO_GLYPH."""
    glyphs = _glyphs(bold)
    return "".join(c if ord(c) in glyphs or c == "\n" else NO_GLYPH for c in text)


def pages(
    deck,
    lang: str,
    scene_for: Callable[[object], object],
    regions: Regions,
    size: tuple[int, int] = (1600, 900),
) -> list[Page]:
    """The pages of ``deck`` (a ``state.deck.Deck``; render is below state, so not imported)
    in ``lang``: each slide's view is drawn in that language by ``scene_for(view)``, called
    once per slide in order, which gives a ``scene.build.Scene`` or a str saying why not."""
    out = []
    for number, slide in enumerate(deck.slides, 1):
        made = scene_for(replace(slide.view, lang=lang))
        page = Page(
            number,
            len(deck.slides),
            title=plain(slide.title.get(lang)),
            caption=plain(slide.caption.get(lang), lines=True),
            notes=plain(slide.notes.get(lang), lines=True),
        )
        if isinstance(made, str):
            page = replace(page, missing=plain(made) or "this slide cannot be drawn")
        else:
            if not page.title:  # an untitled slide is called by its date, as its card is
                page = replace(page, title=plain(made.date_text))
            picture = slides.of_scene(made, regions, size, slide.annotations, lang).png()
            page = replace(page, picture=picture)
        out.append(page)
    return out


# --- text layout ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """Text laid out in a box: its lines, font size and line pitch (px), and the text as
    kept (with an ellipsis where it was cut), for a program that wraps it itself."""

    box: Box
    lines: tuple[str, ...]
    size: int
    pitch: float
    bold: bool
    text: str
    align: str = "left"  # or "right", "center"

    def placed(self) -> list[tuple[str, float, float]]:
        """Each line with the x where it starts and its baseline's y."""
        face, out = font(self.size, self.bold), []
        for i, line in enumerate(self.lines):
            room = self.box.w - face.getlength(line)
            x = self.box.x + {"left": 0, "right": room, "center": room / 2}[self.align]
            out.append((line, x, self.box.y + self.size * 0.95 + i * self.pitch))
        return out

    @property
    def height(self) -> float:
        return 1.2 * self.size + (len(self.lines) - 1) * self.pitch


def _wrap(text: str, face, width: float) -> list[tuple[str, str]]:
    """Greedy word wrap to a pixel width; a word wider than the line is broken where it must.
    Each line with what joined it to the next (" ", "" inside a word, "\\n")."""
    out: list[tuple[str, str]] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            trial = f"{line} {word}" if line else word
            if face.getlength(trial) <= width:
                line = trial
                continue
            if line:
                out.append((line, " "))
                line = ""
            while face.getlength(word) > width:
                cut = max(1, _longest(word, face, width))
                out.append((word[:cut], ""))
                word = word[cut:]
            line = word
        out.append((line, "\n"))
    return out


def _longest(text: str, face, width: float, tail: str = "") -> int:
    """How many first characters of ``text`` (followed by ``tail``) fit ``width``."""
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if face.getlength(text[:mid] + tail) <= width:
            low = mid
        else:
            high = mid - 1
    return low


def fit(
    text: str,
    box: Box,
    size: int,
    least: int,
    bold: bool = False,
    leading: float = 1.3,
    most_lines: int | None = None,
    align: str = "left",
) -> Block:
    """``text`` in ``box`` at the largest size from ``size`` down to ``least`` at which it
    fits (at most ``most_lines`` lines); at ``least``, cut with an ellipsis."""
    least = min(least, size)
    for px in range(size, least - 1, -1):
        face, pitch = font(px, bold), round(px * leading, 1)
        rows = _wrap(text, face, box.w)
        # n lines take 1.2 px (ascent and descent) + (n - 1) pitches
        room = max(1, int((box.h - 1.2 * px) // pitch) + 1)
        room = min(room, most_lines or room)
        if len(rows) <= room:
            return Block(box, tuple(r for r, _ in rows), px, pitch, bold, text, align)
    kept = rows[:room]
    last = kept[-1][0].rstrip(" .,;:")
    last = last[: _longest(last, face, box.w, ELLIPSIS)].rstrip() + ELLIPSIS
    kept[-1] = (last, "")
    shown = "".join(r + (j if i < len(kept) - 1 else "") for i, (r, j) in enumerate(kept))
    return Block(box, tuple(r for r, _ in kept), least, pitch, bold, shown, align)


@dataclass(frozen=True)
class Layout:
    """One page's text, laid out (``to_pdf``, ``to_pptx`` and ``compose`` all draw this)."""

    title: Block
    caption: Block
    footer: Block
    counter: Block
    missing: Block | None


def layout(page: Page, deck_title: str) -> Layout:
    counter = f"{page.number} / {page.total}"
    left = Box(FOOTER.x, FOOTER.y, FOOTER.w - COUNTER_W - 24, FOOTER.h)
    right = Box(FOOTER.x + FOOTER.w - COUNTER_W, FOOTER.y, COUNTER_W, FOOTER.h)
    missing = None
    if page.missing is not None:
        m = MISSING_INSET
        inner = Box(PICTURE.x + m, PICTURE.y + m, PICTURE.w - 2 * m, PICTURE.h - 2 * m)
        missing = fit(drawable(page.missing), inner, 36, 20, leading=1.35, align="center")
        top = PICTURE.y + (PICTURE.h - missing.height) / 2  # in the middle of the picture's place
        missing = replace(missing, box=replace(inner, y=top, h=missing.height))
    return Layout(
        title=fit(drawable(page.title, True), TITLE, 50, 28, True, 1.2, most_lines=2),
        caption=fit(drawable(page.caption), CAPTION, 30, 17),
        footer=fit(drawable(plain(deck_title)), left, 22, 14, most_lines=1),
        counter=fit(counter, right, 22, 14, bold=True, most_lines=1, align="right"),
        missing=missing,
    )


# --- the three formats ----------------------------------------------------------------------


def compose(page: Page, deck_title: str = "") -> Image.Image:
    """The page as a 1920x1080 picture: the PNG export."""
    image = Image.new("RGB", PAGE, (255, 255, 255))
    draw = ImageDraw.Draw(image)
    laid = layout(page, deck_title)
    _picture_area(image, draw, page)
    for block, colour in _blocks(laid):
        face = font(block.size, block.bold)
        for line, x, y in block.placed():
            draw.text((x, y), line, font=face, fill=rgb(colour), anchor="ls")
    draw.line((FOOTER.x, RULE_Y, FOOTER.x + FOOTER.w, RULE_Y), fill=rgb(RULE), width=2)
    return image


def _blocks(laid: Layout) -> list[tuple[Block, str]]:
    """The page's text blocks and their colours."""
    out = [(laid.title, INK), (laid.caption, CAPTION_INK), (laid.footer, MUTED)]
    out.append((laid.counter, INK))
    return out + ([(laid.missing, MUTED)] if laid.missing else [])


def _picture_area(image, draw, page: Page) -> None:
    box = PICTURE
    if page.picture is not None:
        with Image.open(io.BytesIO(page.picture)) as picture:
            shown = picture.convert("RGB").resize(
                (round(box.w), round(box.h)), Image.Resampling.LANCZOS
            )
        image.paste(shown, (round(box.x), round(box.y)))
        return
    draw.rectangle(
        (box.x, box.y, box.x + box.w, box.y + box.h), fill=rgb(MISSING_FILL), outline=rgb(RULE)
    )


def to_png_dir(pages: list[Page], directory: Path, deck_title: str = "") -> list[Path]:
    """Each page as ``slide-01.png``, ... in ``directory`` (made if needed); the files written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in _pngs(pages, deck_title):
        path = directory / name
        path.write_bytes(data)
        written.append(path)
    return written


def to_png_zip(pages: list[Page], deck_title: str = "") -> bytes:
    """The PNG pages (``to_png_dir``'s files) in one zip: a browser cannot download a folder."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PNGs are compressed
        for name, data in _pngs(pages, deck_title):
            archive.writestr(name, data)
    return out.getvalue()


def _pngs(pages: list[Page], deck_title: str):
    digits = max(2, len(str(len(pages))))
    for page in pages:
        out = io.BytesIO()
        compose(page, deck_title).save(out, format="PNG")
        yield f"slide-{page.number:0{digits}d}.png", out.getvalue()


def to_pdf(pages: list[Page], deck_title: str) -> bytes:
    """One 16:9 page (960 x 540 pt) per slide, its text real text in the embedded DejaVu Sans
    (English and Ukrainian); no speaker notes (see the module's docstring)."""
    from fpdf import FPDF  # here, not above: fpdf2 and python-pptx each take ~0.5 s to import

    pdf = FPDF(orientation="portrait", unit="pt", format=(PAGE[0] * PT, PAGE[1] * PT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.add_font("DejaVu", "", str(font_path(False)))
    pdf.add_font("DejaVu", "B", str(font_path(True)))
    pdf.set_title(plain(deck_title))
    pdf.set_creator("Oblast Events Map")
    for page in pages:
        pdf.add_page()
        laid = layout(page, deck_title)
        box = PICTURE
        if page.picture is not None:
            pdf.image(io.BytesIO(page.picture), box.x * PT, box.y * PT, box.w * PT, box.h * PT)
        else:
            pdf.set_fill_color(*rgb(MISSING_FILL))
            pdf.set_draw_color(*rgb(RULE))
            pdf.rect(box.x * PT, box.y * PT, box.w * PT, box.h * PT, style="DF")
        for block, colour in _blocks(laid):
            pdf.set_font("DejaVu", "B" if block.bold else "", block.size * PT)
            pdf.set_text_color(*rgb(colour))
            for line, x, y in block.placed():
                if line:
                    pdf.text(x * PT, y * PT, line)
        pdf.set_draw_color(*rgb(RULE))
        pdf.set_line_width(1 * PT * 2)
        pdf.line(FOOTER.x * PT, RULE_Y * PT, (FOOTER.x + FOOTER.w) * PT, RULE_Y * PT)
    return bytes(pdf.output())


def to_pptx(pages: list[Page], deck_title: str) -> bytes:
    """One 16:9 slide (13.333 x 7.5 in) per page on the blank layout: the map as a picture,
    title and caption as text boxes, the speaker notes in the slide's notes page."""
    from pptx import Presentation
    from pptx.util import Emu

    deck = Presentation()
    deck.slide_width, deck.slide_height = Emu(PAGE[0] * EMU), Emu(PAGE[1] * EMU)
    deck.core_properties.title = plain(deck_title)
    blank = next(x for x in deck.slide_layouts if x.name == "Blank")
    for page in pages:
        slide = deck.slides.add_slide(blank)
        laid = layout(page, deck_title)
        box = PICTURE
        where = [Emu(round(v * EMU)) for v in (box.x, box.y, box.w, box.h)]
        if page.picture is not None:
            picture = slide.shapes.add_picture(io.BytesIO(page.picture), *where)
            picture.name = "Map"
            picture._element.nvPicPr.cNvPr.set("descr", page.title or plain(deck_title))
        else:
            _pptx_missing(slide, where, laid.missing)
        _pptx_text(slide, laid.title, INK, "Title")
        _pptx_text(slide, laid.caption, CAPTION_INK, "Caption")
        _pptx_text(slide, laid.footer, MUTED, "Footer")
        _pptx_text(slide, laid.counter, INK, "Slide number")
        slide.notes_slide.notes_text_frame.text = page.notes
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _pptx_text(slide, block: Block, colour: str, name: str, shape=None, anchor="TOP") -> None:
    """A text box of exactly the block's box (or the text of ``shape``): its text at its size
    and pitch, each line of the text a paragraph."""
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
    from pptx.util import Emu, Pt

    box = block.box
    if shape is None:
        where = (Emu(round(v * EMU)) for v in (box.x, box.y, box.w, box.h))
        shape = slide.shapes.add_textbox(*where)
        shape.name = name
        margins = shape.text_frame
        margins.margin_left = margins.margin_right = margins.margin_top = 0
        margins.margin_bottom = 0
    frame = shape.text_frame
    frame.word_wrap, frame.auto_size = True, MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = getattr(MSO_ANCHOR, anchor)
    for i, text in enumerate(block.text.split("\n")):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.line_spacing = Pt(block.pitch * PT)
        paragraph.alignment = getattr(PP_ALIGN, block.align.upper())
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(block.size * PT)
        run.font.bold = block.bold
        run.font.color.rgb = RGBColor(*rgb(colour))


def _pptx_missing(slide, where, block: Block) -> None:
    """The reason a slide has no picture, in a grey box where the picture would be."""
    from pptx.dml.color import RGBColor
    from pptx.enum.shapes import MSO_SHAPE
    from pptx.util import Emu

    shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *where)
    shape.name = "Missing map"
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor(*rgb(MISSING_FILL))
    shape.line.color.rgb = RGBColor(*rgb(RULE))
    shape.shadow.inherit = False
    frame = shape.text_frame
    inset = Emu(MISSING_INSET * EMU)
    frame.margin_left = frame.margin_right = frame.margin_top = frame.margin_bottom = inset
    _pptx_text(slide, block, MUTED, "", shape=shape, anchor="MIDDLE")

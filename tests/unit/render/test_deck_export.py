"""Deck exports (render.deck): PDF, PowerPoint and PNGs read back, the annotations on the slide
picture, hostile text and a slide that cannot be drawn."""

import io
import re
import zipfile
from dataclasses import replace

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from dashboard.query.filters import filters_of
from dashboard.query.view import index_for
from dashboard.render import deck as export
from dashboard.render import slides
from dashboard.render.paint import font, rgb
from dashboard.scene import annotations as ann
from dashboard.scene import build as scene
from dashboard.state import permalink
from dashboard.state.deck import Annotation, Deck, Slide, Text

SMALL = (640, 360)  # where the picture's size does not matter
INK = rgb(ann.INK)
ARROW = Annotation("arrow", ((49.9, 36.3), (49.2, 37.3)), Text("Push", "Наступ"))


@pytest.fixture(scope="module")
def scene_for(events, regions):
    def draw(view):
        if view.data != "curated":
            return "shows the uploaded file acled.csv: pass it with --events"
        index = index_for(events, filters_of(view))
        return scene.of_state(view, scene.inputs_for(view, events, regions, index, "none"))

    return draw


def view(query: str):
    state, notices = permalink.from_query(query)
    assert notices == []
    return state


DECK = Deck(
    slides=(
        Slide(
            view("date=2022-09-10&window=7"),
            Text("Kharkiv counteroffensive", "Харківський контрнаступ"),
            Text("Balakliia, Kupiansk and Izium retaken.", "Звільнено Балаклію, Куп'янськ, Ізюм."),
            Text("Pause here.\nThen the next slide.", "Пауза.\nДалі наступний слайд."),
            (ARROW,),
        ),
        Slide(
            view("date=2022-11-11&window=7&lat=46.8&lon=33.2&zoom=8"),
            Text("Kherson", "Херсон"),
            Text("The city is retaken on 11 November."),  # no Ukrainian: English is shown
            Text("Second notes."),
        ),
        Slide(view("date=2022-03-02&window=7"), Text("Early March"), Text("The first week.")),
    ),
    title=Text("Autumn 2022", "Осінь 2022"),
)


@pytest.fixture(scope="module")
def pages_en(scene_for, regions):
    return export.pages(DECK, "en", scene_for, regions, SMALL)


@pytest.fixture(scope="module")
def pages_uk(scene_for, regions):
    return export.pages(DECK, "uk", scene_for, regions, SMALL)


def words(text: str) -> str:
    """Text with its line breaks and runs of spaces as single spaces (the PDF wraps lines)."""
    return " ".join(text.split())


def pdf_texts(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [words(page.extract_text()) for page in reader.pages]


def test_pdf_has_one_16_9_page_per_slide_with_its_text_and_picture(pages_en):
    reader, texts = pdf_texts(export.to_pdf(pages_en, "Autumn 2022"))
    assert len(reader.pages) == len(DECK.slides)
    assert reader.metadata.title == "Autumn 2022"
    for page, text, slide in zip(reader.pages, texts, DECK.slides, strict=True):
        box = page.mediabox
        assert float(box.width) / float(box.height) == pytest.approx(16 / 9, abs=0.001)
        assert slide.title.en in text and slide.caption.en in text
        assert len(page.images) == 1
    assert "1 / 3" in texts[0] and "3 / 3" in texts[2] and "Autumn 2022" in texts[1]
    assert "Pause here" not in " ".join(texts)  # notes are not on the pages


def test_ukrainian_pdf_has_ukrainian_text_and_falls_back_to_english(pages_uk):
    reader, texts = pdf_texts(export.to_pdf(pages_uk, "Осінь 2022"))
    assert reader.metadata.title == "Осінь 2022"
    assert "Харківський контрнаступ" in texts[0] and "Звільнено Балаклію" in texts[0]
    assert "Херсон" in texts[1] and "The city is retaken on 11 November." in texts[1]
    assert "Осінь 2022" in texts[2]


def test_pptx_has_a_picture_title_caption_and_notes_per_slide(pages_uk):
    deck = Presentation(io.BytesIO(export.to_pptx(pages_uk, "Осінь 2022")))
    assert (deck.slide_width, deck.slide_height) == (12192000, 6858000)  # 13.333 x 7.5 in
    assert deck.core_properties.title == "Осінь 2022"
    assert len(deck.slides) == len(DECK.slides)
    for slide, made in zip(deck.slides, DECK.slides, strict=True):
        kinds = [s.shape_type for s in slide.shapes]
        assert kinds.count(MSO_SHAPE_TYPE.PICTURE) == 1
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert made.title.get("uk") in texts and made.caption.get("uk") in texts
        assert slide.notes_slide.notes_text_frame.text == made.notes.get("uk")
    assert deck.slides[0].notes_slide.notes_text_frame.text == "Пауза.\nДалі наступний слайд."


def test_png_pages_in_a_folder_and_in_a_zip(pages_en, tmp_path):
    written = export.to_png_dir(pages_en, tmp_path / "out", "Autumn 2022")
    names = ["slide-01.png", "slide-02.png", "slide-03.png"]
    assert [p.name for p in written] == names
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == names
    images = [Image.open(p).convert("RGB") for p in written]
    assert all(im.size == (1920, 1080) for im in images)
    box = export.PICTURE
    maps = [im.crop((box.x, box.y, box.x + box.w, box.y + box.h)) for im in images]
    assert maps[0].tobytes() != maps[2].tobytes()  # 10 September is not 2 March
    with zipfile.ZipFile(io.BytesIO(export.to_png_zip(pages_en, "Autumn 2022"))) as archive:
        assert archive.namelist() == names
        for name, path in zip(names, written, strict=True):
            assert archive.read(name) == path.read_bytes()


def test_pages_are_in_the_export_language_and_their_pictures_differ_by_date(pages_en, pages_uk):
    assert [p.title for p in pages_uk] == ["Харківський контрнаступ", "Херсон", "Early March"]
    assert [(p.number, p.total) for p in pages_en] == [(1, 3), (2, 3), (3, 3)]
    assert pages_en[0].picture != pages_en[2].picture
    assert pages_en[1].picture != pages_uk[1].picture  # the map's own words are Ukrainian


# --- annotations on the slide picture -------------------------------------------------------


@pytest.fixture(scope="module")
def made(events, regions):
    return scene.make(events, regions, view("date=2022-09-10").date, 7)


def ink_near(image: Image.Image, x: float, y: float, reach: int = 1) -> bool:
    """Whether the INK colour is at (x, y) or within ``reach`` pixels of it."""
    pixels = image.load()
    return any(
        pixels[round(x) + dx, round(y) + dy] == INK
        for dx in range(-reach, reach + 1)
        for dy in range(-reach, reach + 1)
    )


def test_an_arrow_is_drawn_in_ink_along_its_projected_line(made, regions):
    plain_slide = slides.of_scene(made, regions, (1280, 720))
    marked = slides.of_scene(made, regions, (1280, 720), (ARROW,), "en")
    assert plain_slide.image.tobytes() != marked.image.tobytes()
    (lat0, lon0), (lat1, lon1) = ARROW.points
    x0, y0 = marked.frame.project(lon0, lat0)
    x1, y1 = marked.frame.project(lon1, lat1)
    for t in (0.3, 0.5):  # on the shaft
        x, y = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
        assert ink_near(marked.image, x, y)
        assert not ink_near(plain_slide.image, x, y)


def test_no_annotation_gives_the_same_picture_as_before(made, regions):
    before = slides.of_scene(made, regions, SMALL).png()
    assert slides.of_scene(made, regions, SMALL, (), "uk").png() == before


def test_circle_and_label_are_drawn_where_they_stand(made, regions):
    circle = Annotation("circle", ((47.1, 37.55),), Text("Mariupol"), 30.0)
    label = Annotation("label", ((48.0, 33.5),), Text("HERE"))
    marked = slides.of_scene(made, regions, (1280, 720), (circle, label))
    ring = ann.circle_ring(47.1, 37.55, 30_000.0, n=8)
    for lat, lon in ring:
        assert ink_near(marked.image, *marked.frame.project(lon, lat), reach=2)
    x, y = marked.frame.project(33.5, 48.0)
    inked = [
        (i, j)
        for i in range(round(x) - 30, round(x) + 30)
        for j in range(round(y) - 8, round(y) + 8)
        if marked.image.getpixel((i, j)) == INK
    ]
    assert len(inked) > 20  # the label's letters


def test_annotations_stay_under_the_banner_and_off_the_footer(made, regions):
    """An arrow from the map to beyond its top edge leaves the banner exactly as it was."""
    up = Annotation("arrow", ((47.5, 35.0), (55.0, 35.0)), Text("far north"))
    plain_slide = slides.of_scene(made, regions, (1280, 720))
    marked = slides.of_scene(made, regions, (1280, 720), (up,))
    top = marked.frame.top
    assert marked.image.crop((0, 0, 1280, top)).tobytes() == (
        plain_slide.image.crop((0, 0, 1280, top)).tobytes()
    )
    assert marked.image.crop((0, top, 1280, 720)).tobytes() != (
        plain_slide.image.crop((0, top, 1280, 720)).tobytes()
    )


def test_annotation_text_is_in_the_language_asked(made, regions):
    en = slides.of_scene(made, regions, SMALL, (ARROW,), "en").png()
    uk = slides.of_scene(made, regions, SMALL, (ARROW,), "uk").png()
    assert en != uk


# --- hostile text, layout, a slide that cannot be drawn --------------------------------------

HOSTILE = (
    '<script>alert(1)</script> =HYPERLINK("http://x") @SUM(1) '
    "\u202eevil\u202c \u200f\x07\x00bell \ud800 end"
)
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 8


def test_hostile_text_is_plain_text_in_every_format(scene_for, regions, tmp_path):
    deck = Deck(
        slides=(
            Slide(
                view("date=2022-09-10&window=7"),
                Text("🔥 中文 " + HOSTILE + " " + LONG_WORD),  # no glyph in DejaVu Sans Bold
                Text((HOSTILE + " ") * 3 + LONG_WORD + " 😀 " + "word " * 400),
                Text(HOSTILE),
                (Annotation("label", ((48.0, 35.0),), Text(HOSTILE + LONG_WORD)),),
            ),
        ),
        title=Text(HOSTILE),
    )
    pages = export.pages(deck, "en", scene_for, regions, SMALL)
    page = pages[0]
    for text in (page.title, page.caption, page.notes):
        assert "<script>alert(1)</script>" in text
        assert not re.search("[\x00-\x08\u202e\u202c\u200f\ud800]", text)
    reader, texts = pdf_texts(export.to_pdf(pages, HOSTILE))
    assert "<script>alert(1)</script>" in texts[0] and '=HYPERLINK("http://x")' in texts[0]
    assert "□ □□ <script>" in texts[0]  # what the font cannot draw, the same in every format
    shown = Presentation(io.BytesIO(export.to_pptx(pages, HOSTILE)))
    frames = [s.text_frame.text for s in shown.slides[0].shapes if s.has_text_frame]
    assert any(t.startswith("□ □□ <script>alert(1)</script>") for t in frames)
    assert "<script>" in shown.slides[0].notes_slide.notes_text_frame.text
    written = export.to_png_dir(pages, tmp_path, HOSTILE)
    assert Image.open(written[0]).size == (1920, 1080)
    laid = export.layout(page, HOSTILE)
    for block in (laid.title, laid.caption, laid.footer):
        face = font(block.size, block.bold)
        assert all(face.getlength(line) <= block.box.w for line in block.lines)
        assert block.height <= block.box.h
    assert laid.caption.lines[-1].endswith("…")  # too long for the box: cut, and says so
    assert laid.title.lines[-1].endswith("…") and len(laid.title.lines) == 2
    assert laid.caption.text.endswith("…")  # PowerPoint gets the same cut text


def test_a_caption_that_fits_is_kept_whole_at_a_smaller_size():
    caption = "Ukrainian forces retook Balakliia, Kupiansk and Izium in a week. " * 12
    block = export.fit(caption.strip(), export.CAPTION, 30, 17)
    assert block.size < 30 and block.text == caption.strip()
    assert " ".join(block.lines) == caption.strip()
    assert block.height <= export.CAPTION.h


def test_a_slide_that_cannot_be_drawn_shows_why(scene_for, regions, tmp_path):
    deck = replace(
        DECK, slides=(DECK.slides[0], Slide(view("data=upload&date=2022-10-01"), Text("Upload")))
    )
    pages = export.pages(deck, "en", scene_for, regions, SMALL)
    assert pages[0].missing is None and pages[0].picture
    reason = "shows the uploaded file acled.csv: pass it with --events"
    assert pages[1].missing == reason and pages[1].picture is None
    reader, texts = pdf_texts(export.to_pdf(pages, "Deck"))
    assert len(reader.pages[1].images) == 0 and reason in texts[1]
    shown = Presentation(io.BytesIO(export.to_pptx(pages, "Deck")))
    kinds = [s.shape_type for s in shown.slides[1].shapes]
    assert MSO_SHAPE_TYPE.PICTURE not in kinds
    assert reason in [s.text_frame.text for s in shown.slides[1].shapes if s.has_text_frame]
    image = Image.open(export.to_png_dir(pages, tmp_path)[1]).convert("RGB")
    box = export.PICTURE
    assert image.getpixel((box.x + 20, box.y + 20)) == rgb(export.MISSING_FILL)

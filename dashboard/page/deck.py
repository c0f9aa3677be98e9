"""The briefing deck in the page (``state.deck``): add the view as a slide, edit, reorder,
duplicate and delete slides with thumbnails, load and download the deck file, export it, and
present it (the slide's title and caption in the banner, a counter, ←/→, Page Up/Down or a
clicker, and speaker notes in a window of their own that follows along).

The deck lives in the view (``ViewState.deck``, the link's ``deck=``), so the link and a reload
keep it. A slide is shown by ``session.show_view``: the whole view at once, the map flying to
the slide's centre and zoom in the same frame (the map component keeps its key: no reload).
Here: the slides' scenes and thumbnails, every change to the deck (button callbacks) and the
sidebar's section; ``page.deck_editor`` draws the editor, ``page.deck_present`` the deck
presented."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.ingest import datasets
from dashboard.ingest.textsafe import md_escape
from dashboard.page import controls, data, session
from dashboard.query.filters import filters_of
from dashboard.render import slides
from dashboard.scene import build as scene
from dashboard.state import deck as decks
from dashboard.state import permalink, transitions

THUMB = (480, 270)
MAX_THUMBS = 120  # thumbnails kept per session
CARDS_PER_ROW = 3
EXPORT_SIZE = (1600, 900)  # the map picture on an exported slide


def _upload_token():
    held = session.value("_upload")
    return held[0] if held is not None else None


# --- one slide's scene, from the page's data ----------------------------------------------------


def scene_for(shown, lang: str, T):
    """``view -> Scene | reason``: a slide's scene, drawn from the data the page has (the data
    shown, or another bundled choice, or the upload of this session), in ``lang``."""

    def build(view):
        view = replace(view, lang=lang, deck=None, slide=None)
        upload = shown.upload
        if datasets.needs_upload(view.data) and (upload is None or upload.result is None):
            name = session.view().deck.upload if session.view().deck else None
            return T("deck_needs_upload", name=name or T("deck_an_upload"))
        if view.data == shown.choice:
            events, key = shown.events, shown.data_key
        else:
            results = []
            for part in datasets.PARTS[view.data]:
                if part == datasets.UPLOAD:
                    results.append(upload.result)
                    continue
                _, result = data.bundled(part)
                if isinstance(result, str):
                    return result
                results.append(result)
            events = datasets.combine(results)
            key = ("deck", view.data, _upload_token())
        if len(events) == 0:
            return T("no_valid_events")
        index = data.cached_index(events, key, filters_of(view))
        inputs = scene.inputs_for(
            view, events, shown.regions, index, "none", control=data.control_table()
        )
        first, last = controls.data_range(events)
        day, _ = permalink.clamp_date(view.date, first, last)
        return scene.of_state(view, inputs, day)

    return build


def thumbnail(slide: decks.Slide, build, regions, lang: str) -> bytes | str:
    """A slide's small picture (kept per session), or why it cannot be drawn."""
    thumbs = session.value("_thumbs")
    if thumbs is None:
        thumbs = {}
        session.put("_thumbs", thumbs)
    key = (slide, lang, _upload_token())
    if key not in thumbs:
        made = build(slide.view)
        if isinstance(made, str):
            thumbs[key] = made
        else:
            picture = slides.of_scene(
                made, regions, THUMB, annotations=slide.annotations, lang=lang
            )
            thumbs[key] = picture.png()
        while len(thumbs) > MAX_THUMBS:
            thumbs.pop(next(iter(thumbs)))
    return thumbs[key]


# --- changes (button callbacks) -----------------------------------------------------------------


def _deck() -> decks.Deck | None:
    return session.view().deck


def _set_deck(deck: decks.Deck | None) -> None:
    """The session's deck after an edit; the slide shown stays inside it."""
    view = session.view()
    slide = view.slide
    if deck is None or not deck.slides:
        deck, slide = None, None
    elif slide is not None:
        slide = min(slide, len(deck.slides))
    session.put(session.DECK, deck)
    session.put("slide", slide)
    session.drop("_deck_problems") if deck is None else None


def add_view(T) -> None:
    """'Add this view as a slide', after the slide shown (else at the end). Untitled until the
    briefer names it: the banner then shows the map's own title, the card the slide's date."""
    view = session.view()
    deck = _deck() or decks.Deck()
    if len(deck.slides) >= decks.MAX_SLIDES:
        session.put("_deck_message", T("deck_full", n=decks.MAX_SLIDES))
        return
    held = session.value("_upload")
    if datasets.needs_upload(view.data) and held is not None and held[1] is not None:
        deck = replace(deck, upload=held[1].name)
    after = view.slide - 1 if view.slide is not None else None
    deck = decks.add(deck, decks.Slide(view=view), after=after)
    number = (after + 2) if after is not None else len(deck.slides)
    _set_deck(deck)
    session.put("slide", number)
    session.put("_deck_edit", number - 1)
    session.put("_deck_message", T("deck_added", n=number))


def show_slide(number: int) -> None:
    """Show slide ``number`` (1-based) of the deck: in presentation, or on the page."""
    view = session.view()
    if view.deck is None:
        return
    session.show_view(transitions.go_to_slide(view, number))


def step(by: int) -> None:
    view = session.view()
    if view.deck is not None:
        show_slide((view.slide or 0) + by)


def present() -> None:
    """Present the deck from the slide shown (else the first)."""
    view = session.view()
    if view.deck is None:
        return
    session.put("present", True)
    session.mark_touched("present")
    session.show_view(transitions.go_to_slide(replace(view, present=True), view.slide or 1))


def edit(op: str, index: int) -> None:
    deck = _deck()
    if deck is None:
        return
    if op == "up":
        deck, edit_at = decks.move(deck, index, index - 1), max(0, index - 1)
    elif op == "down":
        deck, edit_at = decks.move(deck, index, index + 1), min(len(deck) - 1, index + 1)
    elif op == "copy":
        deck, edit_at = decks.duplicate(deck, index), index + 1
    elif op == "delete":
        deck, edit_at = decks.delete(deck, index), max(0, index - 1)
    else:
        return
    view = session.view()
    _set_deck(deck)
    if view.slide is not None and op != "copy":
        session.put("slide", None)  # the order changed under it: no slide is "shown" now
    session.put("_deck_edit", edit_at)


def replace_view(index: int) -> None:
    """The slide's view becomes the one on the page now (texts and annotations kept)."""
    deck = _deck()
    if deck is None or not 0 <= index < len(deck):
        return
    _set_deck(decks.put(deck, index, replace(deck.slides[index], view=session.view())))
    session.put("slide", index + 1)


def save_texts(index: int) -> None:
    deck = _deck()
    if deck is None or not 0 <= index < len(deck):
        return

    def text(name: str, limit: int, lines: bool) -> decks.Text:
        reader = decks._Reader()
        raw = {lang: session.value(f"deck_{name}_{lang}", "") or "" for lang in decks.LANGS}
        out = reader.text(raw, name, limit, lines)
        for problem in reader.problems:
            session.put("_deck_message", problem)
        return out

    slide = replace(
        deck.slides[index],
        title=text("title", decks.MAX_TITLE, False),
        caption=text("caption", decks.MAX_CAPTION, True),
        notes=text("notes", decks.MAX_NOTES, True),
    )
    _set_deck(decks.put(deck, index, slide))


def save_deck_title() -> None:
    deck = _deck()
    if deck is None:
        return
    reader = decks._Reader()
    raw = {lang: session.value(f"deck_name_{lang}", "") or "" for lang in decks.LANGS}
    _set_deck(replace(deck, title=reader.text(raw, "title", decks.MAX_TITLE, False)))


def add_annotation(index: int, targets: dict) -> None:
    """The annotation form's values as a new annotation of slide ``index``."""
    deck = _deck()
    if deck is None or not 0 <= index < len(deck):
        return
    slide = deck.slides[index]
    if len(slide.annotations) >= decks.MAX_ANNOTATIONS:
        return
    kind = session.value("ann_kind", "label")
    at = targets.get(session.value("ann_at"))
    to = targets.get(session.value("ann_to"))
    if at is None or (kind == "arrow" and to is None):
        return
    points = (at, to) if kind == "arrow" else (at,)
    text = decks.Text(
        (session.value("ann_text_en", "") or "").strip()[: decks.MAX_LABEL],
        (session.value("ann_text_uk", "") or "").strip()[: decks.MAX_LABEL],
    )
    if kind == "label" and not text:
        session.put("_ann_error", True)  # the form says a label needs a text
        return
    radius = float(session.value("ann_radius", 10.0)) if kind == "circle" else None
    annotation = decks.Annotation(kind, points, text, radius)
    slide = replace(slide, annotations=(*slide.annotations, annotation))
    _set_deck(decks.put(deck, index, slide))


def drop_annotation(index: int, at: int) -> None:
    deck = _deck()
    if deck is None or not 0 <= index < len(deck):
        return
    slide = deck.slides[index]
    kept = slide.annotations[:at] + slide.annotations[at + 1 :]
    _set_deck(decks.put(deck, index, replace(slide, annotations=kept)))


def load_file() -> None:
    """A deck file chosen in the uploader: read, checked, and opened at its first slide."""
    chosen = session.value("deck_file")
    if chosen is None:
        return
    try:
        deck, problems = decks.from_json(chosen.getvalue())
    except decks.DeckError as exc:
        session.put("_deck_problems", (chosen.name, tuple(exc.problems), False))
        return
    session.put("_deck_problems", (chosen.name, tuple(problems), True))
    session.put(session.DECK, deck)
    session.put("_deck_edit", 0)
    show_slide(1)


def close() -> None:
    _set_deck(None)
    session.drop("_deck_edit", "_deck_problems")


# --- the sidebar's section and the editor --------------------------------------------------------


def sidebar(T) -> None:
    """In the sidebar: add the view, present, load a deck file."""
    deck = _deck()
    st.header(T("deck"))
    n = len(deck) if deck else 0
    st.caption(T("deck_count", n=n) if n else T("deck_empty"))
    st.button(T("deck_add"), key="deck_add", on_click=add_view, args=(T,), width="stretch")
    st.button(
        T("deck_present"),
        key="deck_present",
        on_click=present,
        disabled=not n,
        type="primary",
        width="stretch",
    )
    st.file_uploader(
        T("deck_load"),
        type=["json"],
        key="deck_file",
        on_change=load_file,
        help=T("deck_load_help", kb=decks.MAX_FILE_BYTES // 1000),
        max_upload_size=1,
    )
    message = session.value("_deck_message")
    if message:
        st.caption(md_escape(message))
        session.drop("_deck_message")


def problems(T) -> None:
    """What loading a deck file found: each problem on its own line, as text."""
    found = session.value("_deck_problems")
    if not found:
        return
    name, items, opened = found
    head = (
        T("deck_opened_with", name=md_escape(name), n=len(items))
        if opened
        else T("deck_refused", name=md_escape(name))
    )
    if opened and not items:
        st.success(T("deck_opened", name=md_escape(name)))
        return
    box = st.warning if opened else st.error
    box(head + "\n\n" + "\n".join(f"- {md_escape(p)}" for p in items[:50]))


def upload_note(deck: decks.Deck, shown, T) -> None:
    """A deck that shows an uploaded file says so, and asks for it when it is not here."""
    uses = [i + 1 for i, s in enumerate(deck.slides) if datasets.needs_upload(s.view.data)]
    if not uses:
        return
    have = shown.upload is not None and shown.upload.result is not None
    name = md_escape(deck.upload or T("deck_an_upload"))
    numbers = ", ".join(str(n) for n in uses)
    if have:
        st.info(T("deck_upload_here", name=name, slides=numbers))
    else:
        st.warning(T("deck_upload_missing", name=name, slides=numbers))

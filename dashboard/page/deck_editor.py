"""The deck's editor under the page (``page.deck`` holds the deck and its changes): the
slides as cards with thumbnails (show, move, duplicate, delete, edit), the chosen slide's texts
and map annotations, and the deck's file, link and exports (PDF, PowerPoint, PNGs)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.i18n import long_date
from dashboard.ingest.textsafe import md_escape
from dashboard.page import session
from dashboard.page.deck import (
    CARDS_PER_ROW,
    EXPORT_SIZE,
    add_annotation,
    close,
    drop_annotation,
    edit,
    problems,
    replace_view,
    save_deck_title,
    save_texts,
    scene_for,
    show_slide,
    thumbnail,
    upload_note,
)
from dashboard.scene import places
from dashboard.state import deck as decks
from dashboard.state import permalink, transitions

PDF, ZIP = "application/pdf", "application/zip"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def editor(shown, lang: str, T) -> None:
    """Below the page: the deck's slides as cards (thumbnail, number and title, move, copy,
    delete, edit), the selected slide's texts and annotations, the exports."""
    deck = session.view().deck
    st.subheader(T("deck"))
    problems(T)
    if deck is None:
        st.caption(T("deck_none"))
        return
    upload_note(deck, shown, T)
    build = scene_for(shown, lang, T)
    shown_slide = session.view().slide
    for row in range(0, len(deck), CARDS_PER_ROW):
        cols = st.columns(CARDS_PER_ROW)
        for col, i in zip(cols, range(row, min(row + CARDS_PER_ROW, len(deck))), strict=False):
            with col, st.container(border=True, key=f"deck_card_{i}"):
                card(deck, i, build, shown, lang, T, current=shown_slide == i + 1)
    at = min(session.value("_deck_edit", 0) or 0, len(deck) - 1)
    slide_form(deck, at, shown, lang, T)
    exports(deck, shown, lang, T)


def card(deck, i: int, build, shown, lang: str, T, current: bool) -> None:
    slide = deck.slides[i]
    picture = thumbnail(slide, build, shown.regions, lang)
    if isinstance(picture, bytes):
        st.image(picture, width="stretch")
    else:
        st.caption(md_escape(picture))
    mark = " ◆" if current else ""
    day = slide.view.date
    title = slide.title.get(lang) or (long_date(day, lang) if day else T("deck_untitled"))
    st.markdown(f"**{i + 1}.** {md_escape(title)}{mark}")
    top = st.columns(2)
    top[0].button(
        T("deck_show"),
        key=f"deck_show_{i}",
        on_click=show_slide,
        args=(i + 1,),
        width="stretch",
        help=T("deck_show_help"),
    )
    top[1].button(
        T("deck_edit"),
        key=f"deck_edit_{i}",
        on_click=session.put,
        args=("_deck_edit", i),
        type="primary" if session.value("_deck_edit") == i else "secondary",
        width="stretch",
    )
    c = st.columns([1, 1, 2, 2])
    c[0].button(
        "←",
        key=f"deck_up_{i}",
        on_click=edit,
        args=("up", i),
        disabled=i == 0,
        help=T("deck_earlier"),
        width="stretch",
    )
    c[1].button(
        "→",
        key=f"deck_down_{i}",
        on_click=edit,
        args=("down", i),
        disabled=i == len(deck) - 1,
        help=T("deck_later"),
        width="stretch",
    )
    c[2].button(
        T("deck_duplicate"),
        key=f"deck_copy_{i}",
        on_click=edit,
        args=("copy", i),
        disabled=len(deck) >= decks.MAX_SLIDES,
        width="stretch",
    )
    c[3].button(
        T("deck_delete"),
        key=f"deck_delete_{i}",
        on_click=edit,
        args=("delete", i),
        width="stretch",
    )


def _fill_form(slide: decks.Slide, i: int) -> None:
    """The form's fields hold the slide being edited (when another slide is chosen)."""
    if session.value("_deck_form_for") == (i, slide.title, slide.caption, slide.notes):
        return
    for name in ("title", "caption", "notes"):
        for lang in decks.LANGS:
            session.put(f"deck_{name}_{lang}", getattr(getattr(slide, name), lang))
    session.put("_deck_form_for", (i, slide.title, slide.caption, slide.notes))


def slide_form(deck, i: int, shown, lang: str, T) -> None:
    slide = deck.slides[i]
    _fill_form(slide, i)
    st.markdown(f"#### {T('deck_editing', n=i + 1)}")
    st.caption(md_escape(permalink.to_query(slide.view)))
    with st.form(key="deck_texts", border=True):
        a, b = st.columns(2)
        a.text_input(
            T("deck_slide_title") + " (EN)", key="deck_title_en", max_chars=decks.MAX_TITLE
        )
        b.text_input(
            T("deck_slide_title") + " (UK)", key="deck_title_uk", max_chars=decks.MAX_TITLE
        )
        a.text_area(
            T("deck_caption") + " (EN)",
            key="deck_caption_en",
            max_chars=decks.MAX_CAPTION,
            height=100,
        )
        b.text_area(
            T("deck_caption") + " (UK)",
            key="deck_caption_uk",
            max_chars=decks.MAX_CAPTION,
            height=100,
        )
        a.text_area(
            T("deck_notes") + " (EN)", key="deck_notes_en", max_chars=decks.MAX_NOTES, height=100
        )
        b.text_area(
            T("deck_notes") + " (UK)", key="deck_notes_uk", max_chars=decks.MAX_NOTES, height=100
        )
        st.form_submit_button(T("deck_save"), on_click=save_texts, args=(i,), type="primary")
    c1, c2 = st.columns(2)
    c1.button(
        T("deck_replace"),
        key="deck_replace",
        on_click=replace_view,
        args=(i,),
        help=T("deck_replace_help"),
    )
    annotations(slide, i, shown, lang, T)


def annotation_targets(shown, lang: str, T) -> dict:
    """Where an annotation can be put: the map's centre now, the five oblasts, towns, places of
    the events shown (``scene.places``), as (lat, lon)."""
    out: dict = {}
    view = session.view()
    if view.lat is not None and view.lon is not None:
        out[T("deck_map_centre")] = (view.lat, view.lon)
    for place in places.places(shown.regions, shown.events, lang).values():
        fly = place.fly
        if "c" in fly:
            point = (float(fly["c"][0]), float(fly["c"][1]))
        else:
            (s, w), (n, e) = fly["b"]
            point = ((s + n) / 2, (w + e) / 2)
        label = f"{place.name} ({place.detail})"
        out.setdefault(label, point)
    return out


def annotations(slide: decks.Slide, i: int, shown, lang: str, T) -> None:
    st.markdown(f"**{T('deck_annotations')}**")
    kinds = {"arrow": T("ann_arrow"), "circle": T("ann_circle"), "label": T("ann_label")}
    for k, a in enumerate(slide.annotations):
        c1, c2 = st.columns([5, 1])
        where = "; ".join(f"{lat:.3f}, {lon:.3f}" for lat, lon in a.points)
        extra = f" · {a.radius_km:g} km" if a.radius_km else ""
        text = a.text.get(lang)
        c1.caption(f"{kinds[a.kind]}: {md_escape(text) or '—'} ({where}{extra})")
        c2.button(
            "✕", key=f"ann_drop_{k}", on_click=drop_annotation, args=(i, k), help=T("ann_remove")
        )
    if len(slide.annotations) >= decks.MAX_ANNOTATIONS:
        return
    targets = annotation_targets(shown, lang, T)
    names = list(targets)
    with st.form(key="ann_form", border=True):
        c = st.columns([1, 2, 2, 1])
        c[0].selectbox(T("ann_kind"), list(kinds), format_func=kinds.get, key="ann_kind")
        c[1].selectbox(T("ann_at"), names, key="ann_at", help=T("ann_at_help"))
        c[2].selectbox(T("ann_to"), names, key="ann_to", help=T("ann_to_help"))
        c[3].number_input(T("ann_radius"), 0.2, 500.0, 10.0, step=1.0, key="ann_radius")
        d = st.columns(2)
        d[0].text_input(T("ann_text") + " (EN)", key="ann_text_en", max_chars=decks.MAX_LABEL)
        d[1].text_input(T("ann_text") + " (UK)", key="ann_text_uk", max_chars=decks.MAX_LABEL)
        st.form_submit_button(T("ann_add"), on_click=add_annotation, args=(i, targets))
    if session.value("_ann_error"):
        st.warning(T("ann_needs_text"))
        session.drop("_ann_error")


def exports(deck, shown, lang: str, T) -> None:
    """The deck file, its link (at slide 1), and PDF, PowerPoint and PNG exports."""
    from dashboard.render import deck as exporter

    st.markdown(f"**{T('deck_share')}**")
    a, b = st.columns(2)
    a.text_input(
        T("deck_name") + " (EN)",
        value=deck.title.en,
        key="deck_name_en",
        on_change=save_deck_title,
        max_chars=decks.MAX_TITLE,
    )
    b.text_input(
        T("deck_name") + " (UK)",
        value=deck.title.uk,
        key="deck_name_uk",
        on_change=save_deck_title,
        max_chars=decks.MAX_TITLE,
    )
    base = (st.context.url or "").split("?")[0]
    first = transitions.go_to_slide(replace(session.view(), present=True), 1)
    st.text_input(
        T("deck_link"), value=f"{base}?{permalink.to_query(first)}", help=T("deck_link_help")
    )
    build = scene_for(shown, lang, T)
    stem = "briefing-deck"
    title = deck.title.get(lang) or T("deck")

    def pages():
        return exporter.pages(deck, lang, build, shown.regions, EXPORT_SIZE)

    files = (  # label, the file's bytes (made when clicked), its name, its type
        ("deck_download", decks.to_json(deck).encode(), f"{stem}.json", "application/json"),
        ("deck_pdf", lambda: exporter.to_pdf(pages(), title), f"{stem}-{lang}.pdf", PDF),
        ("deck_pptx", lambda: exporter.to_pptx(pages(), title), f"{stem}-{lang}.pptx", PPTX),
        ("deck_pngs", lambda: exporter.to_png_zip(pages(), title), f"{stem}-{lang}-png.zip", ZIP),
    )
    cols = st.columns(len(files) + 1)
    for col, (key, made, name, mime) in zip(cols, files, strict=False):
        col.download_button(
            T(key), data=made, file_name=name, mime=mime, key=key, on_click="ignore"
        )
    cols[-1].button(T("deck_close"), key="deck_close", on_click=close)

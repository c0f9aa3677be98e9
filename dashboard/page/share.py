"""The share panel: the link to this view, slide PNGs and the standalone map (made when
clicked, from the same scene inputs as the map on the page)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard.ingest.textsafe import md_escape
from dashboard.render import slides
from dashboard.render.html import standalone_html
from dashboard.scene import build as scene
from dashboard.state.choices import SLIDE_SIZES
from dashboard.state.view_state import ViewState


def panel(view: ViewState, inputs: scene.Inputs, link: str, uploaded: bool, T) -> None:
    st.subheader(T("share"))
    st.markdown(f"**{T('link')}**", help=T("link_help"))
    # A text box, not st.code: the code block's highlighter is 1.5 MB of JavaScript that every
    # new visitor would download before the map (docs/PERFORMANCE.md).
    st.text_input(T("link"), value=link, label_visibility="collapsed", key=None)
    if uploaded:
        st.caption(T("link_upload_note"))
    stem = f"oblast-events-{view.date:%Y-%m-%d}"
    try:
        slides.font_path(bold=False)
        slides.font_path(bold=True)
        fonts = None
    except slides.NoFont as exc:
        fonts = str(exc)
    cols = st.columns(len(SLIDE_SIZES) + 1)
    for col, size in zip(cols, SLIDE_SIZES, strict=False):
        label = f"{size[0]}×{size[1]}"
        if fonts:
            col.caption(f"{T('png', size=label)}: {md_escape(fonts)}")
            continue

        def png(size=size) -> bytes:
            made = scene.of_state(view, replace(inputs, tiles="none", overlay=""))
            return slides.of_scene(made, inputs.regions, size).png()

        col.download_button(
            T("png", size=label),
            data=png,
            file_name=f"{stem}-{size[0]}x{size[1]}.png",
            mime="image/png",
            key=f"download_png_{size[0]}",
            help=T("png_help"),
            on_click="ignore",
        )

    def html() -> bytes:
        made = scene.of_state(view, replace(inputs, overlay="full"))
        return standalone_html(made, inputs.regions, inputs.control)

    cols[-1].download_button(
        T("html"),
        data=html,
        file_name=f"{stem}.html",
        mime="text/html",
        key="download_html",
        help=T("html_help"),
        on_click="ignore",
    )

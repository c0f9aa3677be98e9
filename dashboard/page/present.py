"""Presentation mode: a banner with the title and date, the map with its legend, a slim bar of
buttons, and Esc to leave."""

from __future__ import annotations

from html import escape

import streamlit as st
import streamlit.components.v1 as components

from dashboard.geo.regions import Regions
from dashboard.page import controls, deck_present, mapview
from dashboard.page.styles import DECK_PRESENT_CSS

# Esc leaves presentation: pressed on the page, or inside the map (whose client posts
# {oem: "escape"}, timebar.protocol, when no popup is open). Same-origin component frame, so
# it can reach the page.
ESCAPE_SCRIPT = """<script>
(function () {
  var top = window.parent, doc = top.document;
  if (top.__oemEscape) { return; }
  top.__oemEscape = true;
  function leave(tries) {
    // During a rerun the bar may be between two renders: try again for up to 3 s.
    var button = doc.querySelector(".st-key-relay_exit button") ||
      doc.querySelector(".st-key-exit_present button");
    if (button) { button.click(); return; }
    if ((tries || 0) < 20) { setTimeout(function () { leave((tries || 0) + 1); }, 150); }
  }
  doc.addEventListener("keydown", function (e) { if (e.key === "Escape") { leave(0); } });
  top.addEventListener("message", function (e) {
    if (e.data && e.data.oem === "escape") { leave(0); }
  });
})();
</script>"""


def view(the_scene, regions: Regions, events, T) -> None:
    """Presentation: a banner with the title and date, the map with its legend, a slim bar."""
    deck_banner = deck_present.banner(the_scene, T)
    if deck_banner:
        st.html(DECK_PRESENT_CSS)
    st.html(
        deck_banner
        or "<div class='oem-present-banner' role='banner'>"
        f"<div class='t'>{escape(the_scene.title)}</div>"
        f"<div class='d' aria-live='polite'><b>{escape(the_scene.date_text)}</b>"
        f"<span>{escape(the_scene.window_text)}</span></div></div>"
    )
    mapview.draw(the_scene, regions, mapview.PRESENT_HEIGHT, present=True)
    with st.container(key="present_bar"):
        cols = deck_present.present_bar(the_scene, T)
        controls.play_buttons(events, T, present=True, cols=cols)
    with st.container(key="oem_escape"):  # zero-size: only its script matters
        components.html(ESCAPE_SCRIPT, height=0)

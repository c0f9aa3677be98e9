"""A deck presented (``page.deck``): the slide's title and caption in the banner with its date
and "Slide 3 of 6", previous and next, ←/→, Page Up/Down or a clicker, and the speaker notes in
a window of their own that follows along."""

from __future__ import annotations

import json
from html import escape

import streamlit as st
import streamlit.components.v1 as components

from dashboard.page import session
from dashboard.page.deck import step

# ←/→, Page Up/Down (what clickers send) step the deck while it is presented: pressed on the
# page, or in the map (whose client posts {oem: "slide", dir}, ``timebar.protocol``). Never
# while typing in a field. Same-origin component frame, so it can reach the page.
KEYS_SCRIPT = """<script>
(function () {
  var top = window.parent, doc = top.document;
  if (top.__oemSlideKeys) { return; }
  top.__oemSlideKeys = true;
  function go(dir) {
    var which = dir > 0 ? "next" : "prev";  // the twin outside the fragment (relay.twins)
    var b = doc.querySelector(".st-key-relay_" + which + " button") ||
      doc.querySelector(".st-key-deck_" + which + " button");
    if (b && !b.disabled) { b.click(); }
  }
  doc.addEventListener("keydown", function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) { return; }
    var t = e.target, tag = t && t.tagName ? t.tagName.toLowerCase() : "";
    if (tag === "input" || tag === "textarea" || tag === "select" || (t && t.isContentEditable)) {
      return;
    }
    var dir = { ArrowRight: 1, PageDown: 1, ArrowLeft: -1, PageUp: -1 }[e.key];
    if (dir && doc.querySelector(".st-key-deck_next")) { e.preventDefault(); go(dir); }
  });
  top.addEventListener("message", function (e) {
    if (e.data && e.data.oem === "slide" && (e.data.dir === 1 || e.data.dir === -1)) {
      go(e.data.dir);
    }
  });
})();
</script>"""

# The speaker notes button: a button in this frame (a click, so the browser lets it open a
# window), the window written from here (same origin: about:blank), and rewritten by each new
# slide's frame while it is open. Every text is set as text, never as HTML.
NOTES_SCRIPT = """<style>
html, body { margin: 0; }
button { font: 16px "Source Sans Pro", sans-serif; height: 38px; border-radius: 8px;
  border: 1px solid rgba(49, 51, 63, 0.2); background: #fff; color: rgb(49, 51, 63);
  cursor: pointer; width: 100%; box-sizing: border-box; }
button:hover { border-color: #ff4b4b; color: #ff4b4b; }
</style>
<button type="button" id="notes">__LABEL__</button>
<script>
(function () {
  var data = __DATA__, top = window.parent;
  var CSS = "body{font:20px/1.45 'DejaVu Sans',Arial,sans-serif;margin:24px;color:#111}" +
    "h1{font-size:28px;margin:0 0 4px}.n{color:#555;font-size:16px}" +
    ".notes{white-space:pre-wrap;margin:18px 0;font-size:24px}" +
    ".next{color:#444;border-top:1px solid #ccc;padding-top:12px;font-size:16px}" +
    ".cap{white-space:pre-wrap;color:#333}" +
    "nav button{font-size:18px;padding:8px 18px;margin-right:8px}";
  function el(doc, tag, cls, text) {
    var e = doc.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined) { e.textContent = text; }
    return e;
  }
  function click(which) {
    var doc = top.document;  // the twin outside the fragment first (relay.twins)
    var b = doc.querySelector(".st-key-relay_" + which + " button") ||
      doc.querySelector(".st-key-deck_" + which + " button");
    if (b && !b.disabled) { b.click(); }
  }
  function fill(w) {
    var doc = w.document;
    doc.title = data.window_title;
    if (!doc.getElementById("oem-notes-style")) {
      var style = el(doc, "style");
      style.id = "oem-notes-style";
      style.textContent = CSS;
      doc.head.appendChild(style);
      doc.addEventListener("keydown", function (e) {
        var dir = { ArrowRight: "next", PageDown: "next",
          ArrowLeft: "prev", PageUp: "prev" }[e.key];
        if (dir) { e.preventDefault(); click(dir); }
      });
    }
    var body = doc.body;
    while (body.firstChild) { body.removeChild(body.firstChild); }
    var nav = el(doc, "nav");
    var prev = el(doc, "button", "", data.prev), next = el(doc, "button", "", data.next);
    prev.addEventListener("click", function () { click("prev"); });
    next.addEventListener("click", function () { click("next"); });
    nav.appendChild(prev);
    nav.appendChild(next);
    body.appendChild(nav);
    body.appendChild(el(doc, "p", "n", data.counter + " · " + data.date));
    body.appendChild(el(doc, "h1", "title", data.title));
    body.appendChild(el(doc, "div", "cap", data.caption));
    body.appendChild(el(doc, "div", "notes", data.notes || data.no_notes));
    body.appendChild(el(doc, "div", "next", data.coming));
  }
  var open = top.__oemNotes;
  if (open && !open.closed) { fill(open); }
  document.getElementById("notes").addEventListener("click", function () {
    var w = top.__oemNotes;
    if (!w || w.closed) { w = top.open("", "oem-speaker-notes", "width=760,height=640"); }
    if (!w) { return; }
    top.__oemNotes = w;
    fill(w);
    w.focus();
  });
})();
</script>"""


def banner(the_scene, T) -> str | None:
    """The presentation banner's HTML for a deck's slide (title, caption, date, counter), or
    None when no slide is shown."""
    view = session.view()
    if view.deck is None or view.slide is None:
        return None
    slide = view.deck.slides[view.slide - 1]
    lang = the_scene.lang
    title = slide.title.get(lang) or the_scene.title
    caption = slide.caption.get(lang)
    counter = T("deck_counter", n=view.slide, of=len(view.deck))
    cap = f"<div class='c'>{escape(caption)}</div>" if caption else ""
    return (
        "<div class='oem-present-banner oem-deck-banner' role='banner'>"
        f"<div class='t'>{escape(title)}{cap}</div>"
        f"<div class='d' aria-live='polite'><b>{escape(the_scene.date_text)}</b>"
        f"<span>{escape(the_scene.window_text)}</span>"
        f"<span class='k'>{escape(counter)}</span></div></div>"
    )


def present_bar(the_scene, T):
    """Previous, next and the speaker notes, then the four columns for play, back, forward and
    exit, in one row; None when no slide is shown (the bar is the usual one)."""
    view = session.view()
    if view.deck is None or view.slide is None:
        return None
    n, total = view.slide, len(view.deck)
    cols = st.columns([1.25, 1.25, 1.1, 1.1, 0.9, 0.9, 1.5])
    cols[0].button(
        T("deck_prev"),
        key="deck_prev",
        on_click=step,
        args=(-1,),
        disabled=n <= 1,
        width="stretch",
    )
    cols[1].button(
        T("deck_next"),
        key="deck_next",
        on_click=step,
        args=(1,),
        disabled=n >= total,
        width="stretch",
        type="primary",
    )
    with cols[2], st.container(key="deck_notes"):
        components.html(notes_html(view, the_scene, T), height=40)
    with st.container(key="deck_keys"):  # zero-size: only its script matters
        components.html(KEYS_SCRIPT, height=0)
    return cols[3:]


def notes_html(view, the_scene, T) -> str:
    slide = view.deck.slides[view.slide - 1]
    lang = the_scene.lang
    following = view.deck.slides[view.slide] if view.slide < len(view.deck) else None
    info = {
        "window_title": T("deck_notes_window"),
        "counter": T("deck_counter", n=view.slide, of=len(view.deck)),
        "date": f"{the_scene.date_text} {the_scene.window_text}".strip(),
        "title": slide.title.get(lang),
        "caption": slide.caption.get(lang),
        "notes": slide.notes.get(lang),
        "no_notes": T("deck_no_notes"),
        "coming": T("deck_coming", title=following.title.get(lang))
        if following
        else T("deck_last"),
        "prev": T("deck_prev"),
        "next": T("deck_next"),
    }
    payload = json.dumps(info, ensure_ascii=True).replace("</", "<\\/")
    return NOTES_SCRIPT.replace("__LABEL__", escape(T("deck_notes_button"))).replace(
        "__DATA__", payload
    )

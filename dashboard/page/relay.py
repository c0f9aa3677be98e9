"""Twins outside the date fragment for the buttons inside it.

Streamlit drops a click on a button inside a fragment when the click arrives while a full run
has not yet reached that fragment (the server logs "Couldn't find fragment"). In CI a deck's →
was lost that way (the deck stayed on slide 4), and a playback's "Pause" (it went on playing).
A full run's request is never dropped.

So each button of the fragment that matters has a hidden twin here, drawn by every full run,
and ``SCRIPT`` (installed once per tab) catches a trusted click on the visible button in the
capture phase and presses the twin instead:

- play/pause, and presentation's exit, previous and next: always. Each needs a full run
  anyway (the playback timer is re-armed; a slide is a whole view).
- back and forward: only while a run is under way (the app's script state is not
  ``notRunning``). Otherwise their click stays a cheap fragment run.

Esc, ←/→, Page Up/Down, a clicker and the speaker notes window press the twins directly
(``present.ESCAPE_SCRIPT``, ``deck_present``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
import streamlit.components.v1 as components

from dashboard.page import controls, session
from dashboard.page.deck import step

# visible button's key -> [twin's key, only while a run is under way]
TWINS = {
    "play": ("relay_play", False),
    "step_back": ("relay_back", True),
    "step_forward": ("relay_forward", True),
    "exit_present": ("relay_exit", False),
    "deck_prev": ("relay_prev", False),
    "deck_next": ("relay_next", False),
}

SCRIPT = (
    """<script>
(function () {
  var top = window.parent, doc = top.document;
  if (top.__oemRelay) { return; }
  top.__oemRelay = true;
  var TWINS = __TWINS__;
  function running() {
    var app = doc.querySelector("[data-testid='stApp']");
    var state = app && app.getAttribute("data-test-script-state");
    return !!state && state !== "notRunning";
  }
  // A trusted click only: the twin's own click (from here, a key or the notes window) is not
  // caught again.
  doc.addEventListener("click", function (e) {
    if (!e.isTrusted || !e.target || !e.target.closest) { return; }
    for (var key in TWINS) {
      if (!e.target.closest(".st-key-" + key + " button")) { continue; }
      var twin = doc.querySelector(".st-key-" + TWINS[key][0] + " button");
      if (twin && !twin.disabled && (!TWINS[key][1] || running())) {
        e.preventDefault(); e.stopPropagation(); twin.click();
      }
      return;
    }
  }, true);
})();
</script>"""
).replace("__TWINS__", str({k: [v[0], int(v[1])] for k, v in TWINS.items()}).replace("'", '"'))


def twins(events: pd.DataFrame, T, present: bool) -> None:
    """Hidden (``.st-key-oem_relay``; the script in a zero-size box): play/pause, back and
    forward; in presentation its exit, and a deck's previous and next. Same labels, callbacks
    and limits as the visible ones."""
    view = session.view()
    playing = session.page_state().playing
    with st.container(key="oem_relay"):
        st.button(
            T("pause") if playing else T("play"), key="relay_play", on_click=controls.toggle_play
        )
        st.button(T("back"), key="relay_back", on_click=controls.advance, args=(events, -1))
        st.button(T("forward"), key="relay_forward", on_click=controls.advance, args=(events, 1))
        if present:
            st.button(T("exit_present"), key="relay_exit", on_click=session.leave_presentation)
            if view.deck is not None and view.slide is not None:
                n, total = view.slide, len(view.deck)
                st.button(
                    T("deck_prev"), key="relay_prev", on_click=step, args=(-1,), disabled=n <= 1
                )
                st.button(
                    T("deck_next"),
                    key="relay_next",
                    on_click=step,
                    args=(1,),
                    disabled=n >= total,
                )
    with st.container(key="oem_relay_script"):
        components.html(SCRIPT, height=0)

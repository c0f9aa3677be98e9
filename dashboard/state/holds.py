"""Values the server wrote itself, held against the browser's stale copy of its widgets.

A click that shows a slide, or moves the date (back, forward, a playback step, a step of the
map's time bar), writes widgets' values on the server. A run the browser asked for before that
run's widgets reached it (a map just drawn reporting its view, the map ending its flight, on a
busy machine) sends the widgets as they were, and Streamlit takes those over the server's: CI
saw "Slide 5 of 6" over slide 4's date, and a Forward pressed as presentation opened showed
the next date, then the one before again.

A hold is ``(since, {key: (wanted, before)}, ack)`` under a name in the session. A value sent
back at exactly ``before`` is that stale copy and is put back to ``wanted``; any other value is
the user's and ends the hold for that key. The hold ends after its ``SECONDS``, or as soon as
the browser shows it has the values: ``ack`` is written to a hidden box (``ACK``) drawn after
the date slider, so a request that sends ``ack`` back was made with the slider as the server
set it, and its date is the user's even if it is the one before (Forward, then ← on the
slider). Plain Python on any mutable mapping (the page passes Streamlit's session state)."""

from __future__ import annotations

from collections.abc import MutableMapping

SHOWN = "_showing"  # a slide shown whole (``page.session.show_view``)
MOVED = "_moved"  # the date moved by the server (``page.session.apply``, ``hold_date``)
SECONDS = {SHOWN: 10.0, MOVED: 10.0}
ACK = "oem_ack"  # the hidden box after the date slider (``page.controls.time_controls``)


def hold(ss: MutableMapping, name: str, now: float, values: dict, ack: str | None = None) -> None:
    """Hold ``values`` (key -> (wanted, before)) from ``now``, in place of ``name``'s hold;
    with ``ack``, until the browser sends it back in ``ACK`` (the page writes it there, in
    the box, after ``keep`` has read what the browser sent)."""
    ss[name] = (now, dict(values), ack)


def keep(ss: MutableMapping, now: float, keys: tuple[str, ...] | None = None) -> None:
    """Before the widgets: put back each held value the browser sent back stale. ``keys``:
    only these (and the date), for a fragment run; None: all. A hold older than its
    ``SECONDS``, or whose ``ack`` the browser sent back, is dropped."""
    for name, seconds in SECONDS.items():
        held = ss.get(name)
        if held is None:
            continue
        since, values, ack = held
        if now - since > seconds or (ack is not None and ss.get(ACK) == ack):
            ss.pop(name, None)
            continue
        for key, (wanted, before) in list(values.items()):
            if keys is not None and key not in keys and key != "date":
                continue
            value = ss.get(key)
            if value == before:
                ss[key] = wanted
            elif value != wanted:
                del values[key]  # the user's own change

"""Event text for the map as escaped HTML pieces: oblast tooltips and marker popups. No folium,
no Streamlit. Every piece of text from a data file is HTML-escaped here; the map client
(``web/oem-map.js``, ``eventHtml``) joins the pieces exactly as ``join_event`` does.
"""

from __future__ import annotations

from html import escape

import numpy as np
import pandas as pd

from dashboard.config import (
    ACTOR1,
    ACTOR2,
    CATEGORY,
    CLAIMED_BY,
    DATASET,
    DATE_CODE,
    DATE_PRECISION,
    DESCRIPTION,
    END,
    EVENT_TYPE,
    FATALITIES,
    FATALITIES_HIGH,
    FATALITIES_LOW,
    FORMAT,
    ID,
    NOTES,
    PLACE_CODE,
    SETTLEMENT,
    SOURCE_NAME,
    SOURCE_URL,
    START,
    SUB_EVENT_TYPE,
    TITLE,
    VERIFICATION,
)
from dashboard.i18n import (
    category_name,
    dataset_label,
    date_is_exact,
    date_precision_text,
    oblast_name,
    precision_words,
    short_date,
    side_claim,
    status_label,
    tr,
)
from dashboard.query.index import EventIndex
from dashboard.scene.palette import category_colour


def oblast_tooltip(
    code: str, counts: pd.Series, active_titles: list[str], date_label: str, lang: str = "en"
) -> str:
    """Tooltip HTML for one oblast: its name in both languages (the page's first), the total,
    counts by category, and what is under way."""
    T = tr(lang)
    other = "uk" if lang == "en" else "en"
    lines = [
        f"<b>{escape(oblast_name(code, lang, full=True))}</b> · "
        f"{escape(oblast_name(code, other, full=True))}",
        T("tip_events", n=counts["total"]),
    ]
    if counts.get(FATALITIES, 0):
        deaths = T("tip_fatalities", n=counts[FATALITIES])
        if FATALITIES_LOW in counts:
            deaths += T(
                "fatalities_range", low=counts[FATALITIES_LOW], high=counts[FATALITIES_HIGH]
            )
        lines.append(deaths)
    parts = [
        f"{escape(category_name(c, lang))}: {n}"
        for c, n in counts.items()
        if c not in ("total", FATALITIES, FATALITIES_LOW, FATALITIES_HIGH) and n
    ]
    if parts:
        lines.append("<br>".join(parts))
    if active_titles:
        shown = "<br>".join(f"• {escape(t)}" for t in active_titles[:5])
        now = escape(T("tip_under_way", date=date_label))
        lines.append(f"<span class='oem-now'>{now}</span><br>{shown}")
    return "<br>".join(lines)


DATASET_NAMES = {"acled": "ACLED", "ucdp": "UCDP GED"}

NEAR_BORDER = "near_border"  # events.NEAR_BORDER
POPUP_DESCRIPTION_CHARS = 400  # longer descriptions are cut in popups (the table has all)


def _verification_html(ev, lang: str = "en") -> str:
    """Who stands behind the event: the coder (ACLED, UCDP), the analyst's file, or the
    curated table's verification, which never says "confirmed" alone over a date that is
    disputed or approximate."""
    T = tr(lang)
    if ev.get(FORMAT) in DATASET_NAMES:  # not checked by us: say who coded it
        return escape(T("as_coded_by", dataset=DATASET_NAMES[ev[FORMAT]]))
    if ev.get(FORMAT) == "mapped":
        return escape(T("as_in_file"))
    verification = ev[VERIFICATION]
    if verification == "claimed":
        return f"<span class='oem-claim'>{escape(side_claim(str(ev[CLAIMED_BY]), lang))}</span>"
    if verification == "not_held":
        return f"<span class='oem-nothold'>{escape(T('not_held'))}</span>"
    if verification == "confirmed":
        precision = ev.get(DATE_PRECISION)
        if precision == "disputed":
            return escape(T("confirmed_date_disputed"))
        if precision == "approximate":
            return escape(T("confirmed_date_approx"))
        return escape(T("confirmed"))
    return escape(status_label(str(verification), lang))


NOTE_CHARS = 300  # longer notes are cut in popups and tooltips (the table and CSV have all)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _span(ev, lang: str) -> str:
    """'25 Sep 2022', or '23 Sep 2022 – 27 Sep 2022' for an event of several days."""
    start = short_date(ev[START], lang)
    if pd.notna(ev[END]) and ev[END] != ev[START]:
        return f"{start} – {short_date(ev[END], lang)}"
    return start


def _dates_html(ev, lang: str = "en") -> str:
    """The dates, and next to them how precise they are when they are not exact; a disputed
    date carries the note on hover (the popup also shows it in full)."""
    text = _span(ev, lang)
    precision, code = ev.get(DATE_PRECISION), ev.get(DATE_CODE)
    if date_is_exact(precision, code):
        return text
    words = escape(date_precision_text(precision, code, lang))
    kind = "disputed" if precision == "disputed" and not code else "approx"
    note = escape(_cut(str(ev.get(NOTES) or ""), NOTE_CHARS), quote=True)
    hover = f" title='{note}'" if note else ""
    return f"{text} <span class='oem-prec oem-prec-{kind}'{hover}>{words}</span>"


def _dates_text(ev, lang: str = "en") -> str:
    """The dates and their precision as plain text (a tooltip)."""
    text = _span(ev, lang)
    precision, code = ev.get(DATE_PRECISION), ev.get(DATE_CODE)
    if date_is_exact(precision, code):
        return text
    return f"{text} ({date_precision_text(precision, code, lang)})"


def _dataset_html(ev, lang: str = "en") -> str:
    """ACLED/UCDP details: type, actors or sides, fatalities, how precise the place is; the
    notes of a curated row; and which file the row is from."""
    T = tr(lang)
    parts = []
    fmt = ev.get(FORMAT, "native")
    if fmt in ("acled", "ucdp"):
        kind = " · ".join(escape(str(v)) for v in (ev[EVENT_TYPE], ev[SUB_EVENT_TYPE]) if v)
        parts.append(kind)
        who = T("vs").join(escape(str(v)) for v in (ev[ACTOR1], ev[ACTOR2]) if v)
        if who:
            parts.append(T("sides" if fmt == "ucdp" else "actors") + ": " + who)
    if pd.notna(ev.get(FATALITIES)):
        deaths = T("fatalities_n", n=int(ev[FATALITIES]))
        if pd.notna(ev.get(FATALITIES_LOW)) and pd.notna(ev.get(FATALITIES_HIGH)):
            low, high = int(ev[FATALITIES_LOW]), int(ev[FATALITIES_HIGH])
            deaths += T("fatalities_range", low=low, high=high)
            if not low <= int(ev[FATALITIES]) <= high:  # as published; not summed
                deaths += T("fatalities_odd_range")
        parts.append(deaths)
    place = precision_words("place", ev.get(PLACE_CODE), lang)
    if place:
        parts.append(escape(T("place_label", text=place)))
    if ev.get(NEAR_BORDER) is True:
        parts.append(escape(T("near_border")))
    notes = str(ev.get(NOTES) or "")
    if notes:
        parts.append(escape(T("note_label", text=_cut(notes, POPUP_DESCRIPTION_CHARS))))
    if ev.get(DATASET):
        label = dataset_label(str(ev[DATASET]), lang)
        parts.append(escape(T("record", dataset=label, id=str(ev[ID]))))
    return "".join(f"<div class='oem-meta'>{p}</div>" for p in parts if p)


POPUP_COLUMNS = [
    *(ID, START, END, CATEGORY, TITLE, DESCRIPTION, SOURCE_URL, SOURCE_NAME, VERIFICATION),
    *(CLAIMED_BY, FORMAT, DATASET, SETTLEMENT, EVENT_TYPE, SUB_EVENT_TYPE, ACTOR1, ACTOR2),
    *(FATALITIES, FATALITIES_LOW, FATALITIES_HIGH, NEAR_BORDER),
    *(DATE_PRECISION, DATE_CODE, PLACE_CODE, NOTES),
]  # what a popup shows (event_parts) and names a marker by


def event_parts(ev, active: bool, lang: str = "en") -> tuple[str, ...]:
    """One event in a popup as escaped HTML pieces: dates, category chip, under way, title,
    description, dataset details, claim status, source URL, source name. ``join_event``
    (and the client's ``eventHtml``) put them together."""
    colour = category_colour(ev[CATEGORY])
    chip = (
        f"<span class='oem-chip' style='background:{colour}'>"
        f"{escape(category_name(str(ev[CATEGORY]), lang))}</span>"
    )
    description = str(ev[DESCRIPTION])
    if len(description) > POPUP_DESCRIPTION_CHARS:
        description = description[: POPUP_DESCRIPTION_CHARS - 1].rstrip() + "…"
    return (
        _dates_html(ev, lang),
        chip,
        "1" if active else "",
        escape(str(ev[TITLE]) or tr(lang)("no_title")),
        escape(description),
        _dataset_html(ev, lang),
        _verification_html(ev, lang),
        escape(str(ev[SOURCE_URL]), quote=True),
        escape(str(ev[SOURCE_NAME]) or str(ev[SOURCE_URL]) or tr(lang)("no_source")),
    )


def event_tip(ev, lang: str = "en") -> str:
    """One event in a marker's tooltip, escaped: title, dates and how precise they are, and
    who claims it when it is a claim."""
    T = tr(lang)
    title = str(ev.get(TITLE) or "") or T("no_title")
    text = T("tip_one_event", title=_cut(title, 120), date=_dates_text(ev, lang))
    if ev.get(FORMAT, "native") == "native" and ev.get(VERIFICATION) == "claimed":
        text += f" · {side_claim(str(ev.get(CLAIMED_BY)), lang)}"
    return escape(text)


def under_way_html(lang: str) -> str:
    return f" <span class='oem-now'>{escape(tr(lang)('under_way'))}</span>"


def join_event(parts: tuple[str, ...], lang: str = "en") -> str:
    """The HTML of one event from ``event_parts`` (the client does the same in JS)."""
    dates, chip, active, title, description, meta, status, url, source = parts
    now = under_way_html(lang) if active else ""
    return (
        f"<div class='oem-ev'><div>{dates} {chip}{now}</div><b>{title}</b>"
        f"<div>{description}</div>{meta}<div>{status} · {escape(tr(lang)('source'))}: "
        + (
            f"<a href='{url}' target='_blank' rel='noopener noreferrer'>{source}</a>"
            if url
            else source
        )
        + "</div></div>"
    )


def event_html(ev, active: bool, lang: str = "en") -> str:
    """One event in a popup: dates, category, title, description, claim status, source link."""
    return join_event(event_parts(ev, active, lang), lang)


def popup_head(title: str, total: int, lang: str = "en") -> str:
    T = tr(lang)
    return f"<h4>{escape(title) or escape(T('unnamed_place'))} · {T('n_events', n=total)}</h4>"


def more_text(total: int, listed: int, lang: str = "en") -> str:
    more = total - listed
    return escape(tr(lang)("more_events", n=more)) if more > 0 else ""


POPUP_CACHE_SIZE = 20_000  # events' popup pieces kept per index and language (~26 MB)


def popup_parts(index: EventIndex, positions: np.ndarray, lang: str) -> dict:
    """Per index position: (``event_parts`` with the 'under way' piece empty, place name,
    the escaped one-line tooltip of a marker holding only this event).
    Kept per index and language, so sessions on the same dates, the steps back and forth of
    one session and the dates prepared ahead (``timebar.steps``) format each event once."""
    cache = index.memo(("popup parts", lang), dict)
    out = {p: cache.get(p) for p in positions.tolist()}
    missing = [p for p, got in out.items() if got is None]
    if missing:
        if len(cache) + len(missing) > POPUP_CACHE_SIZE:
            cache.clear()
        for p, record in zip(missing, index.records(np.array(missing), POPUP_COLUMNS), strict=True):
            out[p] = cache[p] = (
                event_parts(record, False, lang),
                str(record.get(SETTLEMENT, "")),
                event_tip(record, lang),
            )
    return out

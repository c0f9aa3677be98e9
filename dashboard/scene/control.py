"""Who held which settlement on the date shown, as drawable data: one small square per
settlement of the control table, coloured by its status, with a tooltip and a popup that gives
the settlement's history with sources. No folium, no Streamlit; every string from the table is
escaped here. ``scene.layers`` packs the rows into the payload (key ``c``), ``render.slides``
paints the same rows, and the legend lists the statuses on the map.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from dashboard.i18n import long_date, short_date, side_claim, tr
from dashboard.ingest.control import STATUSES, UNKNOWN, ControlTable, status_on

# Status -> (fill, border). Blue and red read apart under deuteranopia and protanopia; the
# contested amber and the unknown grey differ from both in lightness.
STATUS_STYLE = {
    "ukrainian": ("#1f5aa6", "#ffffff"),
    "occupied": ("#b2182b", "#ffffff"),
    "contested": ("#f0a202", "#000000"),
    UNKNOWN: ("#9e9e9e", "#ffffff"),
}
STATUS_ORDER = (*STATUSES, UNKNOWN)


def status_words(status: str, lang: str) -> str:
    return tr(lang)(f"ctl_{status}")


def _tooltip(row, name: str, lang: str) -> str:
    T = tr(lang)
    words = status_words(row["status"], lang)
    if pd.notna(row["since"]):
        words = T("ctl_since", status=words, date=short_date(row["since"], lang))
    return f"{escape(name)}: {escape(words)}"


def place_key(lat: float, lon: float) -> str:
    """How the client finds a settlement's history: its point, as the payload rounds it."""
    return f"{round(float(lat), 5)},{round(float(lon), 5)}"


_HISTORIES: dict = {}  # (id(table), lang) -> (table, {place key: history HTML})


def histories(table: ControlTable | None, lang: str) -> dict[str, str]:
    """Per settlement (``place_key``): its history with sources, as escaped HTML. It does not
    change with the date, so it travels once, with the map's static geometry; a date's payload
    only says the status on that date (``control_rows``)."""
    if table is None or table.rows.empty:
        return {}
    held = _HISTORIES.get((id(table), lang))
    if held is not None and held[0] is table:
        return held[1]
    out = {}
    for _, group in table.rows.groupby("settlement", sort=False):
        first = group.iloc[0]
        out[place_key(first["lat"], first["lon"])] = _history(group, first, lang)
    _HISTORIES[(id(table), lang)] = (table, out)
    return out


def _history(history: pd.DataFrame, first, lang: str) -> str:
    """A settlement's names, then every change with its source."""
    T = tr(lang)
    name, other = (
        (first["settlement"], first["settlement_uk"])
        if lang == "en"
        else (first["settlement_uk"], first["settlement"])
    )
    items = [
        f"<h4>{escape(name)} · {escape(other)}</h4>",
        f"<div class='oem-meta'>{escape(T('ctl_before'))}</div>",
    ]
    for change in history.itertuples():
        when = short_date(change.date, lang)
        if change.date_precision != "day":
            words = T(f"prec_{change.date_precision}")
            note = escape(change.notes, quote=True)
            when += f" <span class='oem-prec oem-prec-{change.date_precision}' title='{note}'>"
            when += f"{escape(words)}</span>"
        claim = ""
        if change.verification == "claimed":
            claim = f" <span class='oem-claim'>{escape(side_claim(change.claimed_by, lang))}</span>"
        link = (
            f"<a href='{escape(change.source_url, quote=True)}' target='_blank' "
            f"rel='noopener noreferrer'>{escape(change.source_name or change.source_url)}</a>"
        )
        notes = f"<div class='oem-meta'>{escape(change.notes)}</div>" if change.notes else ""
        items.append(
            f"<div class='oem-ev'><div>{when}: <b>{escape(status_words(change.status, lang))}"
            f"</b>{claim}</div>{notes}<div>{escape(T('source'))}: {link}</div></div>"
        )
    items.append(f"<div class='oem-meta'>{escape(T('ctl_not_front'))}</div>")
    return "".join(items)


def status_line(status: str, day, lang: str) -> str:
    """'Status on 12 November 2022: under Ukrainian control', escaped."""
    T = tr(lang)
    return (
        f"<div>{escape(T('ctl_on', date=long_date(day, lang)))}: "
        f"<b>{escape(status_words(status, lang))}</b></div>"
    )


def control_rows(table: ControlTable | None, day, lang: str) -> list[dict]:
    """Per settlement on ``day``: lat, lon, status, the escaped tooltip, and the popup: the
    status line for the date (``line``) above the history (``histories``, keyed by ``key``)."""
    if table is None or table.rows.empty:
        return []
    out = []
    for _, row in status_on(table, day).iterrows():
        name = row["settlement"] if lang == "en" else row["settlement_uk"]
        out.append(
            {
                "lat": row["lat"],
                "lon": row["lon"],
                "status": row["status"],
                "tooltip": _tooltip(row, name, lang),
                "line": status_line(row["status"], day, lang),
                "key": place_key(row["lat"], row["lon"]),
            }
        )
    return out


def popup_html(row: dict, table: ControlTable, lang: str) -> str:
    """The whole popup of one settlement, as the client joins it (tests, the HTML file)."""
    return f"<div class='oem-pop'>{row['line']}{histories(table, lang)[row['key']]}</div>"


def legend_entries(rows: list[dict], lang: str) -> tuple[tuple[str, str], ...]:
    """(words, colour) of the statuses on the map, in a fixed order."""
    shown = {r["status"] for r in rows}
    return tuple((status_words(s, lang), STATUS_STYLE[s][0]) for s in STATUS_ORDER if s in shown)

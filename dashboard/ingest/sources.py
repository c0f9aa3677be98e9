"""How well a curated events table cites its sources (issue 16). No Streamlit.

Analysts act on this map, so each event should cite the outlet's or institution's own page,
not a copy of it. Two findings are reported for a native table; neither rejects a row:

- a source URL on a domain that republishes other outlets' reports (syndication, aggregator,
  archive mirror), from the short list below: cite the original instead;
- a row whose ``date_precision`` is ``disputed`` with empty ``notes``: say who gives which date.

The list is maintained by hand; add a domain with the reason it is not an original source.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pandas as pd

from dashboard.config import DATE_PRECISION, ID, NOTES, RECORD, SOURCE_URL

SECONDARY_DOMAINS = {
    "americanmilitarynews.com": "republishes other outlets' reports (e.g. RFE/RL)",
    "anews.com.tr": "republishes agency copy (e.g. Reuters)",
    "archive.org": "an archive copy: cite the page it archived",
    "archive.ph": "an archive copy: cite the page it archived",
    "archive.today": "an archive copy: cite the page it archived",
    "flipboard.com": "an aggregator",
    "msn.com": "a syndication portal",
    "nationalpost.com": "syndicates wire copy (Reuters, AP) for world news",
    "news.google.com": "an aggregator",
    "newsbreak.com": "an aggregator",
    "republicworld.com": "an aggregator of other outlets' reports",
    "wionews.com": "rewrites other outlets' reports",
    "yahoo.com": "a syndication portal",
}


NO_NOTES = "date disputed but notes are empty: say who gives which date"


def host(url: str) -> str:
    """The URL's host, lower case, without ``www.`` or a port."""
    netloc = urlsplit(str(url).strip()).netloc.lower().rsplit("@", 1)[-1].split(":")[0]
    return netloc.removeprefix("www.")


def secondary(url: str) -> str | None:
    """Why the URL's domain (or a parent domain) is not an original source, or None."""
    name = host(url)
    while name:
        if name in SECONDARY_DOMAINS:
            return f"{name} ({SECONDARY_DOMAINS[name]})"
        name = name.partition(".")[2]
    return None


def findings(events: pd.DataFrame) -> list[dict]:
    """Per finding: the record number, the event id and the problem, in file order."""
    out = []
    columns = [c for c in (RECORD, ID, SOURCE_URL, DATE_PRECISION, NOTES) if c in events]
    for row in events[columns].to_dict("records"):
        where = {"record": int(row.get(RECORD, 0)), "id": str(row.get(ID, ""))}
        why = secondary(row.get(SOURCE_URL) or "")
        if why:
            out.append(where | {"problem": f"source on {why}; cite the original page"})
        notes = row.get(NOTES)
        if row.get(DATE_PRECISION) == "disputed" and (notes != notes or not str(notes).strip()):
            out.append(
                where | {"problem": "date disputed but notes are empty: say who gives which date"}
            )
    return sorted(out, key=lambda f: f["record"])

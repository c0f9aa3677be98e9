"""Parsing dates and numbers as they appear in real exports. No Streamlit.

Dates: ISO (``2023-02-16``, with or without a time), and the forms seen in ACLED and UCDP
exports: ``16 May 2025``, ``07-Feb-25``, ``30-Sept-24``, and numeric day-first
``16-05-2025`` / ``16/05/2025`` / ``16.05.2025``. A numeric date is *always* read day-first:
``09-23-2022`` is rejected, never silently read as 23 September.
Numbers: a decimal point or a decimal comma (``47,1`` -> 47.1).
"""

from __future__ import annotations

import re
from datetime import datetime

import pandas as pd

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_WITH_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$"
)
_SEPT = re.compile(r"(?<=[\s\-/.])sept(?=[\s\-/.,])", re.IGNORECASE)
# (pattern, strptime formats tried in order)
_FORMS: tuple[tuple[re.Pattern, tuple[str, ...]], ...] = (
    (ISO_DATE, ("%Y-%m-%d",)),
    (re.compile(r"^\d{4}/\d{1,2}/\d{1,2}$"), ("%Y/%m/%d",)),
    (re.compile(r"^\d{1,2} [A-Za-z]{3,9},? \d{4}$"), ("%d %B %Y", "%d %b %Y", "%d %B, %Y")),
    (re.compile(r"^\d{1,2}-[A-Za-z]{3,9}-\d{2}$"), ("%d-%b-%y", "%d-%B-%y")),
    (re.compile(r"^\d{1,2}-[A-Za-z]{3,9}-\d{4}$"), ("%d-%b-%Y", "%d-%B-%Y")),
    (re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$"), ("%d-%m-%Y",)),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), ("%d/%m/%Y",)),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"), ("%d.%m.%Y",)),
)
DATE_FORMS_HELP = "YYYY-MM-DD, 16 May 2025, 07-Feb-25, 30-Sept-24 or day-first 16-05-2025"
_DECIMAL_COMMA = re.compile(r"^\s*([+-]?\d+),(\d+)\s*$")


def parse_one_date(text: str) -> datetime | None:
    """One date in any accepted form, or None. Day-first for numeric forms, always."""
    value = " ".join(str(text).split())
    timed = _ISO_WITH_TIME.match(value)
    if timed:
        value = timed.group(1)
    value = _SEPT.sub("Sep", value)
    for pattern, formats in _FORMS:
        if pattern.match(value):
            for fmt in formats:
                try:
                    return datetime.strptime(value, fmt)  # noqa: DTZ007 (dates, no zone)
                except ValueError:
                    continue
            return None
    return None


def parse_dates(text: pd.Series, iso_only: bool = False) -> pd.Series:
    """Dates (datetime64, NaT where unparseable or blank) from strings.

    Each distinct string is parsed once: a million rows hold a few thousand distinct dates.
    """
    text = text.fillna("").astype(str)
    if iso_only:
        shaped = text.where(text.str.match(ISO_DATE), "")
        return pd.to_datetime(shaped, format="%Y-%m-%d", errors="coerce")
    uniques = pd.unique(text.to_numpy())
    lookup = {u: parse_one_date(u) for u in uniques if u}
    mapped = text.map(lookup)
    return pd.to_datetime(mapped, errors="coerce").astype("datetime64[ns]")


def parse_numbers(text: pd.Series) -> pd.Series:
    """Floats from strings with a decimal point or a decimal comma; NaN where not a number."""
    text = text.fillna("").astype(str).str.strip()
    if text.str.contains(",", regex=False).any():
        text = text.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True)
    return pd.to_numeric(text.where(text != "", None), errors="coerce").astype(float)

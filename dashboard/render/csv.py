"""CSV exports that a spreadsheet cannot execute. No Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard.config import (
    ACTOR1,
    ACTOR2,
    ADMIN2,
    CATEGORY,
    CLAIMED_BY,
    DATASET,
    DATE_CODE,
    DATE_PRECISION,
    DESCRIPTION,
    END,
    EVENT_TYPE,
    EXTRA_NUMBER_COLUMNS,
    EXTRA_TEXT_COLUMNS,
    FATALITIES,
    FATALITIES_HIGH,
    FATALITIES_LOW,
    FIVE_OBLASTS,
    GROUP_ID,
    ID,
    LAT,
    LON,
    NATIVE_COLUMNS,
    NOTES,
    OBLAST,
    PLACE_CODE,
    PLACED_OBLAST,
    SCOPE,
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
    date_precision_text,
    oblast_title,
    precision_words,
)

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would treat as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets detect the encoding) that no spreadsheet reads as
    formulas or as other rows: every text cell and every column name neutralised
    (``neutralise``), and CRLF line ends, so that a cell holding a CR, a LF, a quote or a comma
    is quoted (Python's csv quotes a field holding any character of the line end; with "\n"
    alone a bare CR went out unquoted and a spreadsheet began a new row there)."""
    text_cols = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    safe = frame.copy()
    for col in text_cols:
        safe[col] = safe[col].map(neutralise)
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")


def _iso(values: pd.Series) -> pd.Series:
    return values.dt.strftime("%Y-%m-%d").fillna("").astype(object)


def _number(values: pd.Series) -> pd.Series:
    """Numbers as a CSV would hold them: '' for none, integers without '.0'."""
    return values.map(lambda v: "" if pd.isna(v) else (str(int(v)) if v == int(v) else repr(v)))


def accepted_frame(events: pd.DataFrame) -> pd.DataFrame:
    """Accepted events in the native columns of data/README.md (plus the ACLED/UCDP columns
    that hold anything), ready to be written and read back with zero rejected: ISO dates, the
    oblast as its ISO code where it was placed, blanks never 'None'."""
    out = {}
    for col in NATIVE_COLUMNS:
        values = events[col] if col in events.columns else pd.Series("", index=events.index)
        if col in (START, END):
            values = _iso(values)
        elif col in (LAT, LON):
            values = _number(values)
        elif col == OBLAST and PLACED_OBLAST in events.columns:
            values = events[PLACED_OBLAST].where(events[PLACED_OBLAST] != "", events[OBLAST])
        out[col] = values.fillna("").astype(str)
    for col in (*EXTRA_TEXT_COLUMNS, *EXTRA_NUMBER_COLUMNS):
        if col not in events.columns:
            continue
        values = events[col]
        values = _number(values) if col in EXTRA_NUMBER_COLUMNS else values.fillna("").astype(str)
        if (values != "").any():
            out[col] = values
    return pd.DataFrame(out, index=events.index).reset_index(drop=True)


# The events download: what an analyst needs to check and reuse each event, in a fixed order.
EXPORT_COLUMNS = (
    "id",
    "group_id",
    "dataset",
    "start_date",
    "end_date",
    "date_precision",
    "date_precision_words",
    "scope",
    "oblast",
    "oblast_name",
    "settlement",
    "lat",
    "lon",
    "location_precision",
    "category",
    "category_name",
    "title",
    "description",
    "source_name",
    "source_url",
    "verification",
    "claimed_by",
    "notes",
    "under_way",
)
# The coders' own fields, added when any exported event has them.
EXPORT_EXTRAS = (
    EVENT_TYPE,
    SUB_EVENT_TYPE,
    ACTOR1,
    ACTOR2,
    ADMIN2,
    FATALITIES,
    FATALITIES_LOW,
    FATALITIES_HIGH,
)


def _text(events: pd.DataFrame, col: str) -> pd.Series:
    if col not in events.columns:
        return pd.Series("", index=events.index, dtype=object)
    return events[col].astype(object).where(events[col].notna(), "").astype(str)


def _words(values: pd.Series, name) -> list[str]:
    """Each distinct value named once."""
    codes = values.tolist()
    names = {code: name(code) for code in dict.fromkeys(codes)}
    return [names[code] for code in codes]


def events_export(events: pd.DataFrame, under_way, lang: str = "en") -> pd.DataFrame:
    """The events as the page's download holds them (``EXPORT_COLUMNS``): codes as the data
    has them (ISO dates, the oblast's ISO code, category and verification keys) beside their
    words in the page's language; blank for nothing, never 'None' or 'nan'. Pass the result
    to ``safe_csv_bytes``, which neutralises formulas."""
    oblast = _text(events, PLACED_OBLAST)
    precision, code = _text(events, DATE_PRECISION), _text(events, DATE_CODE)
    out = {
        "id": _text(events, ID),
        "group_id": _text(events, GROUP_ID),
        "dataset": _words(_text(events, DATASET), lambda d: dataset_label(d, lang)),
        "start_date": _iso(events[START]),
        "end_date": _iso(events[END]) if END in events else "",
        "date_precision": precision,
        "date_precision_words": [
            date_precision_text(p, c, lang) for p, c in zip(precision, code, strict=True)
        ],
        "scope": _text(events, SCOPE),
        "oblast": oblast,
        "oblast_name": _words(oblast, lambda c: oblast_title(c, lang) if c in FIVE_OBLASTS else ""),
        "settlement": _text(events, SETTLEMENT),
        "lat": _number(events[LAT]) if LAT in events else "",
        "lon": _number(events[LON]) if LON in events else "",
        "location_precision": _words(
            _text(events, PLACE_CODE), lambda c: precision_words("place", c, lang)
        ),
        "category": _text(events, CATEGORY),
        "category_name": _words(_text(events, CATEGORY), lambda c: category_name(c, lang)),
        "title": _text(events, TITLE),
        "description": _text(events, DESCRIPTION),
        "source_name": _text(events, SOURCE_NAME),
        "source_url": _text(events, SOURCE_URL),
        "verification": _text(events, VERIFICATION),
        "claimed_by": _text(events, CLAIMED_BY),
        "notes": _text(events, NOTES),
        "under_way": ["yes" if flag else "" for flag in list(under_way)],
    }
    frame = pd.DataFrame(out, index=events.index)
    for col in EXPORT_EXTRAS:
        if col not in events.columns:
            continue
        values = _number(events[col]) if col in EXTRA_NUMBER_COLUMNS else _text(events, col)
        if (values != "").any():
            frame[col] = values
    return frame.reset_index(drop=True)

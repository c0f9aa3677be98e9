"""CSV exports that a spreadsheet cannot execute. No Streamlit."""

from __future__ import annotations

import pandas as pd

from dashboard.config import (
    END,
    EXTRA_NUMBER_COLUMNS,
    EXTRA_TEXT_COLUMNS,
    LAT,
    LON,
    NATIVE_COLUMNS,
    OBLAST,
    PLACED_OBLAST,
    START,
)

# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: object) -> object:
    """Prefix a text cell that a spreadsheet would treat as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV (with BOM, so spreadsheets detect the encoding) with formulas neutralised."""
    text_cols = [
        c
        for c in frame.columns
        if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])
    ]
    safe = frame.copy()
    for col in text_cols:
        safe[col] = safe[col].map(neutralise)
    return safe.to_csv(index=False).encode("utf-8-sig")


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

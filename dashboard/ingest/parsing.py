"""Parsing numbers as they appear in real exports (dates: dates.py, dateforms.py). No Streamlit.

Numbers: a decimal point or a decimal comma (``47,1`` -> 47.1).
"""

from __future__ import annotations

import re

import pandas as pd

_DECIMAL_COMMA = re.compile(r"^\s*([+-]?\d+),(\d+)\s*$")


def parse_numbers(text: pd.Series) -> pd.Series:
    """Floats from strings with a decimal point or a decimal comma; NaN where not a number."""
    text = text.fillna("").astype(str).str.strip()
    if text.str.contains(",", regex=False).any():
        text = text.str.replace(_DECIMAL_COMMA, r"\1.\2", regex=True)
    return pd.to_numeric(text.where(text != "", None), errors="coerce").astype(float)

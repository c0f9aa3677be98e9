"""What a date value, as real files write it, can mean (dates.py decides between readings).

``read_value`` gives every reading one value allows: a fixed date (year first, month names,
Excel day numbers) or a day-first and a month-first reading of a numeric ``a/b/yyyy``.
``ColumnDates`` reads a column's distinct values once and counts the rows that hold each, the
evidence dates.decide weighs. The forms are listed in dates.py's docstring. No Streamlit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

SERIAL_MIN, SERIAL_MAX = 25569, 73050  # Excel day numbers of 1970-01-01 and 2099-12-31
_EXCEL_EPOCH = date(1899, 12, 30)
FORMS_HELP = (
    "YYYY-MM-DD, 16 May 2025, 07-Feb-25, d/m/yyyy or m/d/yyyy (with or without a time) or an "
    "Excel day number"
)

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
_TIME = r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?\s*([AaPp]\.?[Mm]\.?)?)?"
_ZONE = r"\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME + _ZONE + "$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})" + _TIME + "$")
_DAY_NAME = re.compile(r"^(\d{1,2})[ \-/.]+([A-Za-z]{3,9})\.?,?[ \-/.]+(\d{4}|\d{2})" + _TIME + "$")
_NAME_DAY = re.compile(
    r"^([A-Za-z]{3,9})\.?[ \-]+(\d{1,2})(?:st|nd|rd|th)?,?[ \-]+(\d{4})" + _TIME + "$"
)
_SERIAL = re.compile(r"^(\d{5})(?:\.\d+)?$")


@dataclass(frozen=True)
class Reading:
    """What one distinct value can mean: a fixed date, or a day-first and a month-first
    reading (either None when impossible), or nothing (``bad``)."""

    fixed: date | None = None
    dmy: date | None = None
    mdy: date | None = None
    yy_first: date | None = None  # a 2-digit year first (only under --date-order ymd)
    numeric: bool = False

    @property
    def bad(self) -> bool:
        return self.fixed is None and self.dmy is None and self.mdy is None

    @property
    def ambiguous(self) -> bool:
        return self.dmy is not None and self.mdy is not None and self.dmy != self.mdy


def _year(text: str) -> int:
    """A 4-digit year as written; 2 digits: 70-99 are 19xx, 00-69 are 20xx."""
    value = int(text)
    if len(text) == 4:
        return value
    return 1900 + value if value >= 70 else 2000 + value


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _time_ok(hour: str | None, minute: str | None, second: str | None, ampm: str | None) -> bool:
    if hour is None:
        return True
    h, m, s = int(hour), int(minute), int(second or 0)
    if ampm and not 1 <= h <= 12:
        return False
    return h <= 23 and m <= 59 and s <= 59


def read_value(text: str) -> Reading:
    """Every reading one value allows (the column decides between them)."""
    value = " ".join(str(text).split())
    if not value:
        return Reading()
    if m := _YEAR_FIRST.match(value):
        if not _time_ok(*m.group(5, 6, 7, 8)):
            return Reading()
        return Reading(fixed=_date(int(m[1]), int(m[3]), int(m[4])))
    if m := _NUMERIC.match(value):
        if not _time_ok(*m.group(5, 6, 7, 8)):
            return Reading()
        a, b, year = int(m[1]), int(m[3]), _year(m[4])
        yy_first = None
        if len(m[4]) == 2:  # 22/09/23 could also be 2022-09-23, but only when asked for
            yy_first = _date(_year(m[1]) if len(m[1]) == 2 else -1, b, int(m[4]))
        return Reading(
            dmy=_date(year, b, a), mdy=_date(year, a, b), yy_first=yy_first, numeric=True
        )
    if m := _DAY_NAME.match(value):
        month = _MONTHS.get(m[2].lower())
        if month is None or not _time_ok(*m.group(4, 5, 6, 7)):
            return Reading()
        return Reading(fixed=_date(_year(m[3]), month, int(m[1])))
    if m := _NAME_DAY.match(value):
        month = _MONTHS.get(m[1].lower())
        if month is None or not _time_ok(*m.group(4, 5, 6, 7)):
            return Reading()
        return Reading(fixed=_date(int(m[3]), month, int(m[2])))
    if m := _COMPACT.match(value):
        return Reading(fixed=_date(int(m[1]), int(m[2]), int(m[3])))
    if (m := _SERIAL.match(value)) and SERIAL_MIN <= int(m[1]) <= SERIAL_MAX:
        return Reading(fixed=_EXCEL_EPOCH + timedelta(days=int(m[1])))
    return Reading()


@dataclass
class ColumnDates:
    """One column's distinct values, their readings and how many rows hold each."""

    name: str  # the file's own column name (for messages)
    text: pd.Series  # the cells, trimmed ('' for blank)
    readings: dict[str, Reading]
    counts: dict[str, int]

    codes: np.ndarray | None = None  # per row, the index of its value in ``uniques``
    uniques: list[str] | None = None

    @classmethod
    def of(
        cls, name: str, text: pd.Series, split: str | None = None, trimmed: bool = False
    ) -> ColumnDates:
        """Analyse a column; ``split`` reads each cell as several dates (UCDP ``source_date``
        joins its sources' dates with ';'); ``trimmed``: the cells are already stripped
        strings (a large file's column is then not copied). Each distinct value is read once."""
        text = text.fillna("") if trimmed else text.fillna("").astype(str).str.strip()
        if split:
            counts = text.str.split(split).explode().str.strip().value_counts()
            counts = {k: int(v) for k, v in counts.items() if k}
            return cls(name, text, {v: read_value(v) for v in counts}, counts)
        codes, uniques = pd.factorize(text, use_na_sentinel=False)
        uniques = [str(u) for u in uniques]
        tally = np.bincount(codes, minlength=len(uniques))
        counts = {u: int(n) for u, n in zip(uniques, tally, strict=True) if u}
        readings = {value: read_value(value) for value in counts}
        return cls(name, text, readings, counts, np.asarray(codes), uniques)

    def _rows(self, test) -> int:
        return sum(n for value, n in self.counts.items() if test(self.readings[value]))

    @property
    def values(self) -> int:
        return sum(self.counts.values())

    @property
    def day_first_only(self) -> int:
        return self._rows(lambda r: r.dmy is not None and r.mdy is None)

    @property
    def month_first_only(self) -> int:
        return self._rows(lambda r: r.mdy is not None and r.dmy is None)

    @property
    def ambiguous(self) -> int:
        return self._rows(lambda r: r.ambiguous)

    @property
    def numeric(self) -> int:
        return self._rows(lambda r: r.numeric)

"""Dates as real files write them, the day/month order decided per column from evidence.

Forms read (dateforms.py reads each value; one column may mix them):

- year first, never ambiguous: ``2022-09-23``, ``2022/9/23``, ``2022.09.23``, ``20220923``, with or
  without a time, ``T``, fractions and a zone (``2022-09-23T21:00:00Z``): the date as written;
- month names: ``16 May 2025``, ``16 Sept 2022``, ``May 16, 2025``, ``07-Feb-25``, ``30-Sept-24``;
- numeric ``a/b/yyyy`` (or ``yy``) with ``/``, ``-`` or ``.``, with or without ``hh:mm[:ss]`` and
  AM/PM: ``14/08/2020 00:00:00``, ``1/22/2014 12:00:00 AM``, ``05/02/2014 00:00``;
- Excel serial day numbers (``44827`` is 2022-09-23), as a spreadsheet writes an unformatted cell.

A numeric value is *never* read on its own. For each column the loader counts the values that
read only day-first (first field over 12) and only month-first (second field over 12), over every
form in the column together, and decides the order once for the column (``decide``):

1. the user's choice (``--date-order``, the page's "Date order" box);
2. the column's own values;
3. the file's other event date column (UCDP ``date_end``; a mapped end date), written the same way;
4. the records: a reading after the record's own timestamp (ACLED ``timestamp``), after all its
   sources' dates (UCDP ``source_date``, read in the order its own values prove: the shared UCDP
   file writes it day-first while its event dates are month-first) or with the end before the
   start cannot be right;
5. the format's convention: ACLED exports are day-first; UCDP files saved through a spreadsheet
   are month-first. Native files and mapped tables have none: their ambiguous values are rejected
   with a reason that says how to choose.

Evidence that contradicts itself is reported: when one order has at least ten times the proofs
of the other, the column takes it and the few values that read only the other way are rejected;
otherwise no order is taken and every ambiguous value is rejected. A value with a single
possible reading (``13/05/2022``) is never misdated. No Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from dashboard.ingest.dateforms import FORMS_HELP, ColumnDates

DMY, MDY, YMD = "dmy", "mdy", "ymd"
ORDERS = (DMY, MDY, YMD)
ORDER_WORDS = {DMY: "day-first", MDY: "month-first", YMD: "year-first"}
CONVENTIONS = {"acled": DMY, "ucdp": MDY}
DOMINANCE = 10  # proofs one order needs over the other to overrule contradicting values


@dataclass(frozen=True)
class DateDecision:
    """How one column's numeric dates were read, for the report."""

    column: str
    order: str | None  # dmy, mdy, ymd, or None (undecided: ambiguous values rejected)
    rule: str  # user, column, other_columns, records, convention, none_needed, undecided
    explanation: str  # one sentence for people
    values: int = 0
    numeric: int = 0
    ambiguous: int = 0
    day_first_only: int = 0
    month_first_only: int = 0
    contradictory: bool = False
    rejected: int = 0  # values rejected because of the order (not unparseable ones)

    def as_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass
class Evidence:
    """What else a file says about its dates (formats.py fills it from the file's columns)."""

    convention: str | None = None  # the format's documented order, if any
    convention_name: str = ""  # e.g. "ACLED"
    other_columns: list[ColumnDates] = field(default_factory=list)  # date columns, evidence only
    not_after: list[tuple[str, pd.Series]] = field(default_factory=list)  # (what, datetime64)


def _proofs(columns: list[ColumnDates]) -> tuple[int, int]:
    return sum(c.day_first_only for c in columns), sum(c.month_first_only for c in columns)


def _by_proofs(dmy: int, mdy: int) -> tuple[str | None, bool]:
    """(order, contradictory) from counts of values that read only one way."""
    if dmy and not mdy:
        return DMY, False
    if mdy and not dmy:
        return MDY, False
    if not dmy and not mdy:
        return None, False
    if dmy >= DOMINANCE * mdy:
        return DMY, True
    if mdy >= DOMINANCE * dmy:
        return MDY, True
    return None, True


def _by_records(column: ColumnDates, evidence: Evidence, partner: tuple[ColumnDates, bool] | None):
    """(order, explanation) from readings that contradict the same record's other facts."""
    day_all, month_all = _readings_by_row(column, DMY), _readings_by_row(column, MDY)
    ambiguous = day_all.notna() & month_all.notna() & (day_all != month_all)
    if not ambiguous.any():
        return None, ""
    idx = ambiguous[ambiguous].index
    day, month = day_all[idx], month_all[idx]
    impossible = {DMY: 0, MDY: 0}
    said = []
    for what, bound in evidence.not_after:
        limit = bound.reindex(idx) + pd.Timedelta(days=1)
        impossible[DMY] += int((day > limit).sum())
        impossible[MDY] += int((month > limit).sum())
        said.append(what)
    if partner is not None:  # read the same way, an end cannot come before its start
        other_col, other_is_end = partner
        p_day = _readings_by_row(other_col, DMY).reindex(idx)
        p_month = _readings_by_row(other_col, MDY).reindex(idx)
        if other_is_end:
            impossible[DMY] += int((p_day < day).sum())
            impossible[MDY] += int((p_month < month).sum())
        else:
            impossible[DMY] += int((day < p_day).sum())
            impossible[MDY] += int((month < p_month).sum())
        said.append(other_col.name)
    a, b = impossible[DMY], impossible[MDY]
    if b and (not a or (b >= DOMINANCE * a and b >= 3)):
        order, wrong = DMY, b
    elif a and (not b or (a >= DOMINANCE * b and a >= 3)):
        order, wrong = MDY, a
    else:
        return None, ""
    other = MDY if order == DMY else DMY
    text = (
        f"{wrong} record(s) would be impossible read {ORDER_WORDS[other]} "
        f"(checked against {', '.join(said)})"
    )
    return order, text


def _readings_by_row(column: ColumnDates, order: str) -> pd.Series:
    """Each row's date read in ``order`` (a fixed date as it is; NaT where impossible)."""

    def read(value: str):
        reading = column.readings.get(value)
        if reading is None:
            return np.datetime64("NaT", "ns")
        chosen = reading.fixed or (reading.dmy if order == DMY else reading.mdy)
        return np.datetime64(chosen, "ns") if chosen else np.datetime64("NaT", "ns")

    per_unique = np.array([read(u) for u in column.uniques], dtype="datetime64[ns]")
    return pd.Series(per_unique[column.codes], index=column.text.index)


def decide(
    column: ColumnDates,
    evidence: Evidence | None = None,
    siblings: list[ColumnDates] = (),
    override: str | None = None,
    partner: tuple[ColumnDates, bool] | None = None,
) -> DateDecision:
    """The order of one column's numeric dates, and why (see the module's docstring)."""
    evidence = evidence or Evidence()
    counts = {
        "values": column.values,
        "numeric": column.numeric,
        "ambiguous": column.ambiguous,
        "day_first_only": column.day_first_only,
        "month_first_only": column.month_first_only,
    }
    dmy, mdy = counts["day_first_only"], counts["month_first_only"]
    if override:
        return DateDecision(
            column.name, override, "user", f"{ORDER_WORDS[override]}, as you chose", **counts
        )
    if not counts["numeric"]:
        return DateDecision(
            column.name, None, "none_needed", "no numeric day/month dates", **counts
        )
    order, contradictory = _by_proofs(dmy, mdy)
    if order:
        word = ORDER_WORDS[order]
        proof = dmy if order == DMY else mdy
        text = f"{word}: {proof:,} value(s) can only be read {word}"
        if contradictory:
            against = mdy if order == DMY else dmy
            other = ORDER_WORDS[MDY if order == DMY else DMY]
            text += f"; {against:,} value(s) that read only {other} are rejected"
        return DateDecision(
            column.name, order, "column", text, contradictory=contradictory, **counts
        )
    if contradictory:
        text = (
            f"contradictory: {dmy:,} value(s) read only day-first and {mdy:,} only month-first; "
            f"the {counts['ambiguous']:,} ambiguous value(s) are rejected"
        )
        return DateDecision(column.name, None, "undecided", text, contradictory=True, **counts)
    if not counts["ambiguous"]:
        return DateDecision(
            column.name,
            None,
            "none_needed",
            "every numeric date reads the same both ways",
            **counts,
        )
    others = [c for c in (*siblings, *evidence.other_columns) if c is not column]
    o_dmy, o_mdy = _proofs(others)
    order, contradictory = _by_proofs(o_dmy, o_mdy)
    if order and not contradictory:
        names = ", ".join(c.name for c in others if (c.day_first_only or c.month_first_only))
        proof = o_dmy if order == DMY else o_mdy
        text = f"{ORDER_WORDS[order]}, as {names} ({proof:,} value(s) there can only be read so)"
        return DateDecision(column.name, order, "other_columns", text, **counts)
    order, why = _by_records(column, evidence, partner)
    if order:
        return DateDecision(column.name, order, "records", f"{ORDER_WORDS[order]}: {why}", **counts)
    if evidence.convention:
        word = ORDER_WORDS[evidence.convention]
        text = (
            f"{word}, the convention of {evidence.convention_name} files: no value in the file "
            "tells day from month"
        )
        return DateDecision(column.name, evidence.convention, "convention", text, **counts)
    text = (
        f"undecided: {counts['ambiguous']:,} value(s) read both day-first and month-first and "
        "nothing in the file tells which; choose the date order"
    )
    return DateDecision(column.name, None, "undecided", text, **counts)


def apply(column: ColumnDates, decision: DateDecision) -> tuple[pd.Series, pd.Series]:
    """(dates as datetime64[ns] with NaT where not read, a reason for each rejected cell: a
    Series holding only the rejected rows). Each distinct value is decided once, then spread
    over the rows by its code."""
    order = decision.order
    lookup: dict[str, date | None] = {}
    reasons: dict[str, str] = {}
    label = column.name
    for value, reading in column.readings.items():
        if reading.bad and not (order == YMD and reading.yy_first):
            reasons[value] = f"bad {label} {value!r} (expected {FORMS_HELP})"
            continue
        if reading.fixed is not None:
            lookup[value] = reading.fixed
            continue
        if order == YMD:
            lookup[value] = reading.yy_first
            if reading.yy_first is None:
                reasons[value] = f"{label} {value!r} is not a year-first date, as you chose"
            continue
        if order is not None:
            chosen = reading.dmy if order == DMY else reading.mdy
            if chosen is None:
                if decision.rule == "user":
                    why = f"is not a valid {ORDER_WORDS[order]} date, as you chose"
                else:
                    why = (
                        f"can only be read {ORDER_WORDS[MDY if order == DMY else DMY]}, but "
                        f"{label} is {ORDER_WORDS[order]}"
                    )
                reasons[value] = f"{label} {value!r} {why}"
            lookup[value] = chosen
            continue
        if reading.ambiguous:
            reasons[value] = (
                f"{label} {value!r} could be {reading.dmy:%d %b %Y} or {reading.mdy:%d %b %Y}: "
                "the column's date order is undecided (choose it: --date-order / Date order)"
            )
            lookup[value] = None
        else:
            lookup[value] = reading.dmy or reading.mdy
    if column.codes is None:  # a split column: evidence only, never applied
        raise ValueError("apply() needs a column read without split")
    per_unique = np.array(
        [
            np.datetime64(lookup[u], "ns") if lookup.get(u) else np.datetime64("NaT", "ns")
            for u in column.uniques
        ],
        dtype="datetime64[ns]",
    )
    parsed = pd.Series(per_unique[column.codes], index=column.text.index)
    bad = [i for i, u in enumerate(column.uniques) if u in reasons]
    rows = np.flatnonzero(np.isin(column.codes, bad)) if bad else np.array([], dtype=int)
    why = pd.Series(
        [reasons[column.uniques[c]] for c in column.codes[rows]],
        index=column.text.index[rows],
        dtype=object,
    )
    return parsed, why


def rejected_count(reasons: pd.Series, decision: DateDecision) -> DateDecision:
    """The decision with the number of cells rejected because of the order."""
    n = int(reasons.str.contains("is undecided|can only be read|as you chose", regex=True).sum())
    return DateDecision(**{**decision.as_dict(), "rejected": n})


def latest_of_lists(name: str, text: pd.Series, sep: str = ";") -> pd.Series:
    """The latest date in each cell of ``sep``-joined dates (UCDP ``source_date``), NaT if
    none. The column's numeric dates are read in the order its own values prove, since it may
    be written otherwise than the event dates (the shared UCDP file: sources day-first, events
    month-first); without proof only unambiguous dates count."""
    exploded = text.fillna("").astype(str).str.split(sep).explode().str.strip()
    column = ColumnDates.of(name, exploded)
    decision = decide(column)
    order = decision.order if decision.rule == "column" and not decision.contradictory else None
    lookup = {}
    for value, reading in column.readings.items():
        if reading.fixed is not None:
            lookup[value] = reading.fixed
        elif order is not None:
            lookup[value] = reading.dmy if order == DMY else reading.mdy
        elif not reading.ambiguous:
            lookup[value] = reading.dmy or reading.mdy
    parsed = pd.to_datetime(exploded.map(lookup), errors="coerce")
    return parsed.groupby(level=0).max().reindex(text.index)


def parse_timestamps(text: pd.Series) -> pd.Series:
    """Unix seconds (ACLED ``timestamp``) as dates, NaT where not a number."""
    seconds = pd.to_numeric(text.fillna("").astype(str).str.strip(), errors="coerce")
    seconds = seconds.where((seconds > 0) & (seconds < 4102444800))  # before 2100
    return pd.to_datetime(seconds, unit="s", errors="coerce").dt.normalize()


__all__ = ["ORDERS", "ColumnDates", "DateDecision", "Evidence", "apply", "decide"]

"""The per-record checks behind events.validate_frame, vectorised over columns. No Streamlit.

Dates, coordinates and numbers are typed (a cell that cannot be is the record's reason to be
rejected); categories and the native vocabularies are checked; every record is placed in an
oblast by its code, its name or its point, and points just outside Ukraine are flagged.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dashboard.config import (
    ACLED_CATEGORIES,
    CATEGORIES,
    CATEGORY,
    CLAIMED_BY,
    DATE_PRECISION,
    DATE_PRECISIONS,
    END,
    EXTRA_NUMBER_COLUMNS,
    FIVE_OBLASTS,
    IN_FIVE,
    LAT,
    LON,
    OBLAST,
    PLACED_BY,
    PLACED_OBLAST,
    SCOPE,
    SCOPES,
    SOURCE_URL,
    START,
    TITLE,
    VERIFICATION,
    VERIFICATIONS,
)
from dashboard.geo import regions as reg
from dashboard.ingest import dates, formats
from dashboard.ingest.parsing import parse_numbers

NEAR_BORDER = "near_border"  # True: the point is just outside Ukraine, placed by its oblast name
LAST = "last_date"  # end date, or the start date for one-day events: the last day it is active
HTTP_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)


class _Problems:
    """Per-row list of reasons, filled by vectorised checks."""

    def __init__(self, index: pd.Index) -> None:
        self._reasons: dict[int, list[str]] = {}
        self._index = index

    def add(self, mask: pd.Series, reason) -> None:
        for i in mask.index[mask.to_numpy(dtype=bool)]:
            text = reason(i) if callable(reason) else reason
            self._reasons.setdefault(i, []).append(text)

    def replace(self, mask: pd.Series, reason: str) -> None:
        """These rows have this one reason (whatever else was found)."""
        for i in mask.index[mask.to_numpy(dtype=bool)]:
            self._reasons[i] = [reason]

    def any(self) -> pd.Series:
        return pd.Series(self._index.isin(list(self._reasons)), index=self._index)

    def reasons(self) -> pd.Series:
        return pd.Series({i: "; ".join(r) for i, r in self._reasons.items()}, dtype=object).reindex(
            self._index, fill_value=""
        )


def _typed_columns(
    raw: pd.DataFrame, problems: _Problems, label, evidence: dates.Evidence, order: str | None
) -> tuple[pd.DataFrame, tuple[dates.DateDecision, ...]]:
    start_col = dates.ColumnDates.of(label(START), raw[START], trimmed=True)
    end_col = dates.ColumnDates.of(label(END), raw[END], trimmed=True)
    decided = []
    typed_dates = []
    for column, other, other_is_end in ((start_col, end_col, True), (end_col, start_col, False)):
        decision = dates.decide(column, evidence, [other], order, partner=(other, other_is_end))
        parsed, why = dates.apply(column, decision)  # why: only the rejected rows
        problems.add(pd.Series(True, index=why.index), lambda i, w=why: w[i])
        typed_dates.append(parsed)
        if column.values:
            decided.append(dates.rejected_count(why, decision))
    start, end = typed_dates
    problems.add(
        end.notna() & start.notna() & (end < start), f"{label(END)} is before {label(START)}"
    )

    lat = parse_numbers(raw[LAT])
    lon = parse_numbers(raw[LON])
    problems.add(raw[LAT].ne("") & lat.isna(), lambda i: f"bad {label(LAT)} {raw.at[i, LAT]!r}")
    problems.add(raw[LON].ne("") & lon.isna(), lambda i: f"bad {label(LON)} {raw.at[i, LON]!r}")
    problems.add(
        raw[LAT].eq("") != raw[LON].eq(""), f"{label(LAT)} and {label(LON)} must be given together"
    )
    problems.add(lat.notna() & ~lat.between(-90, 90), f"{label(LAT)} is outside -90..90")
    problems.add(lon.notna() & ~lon.between(-180, 180), f"{label(LON)} is outside -180..180")
    typed = {START: start, END: end, LAST: end.fillna(start), LAT: lat, LON: lon}
    for col in EXTRA_NUMBER_COLUMNS:
        number = parse_numbers(raw[col])
        bad = raw[col].ne("") & (number.isna() | (number < 0))
        problems.add(bad, lambda i, c=col: f"bad {label(c)} {raw.at[i, c]!r} (a number ≥ 0)")
        typed[col] = number
    return pd.DataFrame(typed, index=raw.index, copy=False), tuple(decided)


def _check_vocabularies(raw: pd.DataFrame, problems: _Problems, fmt: str, label) -> None:
    categories = formats.native_categories(fmt)
    shown = {
        "native": (*CATEGORIES, "…"),
        "acled": tuple(ACLED_CATEGORIES.values())[:6],
        "ucdp": ("1 (state-based)", "2 (non-state)", "3 (one-sided)"),
    }.get(fmt, categories)
    bad_category = raw[CATEGORY].ne("") & ~raw[CATEGORY].isin(categories)
    problems.add(
        bad_category,
        lambda i: f"unknown {label(CATEGORY)} {raw.at[i, CATEGORY]!r} (one of {', '.join(shown)})",
    )
    if fmt != "native":
        return  # the rest is fixed by the ACLED/UCDP mapping
    vocab = {
        SCOPE: SCOPES,
        VERIFICATION: (*VERIFICATIONS, "unverified"),
        DATE_PRECISION: DATE_PRECISIONS,
    }
    for col, allowed in vocab.items():
        bad = raw[col].ne("") & ~raw[col].isin(allowed)
        problems.add(
            bad, lambda i, c=col, a=allowed: f"unknown {c} {raw.at[i, c]!r} (one of {', '.join(a)})"
        )
    bad_url = raw[SOURCE_URL].ne("") & ~raw[SOURCE_URL].str.match(HTTP_URL)
    problems.add(bad_url, "source_url must be an http(s) address")
    problems.add(
        (raw[VERIFICATION] == "claimed") & (raw[CLAIMED_BY] == ""),
        "a claimed event needs claimed_by (the side making the claim)",
    )
    problems.add(raw[TITLE].str.len() > 300, "title is longer than 300 characters")


def _check_scope_and_place(
    raw: pd.DataFrame, typed: pd.DataFrame, problems: _Problems, regions: reg.Regions, label
) -> None:
    national = raw[SCOPE].isin(["national", "international"])
    problems.add(national & raw[OBLAST].ne(""), "a national/international event names no oblast")

    codes = reg.resolve_names(raw[OBLAST], regions)
    has_point = (typed[LAT].notna() & typed[LON].notna()).to_numpy()
    has_point = pd.Series(has_point, index=raw.index)
    unknown = codes.isna()
    problems.add(unknown & ~has_point, lambda i: f"unknown {label(OBLAST)} {raw.at[i, OBLAST]!r}")
    needs_place = ~national & ~unknown & (codes == "")
    problems.add(needs_place & ~has_point, f"no {label(OBLAST)} and no coordinates")
    named_five = codes.isin(FIVE_OBLASTS).fillna(False).astype(bool)
    typed[NEAR_BORDER] = _check_in_ukraine(
        typed, problems, ~national & has_point, regions, label, named_five
    )

    by_point = ~national & (unknown | (codes == "")) & has_point
    located = pd.Series("", index=raw.index, dtype=object)
    if by_point.any():
        located[by_point] = reg.locate_points(
            typed.loc[by_point, LON].to_numpy(), typed.loc[by_point, LAT].to_numpy(), regions
        )
    named = ~national & ~unknown & (codes != "")
    placed = np.where(named, codes.fillna(""), located)
    typed[PLACED_OBLAST] = placed
    typed[PLACED_BY] = np.select(
        [
            named & codes.fillna("").str.match(reg.ISO_CODE) & raw[OBLAST].str.upper().eq(codes),
            named,
            by_point,
        ],
        ["code", "name", "point"],
        default="",
    )
    typed[IN_FIVE] = typed[PLACED_OBLAST].isin(FIVE_OBLASTS)


def _check_in_ukraine(
    typed: pd.DataFrame,
    problems: _Problems,
    mask: pd.Series,
    regions: reg.Regions,
    label,
    named_five: pd.Series,
) -> pd.Series:
    """Points must lie in Ukraine; a point that would if lat and lon swapped says so. A point
    within regions.NEAR_BORDER_KM outside, whose oblast names one of the five, is accepted
    there and flagged (the returned Series): border villages are geocoded a little off."""
    near = pd.Series(False, index=typed.index)
    lat, lon = typed[LAT], typed[LON]
    sane = mask & lat.between(-90, 90) & lon.between(-180, 180)
    if not sane.any():
        return near
    idx = sane[sane].index
    inside = reg.in_ukraine(lon[idx].to_numpy(), lat[idx].to_numpy(), regions)
    outside = idx[~inside]
    if not len(outside):
        return near
    close = named_five[outside].to_numpy()
    if close.any():
        candidates = outside[close]
        km = reg.outside_distance_km(
            lon[candidates].to_numpy(), lat[candidates].to_numpy(), regions
        )
        within = candidates[km <= reg.NEAR_BORDER_KM]
        near[within] = True
        outside = outside.difference(within)
    if not len(outside):
        return near
    swapped = reg.in_ukraine(lat[outside].to_numpy(), lon[outside].to_numpy(), regions)
    where = f"{label(LAT)} {{:.4f}}, {label(LON)} {{:.4f}}"
    problems.add(
        pd.Series(True, index=outside[swapped]),
        lambda i: (
            f"{label(LAT)} and {label(LON)} look swapped: "
            + where.format(lat[i], lon[i])
            + " is outside Ukraine, the swapped point is inside"
        ),
    )
    problems.add(
        pd.Series(True, index=outside[~swapped]),
        lambda i: "coordinates outside Ukraine: " + where.format(lat[i], lon[i]),
    )
    return near

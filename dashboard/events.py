"""Read, validate, type and place event tables. No Streamlit.

file -> raw strings (tables.py) -> validated, typed frame -> placed in oblasts (regions.py).
Every input record ends up in exactly one of LoadResult.events or LoadResult.rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard import regions as reg
from dashboard.config import (
    CATEGORIES,
    CATEGORY,
    CLAIMED_BY,
    DATE_PRECISION,
    DATE_PRECISIONS,
    END,
    FIVE_OBLASTS,
    ID,
    IN_FIVE,
    LAT,
    LON,
    NATIVE_COLUMNS,
    OBLAST,
    PLACED_BY,
    PLACED_OBLAST,
    RECORD,
    REQUIRED_COLUMNS,
    SCOPE,
    SCOPES,
    SOURCE_URL,
    START,
    TITLE,
    VERIFICATION,
    VERIFICATIONS,
)
from dashboard.tables import UnreadableFile, decode, read_bytes, read_csv_text

LAST = "last_date"  # end date, or the start date for one-day events: the last day it is active
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
HTTP_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
DEFAULTS = {DATE_PRECISION: "day", SCOPE: "oblast", VERIFICATION: "unverified"}

__all__ = ["LAST", "LoadResult", "UnreadableFile", "load_events", "validate_frame"]


@dataclass(frozen=True)
class LoadResult:
    """Accepted events (typed, placed) and rejected records (record number, reason, raw cells)."""

    events: pd.DataFrame
    rejected: pd.DataFrame
    rows: int

    @property
    def accepted(self) -> int:
        """Number of accepted records."""
        return len(self.events)

    def by_oblast(self) -> dict[str, int]:
        """Accepted records per oblast of the five (zeros included)."""
        counts = self.events.loc[self.events[IN_FIVE], PLACED_OBLAST].value_counts()
        return {code: int(counts.get(code, 0)) for code in FIVE_OBLASTS}

    @property
    def outside(self) -> int:
        """Accepted records in none of the five oblasts (other oblasts, national, abroad)."""
        return int((~self.events[IN_FIVE]).sum())


def load_events(source: str | Path | bytes, regions: reg.Regions | None = None) -> LoadResult:
    """Read a native events CSV from a path or bytes. Raises UnreadableFile for a hopeless file."""
    text = decode(read_bytes(source))
    raw, malformed = read_csv_text(text)
    missing = [c for c in REQUIRED_COLUMNS if c not in raw.columns]
    if missing:
        raise UnreadableFile(
            f"missing required column(s) {', '.join(missing)}; "
            f"expected the native columns {', '.join(NATIVE_COLUMNS)}"
        )
    return validate_frame(raw, regions or reg.load_regions(), malformed)


def validate_frame(
    raw: pd.DataFrame, regions: reg.Regions, malformed: pd.DataFrame | None = None
) -> LoadResult:
    """Validate raw native string columns (with RECORD) and place them in oblasts."""
    raw = raw.copy()
    for col in NATIVE_COLUMNS:
        if col not in raw.columns:
            raw[col] = ""
        raw[col] = raw[col].fillna("").astype(str).str.strip()
    for col, default in DEFAULTS.items():
        raw.loc[raw[col] == "", col] = default

    problems = _Problems(raw.index)
    for col in REQUIRED_COLUMNS:
        problems.add(raw[col] == "", f"{col} is empty")
    typed = _typed_columns(raw, problems)
    _check_vocabularies(raw, problems)
    _check_scope_and_place(raw, typed, problems, regions)

    dup = raw[ID].ne("") & raw.duplicated(ID, keep="first")
    first = raw.drop_duplicates(ID).set_index(ID)[RECORD]
    problems.add(
        dup, lambda i: f"duplicate id {raw.at[i, ID]!r} (first at record {first[raw.at[i, ID]]})"
    )

    ok = ~problems.any()
    events = pd.concat([raw.loc[ok, list(NATIVE_COLUMNS) + [RECORD]], typed.loc[ok]], axis=1)
    events = events.loc[:, ~events.columns.duplicated(keep="last")].reset_index(drop=True)
    rejected = raw.loc[~ok].assign(reason=problems.reasons()[~ok])
    rejected = rejected[[RECORD, "reason", *[c for c in raw.columns if c not in (RECORD,)]]]
    if malformed is not None and len(malformed):
        rejected = pd.concat([rejected, malformed], ignore_index=True)
    rejected = rejected.sort_values(RECORD).reset_index(drop=True).fillna("")
    rows = len(raw) + (0 if malformed is None else len(malformed))
    return LoadResult(events=events, rejected=rejected, rows=rows)


class _Problems:
    """Per-row list of reasons, filled by vectorised checks."""

    def __init__(self, index: pd.Index) -> None:
        self._reasons: dict[int, list[str]] = {}
        self._index = index

    def add(self, mask: pd.Series, reason) -> None:
        for i in mask.index[mask.to_numpy(dtype=bool)]:
            text = reason(i) if callable(reason) else reason
            self._reasons.setdefault(i, []).append(text)

    def any(self) -> pd.Series:
        return pd.Series(self._index.isin(list(self._reasons)), index=self._index)

    def reasons(self) -> pd.Series:
        return pd.Series({i: "; ".join(r) for i, r in self._reasons.items()}, dtype=object).reindex(
            self._index, fill_value=""
        )


def _parse_dates(text: pd.Series) -> pd.Series:
    """Strict ISO dates (YYYY-MM-DD); anything else is NaT. Never guesses month-first."""
    shaped = text.where(text.str.match(ISO_DATE), "")
    return pd.to_datetime(shaped, format="%Y-%m-%d", errors="coerce")


def _typed_columns(raw: pd.DataFrame, problems: _Problems) -> pd.DataFrame:
    start = _parse_dates(raw[START])
    end = _parse_dates(raw[END])
    problems.add(raw[START].ne("") & start.isna(), lambda i: f"bad start_date {raw.at[i, START]!r}")
    problems.add(raw[END].ne("") & end.isna(), lambda i: f"bad end_date {raw.at[i, END]!r}")
    problems.add(end.notna() & start.notna() & (end < start), "end_date is before start_date")

    lat = pd.to_numeric(raw[LAT], errors="coerce")
    lon = pd.to_numeric(raw[LON], errors="coerce")
    problems.add(raw[LAT].ne("") & lat.isna(), lambda i: f"bad lat {raw.at[i, LAT]!r}")
    problems.add(raw[LON].ne("") & lon.isna(), lambda i: f"bad lon {raw.at[i, LON]!r}")
    problems.add(raw[LAT].eq("") != raw[LON].eq(""), "lat and lon must be given together")
    problems.add(lat.notna() & ~lat.between(-90, 90), "lat is outside -90..90")
    problems.add(lon.notna() & ~lon.between(-180, 180), "lon is outside -180..180")
    return pd.DataFrame(
        {START: start, END: end, LAST: end.fillna(start), LAT: lat, LON: lon}, index=raw.index
    )


def _check_vocabularies(raw: pd.DataFrame, problems: _Problems) -> None:
    vocab = {
        CATEGORY: tuple(CATEGORIES),
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
    raw: pd.DataFrame, typed: pd.DataFrame, problems: _Problems, regions: reg.Regions
) -> None:
    national = raw[SCOPE].isin(["national", "international"])
    problems.add(national & raw[OBLAST].ne(""), "a national/international event names no oblast")

    codes = reg.resolve_names(raw[OBLAST], regions)
    has_point = typed[LAT].notna() & typed[LON].notna()
    unknown = codes.isna()
    problems.add(unknown & ~has_point, lambda i: f"unknown oblast {raw.at[i, OBLAST]!r}")
    needs_place = ~national & ~unknown & (codes == "")
    problems.add(needs_place & ~has_point, "no oblast and no coordinates")

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

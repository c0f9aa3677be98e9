"""Read, validate, type and place event tables. No Streamlit.

file -> raw strings (tables.py) -> native columns (formats.py) -> validated, typed frame ->
placed in oblasts (regions.py). Every input record ends up in exactly one of
LoadResult.events or LoadResult.rejected, and a rejected record keeps the file's own cells.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from dashboard import formats
from dashboard import regions as reg
from dashboard.config import (
    ACLED_CATEGORIES,
    CATEGORY,
    CLAIMED_BY,
    DATASET,
    DATE_PRECISION,
    DATE_PRECISIONS,
    END,
    EXTRA_NUMBER_COLUMNS,
    EXTRA_TEXT_COLUMNS,
    FIVE_OBLASTS,
    FORMAT,
    GROUP_ID,
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
from dashboard.parsing import DATE_FORMS_HELP, parse_dates, parse_numbers
from dashboard.tables import UnreadableFile, read_bytes, read_table, read_table_file

LAST = "last_date"  # end date, or the start date for one-day events: the last day it is active
HTTP_URL = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$", re.IGNORECASE)
DEFAULTS = {DATE_PRECISION: "day", SCOPE: "oblast", VERIFICATION: "unverified"}
FORMAT_CHOICES = ("auto", *formats.EXPECTED)

__all__ = ["LAST", "LoadResult", "UnreadableFile", "load_events", "validate_frame"]


@dataclass(frozen=True)
class LoadResult:
    """Accepted events (typed, placed) and rejected records (record number, reason, raw cells)."""

    events: pd.DataFrame
    rejected: pd.DataFrame
    rows: int
    format: str = "native"
    variant: str = "native"
    read_as: str = ""  # e.g. "CSV, UTF-16, tab-delimited"

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

    def outcomes(self) -> dict[str, int]:
        """Counts by outcome: in the five oblasts, elsewhere in Ukraine, national, rejected."""
        placed = self.events[PLACED_OBLAST] != ""
        return {
            "accepted: in the five oblasts": int(self.events[IN_FIVE].sum()),
            "accepted: elsewhere in Ukraine": int((placed & ~self.events[IN_FIVE]).sum()),
            "accepted: national / international": int((~placed).sum()),
            "rejected": len(self.rejected),
        }

    def reasons(self) -> pd.Series:
        """Rejections per kind of reason (quoted values folded), most frequent first."""
        if self.rejected.empty:
            return pd.Series(dtype=int)
        kinds = (
            self.rejected["reason"]
            .str.split("; ")
            .explode()
            .str.replace(r"'[^']*'|\"[^\"]*\"", "…", regex=True)
            .str.replace(r"-?\d+\.\d+", "…", regex=True)
            .str.replace(r"\(first at record \d+\)", "", regex=True)
            .str.replace(
                r"record has \d+ fields, the header has \d+", "wrong number of fields", regex=True
            )
            .str.strip()
        )
        return kinds.value_counts()


def load_events(
    source: str | Path | bytes,
    regions: reg.Regions | None = None,
    fmt: str = "auto",
    dataset: str = "",
    max_bytes: int | None = None,
) -> LoadResult:
    """Read an events file (CSV/XLSX/Parquet; native, ACLED or UCDP) from a path or bytes.

    Raises UnreadableFile, with a one-line message, for a file that cannot be used at all.
    """
    if fmt not in FORMAT_CHOICES:
        raise UnreadableFile(f"unknown format {fmt!r} (one of {', '.join(FORMAT_CHOICES)})")
    if isinstance(source, bytes):
        table = read_table(read_bytes(source, max_bytes))
    else:
        table = read_table_file(source, max_bytes)
    release_memory()
    try:
        adapted = formats.adapt(table, fmt)
    except UnreadableFile as exc:
        raise UnreadableFile(str(exc), rows=len(table.frame) + len(table.malformed)) from None
    release_memory()
    if not dataset:
        dataset = Path(source).name if not isinstance(source, bytes) else "upload"
    result = validate_frame(
        adapted.frame, regions or reg.load_regions(), adapted.malformed, adapted
    )
    result.events[DATASET] = pd.Categorical.from_codes(
        np.zeros(len(result.events), dtype="int8"), categories=[dataset]
    )
    loaded = LoadResult(
        result.events,
        result.rejected,
        result.rows,
        adapted.format,
        adapted.variant,
        table.describe(),
    )
    del table, adapted, result
    release_memory()
    return loaded


def validate_frame(
    raw: pd.DataFrame,
    regions: reg.Regions,
    malformed: pd.DataFrame | None = None,
    adapted: formats.Adapted | None = None,
) -> LoadResult:
    """Validate raw string columns in the native layout (with RECORD) and place them."""
    fmt = adapted.format if adapted else "native"
    label = adapted.label if adapted else (lambda c: c)
    original = adapted.original if adapted else raw
    raw = raw.copy(deep=False)  # every column below is replaced, never changed in place
    for col in (*NATIVE_COLUMNS, *EXTRA_TEXT_COLUMNS, *EXTRA_NUMBER_COLUMNS):
        if col not in raw.columns:
            raw[col] = ""
        elif fmt == "native":  # ACLED/UCDP columns come trimmed from formats.adapt
            raw[col] = raw[col].fillna("").astype(str).str.strip()
    for col, default in DEFAULTS.items():
        raw.loc[raw[col] == "", col] = default
    raw.loc[raw[GROUP_ID] == "", GROUP_ID] = raw[ID]

    problems = _Problems(raw.index)
    required = REQUIRED_COLUMNS if fmt == "native" else (ID, START, CATEGORY)
    for col in required:
        problems.add(raw[col] == "", f"{label(col)} is empty")
    typed = _typed_columns(raw, problems, fmt, label)
    _check_vocabularies(raw, problems, fmt, label)
    _check_scope_and_place(raw, typed, problems, regions, label)

    dup = raw[ID].ne("") & raw.duplicated(ID, keep="first")
    if dup.any():
        first = raw.drop_duplicates(ID).set_index(ID)[RECORD]
        problems.add(
            dup,
            lambda i: (
                f"duplicate {label(ID)} {raw.at[i, ID]!r} (first at record {first[raw.at[i, ID]]})"
            ),
        )

    ok = ~problems.any()
    keep = [c for c in (*NATIVE_COLUMNS, *EXTRA_TEXT_COLUMNS, RECORD) if c not in typed.columns]
    if ok.all():  # the usual case: no copies of a large file's columns
        events = pd.concat([raw[keep], typed], axis=1).reset_index(drop=True)
    else:
        events = pd.concat([raw.loc[ok, keep], typed.loc[ok]], axis=1).reset_index(drop=True)
    events[FORMAT] = fmt
    rejected = original.loc[~ok].assign(reason=problems.reasons()[~ok])
    rejected = rejected[[RECORD, "reason", *[c for c in original.columns if c != RECORD]]]
    if malformed is not None and len(malformed):
        rejected = pd.concat([rejected, malformed], ignore_index=True)
    rejected = rejected.sort_values(RECORD).reset_index(drop=True).fillna("")
    rows = len(raw) + (0 if malformed is None else len(malformed))
    return LoadResult(events=events, rejected=rejected, rows=rows, format=fmt, variant=fmt)


def release_memory() -> None:
    """Hand freed memory back to the system: Arrow's allocator and glibc keep what a large
    file's parsing freed, and a server holding a 1M-event file would otherwise stay at its
    peak."""
    gc.collect()  # pandas frames sit in reference cycles
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def settle_heap() -> None:
    """After loading data: collect, then exempt what is alive from later garbage
    collections (``gc.freeze``). A server holding a large table otherwise rescans every
    long-lived object in each full collection, tens of ms that land in random slider steps.
    The next call first unfreezes, so what died since is collected then."""
    gc.unfreeze()
    release_memory()
    gc.freeze()


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


def _typed_columns(raw: pd.DataFrame, problems: _Problems, fmt: str, label) -> pd.DataFrame:
    iso_only = fmt == "native"
    forms = "YYYY-MM-DD" if iso_only else DATE_FORMS_HELP
    start = parse_dates(raw[START], iso_only)
    end = parse_dates(raw[END], iso_only)
    problems.add(
        raw[START].ne("") & start.isna(),
        lambda i: f"bad {label(START)} {raw.at[i, START]!r} (expected {forms})",
    )
    problems.add(
        raw[END].ne("") & end.isna(),
        lambda i: f"bad {label(END)} {raw.at[i, END]!r} (expected {forms})",
    )
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
    return pd.DataFrame(typed, index=raw.index, copy=False)


def _check_vocabularies(raw: pd.DataFrame, problems: _Problems, fmt: str, label) -> None:
    categories = formats.native_categories(fmt)
    shown = {
        "native": categories,
        "acled": tuple(ACLED_CATEGORIES.values())[:6],
        "ucdp": ("1 (state-based)", "2 (non-state)", "3 (one-sided)"),
    }[fmt]
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
    _check_in_ukraine(typed, problems, ~national & has_point, regions, label)

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
    typed: pd.DataFrame, problems: _Problems, mask: pd.Series, regions: reg.Regions, label
) -> None:
    """Points must lie in Ukraine; a point that would if lat and lon swapped says so."""
    lat, lon = typed[LAT], typed[LON]
    sane = mask & lat.between(-90, 90) & lon.between(-180, 180)
    if not sane.any():
        return
    idx = sane[sane].index
    inside = reg.in_ukraine(lon[idx].to_numpy(), lat[idx].to_numpy(), regions)
    outside = idx[~inside]
    if not len(outside):
        return
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

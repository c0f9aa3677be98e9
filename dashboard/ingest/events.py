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

from dashboard.config import (
    ACLED_CATEGORIES,
    CATEGORIES,
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
from dashboard.ingest.tables import (
    UnreadableFile,
    neutralise_bidi,
    read_bytes,
    read_table,
    read_table_file,
)

HXL_REASON = "an HXL hashtag row (#date+start, …), not an event"
NEAR_BORDER = "near_border"  # True: the point is just outside Ukraine, placed by its oblast name
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
    dates: tuple[dates.DateDecision, ...] = ()  # how each date column's order was decided
    mapping: formats.Mapping | None = None  # a mapped table's fields

    @property
    def near_border(self) -> int:
        """Accepted records placed in a named oblast though their point lies just outside
        Ukraine's outline (within regions.NEAR_BORDER_KM)."""
        if NEAR_BORDER not in self.events.columns:
            return 0
        return int(self.events[NEAR_BORDER].sum())

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


@dataclass(frozen=True)
class ReadOptions:
    """How to read a file when detection is not what the user wants (all optional)."""

    fmt: str = "auto"  # auto, native, acled, ucdp, mapped
    date_order: str | None = None  # dmy, mdy or ymd: the order of numeric dates
    encoding: str | None = None  # a text file's encoding, e.g. "cp1252" or "Windows-1252"
    mapping: formats.Mapping | None = None  # a mapped table's fields


def read_raw(source: str | Path | bytes, max_bytes: int | None = None, encoding: str | None = None):
    """The file's records as strings (tables.RawTable), bidirectional controls neutralised."""
    if isinstance(source, bytes):
        table = read_table(read_bytes(source, max_bytes), encoding)
    else:
        table = read_table_file(source, max_bytes, encoding)
    return neutralise_bidi(table)


def load_events(
    source: str | Path | bytes,
    regions: reg.Regions | None = None,
    fmt: str = "auto",
    dataset: str = "",
    max_bytes: int | None = None,
    options: ReadOptions | None = None,
    table=None,
) -> LoadResult:
    """Read an events file (CSV/XLSX/Parquet; native, ACLED, UCDP or a mapped table) from a
    path or bytes (or its already read ``table``, as the page's mapping form does).

    Raises UnreadableFile, with a one-line message, for a file that cannot be used at all.
    """
    options = options or ReadOptions(fmt=fmt)
    fmt = options.fmt if options.fmt != "auto" else fmt
    if fmt not in FORMAT_CHOICES:
        raise UnreadableFile(f"unknown format {fmt!r} (one of {', '.join(FORMAT_CHOICES)})")
    if options.date_order not in (None, *dates.ORDERS):
        raise UnreadableFile(
            f"unknown date order {options.date_order!r} (one of {', '.join(dates.ORDERS)})"
        )
    if table is None:
        table = read_raw(source, max_bytes, options.encoding)
    release_memory()
    try:
        adapted = formats.adapt(table, fmt, options.mapping)
    except UnreadableFile as exc:
        raise UnreadableFile(str(exc), rows=len(table.frame) + len(table.malformed)) from None
    release_memory()
    if not dataset:
        dataset = Path(source).name if not isinstance(source, bytes) else "upload"
    result = validate_frame(
        adapted.frame,
        regions or reg.load_regions(),
        adapted.malformed,
        adapted,
        options.date_order,
    )
    result.events[DATASET] = pd.Categorical.from_codes(
        np.zeros(len(result.events), dtype="int8"), categories=[dataset]
    )
    mapping = options.mapping
    if adapted.format == "mapped" and mapping is None:
        mapping = formats.guess_mapping(list(table.frame.columns[1:]))
    loaded = LoadResult(
        result.events,
        result.rejected,
        result.rows,
        adapted.format,
        adapted.variant,
        table.describe(),
        result.dates,
        mapping,
    )
    del table, adapted, result
    release_memory()
    return loaded


def validate_frame(
    raw: pd.DataFrame,
    regions: reg.Regions,
    malformed: pd.DataFrame | None = None,
    adapted: formats.Adapted | None = None,
    date_order: str | None = None,
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
    # A missing title or source is shown as such ("no title", "no source given"), never
    # invented; the curated table has both in every row (tests/unit/test_bundled_data.py).
    for col in (ID, START, CATEGORY):
        problems.add(raw[col] == "", f"{label(col)} is empty")
    evidence = adapted.evidence if adapted else dates.Evidence()
    typed, decisions = _typed_columns(raw, problems, label, evidence, date_order)
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

    # HDX's copies carry HXL hashtags (#date+start, #adm1+name) as their first record.
    if len(original) and _is_hxl_row(original.iloc[0].drop(RECORD)):
        first = pd.Series(raw.index == original.index[0], index=raw.index)
        problems.replace(first, HXL_REASON)
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
    return LoadResult(
        events=events, rejected=rejected, rows=rows, format=fmt, variant=fmt, dates=decisions
    )


_HXL_TAG = re.compile(r"^#[A-Za-z][\w+]*$")


def _is_hxl_row(cells: pd.Series) -> bool:
    """True for a row of HXL hashtags (each filled cell like ``#adm1+name``)."""
    filled = [str(c).strip() for c in cells.tolist() if str(c).strip() not in ("", "nan")]
    return len(filled) >= 2 and all(_HXL_TAG.match(c) for c in filled)


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

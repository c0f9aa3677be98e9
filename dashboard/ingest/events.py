"""Read, validate, type and place event tables. No Streamlit.

file -> raw strings (tables.py) -> native columns (formats.py) -> validated, typed frame
(checks.py) -> placed in oblasts (regions.py). Every input record ends up in exactly one of
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
    CATEGORY,
    DATASET,
    DATE_PRECISION,
    EXTRA_NUMBER_COLUMNS,
    EXTRA_TEXT_COLUMNS,
    FIVE_OBLASTS,
    FORMAT,
    GROUP_ID,
    ID,
    IN_FIVE,
    NATIVE_COLUMNS,
    PLACED_OBLAST,
    RECORD,
    SCOPE,
    START,
    VERIFICATION,
)
from dashboard.geo import regions as reg
from dashboard.ingest import dates, formats
from dashboard.ingest.checks import (
    LAST,
    NEAR_BORDER,
    _check_scope_and_place,
    _check_vocabularies,
    _Problems,
    _typed_columns,
)
from dashboard.ingest.tables import (
    UnreadableFile,
    neutralise_bidi,
    read_bytes,
    read_table,
    read_table_file,
)

HXL_REASON = "an HXL hashtag row (#date+start, …), not an event"
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

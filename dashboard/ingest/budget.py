"""What one upload may cost, checked before the work it would cause. No Streamlit.

A file small on the wire can be large once decoded: a 356 KB XLSX whose sheet unpacks to 100 MB,
a 107 KB Parquet file of 30 million rows. So a workbook's sheet and shared strings are measured
in the ZIP directory, and a Parquet file's rows and columns are read from its footer, before a
cell is decoded; a text file is bounded by the upload size limit, and its rows, columns and
header checked as soon as it is split. A file over a limit is refused with one message naming
the limit (``Over``); a record with a cell over ``MAX_CELL_CHARS`` is listed as rejected.
Names echoed in messages are cut (``cut``). The limits are documented in docs/FORMATS.md.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dashboard.ingest.rawtable import UnreadableFile

MAX_ROWS = 2_000_000  # data records in one file (the bundled UCDP file has 3,883)
MAX_COLUMNS = 500  # ACLED exports have 31, UCDP GED 49
MAX_HEADER_CHARS = 1_000  # one column name
MAX_CELL_CHARS = 32_767  # one cell (a spreadsheet's own limit)
MAX_SHEET_BYTES = 128 * 2**20  # an XLSX sheet's XML, and its shared strings, unpacked
MAX_WORKBOOK_XML_BYTES = 2**20  # workbook.xml and its relations (read to find the first sheet)
MAX_PARQUET_BYTES = 2 * 2**30  # a Parquet file's data, uncompressed, from its footer
SHOWN_CHARS = 80  # a name from the file, in a message


class Over(UnreadableFile):
    """The file is over a limit; the message names the limit and says nothing was loaded."""


def cut(text: object, limit: int = SHOWN_CHARS) -> str:
    """``text`` for a message: at most ``limit`` characters, with the length when cut."""
    value = str(text)
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… ({len(value):,} characters)"


def check_shape(rows: int, columns: int) -> None:
    if rows > MAX_ROWS:
        raise Over(
            f"the file has {rows:,} records, over the {MAX_ROWS:,} limit; nothing was loaded"
        )
    if columns > MAX_COLUMNS:
        raise Over(
            f"the file has {columns:,} columns, over the {MAX_COLUMNS:,} limit; nothing was loaded"
        )


def check_header(header: Sequence[object]) -> None:
    """The column count and each name's length."""
    check_shape(0, len(header))
    for name in header:
        if len(str(name)) > MAX_HEADER_CHARS:
            raise Over(
                f"a column name is {len(str(name)):,} characters long, over the "
                f"{MAX_HEADER_CHARS:,} limit ({cut(name)}); nothing was loaded"
            )


def check_unpacked(what: str, size: int, limit: int) -> None:
    if size > limit:
        raise Over(
            f"the {what} unpacks to {size / 2**20:,.0f} MB, over the {limit / 2**20:,.0f} MB "
            "limit; save the sheet as CSV; nothing was loaded"
        )


def long_cells(frame: pd.DataFrame, skip: Sequence[str] = ()) -> pd.Series:
    """A boolean per row: does it hold a cell longer than MAX_CELL_CHARS?"""
    out = pd.Series(False, index=frame.index)
    for col in frame.columns:
        if col in skip or not pd.api.types.is_string_dtype(frame[col]):
            continue
        lengths = frame[col].str.len()
        out |= lengths.fillna(0).to_numpy() > MAX_CELL_CHARS
    return out

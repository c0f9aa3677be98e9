"""Reading CSV, XLSX and Parquet files into a frame of raw strings, without losing a record.

Text files: UTF-8 (with or without BOM), UTF-16 (BOM or not), and legacy code pages told apart
by charset-normalizer (Windows-1251 Cyrillic, Windows-1252 Western, KOI8, ...), or the encoding the
user names; comma, semicolon or tab delimited. Binary files are recognised by their first
bytes, not their name.

This module picks the reader and reads XLSX and Parquet itself; a text file's encoding is
found by charsets.py and its records are split by delimited.py; the result is a RawTable
(rawtable.py).
"""

from __future__ import annotations

import io
import re
import stat
import zipfile
from dataclasses import replace
from pathlib import Path

import pandas as pd

from dashboard.config import RECORD
from dashboard.ingest import budget
from dashboard.ingest.charsets import ENCODING_CHOICES, _is_utf8, decode, encoding_label
from dashboard.ingest.delimited import (
    BIDI_CHARS,
    SNIFF_CHARS,
    _read_utf8_fast,
    clean_header,
    read_csv_text,
    skip_preamble,
    sniff_delimiter,
)
from dashboard.ingest.rawtable import RawTable, UnreadableFile
from dashboard.ingest.textsafe import BIDI_CONTROLS, strip_bidi

MAX_XLSX_UNPACKED = 1 << 30  # bytes: refuse workbooks that unpack to more (a "zip bomb")
LONG_CELL = f"a cell is longer than {budget.MAX_CELL_CHARS:,} characters"

# What other modules import from here (the page: the encoding choices and their names).
__all__ = [
    "ENCODING_CHOICES",
    "RawTable",
    "UnreadableFile",
    "encoding_label",
    "neutralise_bidi",
    "read_bytes",
    "read_table",
    "read_table_file",
]


def read_bytes(source: str | Path | bytes, max_bytes: int | None = None) -> bytes:
    """Read a path (or pass bytes through), turning OS errors into UnreadableFile."""
    if isinstance(source, bytes):
        data = source
    else:
        path = Path(source)
        try:
            size = path.stat().st_size
            if max_bytes is not None and size > max_bytes:
                raise UnreadableFile(too_big_message(size, max_bytes))
            data = path.read_bytes()
        except FileNotFoundError:
            raise UnreadableFile(f"{path}: no such file") from None
        except IsADirectoryError:
            raise UnreadableFile(f"{path}: is a directory, not a file") from None
        except OSError as exc:
            raise UnreadableFile(f"{path}: cannot be read ({exc.strerror})") from None
    if max_bytes is not None and len(data) > max_bytes:
        raise UnreadableFile(too_big_message(len(data), max_bytes))
    return data


def too_big_message(size: int, max_bytes: int) -> str:
    """The one-line message for a file over the size limit (sizes in MB of 1,000,000 bytes,
    as the browser counts them)."""
    return (
        f"the file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:,.0f} MB limit; "
        "nothing was loaded"
    )


def read_table(data: bytes, encoding: str | None = None) -> RawTable:
    """Read CSV/TSV text, an XLSX workbook (first sheet) or a Parquet file into strings.
    ``encoding`` overrides the detection of a text file's encoding. A file over a limit of
    ``ingest.budget`` raises ``budget.Over`` (an UnreadableFile)."""
    return within_budget(_read_table(data, encoding))


def within_budget(table: RawTable) -> RawTable:
    """The table's shape checked against ``ingest.budget``; a record holding a cell over
    ``budget.MAX_CELL_CHARS`` moves to the malformed records, with the reason."""
    budget.check_header(table.header)
    budget.check_shape(len(table.frame) + len(table.malformed), len(table.header))
    long_ = budget.long_cells(table.frame, skip=(RECORD,))
    if not long_.any():
        return table
    bad = table.frame.loc[long_, [RECORD]].assign(reason=LONG_CELL)
    malformed = pd.concat([table.malformed, bad], ignore_index=True)
    malformed = malformed.sort_values(RECORD, kind="stable").reset_index(drop=True)
    frame = table.frame.loc[~long_].reset_index(drop=True)
    return replace(table, frame=frame, malformed=malformed)


def _read_table(data: bytes, encoding: str | None = None) -> RawTable:
    if not data.strip():
        raise UnreadableFile("the file is empty")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if data[:4] == b"PAR1":
        return _read_parquet(data)
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile("old Excel .xls files are not supported: save it as .xlsx or CSV")
    if encoding is None or _is_utf8(encoding):
        fast = _read_utf8_fast(data)
        if fast is not None:
            return fast
    text, used = decode(data, encoding)
    text = skip_preamble(text)
    delimiter = sniff_delimiter(text)
    frame, malformed, header = read_csv_text(text, delimiter)
    clean = not any(ch in text for ch in BIDI_CHARS)
    return RawTable(frame, malformed, header, "csv", used, delimiter, clean)


def read_table_file(
    source: str | Path, max_bytes: int | None = None, encoding: str | None = None
) -> RawTable:
    """``read_table`` for a file on disk. Clean UTF-8 text is streamed from the file, so a
    large export is never held in memory as bytes as well as parsed."""
    path = Path(source)
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None  # read_bytes gives the message
    if mode is not None and not stat.S_ISREG(mode):
        # A FIFO would block every reader, a device (/dev/zero) never ends: refused unread.
        raise UnreadableFile(f"{path.name}: not a regular file (a pipe, device or folder)")
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_CHARS + 4)
        size = path.stat().st_size
    except OSError:
        head, size = b"", 0  # read_bytes gives the message
    utf8 = encoding is None or _is_utf8(encoding)
    if utf8 and head.strip() and (max_bytes is None or size <= max_bytes) and size > len(head):
        fast = _read_utf8_fast(head, path)
        if fast is not None:
            return within_budget(fast)
    return read_table(read_bytes(path, max_bytes), encoding)


def _strings(frame: pd.DataFrame) -> pd.DataFrame:
    """Cells of a typed frame as the strings a CSV of it would hold ('' for missing)."""
    out = {}
    for col in frame.columns:
        values = frame[col]
        if pd.api.types.is_datetime64_any_dtype(values):
            text = values.dt.strftime("%Y-%m-%d").fillna("")
        else:
            text = values.map(_cell_text)
        out[col] = text.astype(object)
    return pd.DataFrame(out, index=frame.index)


def _cell_text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return ""
    if isinstance(value, pd.Timestamp) or hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _from_rows(rows: pd.DataFrame, kind: str) -> RawTable:
    """A header row plus data rows (already strings) as a RawTable; blank rows are skipped."""
    if rows.empty:
        raise UnreadableFile("the file has no header row")
    header = [str(c) for c in rows.iloc[0].tolist()]
    body = rows.iloc[1:]
    body = body[(body != "").any(axis=1)]
    frame = pd.DataFrame(body.to_numpy(), columns=clean_header(header))
    frame.insert(0, RECORD, range(1, len(frame) + 1))
    return RawTable(frame, pd.DataFrame(columns=[RECORD, "reason"]), header, kind)


def _read_xlsx(data: bytes) -> RawTable:
    """The first sheet, read by calamine (Rust) once the ZIP directory shows the sheet and its
    shared strings within ``budget.MAX_SHEET_BYTES`` unpacked and the sheet's dimensions
    within the row and column limits."""
    from python_calamine import CalamineWorkbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            sizes = {i.filename: i.file_size for i in archive.infolist()}
            if "xl/workbook.xml" not in sizes:
                raise UnreadableFile("the file is a ZIP archive, not an XLSX workbook")
            if sum(sizes.values()) > MAX_XLSX_UNPACKED:
                raise budget.Over(
                    "the workbook unpacks to more than 1 GB; save it as CSV; nothing was loaded"
                )
            sheet_name = _first_sheet(archive, sizes)
    except zipfile.BadZipFile:
        raise UnreadableFile("the file starts like a ZIP/XLSX file but is damaged") from None
    budget.check_unpacked("first sheet", sizes.get(sheet_name, 0), budget.MAX_SHEET_BYTES)
    budget.check_unpacked(
        "workbook's shared text", sizes.get("xl/sharedStrings.xml", 0), budget.MAX_SHEET_BYTES
    )
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheet = book.get_sheet_by_index(0)
        budget.check_shape(max(sheet.total_height - 1, 0), sheet.total_width)
        rows = sheet.to_python(skip_empty_area=False)
    except budget.Over:
        raise
    except Exception as exc:  # calamine raises several types for damaged workbooks
        raise UnreadableFile(f"the workbook cannot be read ({type(exc).__name__})") from None
    width = max((len(r) for r in rows), default=0)
    table = pd.DataFrame(
        [[_cell_text(v) for v in r] + [""] * (width - len(r)) for r in rows], dtype=object
    )
    return _from_rows(table, "xlsx")


_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?\br:id=\"([^\"]+)\"")
_TARGET = re.compile(rb"<(?:\w+:)?Relationship\b[^>]*>")


def _first_sheet(archive: zipfile.ZipFile, sizes: dict[str, int]) -> str:
    """The ZIP name of the workbook's first sheet (from workbook.xml and its relations, both
    small files; a workbook that hides it is measured by its largest sheet)."""
    sheets = sorted((n for n in sizes if n.startswith("xl/worksheets/")), key=sizes.get)
    fallback = sheets[-1] if sheets else ""
    rels = "xl/_rels/workbook.xml.rels"
    if max(sizes["xl/workbook.xml"], sizes.get(rels, 0)) > budget.MAX_WORKBOOK_XML_BYTES:
        return fallback
    found = _SHEET.search(archive.read("xl/workbook.xml"))
    if found is None or rels not in sizes:
        return fallback
    for tag in _TARGET.findall(archive.read(rels)):
        if f'Id="{found.group(1).decode()}"'.encode() in tag:
            target = re.search(rb'Target="([^"]+)"', tag)
            if target is not None:
                name = target.group(1).decode().lstrip("/")
                name = name if name.startswith("xl/") else "xl/" + name
                return name if name in sizes else fallback
    return fallback


def _read_parquet(data: bytes) -> RawTable:
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(io.BytesIO(data)).metadata
    except Exception as exc:  # pyarrow raises many types for damaged files
        raise UnreadableFile(f"the Parquet file cannot be read ({type(exc).__name__})") from None
    # The footer tells the rows, columns and data size before anything is decoded.
    budget.check_shape(meta.num_rows, meta.num_columns)
    budget.check_header([meta.schema.column(i).name for i in range(meta.num_columns)])
    unpacked = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    budget.check_unpacked("Parquet file", unpacked, budget.MAX_PARQUET_BYTES)
    try:
        table = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises many types for damaged files
        raise UnreadableFile(f"the Parquet file cannot be read ({type(exc).__name__})") from None
    strings = _strings(table.reset_index(drop=True))
    header = [str(c) for c in table.columns]
    frame = strings.set_axis(clean_header(header), axis=1)
    frame.insert(0, RECORD, range(1, len(frame) + 1))
    return RawTable(frame, pd.DataFrame(columns=[RECORD, "reason"]), header, "parquet")


def neutralise_bidi(table: RawTable) -> RawTable:
    """The table with Unicode bidirectional controls removed from every cell and header (only
    columns that hold one are rewritten: a large file usually has none)."""
    if table.bidi_free:
        return table
    frame = table.frame
    changed = {}
    pattern = BIDI_CONTROLS.pattern
    for name in frame.columns[1:]:
        column = frame[name]
        if column.dtype == object or pd.api.types.is_string_dtype(column):
            hits = column.astype(str).str.contains(pattern, regex=True, na=False)
            if hits.any():
                changed[name] = column.where(~hits, column[hits].map(strip_bidi))
    header = [strip_bidi(h) for h in table.header]
    names = [strip_bidi(c) for c in frame.columns]
    if not changed and header == table.header and names == list(frame.columns):
        return table
    frame = frame.assign(**changed) if changed else frame.copy(deep=False)
    frame.columns = names
    return RawTable(frame, table.malformed, header, table.kind, table.encoding, table.delimiter)

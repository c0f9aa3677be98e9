"""Delimited text (CSV/TSV) into a frame of strings, without losing a record.

Comma, semicolon or tab, sniffed from the first records; an export tool's note above the
header is skipped; records with the wrong number of fields are listed with a reason. Clean
UTF-8 takes a fast path (Arrow's CSV parser, straight from the bytes or the file). No Streamlit.
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from dashboard.config import RECORD
from dashboard.ingest.charsets import BINARY_PROBE_BYTES, _text_only
from dashboard.ingest.rawtable import RawTable, UnreadableFile

SNIFF_CHARS = 65536
DELIMITERS = (",", ";", "\t")
csv.field_size_limit(1 << 24)  # long free-text cells (ACLED notes) are legitimate


def _read_utf8_fast(data: bytes, path: Path | None = None) -> RawTable | None:
    """Well-formed UTF-8 text, read by Arrow's CSV parser straight from the bytes.

    A 1M-record ACLED export is read several times faster and with a fraction of the memory
    of decoding it to a Python string first. Anything else (another encoding, a record with
    the wrong number of fields, invalid UTF-8) returns None, and the careful path reads the
    file and numbers its malformed records.
    """
    bom = data.startswith(b"\xef\xbb\xbf")
    probe = data[3 if bom else 0 : BINARY_PROBE_BYTES]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in probe:
        return None
    try:
        _text_only(probe.decode("utf-8"))
    except UnicodeDecodeError as exc:
        if exc.start < len(probe) - 4:  # a multi-byte character cut at the probe's end is fine
            return None
    except UnreadableFile:
        return None
    head = data[: SNIFF_CHARS + (3 if bom else 0)].decode("utf-8", errors="ignore").lstrip("\ufeff")
    delimiter = sniff_delimiter(head)
    invalid: list[int] = []

    def on_invalid(row) -> str:
        invalid.append(1)
        return "skip"

    try:
        # Streamed in blocks: reading all at once holds parse buffers of about twice the file.
        reader = pacsv.open_csv(
            pa.BufferReader(data) if path is None else pa.OSFile(str(path)),
            read_options=pacsv.ReadOptions(autogenerate_column_names=True, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                column_types=_AllStrings(),
            ),
        )
        table = pa.Table.from_batches(list(reader), schema=reader.schema)
    except (pa.ArrowInvalid, pa.ArrowTypeError, OSError):
        return None  # invalid UTF-8, an unterminated quote, ...: the careful path says what
    if invalid or table.num_rows == 0:
        return None
    header = [str(v).lstrip("\ufeff") for v in table.slice(0, 1).to_pylist()[0].values()]
    body = table.slice(1)
    columns = {RECORD: pd.Series(range(1, body.num_rows + 1))}
    for name, column in zip(clean_header(header), body.columns, strict=True):
        columns[name] = column.to_pandas(types_mapper=_STR_MAPPER.get)
    frame = pd.DataFrame(columns, copy=False)
    encoding = "UTF-8 with BOM" if bom else "UTF-8"
    malformed = pd.DataFrame(columns=[RECORD, "reason"])
    clean = not _bytes_hold_bidi(data if path is None else path)
    return RawTable(frame, malformed, header, "csv", encoding, delimiter, clean)


class _AllStrings(dict):
    """Arrow column types: every column is text (validation types the cells itself)."""

    def __missing__(self, key):  # pragma: no cover - Arrow looks names up with get()
        return pa.large_string()

    def get(self, key, default=None):
        return pa.large_string()


_STR_MAPPER = {pa.large_string(): pd.StringDtype("pyarrow", na_value=float("nan"))}


PREAMBLE_LINES = 10


def skip_preamble(text: str) -> str:
    """The text from its header row on: an export tool's note above the header ("(Sample)",
    a title, blank lines) is dropped when the lines after it are all much wider."""
    lines = text[:SNIFF_CHARS].splitlines(keepends=True)[: PREAMBLE_LINES + 20]
    widths = [max(len(line.split(d)) for d in DELIMITERS) for line in lines]
    for k in range(1, min(PREAMBLE_LINES, len(lines) - 2) + 1):
        rest = widths[k : k + 5]
        if len(rest) >= 2 and min(rest) >= 3 and all(w * 2 <= min(rest) for w in widths[:k]):
            return text[sum(len(line) for line in lines[:k]) :]
    return text


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one that splits the first records most evenly and widely."""
    sample = text[:SNIFF_CHARS]
    if len(text) > SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    best, best_score = ",", (False, 0)
    for delimiter in DELIMITERS:
        try:
            reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
            widths = [len(r) for r in itertools.islice(reader, 20) if r]
        except csv.Error:
            continue
        if not widths:
            continue
        score = (widths[0] > 1 and len(set(widths)) == 1, widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def clean_header(cells: list[str]) -> list[str]:
    """Header cells as column names: trimmed, lower-case, BOM and NBSP removed, unique."""
    names: list[str] = []
    for i, cell in enumerate(cells):
        name = str(cell).replace("\ufeff", "").replace("\xa0", " ").strip().lower()
        name = name or f"column_{i + 1}"
        while name in names:
            name += "_dup"
        names.append(name)
    return names


def read_csv_text(text: str, delimiter: str = ",") -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Parse delimited text into (records as strings, malformed records with a reason, header).

    Every record is in one of the first two; both carry the 1-based data record number RECORD.
    """
    header, short, long_ = _count_fields(text, delimiter)
    if long_:
        frame, bad = _read_ragged(text, delimiter, header)
        return frame, bad, header
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            engine="c",
        )
    except pd.errors.EmptyDataError:
        raise UnreadableFile("the file has no header row") from None
    except pd.errors.ParserError:
        frame, bad = _read_ragged(text, delimiter, header)
        return frame, bad, header
    frame.columns = clean_header(header)
    frame.insert(0, RECORD, range(1, len(frame) + 1))
    # pandas pads a short record with empty cells; the counting pass above found them.
    is_short = frame[RECORD].isin(short)
    bad = frame.loc[is_short, [RECORD]].assign(reason="record has fewer fields than the header")
    return frame.loc[~is_short].reset_index(drop=True), bad.reset_index(drop=True), header


def _count_fields(text: str, delimiter: str) -> tuple[list[str], list[int], list[int]]:
    """Header cells, and record numbers with fewer / more fields than the header."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    short: list[int] = []
    long_: list[int] = []
    try:
        header = next(reader)
    except StopIteration:
        raise UnreadableFile("the file has no header row") from None
    except csv.Error as exc:
        raise UnreadableFile(f"the header row cannot be parsed ({exc})") from None
    width = len(header)
    record = 0
    try:
        for fields in reader:
            if not fields:
                continue
            record += 1
            if len(fields) < width:
                short.append(record)
            elif len(fields) > width:
                long_.append(record)
    except csv.Error:
        return header, short, [0]  # let the careful path report it
    return header, short, long_


def _read_ragged(text: str, delimiter: str, header: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Slow path for files whose records do not all have the header's number of fields."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    next(reader)
    good, bad = [], []
    record = 0
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            record += 1
            bad.append({RECORD: record, "reason": f"malformed CSV record ({exc})"})
            continue
        if not fields:
            continue
        record += 1
        if len(fields) != len(header):
            reason = f"record has {len(fields)} fields, the header has {len(header)}"
            bad.append({RECORD: record, "reason": reason})
        else:
            good.append([record, *fields])
    frame = pd.DataFrame(good, columns=[RECORD, *clean_header(header)])
    return frame, pd.DataFrame(bad, columns=[RECORD, "reason"])


BIDI_CHARS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
BIDI_SCAN_BLOCK = 4 << 20
_BIDI_UTF8 = re.compile(rb"\xe2(?:\x80[\xaa-\xae]|\x81[\xa6-\xa9])")  # BIDI_CHARS in UTF-8


def _bytes_hold_bidi(source: bytes | Path) -> bool:
    """True when UTF-8 bytes (or a file of them) hold a bidi control: one scan of the bytes,
    far cheaper than a regular expression over every column."""
    if isinstance(source, bytes):
        return _BIDI_UTF8.search(source) is not None
    # In blocks (a mapped file's pages would count in the process's peak memory); blocks
    # overlap by two bytes so a character split between them is still found.
    tail = b""
    with source.open("rb") as handle:
        while block := handle.read(BIDI_SCAN_BLOCK):
            if _BIDI_UTF8.search(tail + block):
                return True
            tail = block[-2:]
    return False

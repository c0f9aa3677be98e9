"""Reading CSV, XLSX and Parquet files into a frame of raw strings, without losing a record.

Text files: UTF-8 (with or without BOM), UTF-16 (BOM or not), and legacy code pages told apart
by charset-normalizer (Windows-1251 Cyrillic, Windows-1252 Western, KOI8, ...), or the encoding the
user names; comma, semicolon or tab delimited. Binary files are recognised by their first
bytes, not their name.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
from charset_normalizer import from_bytes

from dashboard.config import RECORD
from dashboard.ingest.textsafe import BIDI_CONTROLS, strip_bidi

BINARY_PROBE_BYTES = 8192
BINARY_MESSAGE = "the file looks binary, not a CSV, XLSX or Parquet file"
SNIFF_CHARS = 65536
DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
MAX_XLSX_UNPACKED = 1 << 30  # bytes: refuse workbooks that unpack to more (a "zip bomb")
csv.field_size_limit(1 << 24)  # long free-text cells (ACLED notes) are legitimate


class UnreadableFile(Exception):
    """The file cannot be used at all; the message is meant for the user, in one line.

    ``rows`` is the number of data records the file held when they could be counted (every
    one of them is then rejected, for this reason), else 0.
    """

    def __init__(self, message: str, rows: int = 0) -> None:
        super().__init__(message)
        self.rows = rows


@dataclass(frozen=True)
class RawTable:
    """A file's records as strings, plus how it was read.

    ``frame`` has RECORD (1-based data record number) and one column per header cell
    (lower-cased, trimmed); ``malformed`` has RECORD and ``reason`` for records that could
    not be split into the header's fields; ``header`` is the first row exactly as read, so a
    file without a header row can be re-read (see formats.py).
    """

    frame: pd.DataFrame
    malformed: pd.DataFrame
    header: list[str]
    kind: str  # "csv", "xlsx" or "parquet"
    encoding: str = ""
    delimiter: str = ""
    bidi_free: bool = False  # the source text was checked and holds no bidi control

    def describe(self) -> str:
        """E.g. 'CSV, UTF-16, tab-delimited' or 'XLSX (first sheet)'."""
        if self.kind == "csv":
            return f"CSV, {self.encoding}, {DELIMITER_NAMES[self.delimiter]}-delimited"
        if self.kind == "xlsx":
            return "XLSX (first sheet)"
        return "Parquet"


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
    """The one-line message for a file over the size limit (sizes in MB)."""
    return (
        f"the file is {size / 2**20:.1f} MB, over the {max_bytes / 2**20:.0f} MB limit "
        "(OEM_MAX_UPLOAD_MB sets the limit); nothing was loaded"
    )


def read_table(data: bytes, encoding: str | None = None) -> RawTable:
    """Read CSV/TSV text, an XLSX workbook (first sheet) or a Parquet file into strings.
    ``encoding`` overrides the detection of a text file's encoding."""
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
        with path.open("rb") as handle:
            head = handle.read(SNIFF_CHARS + 4)
        size = path.stat().st_size
    except OSError:
        head, size = b"", 0  # read_bytes gives the message
    utf8 = encoding is None or _is_utf8(encoding)
    if utf8 and head.strip() and (max_bytes is None or size <= max_bytes) and size > len(head):
        fast = _read_utf8_fast(head, path)
        if fast is not None:
            return fast
    return read_table(read_bytes(path, max_bytes), encoding)


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


# Code pages an events file may be in when it is not Unicode, most common first: when several
# decode the bytes to the same text (a Western file with only ’ “ ” – Ë ·), the first is named.
LEGACY_ENCODINGS = (
    "cp1252",
    "cp1251",
    "cp1250",
    "iso8859_15",
    "iso8859_1",
    "koi8_u",
    "koi8_r",
    "cp866",
    "iso8859_5",
    "mac_cyrillic",
    "cp1257",
    "iso8859_2",
)
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf_8_sig": "UTF-8 with BOM",
    "utf_16": "UTF-16",
    "utf_16_le": "UTF-16 LE",
    "utf_16_be": "UTF-16 BE",
    "cp1252": "Windows-1252",
    "cp1251": "Windows-1251",
    "cp1250": "Windows-1250",
    "cp1257": "Windows-1257",
    "iso8859_15": "ISO-8859-15",
    "iso8859_1": "ISO-8859-1",
    "iso8859_2": "ISO-8859-2",
    "iso8859_5": "ISO-8859-5",
    "koi8_u": "KOI8-U",
    "koi8_r": "KOI8-R",
    "cp866": "CP866 (DOS Cyrillic)",
    "mac_cyrillic": "Mac Cyrillic",
}
ENCODING_CHOICES = ("utf_8", "utf_16", "cp1251", "cp1252", "cp1250", "koi8_u", "koi8_r", "cp866")


def codec_name(name: str) -> str:
    """Python's codec name for an encoding name a user may write (``Windows-1252``, ``latin1``);
    UnreadableFile for an unknown one."""
    try:
        return codecs.lookup(str(name).strip()).name.replace("-", "_")
    except (LookupError, ValueError):
        choices = ", ".join(ENCODING_NAMES[c] for c in ENCODING_CHOICES)
        raise UnreadableFile(
            f"unknown encoding {str(name)[:40]!r} (for example {choices})"
        ) from None


def encoding_label(codec: str) -> str:
    """'Windows-1252' for cp1252, and so on."""
    return ENCODING_NAMES.get(codec, codec)


def _is_utf8(name: str) -> bool:
    return codec_name(name) in ("utf_8", "utf_8_sig")


def decode(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding used (its usual name): the one given; else UTF-8 (BOM dropped),
    UTF-16 (BOM or not), or the legacy code page charset-normalizer finds most plausible."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    if encoding:
        codec = codec_name(encoding)
        if codec == "utf_8" and data.startswith(b"\xef\xbb\xbf"):
            codec = "utf_8_sig"
        label = encoding_label(codec) + " (as you chose)"
        return _text_only(_decode(data, codec, encoding_label(codec))), label
    if data.startswith(b"\xef\xbb\xbf"):
        return _text_only(_decode(data, "utf-8-sig", "UTF-8 with BOM")), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _text_only(_decode(data, "utf-16", "UTF-16")), "UTF-16"
    probe = data[:BINARY_PROBE_BYTES]
    if b"\x00" in probe:
        # UTF-16 without a BOM: ASCII text leaves every other byte zero.
        even, odd = probe[0::2].count(0), probe[1::2].count(0)
        if odd > 0.3 * len(probe) / 2 and even == 0:
            return _text_only(_decode(data, "utf-16-le", "UTF-16")), "UTF-16 LE"
        if even > 0.3 * len(probe) / 2 and odd == 0:
            return _text_only(_decode(data, "utf-16-be", "UTF-16")), "UTF-16 BE"
        raise UnreadableFile(BINARY_MESSAGE)
    try:
        return _text_only(data.decode("utf-8")), "UTF-8"
    except UnicodeDecodeError:
        pass
    for codec in detect_legacy(data):
        try:
            return _text_only(data.decode(codec)), encoding_label(codec)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(
        "the file's encoding was not recognised (not UTF-8, UTF-16 or a Windows/KOI8 code page): "
        "choose its encoding"
    )


def detect_legacy(data: bytes) -> list[str]:
    """Legacy code pages that could have written ``data``, most plausible first.

    charset-normalizer proposes the candidates; on the short texts of a small file it often
    prefers a Central European page ("Ęčĺâ" for "Киев"), so they are ranked again by how
    the decoded text reads as Ukrainian, Russian or Western European text (``plausibility``),
    its order breaking ties. Code pages that decode the bytes identically keep the order of
    LEGACY_ENCODINGS (a Western file with only ’ “ ” – Ë · is named Windows-1252)."""
    matches = from_bytes(data[: 1 << 20], cp_isolation=list(LEGACY_ENCODINGS))
    ordered: list[str] = []
    for match in matches:
        same = {codec_name(c) for c in (match.encoding, *match.could_be_from_charset)}
        ordered += [c for c in LEGACY_ENCODINGS if c in same and c not in ordered]
    sample = data[:PLAUSIBILITY_BYTES]
    # Nothing proposed (charset-normalizer finds short KOI8 texts too chaotic): rank them all.
    ordered = ordered[:MAX_CANDIDATES] or list(LEGACY_ENCODINGS)
    scores = {c: plausibility(sample.decode(c, errors="replace")) for c in ordered}
    return sorted(ordered, key=lambda c: -scores[c])  # stable: ties keep the detector's order


PLAUSIBILITY_BYTES = 256 * 1024
MAX_CANDIDATES = 8
_NON_ASCII_WORD = re.compile(r"[^\W\d_]*[^\x00-\x7f\W\d_][^\W\d_]*")
_NON_ASCII_OTHER = re.compile(r"[^\x00-\x7f\w]")
_PUNCTUATION = "’‘“”„–—…·«»°€№"
_CYRILLIC = set("абвгґдеєжзиіїйклмнопрстуфхцчшщьюяыэъё")
_CYRILLIC |= {ch.upper() for ch in _CYRILLIC}
_LATIN_1 = {chr(c) for c in range(0xC0, 0x100)} - {"×", "÷"}
_CASE_FLIP = re.compile(r"[^\W\d_A-Z]\w*?[A-ZА-ЯҐЄІЇЁ]")


def plausibility(text: str) -> float:
    """How much a decoded text's non-ASCII characters read like real Ukrainian, Russian or
    Western European text: Ukrainian/Russian words of two letters or more and accented Latin
    words score, typographic punctuation scores a little; a word mixing Latin and Cyrillic
    letters ("NOЛL"), a capital after a small letter ("ыЩЇз"), and any other character
    (Central European or Serbian letters, box drawing, symbols) cost."""
    score = 0.0
    for word in _NON_ASCII_WORD.findall(text):
        cyrillic = sum(ch in _CYRILLIC for ch in word)
        latin = sum(ch.isascii() or ch in _LATIN_1 for ch in word)
        other = len(word) - cyrillic - latin
        if cyrillic and latin:
            score -= 3 * (len(word) - sum(ch.isascii() for ch in word))
        elif cyrillic:
            score += cyrillic if len(word) > 1 else 0
            score -= 2 * len(_CASE_FLIP.findall(word))
        else:
            score += latin - sum(ch.isascii() for ch in word)
        score -= other
    for ch in _NON_ASCII_OTHER.findall(text):
        score += 0.5 if ch in _PUNCTUATION else -1
    return score


def _text_only(text: str) -> str:
    """The text, unless control characters say it is really binary data."""
    head = text[:BINARY_PROBE_BYTES]
    control = sum(1 for ch in head if ch < " " and ch not in "\t\r\n")
    if control > max(2, len(head) // 20):
        raise UnreadableFile(BINARY_MESSAGE)
    return text


def _decode(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"the file is not valid {name} (byte {exc.start})") from None


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
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFile("the file starts like a ZIP/XLSX file but is damaged") from None
    if "xl/workbook.xml" not in names:
        raise UnreadableFile("the file is a ZIP archive, not an XLSX workbook")
    if unpacked > MAX_XLSX_UNPACKED:
        raise UnreadableFile("the workbook unpacks to more than 1 GB; save it as CSV instead")
    try:
        sheet = pd.read_excel(io.BytesIO(data), sheet_name=0, header=None, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many types for damaged workbooks
        raise UnreadableFile(f"the workbook cannot be read ({type(exc).__name__})") from None
    return _from_rows(_strings(sheet), "xlsx")


def _read_parquet(data: bytes) -> RawTable:
    try:
        table = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises many types for damaged files
        raise UnreadableFile(f"the Parquet file cannot be read ({type(exc).__name__})") from None
    strings = _strings(table.reset_index(drop=True))
    header = [str(c) for c in table.columns]
    frame = strings.set_axis(clean_header(header), axis=1)
    frame.insert(0, RECORD, range(1, len(frame) + 1))
    return RawTable(frame, pd.DataFrame(columns=[RECORD, "reason"]), header, "parquet")


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

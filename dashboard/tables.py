"""Reading a delimited text file into a frame of raw strings, without losing a record."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from dashboard.config import RECORD

BINARY_PROBE_BYTES = 8192


class UnreadableFile(Exception):
    """The file cannot be read at all; the message is meant for the user, in one line."""


def read_bytes(source: str | Path | bytes) -> bytes:
    """Read a path (or pass bytes through), turning OS errors into UnreadableFile."""
    if isinstance(source, bytes):
        return source
    path = Path(source)
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UnreadableFile(f"{path}: is a directory, not a file") from None
    except OSError as exc:
        raise UnreadableFile(f"{path}: cannot be read ({exc.strerror})") from None


def decode(data: bytes) -> str:
    """Decode UTF-8 (a BOM is dropped); anything else is reported, never guessed silently."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    if b"\x00" in data[:BINARY_PROBE_BYTES]:
        raise UnreadableFile("the file looks binary, not a CSV text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"the file is not valid UTF-8 (byte {exc.start})") from None


def read_csv_text(text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Parse CSV text into (records as strings, malformed records with a reason).

    Every record is in one or the other; both carry the 1-based data record number in RECORD.
    """
    short, long_ = _miscounted_records(text)
    if long_:
        return _read_ragged(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=True
        )
    except pd.errors.EmptyDataError:
        raise UnreadableFile("the file has no header row") from None
    except pd.errors.ParserError:
        return _read_ragged(text)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame.insert(0, RECORD, range(1, len(frame) + 1))
    # pandas pads a short record with empty cells; the counting pass above found them.
    is_short = frame[RECORD].isin(short)
    bad = frame.loc[is_short, [RECORD]].assign(reason="record has fewer fields than the header")
    return frame.loc[~is_short].reset_index(drop=True), bad.reset_index(drop=True)


def _miscounted_records(text: str) -> tuple[list[int], list[int]]:
    """Record numbers with fewer / more fields than the header (one pass, nothing stored)."""
    reader = csv.reader(io.StringIO(text))
    short: list[int] = []
    long_: list[int] = []
    try:
        width = len(next(reader))
        record = 0
        for fields in reader:
            if not fields:
                continue
            record += 1
            if len(fields) < width:
                short.append(record)
            elif len(fields) > width:
                long_.append(record)
    except (StopIteration, csv.Error):
        return short, [0]  # let the careful path report it
    return short, long_


def _read_ragged(text: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Slow path for files whose records do not all have the header's number of fields."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except (StopIteration, csv.Error) as exc:
        raise UnreadableFile(f"the header row cannot be parsed ({exc})") from None
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
    frame = pd.DataFrame(good, columns=[RECORD, *header])
    return frame, pd.DataFrame(bad, columns=[RECORD, "reason"])

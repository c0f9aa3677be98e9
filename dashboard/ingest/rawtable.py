"""What reading a file gives: its records as strings (``RawTable``), or ``UnreadableFile``
with a one-line message for the user when the file cannot be used at all. No Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


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

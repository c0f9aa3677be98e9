"""Which events the page shows: the bundled file, an analyst's upload, or both. No Streamlit.

An upload is read from memory only: nothing is written to disk, and the result lives in the
uploading session (app.py keeps it in st.session_state), so no other session can see it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pandas as pd

from dashboard.config import DATASET
from dashboard.events import LoadResult, UnreadableFile, load_events
from dashboard.regions import Regions

DEFAULT_MAX_UPLOAD_MB = 200
MB = 1024 * 1024  # Streamlit counts upload sizes in binary megabytes
UPLOAD_TYPES = ("csv", "tsv", "txt", "xlsx", "parquet")
BUNDLED, UPLOADED, BOTH = "Bundled", "Uploaded", "Both"
CHOICES = (BUNDLED, UPLOADED, BOTH)


def max_upload_mb(server_limit_mb: int = DEFAULT_MAX_UPLOAD_MB) -> int:
    """Upload size limit in MB: Streamlit's server.maxUploadSize (200 in .streamlit/config.toml),
    which the server enforces, lowered by OEM_MAX_UPLOAD_MB when that is set to a smaller
    positive number (a bad value is ignored)."""
    try:
        value = int(os.environ.get("OEM_MAX_UPLOAD_MB", "0"))
    except ValueError:
        value = 0
    return min(value, server_limit_mb) if value > 0 else server_limit_mb


def bundled_label(filename: str) -> str:
    """Dataset label of the bundled file, shown in popups and the table."""
    return f"Bundled: {filename}"


def upload_label(filename: str) -> str:
    """Dataset label of an uploaded file."""
    return f"Upload: {filename}"


@dataclass(frozen=True)
class Upload:
    """One uploaded file: its name and either a LoadResult or the message why it is unusable."""

    name: str
    size: int
    result: LoadResult | None
    error: str = ""
    rows: int = 0  # records counted in an unusable file (all rejected)


def load_upload(
    name: str, data: bytes, fmt: str, regions: Regions, max_mb: int | None = None
) -> Upload:
    """Read an uploaded file; never raises for bad input."""
    limit = (max_mb or max_upload_mb()) * MB
    try:
        result = load_events(data, regions, fmt, dataset=upload_label(name), max_bytes=limit)
    except UnreadableFile as exc:
        return Upload(name, len(data), None, str(exc), exc.rows)
    return Upload(name, len(data), result)


def combine(bundled: LoadResult | None, upload: LoadResult | None, choice: str) -> pd.DataFrame:
    """The events for a choice of BUNDLED, UPLOADED or BOTH, each row labelled with DATASET."""
    parts = []
    if bundled is not None and choice in (BUNDLED, BOTH):
        parts.append(bundled.events)
    if upload is not None and choice in (UPLOADED, BOTH):
        parts.append(upload.events)
    if not parts:
        return bundled.events.iloc[0:0] if bundled is not None else pd.DataFrame()
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, ignore_index=True)
    frame[DATASET] = frame[DATASET].astype("category")
    return frame

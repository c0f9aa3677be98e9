"""Which events the page shows: the bundled datasets, an analyst's upload, or some of them
together. No Streamlit.

The bundled datasets (``BUNDLED``): the curated timeline (``data/events.csv``) and UCDP's
events for Ukraine (``data/ucdp/``, built by ``scripts/build_ucdp.py``). A view names what it
shows with one of ``state.choices.DATA``; ``PARTS`` says which datasets that is.

An upload is read from memory only: nothing is written to disk, and the result lives in the
uploading session (app.py keeps it in st.session_state), so no other session can see it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from dashboard import settings
from dashboard.config import DATASET, EVENTS_CSV, RECORD, UCDP_CSV
from dashboard.geo.regions import Regions
from dashboard.ingest import formats
from dashboard.ingest.events import LoadResult, ReadOptions, UnreadableFile, load_events, read_raw
from dashboard.ingest.tables import RawTable

DEFAULT_MAX_UPLOAD_MB = 200
# Streamlit's browser side refuses a file over maxUploadSize x 1,000,000 bytes (its server, over
# x 1,048,576): the browser's decimal megabyte is the limit a user meets, so it is ours too.
MB = 1_000_000
UPLOAD_TYPES = ("csv", "tsv", "txt", "xlsx", "parquet")
CURATED, UCDP, UPLOAD = "curated", "ucdp", "upload"
CURATED_LABEL = "Curated timeline 2022"
UCDP_LABEL = "UCDP GED/Candidate 2014–2023"
# What each choice of ``state.choices.DATA`` shows, in the order the rows are combined.
PARTS: dict[str, tuple[str, ...]] = {
    "curated": (CURATED,),
    "ucdp": (UCDP,),
    "both": (CURATED, UCDP),
    "upload": (UPLOAD,),
    "upload_curated": (CURATED, UPLOAD),
}


@dataclass(frozen=True)
class Bundled:
    """One dataset that ships with the app: its key, the label its rows carry (``DATASET``)
    and its file."""

    key: str
    label: str
    path: Path


# A deployment's own events file (OEM_EVENTS_CSV) is read whole into memory: refused above this
# (an ACLED export of 1M events is about 400 MB); a FIFO or a device is refused unread.
BUNDLED_MAX_BYTES = 2_000_000_000


def bundled_sets() -> dict[str, Bundled]:
    """The bundled datasets. OEM_EVENTS_CSV replaces the curated timeline with a deployment's
    own table, which is then labelled by its file name, not as ours."""
    own = settings.get("OEM_EVENTS_CSV")
    curated = (
        Bundled(CURATED, bundled_label(Path(own).name), Path(own))
        if own
        else Bundled(CURATED, CURATED_LABEL, EVENTS_CSV)
    )
    return {CURATED: curated, UCDP: Bundled(UCDP, UCDP_LABEL, UCDP_CSV)}


def needs_upload(choice: str) -> bool:
    return UPLOAD in PARTS.get(choice, ())


def max_upload_mb(server_limit_mb: int = DEFAULT_MAX_UPLOAD_MB) -> int:
    """Upload size limit in MB: Streamlit's server.maxUploadSize (200 in .streamlit/config.toml),
    which the server enforces, lowered by OEM_MAX_UPLOAD_MB when that is set to a smaller
    positive number (a bad value is ignored)."""
    try:
        value = int(settings.get("OEM_MAX_UPLOAD_MB") or "0")
    except ValueError:
        value = 0
    return min(value, server_limit_mb) if value > 0 else server_limit_mb


def bundled_label(filename: str) -> str:
    """Dataset label of the bundled file, shown in popups and the table."""
    return f"Bundled: {filename}"


TEAM_PREFIX = "Team: "  # the name (and rows' label) of a team's shared dataset (page.team)


def is_team(upload: Upload | None) -> bool:
    """The session shows a team's shared dataset in the upload's place."""
    return upload is not None and upload.name.startswith(TEAM_PREFIX)


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
    """Read an uploaded file in one go (the page reads first, then applies the format, so a
    change of format or mapping costs no re-read); never raises for bad input."""
    return load_raw_upload(read_upload(name, data, None, max_mb), regions, ReadOptions(fmt))


@dataclass(frozen=True)
class RawUpload:
    """An uploaded file read into strings (before its format is applied), or why not.
    ``records``: how many records it held, when ``table`` holds only the first ones
    (``light``); -1 when ``table`` holds them all."""

    name: str
    size: int
    table: RawTable | None
    error: str = ""
    records: int = -1

    @property
    def count(self) -> int:
        if self.records >= 0:
            return self.records
        return len(self.table.frame) if self.table is not None else 0

    @property
    def columns(self) -> list[str]:
        return [c for c in self.table.frame.columns if c != RECORD] if self.table else []

    def needs_mapping(self, fmt: str) -> bool:
        """True when the user maps the columns: asked for, or no known format matches."""
        if self.table is None:
            return False
        if fmt == "mapped":
            return True
        known = formats.detect(self.columns) or formats.looks_like_headerless_ucdp(
            self.table.header
        )
        return fmt == "auto" and not known


def read_upload(name: str, data: bytes, encoding: str | None, max_mb: int | None = None):
    """The uploaded file's records as strings (RawUpload); never raises for bad input."""
    limit = (max_mb or max_upload_mb()) * MB
    try:
        return RawUpload(name, len(data), read_raw(data, limit, encoding))
    except UnreadableFile as exc:
        return RawUpload(name, len(data), None, str(exc))


PREVIEW_ROWS = 5  # what the mapping form shows of a table


def light(raw: RawUpload) -> RawUpload:
    """What the page keeps of a file read elsewhere (``read_and_load``): its columns, header,
    first rows and record count; the records stay where they were read."""
    if raw.table is None or raw.records >= 0:
        return raw
    table = replace(
        raw.table,
        frame=raw.table.frame.head(PREVIEW_ROWS).copy(),
        malformed=raw.table.malformed.iloc[0:0].copy(),
    )
    return replace(raw, table=table, records=len(raw.table.frame))


@dataclass(frozen=True)
class Read:
    """What reading an upload in its own process hands back (``read_and_load``): the file,
    light; its events, or None while its columns wait to be mapped; the mapping used."""

    raw: RawUpload
    upload: Upload | None
    mapping: formats.Mapping | None


def read_and_load(
    name: str,
    data: bytes,
    encoding: str | None,
    max_mb: int | None,
    regions: Regions,
    fmt: str,
    order: str | None,
    mapping: formats.Mapping | None,
) -> Read:
    """Read an upload and apply its format in one go, in a process of its own
    (``ingest.isolated``). A table in no known format is loaded with ``mapping``, or, when
    none is given yet, with the mapping guessed from its column names (the page's form starts
    from the same guess); an incomplete one loads nothing."""
    raw = read_upload(name, data, encoding, max_mb)
    if raw.table is None:
        return Read(raw, Upload(raw.name, raw.size, None, raw.error), None)
    if raw.needs_mapping(fmt):
        mapping = mapping if mapping is not None else formats.guess_mapping(raw.columns)
        if not mapping.complete:
            return Read(light(raw), None, mapping)
    else:
        mapping = None
    upload = load_raw_upload(raw, regions, ReadOptions(fmt, order, encoding, mapping))
    if upload.result is not None:
        upload = replace(upload, result=compact(upload.result))
    return Read(light(raw), upload, mapping)


def compact(result: LoadResult) -> LoadResult:
    """The rejected records' cells as Arrow strings: the page takes them back as a few buffers,
    not one Python object per cell (the 310,000 rejected records of a 100 MB file held the
    server's memory up as small objects it could not hand back after the session ended)."""
    frame = result.rejected
    text = {c: "string[pyarrow]" for c in frame.columns if frame[c].dtype == object}
    if not text:
        return result
    return replace(result, rejected=frame.astype(text))


def load_raw_upload(raw: RawUpload, regions: Regions, options: ReadOptions) -> Upload:
    """Apply the format (or mapping) to an upload read by ``read_upload``."""
    if raw.table is None:
        return Upload(raw.name, raw.size, None, raw.error)
    try:
        result = load_events(
            b"", regions, dataset=upload_label(raw.name), options=options, table=raw.table
        )
    except UnreadableFile as exc:
        return Upload(raw.name, raw.size, None, str(exc), exc.rows)
    return Upload(raw.name, raw.size, result)


def combine(results: list[LoadResult | None]) -> pd.DataFrame:
    """The events of several loaded datasets (None: not loaded), each row labelled with
    DATASET; an empty frame when none has events."""
    loaded = [r for r in results if r is not None]
    parts = [r.events for r in loaded if len(r.events)]
    if not parts:
        return loaded[0].events.iloc[0:0] if loaded else pd.DataFrame()
    if len(parts) == 1:
        return parts[0]
    frame = pd.concat(parts, ignore_index=True)
    frame[DATASET] = frame[DATASET].astype("category")
    return frame

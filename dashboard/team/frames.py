"""Events in and out of the store's COPY: a validated events frame as CSV rows and back,
typed exactly as ``ingest.events.load_events`` types them. No Streamlit, no database."""

from __future__ import annotations

import io

import pandas as pd

from dashboard import config

# The stored columns of an event, as in dashboard.config (the migration's TEXT_COLUMNS).
TEXT_COLUMNS: tuple[str, ...] = (
    config.ID,
    config.GROUP_ID,
    config.DATE_PRECISION,
    config.SCOPE,
    config.OBLAST,
    config.SETTLEMENT,
    config.CATEGORY,
    config.TITLE,
    config.DESCRIPTION,
    config.SOURCE_NAME,
    config.SOURCE_URL,
    config.VERIFICATION,
    config.CLAIMED_BY,
    config.NOTES,
    *config.EXTRA_TEXT_COLUMNS,
    config.PLACED_BY,
    config.FORMAT,
)
DATE_COLUMNS = (config.START, config.END, "last_date")
NUMBER_COLUMNS = (config.LAT, config.LON, *config.EXTRA_NUMBER_COLUMNS)
FLAG_COLUMNS = (config.IN_FIVE, "near_border")
EVENT_COLUMNS: tuple[str, ...] = (
    "n",
    *DATE_COLUMNS,
    config.PLACED_OBLAST,
    *FLAG_COLUMNS,
    *NUMBER_COLUMNS,
    config.RECORD,
    *TEXT_COLUMNS,
)


def events_csv(events: pd.DataFrame, dataset_id: int) -> bytes:
    """The stored columns of a frame as CSV rows (no header): the dataset's id, then
    EVENT_COLUMNS. Written by Arrow's CSV writer (C++; pandas' to_csv is several times slower):
    an empty cell is NULL for dates and numbers, '' for text (COPY's FORCE_NOT_NULL)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    n = len(events)
    arrays: dict[str, pa.Array] = {
        "dataset_id": pa.array([int(dataset_id)] * n, pa.int64()),
        "n": pa.array(range(1, n + 1), pa.int64()),
    }
    for name in DATE_COLUMNS:
        source = events[name] if name in events else pd.Series(pd.NaT, index=events.index)
        if name == "last_date" and name not in events:
            source = events[config.START]
        days = pd.to_datetime(source).to_numpy().astype("datetime64[D]")
        arrays[name] = pa.array(days, pa.date32(), mask=pd.isna(days))
    arrays[config.PLACED_OBLAST] = pa.array(_texts(events, config.PLACED_OBLAST), pa.string())
    for name in FLAG_COLUMNS:
        flags = events[name] if name in events else pd.Series(False, index=events.index)
        arrays[name] = pa.array(flags.fillna(False).astype(bool).to_numpy(), pa.bool_())
    for name in NUMBER_COLUMNS:
        values = pd.to_numeric(events[name], errors="coerce") if name in events else None
        values = values.to_numpy("float64") if values is not None else [None] * n
        arrays[name] = pa.array(values, pa.float64(), from_pandas=True)
    record = events[config.RECORD] if config.RECORD in events else pd.Series(0, index=events.index)
    arrays[config.RECORD] = pa.array(record.astype("int64").to_numpy(), pa.int64())
    for name in TEXT_COLUMNS:
        arrays[name] = pa.array(_texts(events, name), pa.string())
    table = pa.table(arrays)
    sink = pa.BufferOutputStream()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return sink.getvalue().to_pybytes()


def _texts(events: pd.DataFrame, name: str) -> list[str] | pd.Series:
    if name not in events:
        return [""] * len(events)
    return events[name].astype(str).str.replace("\x00", "", regex=False)


def events_frame(buffer: io.BytesIO) -> pd.DataFrame:
    """COPY's CSV back to a frame typed as ``ingest.events.load_events`` types it (read by
    Arrow's CSV reader: every text column as text, never inferred)."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    types = {name: pa.string() for name in (*TEXT_COLUMNS, config.PLACED_OBLAST)}
    types |= {name: pa.date32() for name in DATE_COLUMNS}
    types |= {name: pa.float64() for name in NUMBER_COLUMNS}
    types |= {name: pa.bool_() for name in FLAG_COLUMNS}
    types |= {"n": pa.int64(), config.RECORD: pa.int64()}
    table = pacsv.read_csv(
        buffer,
        read_options=pacsv.ReadOptions(block_size=16 * 2**20),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
            true_values=["t"],
            false_values=["f"],
        ),
    )
    frame = table.to_pandas()
    for name in DATE_COLUMNS:
        frame[name] = pd.to_datetime(frame[name]).astype("datetime64[ns]")
    for name in (*TEXT_COLUMNS, config.PLACED_OBLAST):
        frame[name] = frame[name].astype(str)
    return frame.drop(columns=["n"])

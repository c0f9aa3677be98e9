"""Recognise an events file's format from its columns and map it onto the native columns.

native: the columns documented in data/README.md.
acled:  an ACLED export: the current columns (with disorder_type), the 2019-2023 columns
        (with sub_event_type) or the pre-2019 upper-case columns (with ally_actor_1).
ucdp:   UCDP GED, with its header row or without one (UCDP publishes some releases that way).
The mapping only moves and renames text; validation (events.py) parses and checks it, and
reports problems under the file's own column names (``labels``). No Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard.config import (
    ACLED_CATEGORIES,
    ACLED_URL,
    ACTOR1,
    ACTOR2,
    ADMIN2,
    CATEGORIES,
    CATEGORY,
    DATE_PRECISION,
    DESCRIPTION,
    END,
    EVENT_TYPE,
    FATALITIES,
    FATALITIES_HIGH,
    FATALITIES_LOW,
    GROUP_ID,
    ID,
    LAT,
    LON,
    OBLAST,
    RECORD,
    REQUIRED_COLUMNS,
    SETTLEMENT,
    SOURCE_NAME,
    SOURCE_URL,
    START,
    SUB_EVENT_TYPE,
    TITLE,
    UCDP_CATEGORIES,
    UCDP_URL,
)
from dashboard.parsing import parse_one_date
from dashboard.tables import RawTable, UnreadableFile

# The 49 columns of UCDP GED as published (codebook 21.1 onwards), for files without a header.
_UCDP_HEADER = (
    "id relid year active_year code_status type_of_violence conflict_dset_id conflict_new_id "
    "conflict_name dyad_dset_id dyad_new_id dyad_name side_a_dset_id side_a_new_id side_a "
    "side_b_dset_id side_b_new_id side_b number_of_sources source_article source_office "
    "source_date source_headline source_original where_prec where_coordinates "
    "where_description adm_1 adm_2 latitude longitude geom_wkt priogrid_gid country "
    "country_id region event_clarity date_prec date_start date_end deaths_a deaths_b "
    "deaths_civilians deaths_unknown best high low gwnoa gwnob"
)
UCDP_COLUMNS: tuple[str, ...] = tuple(_UCDP_HEADER.split(" "))
ACLED_SIGNATURE = ("event_date", "event_type", "latitude", "longitude")
ACLED_EXPECTED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "actor2",
    "admin1",
    "location",
    "latitude",
    "longitude",
    "source",
    "notes",
    "fatalities",
)
UCDP_SIGNATURE = ("id", "date_start", "type_of_violence", "latitude", "longitude", "best")
UCDP_EXPECTED = (*UCDP_SIGNATURE[:3], "date_end", "adm_1", "latitude", "longitude", "best")
EXPECTED = {
    "native": REQUIRED_COLUMNS,
    "acled": ACLED_EXPECTED,
    "ucdp": UCDP_EXPECTED,
}
# Older ACLED event types (before the 2019 codebook) on today's categories; the old type is
# kept as the sub-event type, so nothing is lost.
_ACLED_TYPES = {label.lower(): key for key, label in ACLED_CATEGORIES.items()}
_ACLED_TYPES |= {
    "riots/protests": "riots_protests",
    "remote violence": "explosions_remote_violence",
    "strategic development": "strategic_developments",
    "headquarters or base established": "strategic_developments",
    "non-violent transfer of territory": "strategic_developments",
    "battle-no change of territory": "battles",
    "battle-government regains territory": "battles",
    "battle-non-state actor overtakes territory": "battles",
}
FORMAT_NAMES = {"native": "native", "acled": "ACLED", "ucdp": "UCDP GED"}
_UCDP_TYPES = {"1": "state_based", "2": "non_state", "3": "one_sided"}
_PRECISION = {"1": "day", "2": "approximate", "3": "approximate"}
_UCDP_PRECISION = {"1": "day", "2": "approximate", "3": "approximate", "4": "approximate"}


@dataclass(frozen=True)
class Adapted:
    """A file mapped onto the native columns (strings), with what it was and how to name things.

    ``frame`` shares its index with ``original`` (the file's own columns, RECORD first), so a
    rejected record is reported with the cells the user actually wrote.
    """

    frame: pd.DataFrame
    original: pd.DataFrame
    format: str
    variant: str
    labels: dict[str, str] = field(default_factory=dict)  # native column -> the file's column
    malformed: pd.DataFrame | None = None

    def label(self, column: str) -> str:
        """The file's own name for a native column (for messages)."""
        return self.labels.get(column, column)


def detect(columns: list[str]) -> str | None:
    """'native', 'acled', 'ucdp' or None, from cleaned column names."""
    cols = set(columns)
    if all(c in cols for c in REQUIRED_COLUMNS):
        return "native"
    if all(c in cols for c in ACLED_SIGNATURE) and ({"event_id_cnty", "data_id"} & cols):
        return "acled"
    if all(c in cols for c in UCDP_SIGNATURE):
        return "ucdp"
    return None


def looks_like_headerless_ucdp(header: list[str]) -> bool:
    """True when the first row is a UCDP GED record rather than column names."""
    if len(header) != len(UCDP_COLUMNS):
        return False
    cells = dict(zip(UCDP_COLUMNS, (str(c).strip() for c in header), strict=True))
    return (
        cells["id"].isdigit()
        and cells["type_of_violence"] in _UCDP_TYPES
        and parse_one_date(cells["date_start"]) is not None
    )


def no_format_message(columns: list[str], wanted: str | None = None) -> str:
    """One line naming the columns found and the columns the nearest format expects."""
    found = ", ".join(columns[:12]) + (" …" if len(columns) > 12 else "")
    signatures = {"native": REQUIRED_COLUMNS, "acled": ACLED_SIGNATURE, "ucdp": UCDP_SIGNATURE}
    if wanted is None:
        overlap = {f: sum(c in columns for c in sig) for f, sig in signatures.items()}
        nearest = max(overlap, key=overlap.get)
        wanted = nearest if overlap[nearest] >= 2 else None
    if wanted:
        missing = [c for c in signatures[wanted] if c not in columns]
        if wanted == "acled" and not {"event_id_cnty", "data_id"} & set(columns):
            missing.append("event_id_cnty")
        return (
            f"not in the {FORMAT_NAMES[wanted]} format: missing required column(s) "
            f"{', '.join(missing)} (found: {found})"
        )
    return (
        f"the columns match no known format (found: {found}). Expected native columns "
        f"({', '.join(REQUIRED_COLUMNS)}), an ACLED export ({', '.join(ACLED_EXPECTED[:10])}, …) "
        f"or UCDP GED ({', '.join(UCDP_EXPECTED)}, …)"
    )


def adapt(table: RawTable, wanted: str = "auto") -> Adapted:
    """Recognise (or check) the format and map the records onto the native columns."""
    original = table.frame
    headerless = False
    fmt = detect([c for c in original.columns if c != RECORD])
    if fmt is None and looks_like_headerless_ucdp(table.header):
        original, headerless, fmt = _with_header_as_record(table), True, "ucdp"
    if wanted != "auto" and fmt != wanted:
        if wanted == "ucdp" and looks_like_headerless_ucdp(table.header):
            original, headerless, fmt = _with_header_as_record(table), True, "ucdp"
        else:
            raise UnreadableFile(no_format_message(list(original.columns[1:]), wanted))
    if fmt is None:
        raise UnreadableFile(no_format_message(list(original.columns[1:])))
    malformed = table.malformed
    if headerless and len(malformed):
        malformed = malformed.assign(**{RECORD: malformed[RECORD] + 1})
    if fmt == "native":
        return Adapted(original, original, "native", "native", {}, malformed)
    if fmt == "acled":
        frame, variant, labels = _from_acled(original)
    else:
        frame, labels = _from_ucdp(original)
        variant = "UCDP GED (no header row)" if headerless else "UCDP GED"
    return Adapted(frame, original, fmt, variant, labels, malformed)


def _with_header_as_record(table: RawTable) -> pd.DataFrame:
    """A headerless file: the first row is record 1 and the columns are UCDP's own."""
    body = table.frame.drop(columns=RECORD)
    body.columns = list(UCDP_COLUMNS)
    first = pd.DataFrame([[str(c) for c in table.header]], columns=list(UCDP_COLUMNS))
    frame = pd.concat([first, body], ignore_index=True)
    frame.insert(0, RECORD, range(1, len(frame) + 1))
    return frame


def _col(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column as trimmed strings; it shares the file's own cells when nothing changes (a
    1M-record export is not held twice)."""
    if name in frame.columns:
        column = frame[name]
        if column.isna().any():
            column = column.fillna("")
        column = column.astype(str)
        trimmed = column.str.strip()
        return column if trimmed.equals(column) else trimmed
    return pd.Series("", index=frame.index, dtype=object)


def _joined(*parts: pd.Series, sep: str = "; ") -> pd.Series:
    """Non-empty parts joined row by row."""
    out = parts[0]
    for part in parts[1:]:
        both = (out != "") & (part != "")
        out = out.where(~both, out + sep + part).where(out != "", part)
    return out


def _from_acled(raw: pd.DataFrame) -> tuple[pd.DataFrame, str, dict[str, str]]:
    if "disorder_type" in raw.columns or "civilian_targeting" in raw.columns:
        variant = "ACLED (current columns)"
    elif "sub_event_type" in raw.columns:
        variant = "ACLED (2019–2023 columns)"
    else:
        variant = "ACLED (pre-2019 columns)"
    id_col = "event_id_cnty" if "event_id_cnty" in raw.columns else "data_id"
    event_type = _col(raw, "event_type")
    sub_type = _col(raw, "sub_event_type")
    mapped = event_type.str.lower().map(_ACLED_TYPES)
    # Pre-2019 files have no sub-event type: keep the old event type there.
    current = [label.lower() for label in ACLED_CATEGORIES.values()]
    is_old_type = mapped.notna() & ~event_type.str.lower().isin(current)
    sub_type = sub_type.where(sub_type != "", event_type.where(is_old_type, ""))
    location = _col(raw, "location")
    actor1 = _joined(_col(raw, "actor1"), _col(raw, "assoc_actor_1"), _col(raw, "ally_actor_1"))
    actor2 = _joined(_col(raw, "actor2"), _col(raw, "assoc_actor_2"), _col(raw, "ally_actor_2"))
    headline = sub_type.where(sub_type != "", event_type)
    frame = pd.DataFrame(
        {
            RECORD: raw[RECORD],
            ID: _col(raw, id_col),
            GROUP_ID: _col(raw, id_col),
            START: _col(raw, "event_date"),
            END: "",
            DATE_PRECISION: _col(raw, "time_precision").map(_PRECISION).fillna("day"),
            OBLAST: _col(raw, "admin1"),
            SETTLEMENT: location,
            LAT: _col(raw, "latitude"),
            LON: _col(raw, "longitude"),
            CATEGORY: mapped.fillna(event_type),
            TITLE: _joined(headline, location, sep=" – "),
            DESCRIPTION: _col(raw, "notes"),
            SOURCE_NAME: _joined(
                pd.Series("ACLED", index=raw.index), _col(raw, "source"), sep=": "
            ),
            SOURCE_URL: ACLED_URL,
            EVENT_TYPE: event_type,
            SUB_EVENT_TYPE: sub_type,
            ACTOR1: actor1,
            ACTOR2: actor2,
            FATALITIES: _col(raw, "fatalities"),
            ADMIN2: _col(raw, "admin2"),
        },
        index=raw.index,
        copy=False,
    )
    labels = {
        ID: id_col,
        START: "event_date",
        OBLAST: "admin1",
        LAT: "latitude",
        LON: "longitude",
        CATEGORY: "event_type",
        TITLE: "event_type",
    }
    return frame, variant, labels


def _from_ucdp(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    kind = _col(raw, "type_of_violence")
    # Exports from Stata/R sometimes write 1 as 1.0.
    kind = kind.str.replace(r"^(\d)\.0+$", r"\1", regex=True)
    category = kind.map(_UCDP_TYPES)
    where = _col(raw, "where_description")
    side_a, side_b = _col(raw, "side_a"), _col(raw, "side_b")
    best, low, high = _col(raw, "best"), _col(raw, "low"), _col(raw, "high")
    deaths = ("Deaths: best " + best + " (low " + low + ", high " + high + ")").where(
        best != "", ""
    )
    sources = _joined(_col(raw, "source_headline"), _col(raw, "source_article"), sep=" · ")
    description = _joined(_joined(side_a, side_b, sep=" vs "), deaths, sources, sep=". ")
    type_label = category.map(UCDP_CATEGORIES).fillna("")
    start = _col(raw, "date_start")
    end = _col(raw, "date_end")
    frame = pd.DataFrame(
        {
            RECORD: raw[RECORD],
            ID: _col(raw, "id"),
            GROUP_ID: _col(raw, "id"),
            START: start,
            END: end.where(end.str[:10] != start.str[:10], ""),
            DATE_PRECISION: _col(raw, "date_prec").map(_UCDP_PRECISION).fillna("approximate"),
            OBLAST: _col(raw, "adm_1"),
            SETTLEMENT: where,
            LAT: _col(raw, "latitude"),
            LON: _col(raw, "longitude"),
            CATEGORY: category.fillna(kind),
            TITLE: _joined(type_label, where, sep=" – "),
            DESCRIPTION: description,
            SOURCE_NAME: _joined(
                pd.Series("UCDP GED", index=raw.index), _col(raw, "source_office"), sep=": "
            ),
            SOURCE_URL: UCDP_URL,
            EVENT_TYPE: type_label,
            SUB_EVENT_TYPE: _col(raw, "dyad_name"),
            ACTOR1: side_a,
            ACTOR2: side_b,
            FATALITIES: best,
            FATALITIES_LOW: low,
            FATALITIES_HIGH: high,
            ADMIN2: _col(raw, "adm_2"),
        },
        index=raw.index,
        copy=False,
    )
    labels = {
        ID: "id",
        START: "date_start",
        END: "date_end",
        OBLAST: "adm_1",
        LAT: "latitude",
        LON: "longitude",
        CATEGORY: "type_of_violence",
        FATALITIES: "best",
        FATALITIES_LOW: "low",
        FATALITIES_HIGH: "high",
        TITLE: "type_of_violence",
    }
    return frame, labels


def native_categories(fmt: str) -> tuple[str, ...]:
    """Category keys a format may produce."""
    return {
        "native": tuple(CATEGORIES),
        "acled": tuple(ACLED_CATEGORIES),
        "ucdp": tuple(UCDP_CATEGORIES),
    }[fmt]


__all__ = ["Adapted", "adapt", "detect", "native_categories"]

"""A file's records moved onto the native columns, as text: ACLED exports, UCDP GED records,
and any other table mapped field by field (formats.py recognises the format and calls these).
Nothing is parsed here: validation (events.py) parses and checks the text. No Streamlit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from dashboard.config import (
    ACLED_CATEGORIES,
    ACTOR1,
    ACTOR2,
    ADMIN2,
    ALL_CATEGORIES,
    CATEGORY,
    CIVILIAN,
    DATE_CODE,
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
    OTHER,
    PLACE_CODE,
    RECORD,
    SETTLEMENT,
    SOURCE_NAME,
    SOURCE_URL,
    START,
    SUB_EVENT_TYPE,
    TITLE,
    UCDP_CATEGORIES,
    category_label,
)

if TYPE_CHECKING:
    from dashboard.ingest.formats import Mapping

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
_UCDP_TYPES = {"1": "state_based", "2": "non_state", "3": "one_sided"}
_PRECISION = {"1": "day", "2": "approximate", "3": "approximate"}
_UCDP_PRECISION = {"1": "day", "2": "approximate", "3": "approximate", "4": "approximate"}
_ACLED_CODES = ("1", "2", "3")  # time_precision and geo_precision
_UCDP_DATE_CODES = ("1", "2", "3", "4", "5")  # date_prec
_UCDP_PLACE_CODES = ("1", "2", "3", "4", "5", "6", "7")  # where_prec


def _code(frame: pd.DataFrame, name: str, fmt: str, known: tuple[str, ...]) -> pd.Series:
    """A precision code as ``fmt:code`` (Stata/R's ``3.0`` read as ``3``); '' when the file
    has none or a value outside the codebook."""
    values = _col(frame, name).str.replace(r"^(\d)\.0+$", r"\1", regex=True)
    return (fmt + ":" + values).where(values.isin(known), "")


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
    id_col = next((c for c in ("event_id_cnty", "data_id") if c in raw.columns), "")
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
    ident = _col(raw, id_col) if id_col else "record-" + raw[RECORD].astype(str)
    frame = pd.DataFrame(
        {
            RECORD: raw[RECORD],
            ID: ident,
            GROUP_ID: ident,
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
            SOURCE_NAME: _col(raw, "source"),
            SOURCE_URL: "",  # ACLED publishes no link per event: its sources are named
            EVENT_TYPE: event_type,
            SUB_EVENT_TYPE: sub_type,
            ACTOR1: actor1,
            ACTOR2: actor2,
            FATALITIES: _col(raw, "fatalities"),
            ADMIN2: _col(raw, "admin2"),
            CIVILIAN: _col(raw, "civilian_targeting"),
            DATE_CODE: _code(raw, "time_precision", "acled", _ACLED_CODES),
            PLACE_CODE: _code(raw, "geo_precision", "acled", _ACLED_CODES),
        },
        index=raw.index,
        copy=False,
    )
    labels = {
        ID: id_col or "record number",
        START: "event_date",
        OBLAST: "admin1",
        LAT: "latitude",
        LON: "longitude",
        CATEGORY: "event_type",
        TITLE: "event_type",
    }
    return frame, variant, labels


def _from_ucdp(raw: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    ident = _col(raw, "id") if "id" in raw.columns else "record-" + raw[RECORD].astype(str)
    kind = _col(raw, "type_of_violence")
    # Exports from Stata/R sometimes write 1 as 1.0.
    kind = kind.str.replace(r"^(\d)\.0+$", r"\1", regex=True)
    category = kind.map(_UCDP_TYPES)
    where = _col(raw, "where_description")
    side_a, side_b = _col(raw, "side_a"), _col(raw, "side_b")
    best, low, high = _col(raw, "best"), _col(raw, "low"), _col(raw, "high")
    deaths = (
        "Deaths: best "
        + best
        + (" (low " + low + ", high " + high + ")").where((low != "") & (high != ""), "")
    ).where(best != "", "")
    sources = _joined(_col(raw, "source_headline"), _col(raw, "source_article"), sep=" · ")
    description = _joined(_joined(side_a, side_b, sep=" vs "), deaths, sources, sep=". ")
    type_label = category.map(UCDP_CATEGORIES).fillna("")
    start = _col(raw, "date_start")
    end = _col(raw, "date_end")
    frame = pd.DataFrame(
        {
            RECORD: raw[RECORD],
            ID: ident,
            GROUP_ID: ident,
            START: start,
            END: end.where(end.str[:10] != start.str[:10], ""),
            DATE_PRECISION: _col(raw, "date_prec").map(_UCDP_PRECISION).fillna("approximate"),
            OBLAST: _col(raw, "adm_1"),
            SETTLEMENT: where,
            LAT: _col(raw, "latitude"),
            LON: _col(raw, "longitude"),
            # An extract without type_of_violence: the events are UCDP's, of no stated type.
            CATEGORY: category.fillna(kind) if "type_of_violence" in raw.columns else OTHER,
            TITLE: _joined(type_label, where, sep=" – "),
            DESCRIPTION: description,
            SOURCE_NAME: _col(raw, "source_office"),
            SOURCE_URL: "",  # UCDP names its sources (source_article), with no links
            EVENT_TYPE: type_label,
            SUB_EVENT_TYPE: _col(raw, "dyad_name"),
            ACTOR1: side_a,
            ACTOR2: side_b,
            FATALITIES: best,
            FATALITIES_LOW: low,
            FATALITIES_HIGH: high,
            ADMIN2: _col(raw, "adm_2"),
            DATE_CODE: _code(raw, "date_prec", "ucdp", _UCDP_DATE_CODES),
            PLACE_CODE: _code(raw, "where_prec", "ucdp", _UCDP_PLACE_CODES),
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


# --- any table, mapped field by field (formats.Mapping) ----------------------------------------

_CATEGORY_WORDS = {
    **{key: key for key in ALL_CATEGORIES},
    **{key.replace("_", " "): key for key in ALL_CATEGORIES},
    **{label.lower(): key for key, label in ACLED_CATEGORIES.items()},
    **{label.lower(): key for key, label in UCDP_CATEGORIES.items()},
    **{category_label(key).lower(): key for key in ALL_CATEGORIES},
}


def _from_mapping(raw: pd.DataFrame, mapping: Mapping) -> tuple[pd.DataFrame, dict[str, str]]:
    """Any table: each field from its mapped column, '' where none is mapped. A category in
    no known vocabulary becomes ``other`` and keeps its words as the event type."""

    def col(name: str) -> pd.Series:
        column = mapping.get(name)
        return _col(raw, column) if column else pd.Series("", index=raw.index, dtype=object)

    ident = col(ID)
    if not mapping.get(ID):
        ident = "record-" + raw[RECORD].astype(str)
    category_text = col(CATEGORY)
    key = category_text.str.lower().map(_CATEGORY_WORDS)
    url = col(SOURCE_URL)
    is_link = url.str.match(r"^https?://\S+$", case=False)
    source_name = _joined(col(SOURCE_NAME), url.where(~is_link & (url != ""), ""))
    frame = pd.DataFrame(
        {
            RECORD: raw[RECORD],
            ID: ident,
            GROUP_ID: ident,
            START: col(START),
            END: col(END),
            OBLAST: col(OBLAST),
            SETTLEMENT: col(SETTLEMENT),
            LAT: col(LAT),
            LON: col(LON),
            CATEGORY: key.fillna(OTHER),
            TITLE: col(TITLE),
            DESCRIPTION: col(DESCRIPTION),
            SOURCE_NAME: source_name,
            SOURCE_URL: url.where(is_link, ""),
            EVENT_TYPE: category_text.where(key.isna(), ""),
            FATALITIES: col(FATALITIES),
        },
        index=raw.index,
        copy=False,
    )
    labels = dict(mapping.columns)
    labels.setdefault(ID, "record number")
    return frame, labels

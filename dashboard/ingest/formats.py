"""Recognise an events file's format from its columns and map it onto the native columns.

native: the columns documented in data/README.md.
acled:  an ACLED export: the current columns (with disorder_type), the 2019-2023 columns
        (with sub_event_type) or the pre-2019 upper-case columns (with ally_actor_1).
ucdp:   UCDP GED, with its header row or without one (UCDP publishes some releases that way),
        or any subset of its 49 columns that keeps the signature.
mapped: any other table, mapped field by field (``Mapping``: ``--map start_date=date`` on the
        command line, the mapping form in the page), with guesses from the column names.
The mapping only moves and renames text (convert.py moves each format's columns); validation
(events.py) parses and checks it, and reports problems under the file's own column names
(``labels``). No Streamlit.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass, field

import pandas as pd

from dashboard.config import (
    ACLED_CATEGORIES,
    ALL_CATEGORIES,
    CATEGORY,
    DESCRIPTION,
    END,
    FATALITIES,
    ID,
    LAT,
    LON,
    OBLAST,
    OTHER,
    RECORD,
    REQUIRED_COLUMNS,
    SETTLEMENT,
    SOURCE_NAME,
    SOURCE_URL,
    START,
    TITLE,
    UCDP_CATEGORIES,
)
from dashboard.ingest import dateforms, dates
from dashboard.ingest.convert import _UCDP_TYPES, _from_acled, _from_mapping, _from_ucdp
from dashboard.ingest.tables import RawTable, UnreadableFile

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
# One of these beside the signature: an API extract may keep only a few columns.
ACLED_MARKERS = {"event_id_cnty", "data_id", "sub_event_type", "actor1", "disorder_type"}
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
# Columns only UCDP GED has: two of them beside date_start and the coordinates make an extract.
UCDP_MARKERS = {
    "type_of_violence",
    "best",
    "relid",
    "side_a",
    "side_b",
    "dyad_name",
    "conflict_name",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "date_prec",
    "deaths_civilians",
    "source_article",
}
UCDP_EXPECTED = (*UCDP_SIGNATURE[:3], "date_end", "adm_1", "latitude", "longitude", "best")
EXPECTED = {
    "native": REQUIRED_COLUMNS,
    "acled": ACLED_EXPECTED,
    "ucdp": UCDP_EXPECTED,
    "mapped": (START,),
}
FORMAT_NAMES = {"native": "native", "acled": "ACLED", "ucdp": "UCDP GED", "mapped": "mapped"}


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
    evidence: dates.Evidence = field(default_factory=dates.Evidence)  # about the file's dates

    def label(self, column: str) -> str:
        """The file's own name for a native column (for messages)."""
        return self.labels.get(column, column)


def detect(columns: list[str]) -> str | None:
    """'native', 'acled', 'ucdp' or None, from cleaned column names."""
    cols = set(columns)
    if all(c in cols for c in REQUIRED_COLUMNS):
        return "native"
    if all(c in cols for c in ACLED_SIGNATURE) and (ACLED_MARKERS & cols):
        return "acled"
    if all(c in cols for c in UCDP_SIGNATURE):
        return "ucdp"
    if {"date_start", "latitude", "longitude"} <= cols and len(UCDP_MARKERS & cols) >= 2:
        return "ucdp"  # an extract that dropped some of the signature (id, type, best)
    return None


def looks_like_headerless_ucdp(header: list[str]) -> bool:
    """True when the first row is a UCDP GED record rather than column names."""
    if len(header) != len(UCDP_COLUMNS):
        return False
    cells = dict(zip(UCDP_COLUMNS, (str(c).strip() for c in header), strict=True))
    return (
        cells["id"].isdigit()
        and cells["type_of_violence"] in _UCDP_TYPES
        and not dateforms.read_value(cells["date_start"]).bad
    )


def no_format_message(columns: list[str], wanted: str | None = None) -> str:
    """One line naming the columns found and the columns the nearest format expects."""
    found = ", ".join(columns[:12]) + (" …" if len(columns) > 12 else "")
    signatures = {"native": REQUIRED_COLUMNS, "acled": ACLED_SIGNATURE, "ucdp": UCDP_SIGNATURE}
    if wanted is None:
        overlap = {f: sum(c in columns for c in sig) for f, sig in signatures.items()}
        nearest = max(overlap, key=overlap.get)
        dated = {"native": START, "acled": "event_date", "ucdp": "date_start"}[nearest]
        wanted = nearest if overlap[nearest] >= 2 and dated in columns else None
    if wanted:
        missing = [c for c in signatures[wanted] if c not in columns]
        if wanted == "acled" and not ACLED_MARKERS & set(columns):
            missing.append("event_id_cnty")
        return (
            f"not in the {FORMAT_NAMES[wanted]} format: missing required column(s) "
            f"{', '.join(missing)} (found: {found})"
        )
    guess = guess_mapping(columns)
    hint = (
        f"; map its columns field by field, e.g. {guess.as_args()}"
        if guess.get(START)
        else "; map its columns field by field with --map FIELD=COLUMN (start_date is needed)"
    )
    return (
        f"the columns match no known format (found: {found}). Expected native columns "
        f"({', '.join(REQUIRED_COLUMNS)}), an ACLED export ({', '.join(ACLED_EXPECTED[:10])}, …) "
        f"or UCDP GED ({', '.join(UCDP_EXPECTED)}, …){hint}"
    )


def adapt(table: RawTable, wanted: str = "auto", mapping: Mapping | None = None) -> Adapted:
    """Recognise (or check) the format and map the records onto the native columns.

    ``mapping`` (or ``wanted="mapped"``) maps any table field by field; without a mapping, a
    mapped table uses the guesses from its column names."""
    original = table.frame
    if mapping is not None or wanted == "mapped":
        mapping = mapping if mapping is not None else guess_mapping(list(original.columns[1:]))
        frame, labels = _from_mapping(original, mapping)
        return Adapted(frame, original, "mapped", "mapped columns", labels, table.malformed)
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
        evidence = _acled_evidence(original)
    else:
        frame, labels = _from_ucdp(original)
        variant = "UCDP GED (no header row)" if headerless else "UCDP GED"
        if not headerless and len(original.columns) - 1 < len(UCDP_COLUMNS):
            variant = f"UCDP GED ({len(original.columns) - 1} of its {len(UCDP_COLUMNS)} columns)"
        evidence = _ucdp_evidence(original)
    return Adapted(frame, original, fmt, variant, labels, malformed, evidence)


def _acled_evidence(raw: pd.DataFrame) -> dates.Evidence:
    """ACLED: day-first by convention; ``timestamp`` (when the record was last changed, Unix
    seconds) is never before the event."""
    evidence = dates.Evidence(convention=dates.CONVENTIONS["acled"], convention_name="ACLED")
    if "timestamp" in raw.columns:
        evidence.not_after.append(("timestamp", dates.parse_timestamps(raw["timestamp"])))
    return evidence


def _ucdp_evidence(raw: pd.DataFrame) -> dates.Evidence:
    """UCDP: its files come through spreadsheets month-first; an event is not later than its
    latest source (``source_date``: the sources' dates, ';'-joined, read in the order that
    column's own values prove, which may differ from the event dates')."""
    evidence = dates.Evidence(convention=dates.CONVENTIONS["ucdp"], convention_name="UCDP")
    if "source_date" in raw.columns:
        latest = dates.latest_of_lists("source_date", raw["source_date"])
        evidence.not_after.append(("source_date", latest))
    return evidence


def _with_header_as_record(table: RawTable) -> pd.DataFrame:
    """A headerless file: the first row is record 1 and the columns are UCDP's own."""
    body = table.frame.drop(columns=RECORD)
    body.columns = list(UCDP_COLUMNS)
    first = pd.DataFrame([[str(c) for c in table.header]], columns=list(UCDP_COLUMNS))
    frame = pd.concat([first, body], ignore_index=True)
    frame.insert(0, RECORD, range(1, len(frame) + 1))
    return frame


# --- any table, mapped field by field ----------------------------------------------------------

MAP_FIELDS: tuple[str, ...] = (
    START,
    END,
    LAT,
    LON,
    OBLAST,
    SETTLEMENT,
    TITLE,
    DESCRIPTION,
    SOURCE_URL,
    SOURCE_NAME,
    ID,
    CATEGORY,
    FATALITIES,
)
# Column names that suggest a field, best first (compared after folding case and separators).
_GUESSES: dict[str, tuple[str, ...]] = {
    START: (
        "start_date date_start event_date date start startdate day datetime timestamp_local "
        "date_of_event incident_date early_estimate_of_date started_at when time"
    ),
    END: "end_date date_end end enddate until late_estimate_of_date finished_at",
    LAT: "lat latitude y lat_dd coord_lat",
    LON: "lon lng long longitude x lon_dd coord_lon",
    OBLAST: "oblast admin1 adm_1 adm1 province region state oblast_name область region_name",
    SETTLEMENT: "settlement location city town village place locality where_description "
    "place_name town_city city_town населений_пункт",
    TITLE: "title headline name summary event subject",
    DESCRIPTION: "description notes details brief_description text body comment comments content",
    SOURCE_URL: "source_url link url href sourcelink source_link links",
    SOURCE_NAME: "source_name source outlet publisher media",
    ID: "id event_id uid identifier record_id incident_id",
    CATEGORY: "category type event_type event_group kind tag classification",
    FATALITIES: "fatalities deaths killed dead casualties best",
}
GUESSES = {f: tuple(words.split()) for f, words in _GUESSES.items()}
_FOLD = re.compile(r"[\s\-./]+")
NO_COLUMN = ""


@dataclass(frozen=True)
class Mapping:
    """Which of the file's columns holds each field (``NO_COLUMN`` for none)."""

    columns: tuple[tuple[str, str], ...] = ()  # (field, column), in MAP_FIELDS order

    @classmethod
    def of(cls, pairs: dict[str, str]) -> Mapping:
        """From {field: column}; unknown fields raise ValueError (named in the message)."""
        unknown = [f for f in pairs if f not in MAP_FIELDS]
        if unknown:
            raise ValueError(
                f"unknown field(s) {', '.join(map(repr, unknown))} (one of {', '.join(MAP_FIELDS)})"
            )
        return cls(tuple((f, pairs[f]) for f in MAP_FIELDS if pairs.get(f)))

    def get(self, name: str) -> str:
        return dict(self.columns).get(name, NO_COLUMN)

    @property
    def complete(self) -> bool:
        """A date and a place (an oblast, or both coordinates) are mapped: records can load."""
        place = self.get(OBLAST) or (self.get(LAT) and self.get(LON))
        return bool(self.get(START) and place)

    def as_dict(self) -> dict[str, str]:
        return dict(self.columns)

    def as_args(self) -> str:
        """The same mapping on the command line (``--map start_date=date ...``)."""
        return " ".join(f"--map {shlex.quote(f'{f}={c}')}" for f, c in self.columns)


def parse_map_args(items: list[str], columns: list[str]) -> Mapping:
    """``FIELD=COLUMN`` strings (``--map``) as a Mapping; ValueError with a one-line message."""
    pairs: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        name, column = name.strip(), column.strip().lower()
        if not sep or not name or not column:
            raise ValueError(f"--map {item!r}: expected FIELD=COLUMN, e.g. start_date=date")
        if column not in columns:
            shown = ", ".join(columns[:15]) + (" …" if len(columns) > 15 else "")
            raise ValueError(f"--map {item!r}: the file has no column {column!r} ({shown})")
        pairs[name] = column
    return Mapping.of(pairs)


def _fold(name: str) -> str:
    return _FOLD.sub("_", str(name).strip().lower())


def guess_mapping(columns: list[str]) -> Mapping:
    """Guesses from column names: each field takes the first free column named like it."""
    folded = {_fold(c): c for c in columns if c != RECORD}
    taken: set[str] = set()
    pairs: dict[str, str] = {}
    for name in MAP_FIELDS:
        for word in GUESSES[name]:
            column = folded.get(word)
            if column is not None and column not in taken:
                pairs[name] = column
                taken.add(column)
                break
    return Mapping.of(pairs)


def native_categories(fmt: str) -> tuple[str, ...]:
    """Category keys a format may produce."""
    return {
        "native": ALL_CATEGORIES,  # what our own exports (--accepted) write, from any format
        "acled": tuple(ACLED_CATEGORIES),
        "ucdp": (*UCDP_CATEGORIES, OTHER),  # OTHER: an extract without type_of_violence
        "mapped": ALL_CATEGORIES,
    }[fmt]


__all__ = ["Adapted", "Mapping", "adapt", "detect", "guess_mapping", "native_categories"]

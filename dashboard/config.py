"""Paths (anchored on the package, never the CWD), column names and vocabularies."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
DATA_DIR = ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
EVENTS_CSV = DATA_DIR / "events.csv"
UCDP_CSV = DATA_DIR / "ucdp" / "ucdp-ged-ukraine.csv"  # scripts/build_ucdp.py
CONTROL_CSV = DATA_DIR / "control.csv"  # who held which settlement when (ingest.control)
TOWNS_GEOJSON = GEO_DIR / "towns.geojson"  # scripts/build_towns.py
WATER_GEOJSON = GEO_DIR / "water.geojson"  # scripts/build_water.py
OBLASTS_DISPLAY = GEO_DIR / "oblasts.geojson"
OBLASTS_FULL = GEO_DIR / "oblasts_full.geojson"
CONTEXT_GEOJSON = GEO_DIR / "context.geojson"
CROSSWALK_CSV = GEO_DIR / "crosswalk.csv"

# ISO 3166-2 codes of the five oblasts, in the order the UI lists them (west to east, south first).
FIVE_OBLASTS: tuple[str, ...] = ("UA-65", "UA-23", "UA-14", "UA-09", "UA-63")
OBLAST_NAMES_EN = {
    "UA-65": "Kherson",
    "UA-23": "Zaporizhzhia",
    "UA-14": "Donetsk",
    "UA-09": "Luhansk",
    "UA-63": "Kharkiv",
}

# Columns of the native events table (data/README.md documents each one).
ID = "id"
GROUP_ID = "group_id"
START = "start_date"
END = "end_date"
DATE_PRECISION = "date_precision"
OBLAST = "oblast"
SCOPE = "scope"
SETTLEMENT = "settlement"
LAT = "lat"
LON = "lon"
CATEGORY = "category"
TITLE = "title"
DESCRIPTION = "description"
SOURCE_NAME = "source_name"
SOURCE_URL = "source_url"
VERIFICATION = "verification"
CLAIMED_BY = "claimed_by"
NOTES = "notes"

NATIVE_COLUMNS: tuple[str, ...] = (
    ID,
    GROUP_ID,
    START,
    END,
    DATE_PRECISION,
    SCOPE,
    OBLAST,
    SETTLEMENT,
    LAT,
    LON,
    CATEGORY,
    TITLE,
    DESCRIPTION,
    SOURCE_NAME,
    SOURCE_URL,
    VERIFICATION,
    CLAIMED_BY,
    NOTES,
)
REQUIRED_COLUMNS: tuple[str, ...] = (ID, START, CATEGORY, TITLE, SOURCE_URL)

# Columns the loader adds after placement.
PLACED_OBLAST = "oblast_code"  # ISO code of the oblast the event is drawn in, or "" if none
PLACED_BY = "placed_by"  # how: "code", "name", "point", or "" for national/international
IN_FIVE = "in_five"  # True when the event lies in one of the five oblasts
RECORD = "record"  # 1-based data record number in the input file

CATEGORIES: dict[str, str] = {
    "occupation": "Russian forces take or claim control of a place",
    "liberation": "Ukrainian forces regain control of a place",
    "combat": "start, course or end of a battle, siege or offensive",
    "referendum": "the so-called referendums: plans, announcements, voting",
    "annexation": "Russian recognition or claimed annexation of Ukrainian territory",
    "strike_on_civilians": "a strike or attack that killed or injured civilians",
    "nuclear_safety": "the Zaporizhzhia nuclear power plant",
    "detention": "detention, captivity or deaths of detainees",
    "humanitarian": "evacuations, burial sites and other civilian consequences",
    "statement": "a speech, address or announcement",
    "diplomacy": "international decisions, votes and recognition",
}
SCOPES = ("oblast", "national", "international")
VERIFICATIONS = ("confirmed", "claimed", "not_held")
DATE_PRECISIONS = ("day", "disputed", "approximate")
SIDES = ("Russia", "Ukraine")

# Columns kept from ACLED and UCDP files (blank / NaN for native rows unless the file has them).
EVENT_TYPE = "event_type"  # ACLED event_type; UCDP type of violence, in words
SUB_EVENT_TYPE = "sub_event_type"  # ACLED sub_event_type (older ACLED: the old event type)
ACTOR1 = "actor1"  # ACLED actor1 (+ assoc_actor_1); UCDP side_a
ACTOR2 = "actor2"  # ACLED actor2 (+ assoc_actor_2); UCDP side_b
FATALITIES = "fatalities"  # ACLED fatalities; UCDP best estimate of deaths
FATALITIES_LOW = "fatalities_low"  # UCDP low estimate
FATALITIES_HIGH = "fatalities_high"  # UCDP high estimate
ADMIN2 = "admin2"  # ACLED admin2; UCDP adm_2
CIVILIAN = "civilian_targeting"  # ACLED: "Civilian targeting" when civilians were the target
# The coder's own precision codes, as "<format>:<code>" (``ucdp:3``, ``acled:2``): UCDP
# date_prec and where_prec, ACLED time_precision and geo_precision. ``i18n.precision_words``
# says what each means; native rows have none (their date_precision is in words already).
DATE_CODE = "date_code"
PLACE_CODE = "place_code"
EXTRA_TEXT_COLUMNS: tuple[str, ...] = (
    EVENT_TYPE,
    SUB_EVENT_TYPE,
    ACTOR1,
    ACTOR2,
    ADMIN2,
    CIVILIAN,
    DATE_CODE,
    PLACE_CODE,
)
EXTRA_NUMBER_COLUMNS: tuple[str, ...] = (FATALITIES, FATALITIES_LOW, FATALITIES_HIGH)
DATASET = "dataset"  # which file a row came from, e.g. "Bundled: events.csv" or "Upload: x.csv"
FORMAT = "format"  # native, acled or ucdp

ACLED_URL = "https://acleddata.com/"
UCDP_URL = "https://ucdp.uu.se/downloads/"

# ACLED's event types (codebook 2019 onwards) and UCDP's types of violence, as category keys.
ACLED_CATEGORIES: dict[str, str] = {
    "battles": "Battles",
    "explosions_remote_violence": "Explosions/Remote violence",
    "violence_against_civilians": "Violence against civilians",
    "protests": "Protests",
    "riots": "Riots",
    "strategic_developments": "Strategic developments",
    "riots_protests": "Riots/Protests (ACLED before 2019)",
}
UCDP_CATEGORIES: dict[str, str] = {
    "state_based": "State-based conflict",
    "non_state": "Non-state conflict",
    "one_sided": "One-sided violence",
}
# A mapped table's category in none of the vocabularies above (its words are kept as the
# event type), or no category column at all.
OTHER = "other"
OTHER_CATEGORIES: dict[str, str] = {OTHER: "other or unspecified (a category of your own file)"}
CATEGORY_FAMILY: dict[str, str] = {
    **dict.fromkeys(CATEGORIES, "native"),
    **dict.fromkeys(ACLED_CATEGORIES, "acled"),
    **dict.fromkeys(UCDP_CATEGORIES, "ucdp"),
    **dict.fromkeys(OTHER_CATEGORIES, "mapped"),
}
ALL_CATEGORIES: tuple[str, ...] = tuple(CATEGORY_FAMILY)


def category_label(key: str) -> str:
    """Human label of a category key: 'strike on civilians', 'ACLED · Battles', 'UCDP · ...'."""
    if key in ACLED_CATEGORIES:
        return f"ACLED · {ACLED_CATEGORIES[key]}"
    if key in UCDP_CATEGORIES:
        return f"UCDP · {UCDP_CATEGORIES[key]}"
    return str(key).replace("_", " ")

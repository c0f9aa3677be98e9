"""Paths (anchored on the package, never the CWD), column names and vocabularies."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
DATA_DIR = ROOT / "data"
GEO_DIR = DATA_DIR / "geo"
EVENTS_CSV = DATA_DIR / "events.csv"
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

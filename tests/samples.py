"""Real-format sample files built in code: ACLED (three column sets) and UCDP GED, per the
published codebooks, plus one file per hostile case. Every record is synthetic.

Each Fixture knows its exact expected outcome. The text files are also committed under
tests/fixtures/ so they can be tried by hand (``python -m dashboard.validate`` or an upload);
``python -m tests.samples`` rewrites them and a test checks they have not drifted.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from dashboard.ingest.formats import UCDP_COLUMNS
from tests.builders import csv_bytes, row, rows_with_ids
from tests.synth import ACLED_COLUMNS

FIXTURE_DIR = Path(__file__).resolve().parent / "fixtures"
NOTE = "Synthetic sample record built from the codebook for tests; not a real event."

_ACLED_2019 = (
    "data_id iso event_id_cnty event_id_no_cnty event_date year time_precision event_type "
    "sub_event_type actor1 assoc_actor_1 inter1 actor2 assoc_actor_2 inter2 interaction region "
    "country admin1 admin2 admin3 location latitude longitude geo_precision source source_scale "
    "notes fatalities timestamp iso3"
)
_ACLED_PRE2019 = (
    "GWNO EVENT_ID_CNTY EVENT_ID_NO_CNTY EVENT_DATE YEAR TIME_PRECISION EVENT_TYPE ACTOR1 "
    "ALLY_ACTOR_1 INTER1 ACTOR2 ALLY_ACTOR_2 INTER2 INTERACTION COUNTRY ADMIN1 ADMIN2 ADMIN3 "
    "LOCATION LATITUDE LONGITUDE GEO_PRECISION SOURCE NOTES FATALITIES"
)
ACLED_2019_COLUMNS = _ACLED_2019.split(" ")
ACLED_PRE2019_COLUMNS = _ACLED_PRE2019.split(" ")

# Town centres (lat, lon) used by the samples.
KRAMATORSK = ("48.7389", "37.5844")
MELITOPOL = ("46.8489", "35.3675")
KHARKIV = ("49.9935", "36.2304")
KHERSON = ("46.6558", "32.6178")
SIEVIERODONETSK = ("48.9483", "38.4917")
KYIV = ("50.4501", "30.5234")
BELGOROD_RU = ("50.5997", "36.5983")
WARSAW_PL = ("52.2297", "21.0122")


def acled(**overrides: str) -> dict[str, str]:
    """One ACLED record (current columns), Kramatorsk shelling, with overrides."""
    record = dict.fromkeys(ACLED_COLUMNS, "")
    record.update(
        event_id_cnty="UKR1001",
        event_date="2022-09-25",
        year="2022",
        time_precision="1",
        disorder_type="Political violence",
        event_type="Explosions/Remote violence",
        sub_event_type="Shelling/artillery/missile attack",
        actor1="Military Forces of Russia (2000-)",
        inter1="8",
        actor2="Civilians (Ukraine)",
        inter2="7",
        interaction="87",
        civilian_targeting="Civilian targeting",
        iso="804",
        region="Europe",
        country="Ukraine",
        admin1="Donetsk",
        admin2="Kramatorskyi",
        location="Kramatorsk",
        latitude=KRAMATORSK[0],
        longitude=KRAMATORSK[1],
        geo_precision="1",
        source="Synthetic source",
        source_scale="National",
        notes=NOTE,
        fatalities="0",
        timestamp="1700000000",
    )
    record.update(overrides)
    return record


def ucdp(**overrides: str) -> dict[str, str]:
    """One UCDP GED record (all 49 columns), state-based, Kharkiv, with overrides."""
    record = dict.fromkeys(UCDP_COLUMNS, "")
    record.update(
        id="500001",
        relid="UKR-2022-1-500001",
        year="2022",
        active_year="1",
        code_status="Clear",
        type_of_violence="1",
        conflict_dset_id="13243",
        conflict_new_id="13243",
        conflict_name="Russia - Ukraine",
        dyad_dset_id="15236",
        dyad_new_id="15236",
        dyad_name="Government of Russia (Soviet Union) - Government of Ukraine",
        side_a="Government of Russia (Soviet Union)",
        side_b="Government of Ukraine",
        number_of_sources="2",
        source_article=NOTE,
        source_office="Synthetic office",
        source_headline="Synthetic headline",
        where_prec="1",
        where_description="Kharkiv city",
        adm_1="Kharkiv oblast",
        adm_2="Kharkiv raion",
        latitude=KHARKIV[0],
        longitude=KHARKIV[1],
        geom_wkt=f"POINT ({KHARKIV[1]} {KHARKIV[0]})",
        country="Ukraine",
        country_id="369",
        region="Europe",
        event_clarity="1",
        date_prec="1",
        date_start="2022-03-09 00:00:00.000",
        date_end="2022-03-09 00:00:00.000",
        deaths_a="0",
        deaths_b="2",
        deaths_civilians="1",
        deaths_unknown="0",
        best="3",
        high="5",
        low="3",
        gwnoa="365",
        gwnob="369",
    )
    record.update(overrides)
    return record


def delimited(
    records: list[dict[str, str]],
    columns,
    delimiter: str = ",",
    encoding: str = "utf-8",
    header: bool = True,
    rename: Callable[[str], str] = str,
) -> bytes:
    """Records as delimited text in an encoding (columns picked, optionally renamed)."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow([rename(c) for c in columns])
    for record in records:
        writer.writerow([record.get(c.lower(), record.get(c, "")) for c in columns])
    return buf.getvalue().encode(encoding)


def old_acled(record: dict[str, str]) -> dict[str, str]:
    """An ACLED record as the pre-2019 columns name things (ally actors, no sub-event type)."""
    out = {k.upper(): v for k, v in record.items()}
    out["ALLY_ACTOR_1"] = record.get("assoc_actor_1", "")
    out["ALLY_ACTOR_2"] = record.get("assoc_actor_2", "")
    out["GWNO"] = "369"
    return out


@dataclass(frozen=True)
class Fixture:
    """A sample file and exactly what validating it must give."""

    name: str
    build: Callable[[], bytes]
    rows: int
    accepted: int
    reasons: dict[int, str] = field(default_factory=dict)  # record -> part of its reason
    format: str = "native"
    unusable: str = ""  # part of the message when the whole file cannot be used
    committed: bool = True

    @property
    def rejected(self) -> int:
        return self.rows - self.accepted


def acled_current() -> bytes:
    records = [
        acled(),
        acled(event_id_cnty="UKR1002", event_date="16 May 2025", admin1="Zaporizhia",
              location="Melitopol", latitude=MELITOPOL[0], longitude=MELITOPOL[1]),
        acled(event_id_cnty="UKR1003", event_date="07-Feb-25", admin1="", location="Kharkiv",
              latitude=KHARKIV[0], longitude=KHARKIV[1], fatalities="2"),
        acled(event_id_cnty="UKR1004", event_date="30-Sept-24", admin1="Narnia",
              location="Kherson", latitude=KHERSON[0], longitude=KHERSON[1]),
        acled(event_id_cnty="UKR1005", admin1="Kyiv City", location="Kyiv",
              latitude=KYIV[0], longitude=KYIV[1]),
        acled(event_id_cnty="UKR1006", event_date="16-05-2025", event_type="Battles",
              sub_event_type="Armed clash", admin1="Luhansk", location="Sievierodonetsk",
              latitude=SIEVIERODONETSK[0], longitude=SIEVIERODONETSK[1], fatalities="4"),
        acled(event_id_cnty="UKR1007", event_date="09-23-2022"),
        acled(event_id_cnty="UKR1008", admin1="Kharkiv", latitude=KHARKIV[1],
              longitude=KHARKIV[0]),
        acled(event_id_cnty="UKR1009", admin1="Belgorod", country="Russia",
              latitude=BELGOROD_RU[0], longitude=BELGOROD_RU[1]),
        acled(event_id_cnty="UKR1010", event_type="Picnic"),
        acled(),
        acled(event_id_cnty="UKR1012", fatalities="many"),
    ]  # fmt: skip
    return delimited(records, ACLED_COLUMNS)


ACLED_CURRENT = Fixture(
    "acled_current.csv",
    acled_current,
    rows=12,
    accepted=7,
    format="acled",
    reasons={
        8: "latitude and longitude look swapped",
        9: "coordinates outside Ukraine: latitude 50.5997, longitude 36.5983",
        10: "unknown event_type 'Picnic'",
        11: "duplicate event_id_cnty 'UKR1001' (first at record 1)",
        12: "bad fatalities 'many'",
    },
)


def acled_dates() -> bytes:
    forms = [
        "2023-02-16", "16 May 2025", "07-Feb-25", "30-Sept-24", "16-05-2025", "16/05/2025",
        "16.05.2025", "5 September 2022", "2022-09-05 00:00:00", "1 Sept 2022",
        "09-23-2022", "31-02-2022", "Feb 7 2025", "2022-13-01", "05/13/2022",
    ]  # fmt: skip
    records = [acled(event_id_cnty=f"UKR{i}", event_date=d) for i, d in enumerate(forms, 1)]
    return delimited(records, ACLED_COLUMNS)


# Exactly what each accepted date form means.
ACLED_DATES_PARSED = {
    1: "2023-02-16",
    2: "2025-05-16",
    3: "2025-02-07",
    4: "2024-09-30",
    5: "2025-05-16",
    6: "2025-05-16",
    7: "2025-05-16",
    8: "2022-09-05",
    9: "2022-09-05",
    10: "2022-09-01",
    # The column contradicts itself (3 values read only day-first, 2 only month-first): no
    # order is taken, and each value with one possible reading keeps it.
    11: "2022-09-23",
    13: "2025-02-07",
    15: "2022-05-13",
}
ACLED_DATES = Fixture(
    "acled_dates.csv",
    acled_dates,
    rows=15,
    accepted=13,
    format="acled",
    reasons={
        12: "bad event_date '31-02-2022'",
        14: "bad event_date '2022-13-01'",
    },
)


def acled_2019_semicolon() -> bytes:
    records = [
        acled(data_id="9001", event_id_cnty="UKR2001", latitude="48,7389", longitude="37,5844"),
        acled(data_id="9002", event_id_cnty="UKR2002", admin1="Zaporizhzhia",
              latitude="46,8489", longitude="35,3675", fatalities="1"),
        acled(data_id="9003", event_id_cnty="UKR2003", admin1="Kherson",
              latitude="46,6558", longitude="32,6178"),
    ]  # fmt: skip
    return b"\xef\xbb\xbf" + delimited(records, ACLED_2019_COLUMNS, delimiter=";")


def acled_pre2019() -> bytes:
    records = [
        old_acled(acled(event_id_cnty="UKR3001", event_date="18/04/2018",
                        event_type="Remote violence", sub_event_type="")),
        old_acled(acled(event_id_cnty="UKR3002", event_date="19/04/2018",
                        event_type="Battle-Government regains territory", sub_event_type="")),
        old_acled(acled(event_id_cnty="UKR3003", event_date="20/04/2018",
                        event_type="Riots/Protests", sub_event_type="")),
    ]  # fmt: skip
    return delimited(records, ACLED_PRE2019_COLUMNS)


def acled_utf16_tab() -> bytes:
    records = [
        acled(event_id_cnty="UKR4001", admin1="Донецька область"),
        acled(event_id_cnty="UKR4002", admin1="Луганська область", location="Сєвєродонецьк",
              latitude=SIEVIERODONETSK[0], longitude=SIEVIERODONETSK[1]),
    ]  # fmt: skip
    return delimited(records, ACLED_COLUMNS, delimiter="\t", encoding="utf-16")


def acled_cp1251_semicolon() -> bytes:
    records = [
        acled(event_id_cnty="UKR5001", admin1="Харківська область", location="Харків",
              latitude="49,9935", longitude="36,2304"),
        acled(event_id_cnty="UKR5002", admin1="Запорожская область", location="Мелитополь",
              latitude="46,8489", longitude="35,3675"),
    ]  # fmt: skip
    return delimited(records, ACLED_COLUMNS, delimiter=";", encoding="cp1251")


def ucdp_ged(header: bool = True) -> bytes:
    records = [
        ucdp(),
        ucdp(id="500002", type_of_violence="3", side_b="Civilians", adm_1="Donetsk oblast",
             where_description="Mariupol town", latitude="47.0971", longitude="37.5434",
             date_start="2022-03-16 00:00:00.000", date_end="2022-03-16 00:00:00.000",
             best="12", low="10", high="30"),
        ucdp(id="500003", type_of_violence="1", adm_1="", where_description="Kherson city",
             latitude=KHERSON[0], longitude=KHERSON[1], date_prec="3",
             date_start="2022-11-01 00:00:00.000", date_end="2022-11-11 00:00:00.000"),
        ucdp(id="500004", type_of_violence="2", adm_1="Luhansk oblast",
             where_description="Sievierodonetsk town", latitude=SIEVIERODONETSK[0],
             longitude=SIEVIERODONETSK[1], best="1", low="1", high="1"),
        ucdp(id="500005", type_of_violence="4"),
    ]  # fmt: skip
    return delimited(records, UCDP_COLUMNS, header=header)


UCDP = Fixture(
    "ucdp_ged.csv",
    ucdp_ged,
    rows=5,
    accepted=4,
    format="ucdp",
    reasons={5: "unknown type_of_violence '4'"},
)


def native_utf16_le_no_bom() -> bytes:
    return csv_bytes([row()]).decode().encode("utf-16-le")


def native_out_of_range() -> bytes:
    return csv_bytes(
        rows_with_ids(
            {},
            {"oblast": "", "lat": "95", "lon": "37"},
            {"oblast": "", "lat": "48", "lon": "200"},
            {"oblast": "", "lat": WARSAW_PL[0], "lon": WARSAW_PL[1]},
            {"oblast": "", "lat": KRAMATORSK[1], "lon": KRAMATORSK[0]},
        )
    )


HOSTILE_TEXT = "<script>alert('x')</script><img src=x onerror=alert(1)>"
FORMULAS = ('=HYPERLINK("http://evil.example","x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)")


def native_hostile() -> bytes:
    return csv_bytes(
        rows_with_ids(
            {"title": HOSTILE_TEXT, "description": HOSTILE_TEXT, "settlement": HOSTILE_TEXT,
             "lat": KRAMATORSK[0], "lon": KRAMATORSK[1], "oblast": "UA-14"},
            {"title": FORMULAS[0], "description": FORMULAS[1]},
            {"title": FORMULAS[2], "source_name": FORMULAS[3]},
            {"title": "x" * 301},
            {"source_url": "javascript:alert(1)"},
        )
    )  # fmt: skip


def native_ragged() -> bytes:
    text = csv_bytes(rows_with_ids({}, {})).decode()
    lines = text.splitlines()
    return "\n".join([*lines, "t-3,only,three", lines[1] + ",extra"]).encode()


FIXTURES: tuple[Fixture, ...] = (
    Fixture("native_utf8.csv", lambda: csv_bytes(rows_with_ids({}, {"oblast": "Kharkiv"})), 2, 2),
    Fixture("native_utf8_bom.csv", lambda: b"\xef\xbb\xbf" + csv_bytes([row()]), 1, 1),
    Fixture("native_utf16_le_no_bom.csv", native_utf16_le_no_bom, 1, 1),
    Fixture(
        "native_semicolon_cp1251.csv",
        lambda: delimited(
            rows_with_ids(
                {"oblast": "Херсонська область", "lat": "46,6558", "lon": "32,6178"},
                {"oblast": "", "lat": "48,7389", "lon": "37,5844", "settlement": "Краматорськ"},
            ),
            list(row()),
            delimiter=";",
            encoding="cp1251",
        ),
        2,
        2,
    ),
    Fixture("native_tab.tsv", lambda: delimited(rows_with_ids({}, {}), list(row()), "\t"), 2, 2),
    ACLED_CURRENT,
    ACLED_DATES,
    Fixture("acled_2019_semicolon.csv", acled_2019_semicolon, 3, 3, format="acled"),
    Fixture("acled_pre2019.csv", acled_pre2019, 3, 3, format="acled"),
    Fixture("acled_utf16_tab.tsv", acled_utf16_tab, 2, 2, format="acled"),
    Fixture("acled_cp1251_semicolon.csv", acled_cp1251_semicolon, 2, 2, format="acled"),
    UCDP,
    Fixture(
        "ucdp_ged_no_header.csv",
        lambda: ucdp_ged(header=False),
        5,
        4,
        format="ucdp",
        reasons={5: "unknown type_of_violence '4'"},
    ),
    Fixture(
        "missing_column.csv",
        lambda: csv_bytes([row(), row(id="t-2")], columns=[c for c in row() if c != "source_url"]),
        2,
        0,
        unusable="missing required column(s) source_url",
    ),
    Fixture("empty.csv", lambda: b"", 0, 0, unusable="the file is empty"),
    Fixture("header_only.csv", lambda: csv_bytes([]), 0, 0),
    Fixture(
        "unknown_oblast.csv",
        lambda: csv_bytes(rows_with_ids({}, {"oblast": "Narnia"})),
        2,
        1,
        reasons={2: "unknown oblast 'Narnia'"},
    ),
    Fixture(
        "out_of_range.csv",
        native_out_of_range,
        5,
        1,
        reasons={
            2: "lat is outside -90..90",
            3: "lon is outside -180..180",
            4: "coordinates outside Ukraine: lat 52.2297, lon 21.0122",
            5: "lat and lon look swapped",
        },
    ),
    Fixture(
        "duplicate_ids.csv",
        lambda: csv_bytes([row(id="a"), row(id="b"), row(id="a"), row(id="a")]),
        4,
        2,
        reasons={3: "duplicate id 'a' (first at record 1)", 4: "duplicate id 'a'"},
    ),
    Fixture(
        "hostile_text.csv",
        native_hostile,
        5,
        3,
        reasons={
            4: "title is longer than 300 characters",
            5: "source_url must be an http(s) address",
        },
    ),
    Fixture(
        "ragged.csv",
        native_ragged,
        4,
        2,
        reasons={3: "record has 3 fields, the header has 18", 4: "record has 19 fields"},
    ),
)


def xlsx_of(data: bytes) -> bytes:
    """A CSV sample re-saved as an XLSX workbook (typed cells, as Excel would store them)."""
    frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
    for col in ("latitude", "longitude", "fatalities"):
        if col in frame:
            frame[col] = (
                pd.to_numeric(frame[col], errors="coerce")
                .astype(object)
                .where(pd.to_numeric(frame[col], errors="coerce").notna(), frame[col])
            )
    buf = io.BytesIO()
    frame.to_excel(buf, index=False, engine="openpyxl")
    return buf.getvalue()


def parquet_of(data: bytes) -> bytes:
    """The UCDP sample as Parquet with typed columns (dates as timestamps, numbers as ints)."""
    frame = pd.read_csv(io.BytesIO(data), keep_default_na=False)
    for col in ("date_start", "date_end"):
        frame[col] = pd.to_datetime(frame[col])
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


BINARY_FIXTURES: tuple[Fixture, ...] = (
    Fixture(
        "acled_current.xlsx",
        lambda: xlsx_of(acled_current()),
        ACLED_CURRENT.rows,
        ACLED_CURRENT.accepted,
        ACLED_CURRENT.reasons,
        "acled",
        committed=False,
    ),
    Fixture(
        "ucdp_ged.parquet",
        lambda: parquet_of(ucdp_ged()),
        UCDP.rows,
        UCDP.accepted,
        {5: "unknown type_of_violence '4'"},
        "ucdp",
        committed=False,
    ),
)


def write_all(directory: Path = FIXTURE_DIR) -> list[Path]:
    """Write the committed text fixtures (deterministic bytes)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for fixture in FIXTURES:
        path = directory / fixture.name
        path.write_bytes(fixture.build())
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE_DIR):
        print(path)

"""Record checks and placing (dashboard/ingest/checks.py, events.validate_frame): HXL hashtag
rows, ACLED copies without ids, admin-1 spellings and typos, points just outside Ukraine.
Every table is built in code (tests/samples.py).
"""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.config import ID, PLACED_OBLAST, SOURCE_NAME, SOURCE_URL
from dashboard.geo import regions as reg
from dashboard.ingest.events import HXL_REASON, NEAR_BORDER
from tests.loading import load, reasons, ucdp_dated, ucdp_file
from tests.samples import ACLED_COLUMNS, KRAMATORSK, acled, delimited

pytestmark = pytest.mark.usefixtures("no_heap_trimming")

# Record 1351 of the real UCDP file: the Novoazovsk checkpoint, ~2.8 km outside Ukraine's outline.
NOVOAZOVSK_CHECKPOINT = ("47.159505", "38.234753")
TAGANROG_RU = ("47.2362", "38.8969")  # ~45 km outside

# --- HXL hashtag rows, ACLED without ids, ACLED sources ---------------------------------------


@pytest.fixture(scope="module")
def hdx_copy(regions):
    """An ACLED copy as HDX publishes it: an HXL hashtag row first, no event_id_cnty."""
    columns = [c for c in ACLED_COLUMNS if c != "event_id_cnty"]
    hashtags = {c: "#" + c.replace("_", "+") for c in columns[:12]}
    records = [hashtags, acled(source="Ukrainska Pravda; Suspilne"), acled()]
    return load(delimited(records, columns), regions)


def test_hxl_hashtag_row_is_rejected(hdx_copy):
    assert (hdx_copy.rows, hdx_copy.accepted) == (3, 2)
    assert reasons(hdx_copy) == {1: HXL_REASON}


def test_acled_without_event_id_is_still_acled(hdx_copy):
    assert hdx_copy.format == "acled"
    assert list(hdx_copy.events[ID]) == ["record-2", "record-3"]


def test_acled_names_its_source_and_links_nothing(hdx_copy):
    assert list(hdx_copy.events[SOURCE_NAME]) == ["Ukrainska Pravda; Suspilne", "Synthetic source"]
    assert list(hdx_copy.events[SOURCE_URL]) == ["", ""]


# --- admin-1 spellings and near-border points -------------------------------------------------

SPELLINGS = [
    ("Zaporizhzhya oblast", "UA-23"),
    ("Zaporiz'ka oblast", "UA-23"),
    ("Donets'ka oblast", "UA-14"),
    ("Kharkivs'ka oblast", "UA-63"),
    ("Kharkiv Oblast", "UA-63"),
    ("Donestk Oblast", "UA-14"),
    ("Khreson", "UA-65"),
    ("Луганська область", "UA-09"),
    ("Запорожская область", "UA-23"),
]


@pytest.fixture(scope="module")
def spelled(regions):
    # no coordinates: each record can only be placed by its admin1 name
    records = [
        acled(event_id_cnty=f"UKR{i}", admin1=name, latitude="", longitude="")
        for i, (name, _) in enumerate(SPELLINGS, 1)
    ]
    return load(delimited(records, ACLED_COLUMNS), regions)


@pytest.mark.parametrize("n, admin1, code", [(i, *s) for i, s in enumerate(SPELLINGS, 1)])
def test_admin1_spellings_resolve(spelled, n, admin1, code):
    placed = dict(zip(spelled.events[ID], spelled.events[PLACED_OBLAST], strict=True))
    assert placed.get(f"UKR{n}") == code, reasons(spelled)


NEAR = [
    # (adm_1, point, outcome)
    ("Donetsk oblast", NOVOAZOVSK_CHECKPOINT, "near_border"),
    ("Donetsk oblast", KRAMATORSK, "inside"),
    ("Donetsk oblast", TAGANROG_RU, "coordinates outside Ukraine"),
    ("", NOVOAZOVSK_CHECKPOINT, "coordinates outside Ukraine"),
    ("Rostov", NOVOAZOVSK_CHECKPOINT, "coordinates outside Ukraine"),
]


@pytest.fixture(scope="module")
def near(regions):
    records = [
        ucdp_dated(i, "2022-03-01", adm_1=adm_1, latitude=lat, longitude=lon)
        for i, (adm_1, (lat, lon), _) in enumerate(NEAR, 1)
    ]
    return load(ucdp_file(*records), regions)


def test_near_border_premise(regions):
    points = [p for _, p, _ in NEAR]
    lon = np.array([float(p[1]) for p in points])
    lat = np.array([float(p[0]) for p in points])
    km = reg.outside_distance_km(lon, lat, regions)
    assert 0 < km[0] <= reg.NEAR_BORDER_KM and km[1] == 0 and km[2] > 3 * reg.NEAR_BORDER_KM


@pytest.mark.parametrize("n, adm_1, outcome", [(i, a, o) for i, (a, _, o) in enumerate(NEAR, 1)])
def test_near_border(near, n, adm_1, outcome):
    flagged = dict(zip(near.events[ID], near.events[NEAR_BORDER], strict=True))
    placed = dict(zip(near.events[ID], near.events[PLACED_OBLAST], strict=True))
    if outcome == "near_border":
        assert (flagged.get(str(n)), placed.get(str(n))) == (True, "UA-14")
    elif outcome == "inside":
        assert (flagged.get(str(n)), placed.get(str(n))) == (False, "UA-14")
    else:
        assert reasons(near).get(n, "").startswith(outcome), reasons(near)


def test_near_border_count(near):
    assert near.near_border == 1

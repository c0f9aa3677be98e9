"""data/ucdp/: UCDP's events as committed are what scripts/build_ucdp.py makes of the shared
real file, and the page's loader reads them as UCDP's own (issue 16)."""

import hashlib
import re

import pandas as pd
import pytest

from dashboard.config import FIVE_OBLASTS, ROOT, UCDP_CSV
from dashboard.ingest.events import load_events
from scripts import build_ucdp

SHARED = ROOT.parent / "shared" / "data" / "ucdp-ukraine-2023-05.csv"
README = (ROOT / "data" / "ucdp" / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def loaded(regions):
    return load_events(UCDP_CSV, regions)


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared UCDP file is not beside the repo")
def test_the_committed_file_is_rebuilt_byte_for_byte_from_the_shared_source():
    events_csv, rejected_csv, facts = build_ucdp.build(SHARED)
    assert events_csv == UCDP_CSV.read_bytes()
    assert rejected_csv == (UCDP_CSV.parent / "rejected.csv").read_bytes()
    assert facts["encoding"] == "Windows-1252"
    assert (facts["records"], facts["accepted"], facts["rejected"]) == (3883, 3882, 1)
    for digest in (facts["source sha256"], facts["output sha256"]):
        assert digest in README  # the provenance quotes what the build gives


def test_the_readme_digest_is_the_committed_file():
    digest = hashlib.sha256(UCDP_CSV.read_bytes()).hexdigest()
    assert f"Output sha256 `{digest}`" in README


def test_read_as_ucdp_in_utf8_with_iso_dates_and_nothing_rejected(loaded):
    assert loaded.format == "ucdp" and "UTF-8" in loaded.read_as
    assert loaded.rejected.empty and loaded.accepted == 3882
    head = UCDP_CSV.read_text(encoding="utf-8").splitlines()[1]
    assert re.search(r",\d{4}-\d{2}-\d{2},\d{4}-\d{2}-\d{2},", head)  # date_start, date_end
    assert "NOËL" in UCDP_CSV.read_text(encoding="utf-8")  # Windows-1252 decoded


def test_at_least_400_events_of_2022_in_the_five_oblasts(loaded):
    events = loaded.events
    in_2022 = events[(events["start_date"].dt.year == 2022) & events["in_five"]]
    assert len(in_2022) >= 400
    assert set(in_2022["oblast_code"]) == set(FIVE_OBLASTS)


def test_ucdp_precision_codes_and_fatality_ranges_are_kept(loaded):
    events = loaded.events
    assert set(events["date_code"]) == {f"ucdp:{n}" for n in range(1, 6)}
    assert set(events["place_code"]) <= {f"ucdp:{n}" for n in range(1, 8)}
    raw = pd.read_csv(UCDP_CSV, dtype=str).set_index("id")
    by_id = events.set_index("id")
    for ours, theirs in (
        ("fatalities", "best"),
        ("fatalities_low", "low"),
        ("fatalities_high", "high"),
    ):
        assert (by_id[ours].astype(int).astype(str) == raw.loc[by_id.index, theirs]).all(), ours
    # As published: 31 records have a high estimate below the best one (or a low above it);
    # they are shown as UCDP coded them, never reordered (data/ucdp/README.md).
    odd = (events["fatalities_low"] > events["fatalities"]) | (
        events["fatalities"] > events["fatalities_high"]
    )
    assert odd.sum() == 31

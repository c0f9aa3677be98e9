"""Exports: the formula-safe CSV button is the only way a table leaves the page."""

import csv
import io
import tomllib

import pandas as pd
import pytest

from dashboard.config import ROOT
from dashboard.render.csv import neutralise, safe_csv_bytes


def test_the_data_grids_own_csv_download_is_turned_off():
    """st.dataframe's toolbar download writes formulas as they are (=HYPERLINK(...)); the
    page's Download CSV button neutralises them and must be the only export."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(cell):
    assert neutralise(cell) == "'" + cell
    text = safe_csv_bytes(pd.DataFrame({"a": [cell]})).decode("utf-8-sig")
    assert text.splitlines()[1].lstrip('"').startswith("'")


def test_plain_cells_are_untouched():
    assert neutralise("Kherson") == "Kherson"
    assert neutralise(3) == 3


def test_the_events_download_is_useful_and_reloads_with_nothing_rejected(regions):
    """Issue 16: id, dates, precision, place, coordinates, words and codes, source, status,
    dataset; blank for nothing, never 'None'; formulas neutralised."""
    import numpy as np

    from dashboard.config import EVENTS_CSV
    from dashboard.ingest.events import load_events
    from dashboard.render.csv import EXPORT_COLUMNS, events_export

    events = load_events(EVENTS_CSV, regions, dataset="Curated timeline 2022").events
    flags = np.zeros(len(events), dtype=bool)
    flags[0] = True
    frame = events_export(events, flags, "en")
    assert tuple(frame.columns) == EXPORT_COLUMNS  # no ACLED/UCDP column over curated rows
    text = safe_csv_bytes(frame).decode("utf-8-sig")
    assert "None" not in text and ",nan," not in text and "NaT" not in text
    lyman = frame[frame["id"] == "ev-20220528-lyman-taken"].iloc[0]
    assert (lyman["lat"], lyman["lon"], lyman["oblast"]) == ("48.98837", "37.80225", "UA-14")
    assert (lyman["verification"], lyman["claimed_by"]) == ("claimed", "Russia")
    popasna = frame[frame["id"] == "ev-20220507-popasna-taken"].iloc[0]
    assert (popasna["date_precision"], popasna["date_precision_words"]) == (
        "disputed",
        "date disputed",
    )
    assert popasna["end_date"] == "" and popasna["notes"]
    assert frame["under_way"].tolist()[:2] == ["yes", ""]
    reloaded = load_events(safe_csv_bytes(frame), regions)
    assert reloaded.rejected.empty and reloaded.accepted == len(events)


def test_ucdp_rows_export_their_precision_and_estimates(regions):
    import numpy as np

    from dashboard.config import UCDP_CSV
    from dashboard.ingest.events import load_events
    from dashboard.render.csv import events_export

    events = load_events(UCDP_CSV, regions, dataset="UCDP GED/Candidate 2014–2023").events
    frame = events_export(events.head(200), np.zeros(200, dtype=bool), "uk")
    assert {"fatalities", "fatalities_low", "fatalities_high", "actor1"} <= set(frame.columns)
    assert frame["location_precision"].ne("").all()
    assert set(frame["dataset"]) == {"UCDP GED/Candidate 2014–2023"}
    assert "точна дата" in set(frame["date_precision_words"])
    assert "None" not in safe_csv_bytes(frame).decode("utf-8-sig")


def test_a_formula_in_any_exported_field_is_neutralised(regions):
    import numpy as np

    from dashboard.ingest.events import load_events
    from dashboard.render.csv import events_export
    from tests.builders import csv_bytes, row

    hostile = '=HYPERLINK("http://x","y")'
    events = load_events(csv_bytes([row(title=hostile, notes="+1", settlement="@x")]), regions)
    out = safe_csv_bytes(events_export(events.events, np.zeros(1, dtype=bool))).decode("utf-8-sig")
    assert "'=HYPERLINK" in out and ",'+1," in out and ",'@x," in out


HOSTILE_CELLS = [
    "a\r=1+1",  # a bare CR: unquoted, a spreadsheet began a new row holding a formula
    "b\n=2+2",
    "c\r\n=3+3",
    'say "hi", then =4+4',
    '=HYPERLINK("http://x")',
    "\r=5+5",
    "\n=6+6",
    "plain",
]


def _lone_cr_rows(text: str) -> list[list[str]]:
    """Rows as a spreadsheet-style reader takes them: universal newlines, a lone CR a line end
    (inside quotes too: the text changes, the structure must not)."""
    return list(csv.reader(io.StringIO(text, newline=None)))


def test_every_cell_and_header_is_safe_for_csv_and_lone_cr_readers():
    frame = pd.DataFrame(
        {'=HYPERLINK("http://x","h")': HOSTILE_CELLS, "+cmd": range(len(HOSTILE_CELLS))}
    )
    text = safe_csv_bytes(frame).decode("utf-8-sig")
    for rows in (list(csv.reader(io.StringIO(text, newline=""))), _lone_cr_rows(text)):
        assert len(rows) == 1 + len(HOSTILE_CELLS)  # no cell ever starts a row of its own
        assert all(len(row) == 2 for row in rows)
        assert rows[0] == ['\'=HYPERLINK("http://x","h")', "'+cmd"]
        for row in rows:
            assert not row[0].startswith(("=", "+", "-", "@", "\t", "\r", "\n"))
    # read back exactly (csv module): each cell is its neutralised self
    exact = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [r[0] for r in exact] == [neutralise(c) for c in HOSTILE_CELLS]
    assert [r[1] for r in exact] == [str(i) for i in range(len(HOSTILE_CELLS))]

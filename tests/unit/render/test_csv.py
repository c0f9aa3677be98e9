"""Exports: the formula-safe CSV button is the only way a table leaves the page."""

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

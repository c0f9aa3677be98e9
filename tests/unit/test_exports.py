"""Exports: the formula-safe CSV button is the only way a table leaves the page."""

import tomllib

from dashboard.config import ROOT


def test_the_data_grids_own_csv_download_is_turned_off():
    """st.dataframe's toolbar download writes formulas as they are (=HYPERLINK(...)); the
    page's Download CSV button neutralises them and must be the only export."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True

"""Streamlit's server settings in .streamlit/config.toml that bound what one visitor can make
the server hold."""

from __future__ import annotations

import tomllib

from streamlit import dataframe_util

from dashboard.config import ROOT
from tests.synth import acled_events

CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_a_websocket_message_is_bounded_well_below_streamlits_default():
    assert CONFIG["server"]["maxMessageSize"] <= 50  # MB; Streamlit's default is 200


def test_the_largest_table_the_page_sends_fits_in_one_message_with_room_to_spare():
    # The events table shows at most 10,000 rows (page/panels.TABLE_ROWS): ACLED's notes are
    # the longest cells analysts' files carry.
    rows = acled_events(10_000, seed=2)
    size = len(dataframe_util.convert_pandas_df_to_arrow_bytes(rows))
    assert size * 3 < CONFIG["server"]["maxMessageSize"] * 2**20, size


def test_the_upload_limit_is_the_documented_200_mb():
    assert CONFIG["server"]["maxUploadSize"] == 200

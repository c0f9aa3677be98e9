"""`make bench` in miniature: both approaches on 1,000 events, 3 steps, 2 sessions at once.

It checks that the benchmark runs end to end and writes every field the issue asks for; the
real figures come from `make bench` (docs/PERFORMANCE.md).
"""

from __future__ import annotations

import json

import pytest

from bench import run

pytestmark = pytest.mark.browser


def test_benchmark_writes_every_field_for_both_approaches(tmp_path, monkeypatch):
    from bench import measure

    monkeypatch.setattr(measure, "FIRST_VISITS", 2)  # a median and a maximum, in miniature
    out = tmp_path / "results.json"
    assert run.main(
        ["--sizes", "1000", "--steps", "3", "--sessions", "2", "--data", str(tmp_path),
         "--out", str(out)]
    ) == 0  # fmt: skip
    rows = json.loads(out.read_text())
    assert [(r["n"], r["approach"]) for r in rows] == [(1000, "dashboard"), (1000, "naive")]
    for row in rows:
        for field in run.FIELDS:
            if field in ("step_server_cold_ms_median", "prepare_ms_median") and (
                row["approach"] == "naive"
            ):
                continue  # nothing is prepared ahead in the naive app
            assert row[field] is not None, (row["approach"], field)
        assert row["browser_step_ms_p95"] >= row["browser_step_ms_median"] > 0
        assert row["first_map_s_max"] >= row["first_map_s"] > 0
        assert row["first_page_bytes"] > row["step_payload_bytes"] > 0
    dashboard, naive = rows
    assert dashboard["step_payload_bytes"] < 300_000
    assert dashboard["step_payload_page_bytes"] > 0 and dashboard["prepare_ms_median"] > 0
    assert naive["browser_step_page_ms_median"] == naive["browser_step_ms_median"]
    extra = json.loads((tmp_path / "results-concurrency.json").read_text())
    time_bar, page_slider = extra["concurrency"][:2]
    for got in (time_bar, page_slider):
        assert got["sessions"] == 2 and got["steps"] == 6
        assert got["errors"] == []
    assert time_bar["slider"] == "the map's time bar"
    assert page_slider["slider"] == "the page's date slider"


def test_benchmark_table_has_a_ratio_line():
    rows = [
        {"n": 10, "approach": "dashboard", "step_server_ms_median": 10.0},
        {"n": 10, "approach": "naive", "step_server_ms_median": 250.0},
    ]
    assert run.ratios(rows) == ["N=10: naive / dashboard: server step 25.0x"]

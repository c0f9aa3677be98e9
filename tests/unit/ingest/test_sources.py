"""Source findings for a curated table (dashboard/ingest/sources.py) and in the validator."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from dashboard.config import EVENTS_CSV
from dashboard.ingest import sources
from dashboard.ingest.events import load_events
from dashboard.validate import main
from tests.builders import csv_bytes, rows_with_ids


@pytest.mark.parametrize(
    "url, flagged",
    [
        ("https://nationalpost.com/pmn/news-pmn/x", "nationalpost.com"),
        ("https://www.republicworld.com/world-news/x.html", "republicworld.com"),
        ("http://WWW.WIONEWS.COM:443/world/x", "wionews.com"),
        ("https://web.archive.org/web/2022/https://www.reuters.com/x", "archive.org"),
        ("https://uk.news.yahoo.com/x", "yahoo.com"),
        ("https://www.reuters.com/world/europe/x", None),
        ("https://kyivindependent.com/x", None),
        ("https://notnationalpost.com/x", None),  # a different domain, not a subdomain
        ("", None),
    ],
)
def test_secondary_domains_are_found_by_host_and_parent_domain(url, flagged):
    why = sources.secondary(url)
    assert (why.split(" ")[0] if why else None) == flagged


def test_a_copy_and_a_disputed_date_without_notes_are_reported_and_kept(regions):
    records = rows_with_ids(
        {"source_url": "https://nationalpost.com/news/world/x"},
        {"date_precision": "disputed", "notes": ""},
        {"date_precision": "disputed", "notes": "Reuters gives 7 May, ISW 8 May"},
        {"source_url": "https://www.reuters.com/world/x"},
    )
    result = load_events(csv_bytes(records), regions)
    assert result.accepted == 4  # findings, not rejections
    found = sources.findings(result.events)
    assert [(f["record"], f["id"]) for f in found] == [(1, "t-1"), (2, "t-2")]
    assert "nationalpost.com" in found[0]["problem"] and found[1]["problem"] == sources.NO_NOTES


def test_the_validator_reports_findings_in_text_and_json(tmp_path, capsys):
    path = tmp_path / "events.csv"
    path.write_bytes(csv_bytes(rows_with_ids({"source_url": "https://www.msn.com/en-us/x"})))
    assert main([str(path), "--json"]) == 0  # the exit status is about rejections only
    data = json.loads(capsys.readouterr().out)
    assert [f["id"] for f in data["sources"]] == ["t-1"]
    assert main([str(path)]) == 0
    assert "source checks: 1 finding(s)" in capsys.readouterr().out


def test_the_bundled_table_is_checked_like_any_other():
    """The curated table goes through the same check (issue 16 lists its copies to replace)."""
    out = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", str(EVENTS_CSV), "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    data = json.loads(out.stdout)
    assert isinstance(data["sources"], list)
    for finding in data["sources"]:
        assert finding["id"].startswith("ev-") and finding["problem"]

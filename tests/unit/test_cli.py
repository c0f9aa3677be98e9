"""The command-line tools on every bad path: one line on standard error and an exit status,
never a traceback, never a hang (dashboard/cli.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import pytest

from dashboard import snapshot
from dashboard.config import ROOT
from dashboard.state.view_state import DEFAULT

UCDP = ROOT.parent / "shared" / "data" / "ucdp-ukraine-2023-05.csv"


def tool(*args: str, stdout=subprocess.PIPE, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=timeout,
    )


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.mark.parametrize("path", ["/dev/zero", "/tmp", "/no/such/file.csv"])
def test_validate_refuses_what_is_not_a_regular_file(path):
    done = tool("dashboard.validate", path)
    assert done.returncode == 2
    assert one_line(done.stderr).startswith(f"error: cannot read {path}")


def test_validate_refuses_a_fifo_at_once(tmp_path):
    fifo = tmp_path / "events.csv"
    os.mkfifo(fifo)
    done = tool("dashboard.validate", str(fifo), timeout=30)  # a hang fails here
    assert done.returncode == 2
    assert "not a regular file" in one_line(done.stderr)


def test_validate_on_a_full_disk_says_so():
    with open("/dev/full", "w") as full:
        done = tool("dashboard.validate", "data/events.csv", "--json", stdout=full)
    assert done.returncode == 3
    assert one_line(done.stderr).startswith("error: cannot write the output")


def test_validate_into_a_closed_pipe_says_so():
    with subprocess.Popen(
        [sys.executable, "-m", "dashboard.validate", str(UCDP)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as proc:
        proc.stdout.close()  # the reader (`| head -0`) has gone before the report
        stderr = proc.stderr.read()
        code = proc.wait(timeout=120)
    assert code == 3
    assert one_line(stderr) == "error: the output was closed before everything was written"


def test_validate_cannot_write_the_rejected_file(tmp_path):
    done = tool("dashboard.validate", "data/events.csv", "--rejected", str(tmp_path / "no" / "x"))
    assert done.returncode == 3
    assert "cannot write the output" in one_line(done.stderr)


def test_a_five_megabyte_column_name_is_cut_in_the_message(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("event_date," + "n" * 5_000_000 + "\n2022-09-23,1\n")
    done = tool("dashboard.validate", str(path))
    assert done.returncode == 2
    line = one_line(done.stderr)
    assert len(line) < 400 and "5,000,000 characters" in line


@pytest.mark.parametrize(
    "extra", [["--from", "0001-01-01", "--to", "9999-12-31", "--step", "100000"]]
)
def test_snapshot_refuses_a_step_over_a_century(tmp_path, extra):
    done = tool("dashboard.snapshot", "date=2022-09-25", "-o", str(tmp_path / "a.png"), *extra)
    assert done.returncode == 2
    assert "--step must be at most 36500 days" in one_line(done.stderr)


def test_snapshot_dates_of_the_widest_range_are_cut_to_the_data_at_once():
    first, last = date(2022, 2, 21), date(2022, 12, 31)
    days, notices = snapshot.dates_for(DEFAULT, date.min, date.max, 30, first, last)
    assert days[0] >= first and days[-1] <= last and len(days) == 11
    assert all((b - a).days == 30 for a, b in zip(days, days[1:], strict=False))
    assert len(notices) == 1 and "reaches past the data" in notices[0]
    with pytest.raises(ValueError, match="lies in the data"):
        snapshot.dates_for(DEFAULT, date(9999, 12, 1), date.max, 1, first, last)


def test_snapshot_of_a_range_outside_the_data_is_one_line(tmp_path):
    done = tool(
        "dashboard.snapshot", "date=2022-09-25", "-o", str(tmp_path / "a.png"),
        "--from", "9999-12-01", "--to", "9999-12-31",
    )  # fmt: skip
    assert done.returncode == 2
    assert "lies in the data" in one_line(done.stderr)


def test_deck_into_a_closed_pipe_and_a_missing_deck_are_one_line(tmp_path):
    done = tool("dashboard.deck", str(tmp_path / "none.json"), "--pdf", str(tmp_path / "a.pdf"))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr

"""The validate command: report, JSON contract, rejected CSV, exit status."""

import json
import subprocess
import sys

import pytest

from dashboard.validate import main
from tests.builders import csv_bytes, row


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_all_accepted_exits_0(tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_bytes(csv_bytes([row()]))
    code, out, _ = run(capsys, path, "--json")
    assert code == 0
    data = json.loads(out)
    contract = {"rows", "accepted", "rejected", "by_oblast", "outside", "errors"}
    assert contract <= set(data)
    assert (data["format"], data["read_as"]) == ("native", "CSV, UTF-8, comma-delimited")
    assert (data["rows"], data["accepted"], data["rejected"]) == (1, 1, 0)
    assert data["by_oblast"] == {"UA-65": 1, "UA-23": 0, "UA-14": 0, "UA-09": 0, "UA-63": 0}


def test_some_rejected_exits_1_and_writes_rejected_csv(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_bytes(csv_bytes([row(), row(id="t-2", oblast="Narnia", title="=cmd|' /C calc'!A0")]))
    out_csv = tmp_path / "rejected.csv"
    code, out, _ = run(capsys, path, "--json", "--rejected", out_csv)
    assert code == 1
    data = json.loads(out)
    assert data["accepted"] + data["rejected"] == data["rows"] == 2
    assert data["errors"] == [{"record": 2, "reason": "unknown oblast 'Narnia'"}]
    text = out_csv.read_text(encoding="utf-8-sig")
    assert "Narnia" in text
    assert "'=cmd" in text  # formula neutralised


def test_text_report_is_readable(tmp_path, capsys):
    path = tmp_path / "mixed.csv"
    path.write_bytes(csv_bytes([row(), row(id="t-2", start_date="tomorrow")]))
    code, out, _ = run(capsys, path)
    assert code == 1
    assert "2 records, 1 accepted (1 distinct events), 1 rejected" in out
    assert "record 2: bad start_date 'tomorrow'" in out


@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02", b"foo,bar\n1,2\n"])
def test_unreadable_file_exits_2_with_one_line(tmp_path, content):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    proc = subprocess.run(
        [sys.executable, "-m", "dashboard.validate", str(path)], capture_output=True, text=True
    )
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: cannot read")
    assert "Traceback" not in proc.stderr + proc.stdout


def test_missing_file_exits_2(tmp_path, capsys):
    code, out, _ = run(capsys, tmp_path / "absent.csv", "--json")
    assert code == 2
    data = json.loads(out)
    assert "no such file" in data["error"]
    assert data["accepted"] + data["rejected"] == data["rows"] == 0


def test_unusable_file_rejects_every_counted_record(tmp_path, capsys):
    path = tmp_path / "wrong.csv"
    path.write_bytes(b"foo,bar\n1,2\n3,4\n")
    code, out, _ = run(capsys, path, "--json", "--format", "acled")
    data = json.loads(out)
    assert code == 2
    assert (data["rows"], data["accepted"], data["rejected"]) == (2, 0, 2)
    assert "not in the ACLED format: missing required column(s) event_date" in data["error"]

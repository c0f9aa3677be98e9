"""An upload read in a process of its own (``ingest.isolated``): the real UCDP export read and
loaded there, handed back light; a reading killed when cancelled or when its session ends; a
child over its memory limit, or killed from outside, gives a message (issue 22)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from dashboard.geo.regions import load_regions
from dashboard.ingest import datasets, isolated
from dashboard.ingest.events import ReadOptions
from tests.unit.ingest.test_real_files import REAL_UCDP as UCDP


def gone(job, within_s: float = 10) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if not job.process.is_alive():
            return True
        time.sleep(0.05)  # polling a process's end
    return False


def test_the_real_ucdp_export_is_read_in_a_child_and_handed_back_light():
    if not UCDP.exists():
        pytest.fail(f"the shared data is required: {UCDP}")
    data = UCDP.read_bytes()
    args = (UCDP.name, data, None, 200, load_regions(), "auto", None, None)
    job = isolated.Job("k", datasets.read_and_load, args)
    assert job.process.pid != os.getpid()
    read = job.result()
    assert not job.running and not job.process.is_alive()
    assert read.upload.result.rows == 3883 and read.upload.result.accepted == 3882
    assert read.mapping is None  # a known format: nothing mapped
    # the page keeps only the file's columns and first rows; the records stayed in the child
    assert read.raw.count == 3883 and len(read.raw.table.frame) == datasets.PREVIEW_ROWS
    assert read.raw.table.encoding == "Windows-1252"
    # the same as reading it here
    here = datasets.load_upload(UCDP.name, data, "auto", load_regions())
    assert here.result.accepted == read.upload.result.accepted
    assert list(here.result.events["id"]) == list(read.upload.result.events["id"])


def test_a_table_in_no_known_format_is_loaded_with_the_guessed_mapping_or_waits():
    regions = load_regions()
    guessable = b"start_date,oblast,what\n2022-09-23,Kherson,vote\n2022-09-24,Donetsk,vote\n"
    read = isolated.Job(
        "g", datasets.read_and_load, ("mine.csv", guessable, None, 200, regions, "auto", None, None)
    ).result()
    assert read.mapping is not None and read.mapping.complete
    assert read.upload.result.accepted == 2
    unguessable = b"a,b\n1,2\n"
    read = isolated.Job(
        "u", datasets.read_and_load, ("t.csv", unguessable, None, 200, regions, "auto", None, None)
    ).result()
    assert read.upload is None and not read.mapping.complete  # the form asks for the rest
    assert read.raw.columns == ["a", "b"] and read.raw.count == 1


def test_a_cancelled_reading_is_killed_and_says_so():
    job = isolated.Job("slow", time.sleep, (60,), session="s1")
    assert isolated.running() >= 1 and job.running
    job.cancel()
    assert gone(job)
    with pytest.raises(isolated.JobFailed, match="stopped"):
        job.result()
    assert isolated.running() == 0


def test_an_ended_sessions_readings_are_killed_and_others_kept():
    mine = [isolated.Job(f"m{k}", time.sleep, (60,), session="ended") for k in range(2)]
    other = isolated.Job("o", time.sleep, (60,), session="still-here")
    assert isolated.cancel_session("ended") == 2
    assert all(gone(job) for job in mine)
    assert other.process.is_alive() and other.running
    assert isolated.cancel_session("ended") == 0
    other.cancel()


def test_a_reading_over_its_memory_limit_is_refused_and_the_server_untouched(monkeypatch):
    monkeypatch.setenv("OEM_UPLOAD_MEMORY_MB", "300")
    job = isolated.Job("big", bytearray, (2_000_000_000,))  # 2 GB, over the 300 MB allowed
    with pytest.raises(isolated.JobFailed, match="more than 300 MB of memory"):
        job.result()


def test_a_reading_killed_from_outside_gives_a_message():
    job = isolated.Job("killed", time.sleep, (60,))
    os.kill(job.process.pid, signal.SIGKILL)
    with pytest.raises(isolated.JobFailed, match="stopped"):
        job.result()


def test_an_error_in_the_child_is_one_line():
    job = isolated.Job("bad", int, ("not a number",))
    with pytest.raises(isolated.JobFailed, match=r"could not be read \(ValueError: invalid"):
        job.result()


def test_the_child_never_runs_the_main_module_again(tmp_path, monkeypatch):
    # While a page runs, Streamlit puts the page's script in __main__; multiprocessing would
    # run it again in the child (the whole page drawn, bare, before the file was read).
    import sys
    import types

    marker = tmp_path / "ran"
    script = tmp_path / "page_script.py"
    script.write_text(f"open({str(marker)!r}, 'w').close()\n")
    page = types.ModuleType("__main__")
    page.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", page)
    isolated.Job("main", time.sleep, (0,)).result()
    assert not marker.exists()


def test_rejected_records_come_back_as_arrow_strings_and_export_the_same():
    from dashboard.render.csv import safe_csv_bytes

    data = b"start_date,oblast,title\n2022-09-23,Kherson,ok\nnot a date,Nowhere,=1+1\n"
    args = ("t.csv", data, None, 200, load_regions(), "auto", None, None)
    read = isolated.Job("r", datasets.read_and_load, args).result()
    rejected = read.upload.result.rejected
    assert len(rejected) == 1 and str(rejected["reason"].dtype) == "string"
    raw = datasets.read_upload("t.csv", data, None, 200)
    options = ReadOptions("auto", None, None, read.mapping)  # the guessed mapping, as the child
    here = datasets.load_raw_upload(raw, load_regions(), options).result.rejected
    assert here["reason"].dtype == object  # read here: not compacted
    assert safe_csv_bytes(rejected) == safe_csv_bytes(here)  # formulas neutralised alike
    assert b"'=1+1" in safe_csv_bytes(rejected)


def test_the_forkserver_can_be_started_ahead_of_the_first_upload():
    from multiprocessing import forkserver

    isolated.warm_later(0).join(timeout=60)
    assert forkserver._forkserver._forkserver_pid is not None  # running, with the code loaded
    before = forkserver._forkserver._forkserver_pid
    isolated.Job("after", time.sleep, (0,)).result()
    assert forkserver._forkserver._forkserver_pid == before  # the same one serves the jobs


def test_the_reader_yields_the_cpu_to_the_server():
    # on a busy machine the server's page runs (other visitors') come first
    job = isolated.Job("nice", os.nice, (0,))
    assert job.result() == min(19, os.nice(0) + isolated.NICE)

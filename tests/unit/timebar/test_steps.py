"""Dates prepared ahead for the map's time bar (dashboard/timebar/steps.py): each file is exactly
the payload the page would send for that date, written once, atomically, under an unguessable
name, and the folder stays bounded."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest

from dashboard.ingest.events import load_events
from dashboard.query.view import Filters, breaks_for_index, index_for
from dashboard.scene import build as scene
from dashboard.scene import popups as maps
from dashboard.timebar import steps
from tests.synth import acled_events


@pytest.fixture(scope="module")
def acled(regions):
    csv = acled_events(5_000, seed=3, regions=regions).to_csv(index=False).encode()
    return load_events(csv, regions).events


def make_args(acled, regions, overlay="", lang="uk", window=7):
    index = index_for(acled, Filters())
    return {
        "events": acled,
        "regions": regions,
        "window": window,
        "filters": Filters(),
        "metric": "events",
        "show_outside": False,
        "lang": lang,
        "breaks": breaks_for_index(index, window, "events"),
        "tiles": "none",
        "overlay": overlay,
        "index": index,
    }


@pytest.mark.parametrize("overlay", ["", "legend"])
def test_a_prepared_date_is_the_payload_the_page_would_send(acled, regions, overlay):
    args = make_args(acled, regions, overlay)
    page = scene.make(date=date(2024, 6, 11), client={"k": "abc", "steps": {"x": 1}}, **args)
    sent = dict(page.layers.payload)
    assert sent.pop("steps") == {"x": 1}
    prepared = json.loads(scene.step_payload(date(2024, 6, 11), key="abc", **args))
    assert prepared == json.loads(json.dumps(sent))
    assert prepared["date"] == "2024-06-11" and prepared["k"] == "abc"
    assert len(prepared["m"]) > 5 and len(prepared["e"]) > 5
    assert ("legend" in prepared) == (overlay == "legend")
    other = json.loads(scene.step_payload(date(2024, 6, 12), key="abc", **args))
    assert other["date"] == "2024-06-12" and other != prepared


def test_a_prepared_date_formats_its_popups_once_for_the_page(acled, regions, monkeypatch):
    args = make_args(acled, regions)
    scene.step_payload(date(2024, 6, 20), key="k", **args)
    made = []
    monkeypatch.setattr(maps, "event_parts", lambda *a, **k: made.append(a) or ("",) * 9)
    scene.make(date=date(2024, 6, 20), **args)
    assert made == []  # the page's step found every popup ready
    scene.make(date=date(2024, 8, 20), **args)  # a date not prepared formats its own
    assert made


def test_hostile_text_stays_escaped_in_a_prepared_file(regions):
    hostile = acled_events(50, seed=1, regions=regions)
    hostile["notes"] = "<script>alert(1)</script> {{ 7*7 }}"
    hostile["location"] = "<img src=x onerror=alert(2)>"
    events = load_events(hostile.to_csv(index=False).encode(), regions).events
    args = make_args(events, regions, window=None)
    day = events["start_date"].max().date()
    text = scene.step_payload(day, key="k", **args)
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;" in text and "{{ 7*7 }}" in text  # shown as text, never evaluated


def test_files_are_written_whole_under_a_keyed_name(tmp_path):
    files = steps.StepFiles(tmp_path, "/app/static/steps")
    key = files.key(("data", 1), Filters(), 7, "en")
    assert len(key) == 32 and key == files.key(("data", 1), Filters(), 7, "en")
    assert key != files.key(("data", 2), Filters(), 7, "en")
    assert key != steps.StepFiles(tmp_path, "/x").key(("data", 1), Filters(), 7, "en")  # secret
    path = files.write(key, date(2022, 9, 30), '{"date":"2022-09-30"}')
    assert path == tmp_path / files.token / key / "2022-09-30.json"
    assert json.loads(path.read_text()) == {"date": "2022-09-30"}
    assert files.has(key, date(2022, 9, 30)) and not files.has(key, date(2022, 10, 1))
    assert files.url(key) == f"/app/static/steps/{files.token}/{key}/"
    assert not list(path.parent.glob("*.tmp"))


def test_the_folder_keeps_the_scenes_used_last_within_its_budget(tmp_path):
    files = steps.StepFiles(tmp_path, "/s", max_bytes=3000)
    for k in ("a", "b", "c"):
        for d in range(1, 4):
            files.write(k, date(2022, 9, d), "x" * 300)  # 900 bytes a scene
    assert files.bytes_used() == 2700
    files.touch("a")  # back to the first scene
    files.write("d", date(2022, 9, 1), "x" * 300)
    files.write("d", date(2022, 9, 2), "x" * 300)
    assert files.bytes_used() <= 3000
    assert not (files.folder / "b").exists()  # used longest ago
    assert files.has("a", date(2022, 9, 3)) and files.has("c", date(2022, 9, 3))
    assert files.has("d", date(2022, 9, 2))


def test_a_new_process_removes_the_folders_of_ended_ones_only(tmp_path):
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "pid").write_text(ended)
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "pid").write_text(str(os.getppid()))
    steps.StepFiles(tmp_path, "/s").write("k", date(2022, 9, 1), "{}")
    assert not (tmp_path / "old").exists() and (tmp_path / "live").exists()


def test_the_dates_around_come_nearest_first_inside_the_range():
    got = steps.days_around(date(2022, 9, 10), date(2022, 9, 1), date(2022, 10, 20), 7)
    assert got[:4] == [date(2022, 9, 11), date(2022, 9, 9), date(2022, 9, 17), date(2022, 9, 12)]
    assert len(got) == len(set(got))
    assert min(got) == date(2022, 9, 1)  # ten days back, cut at the first date
    assert max(got) == date(2022, 10, 15)  # five playback weeks (a month of days is 10 Oct)
    assert date(2022, 9, 10) not in got
    near_end = steps.days_around(date(2022, 10, 20), date(2022, 9, 1), date(2022, 10, 20))
    assert near_end[0] == date(2022, 10, 19) and max(near_end) < date(2022, 10, 20)


def test_the_preparer_writes_once_and_drops_what_it_cannot_queue(tmp_path):
    files = steps.StepFiles(tmp_path, "/s")
    built = []

    def build(day):
        built.append(day)
        return json.dumps({"date": day.isoformat()})

    preparer = steps.Preparer(max_waiting=1)
    days = [date(2022, 9, 2), date(2022, 9, 3)]
    preparer.submit(files, "k", days, build).result(timeout=30)
    assert built == days and all(files.has("k", d) for d in days)
    assert preparer.submit(files, "k", days, build) is None  # written: nothing to do
    assert built == days


def test_a_failing_date_is_logged_and_tried_again_later(tmp_path, caplog):
    files = steps.StepFiles(tmp_path, "/s")
    calls = []

    def broken(day):
        calls.append(day)
        raise ValueError("no")

    preparer = steps.Preparer()
    preparer.submit(files, "k", [date(2022, 9, 2)], broken).result(timeout=30)
    assert "preparing dates failed" in caplog.text
    assert not files.has("k", date(2022, 9, 2))
    preparer.submit(files, "k", [date(2022, 9, 2)], lambda d: "{}").result(timeout=30)
    assert files.has("k", date(2022, 9, 2))


def test_dates_wait_while_a_page_run_is_under_way(tmp_path):
    files = steps.StepFiles(tmp_path, "/s")
    preparer = steps.Preparer()
    with preparer.step():
        job = preparer.submit(files, "k", [date(2022, 9, 2)], lambda d: "{}")
        with pytest.raises(TimeoutError):
            job.result(timeout=0.3)  # the page's run goes first
        assert not files.has("k", date(2022, 9, 2))
    job.result(timeout=30)
    assert files.has("k", date(2022, 9, 2))

"""``python -m dashboard.deck``: a deck file to PDF, PowerPoint and PNGs; every bad path one line
on stderr and exit status 2."""

import os
import subprocess
import sys

import pytest
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from dashboard import deck as cli
from dashboard.config import ROOT
from dashboard.state import deck as decks
from dashboard.state import permalink
from tests.builders import csv_bytes, row

SIZE = ["--size", "320x240"]  # the map picture: its size does not matter here
UPLOAD_REASON = "shows the uploaded file acled.csv: pass it with --events"


def view(query: str):
    return permalink.from_query(query)[0]


def deck_file(tmp_path, *slides, name="deck.json", **fields) -> str:
    deck = decks.Deck(slides=tuple(slides), title=decks.Text("Brief", "Бриф"), **fields)
    path = tmp_path / name
    path.write_text(decks.to_json(deck), encoding="utf-8")
    return str(path)


ONE = decks.Slide(
    view("date=2022-09-10&window=7"),
    decks.Text("Kharkiv", "Харків"),
    decks.Text("Retaken.", "Звільнено."),
    decks.Text("Notes", "Нотатки"),
    (decks.Annotation("arrow", ((49.9, 36.3), (49.2, 37.3)), decks.Text("Push")),),
)
TWO = decks.Slide(view("date=2022-11-11&window=7"), decks.Text("Kherson", "Херсон"))


def test_writes_the_pdf_pptx_and_pngs_asked_for(tmp_path, capsys):
    deck = deck_file(tmp_path, ONE, TWO)
    out = tmp_path / "out"
    code = cli.main(
        [deck, "--lang", "uk", "--pdf", str(out / "b.pdf"), "--pptx", str(out / "b.pptx")]
        + ["--png-dir", str(out / "png"), *SIZE]
    )
    assert code == 0
    said = capsys.readouterr()
    assert said.err == ""
    assert said.out.splitlines() == [
        f"wrote {out / 'b.pdf'} (2 slides)",
        f"wrote {out / 'b.pptx'} (2 slides)",
        f"wrote {out / 'png' / 'slide-01.png'} (1920x1080)",
        f"wrote {out / 'png' / 'slide-02.png'} (1920x1080)",
    ]
    pdf = PdfReader(out / "b.pdf")
    assert len(pdf.pages) == 2 and "Харків" in pdf.pages[0].extract_text()
    shown = Presentation(out / "b.pptx")
    assert [s.notes_slide.notes_text_frame.text for s in shown.slides] == ["Нотатки", ""]
    assert Image.open(out / "png" / "slide-02.png").size == (1920, 1080)


def test_problems_in_the_deck_are_reported_and_the_rest_exported(tmp_path, capsys):
    path = tmp_path / "deck.json"
    path.write_text(
        '{"format": "oblast-events-map/deck", "version": 1, "colour": "red", "slides": ['
        '{"view": "date=2030-01-01&window=7", "title": "Late", "annotations": [{"kind": "x"}]}]}',
        encoding="utf-8",
    )
    assert cli.main([str(path), "--pdf", str(tmp_path / "late.pdf"), *SIZE]) == 0
    err = capsys.readouterr().err.splitlines()
    assert "deck: colour: unknown field; ignored" in err
    assert "deck: slide 1.annotations[1].kind: 'x': use arrow, circle or label; ignored" in err
    assert any(line.startswith("slide 1: date=2030-01-01: outside the data") for line in err)
    assert len(PdfReader(tmp_path / "late.pdf").pages) == 1


def test_a_file_that_is_not_a_deck_exits_2_with_its_messages(tmp_path, capsys):
    path = tmp_path / "other.json"
    path.write_text('{"format": "something-else", "slides": []}', encoding="utf-8")
    assert cli.main([str(path), "--pdf", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("deck: format: 'something-else'")
    assert not (tmp_path / "x.pdf").exists()


def test_a_slide_showing_an_upload_needs_the_file(tmp_path, capsys):
    upload = decks.Slide(view("data=upload&date=2022-09-23&window=7"), decks.Text("Upload"))
    deck = deck_file(tmp_path, upload, upload="acled.csv")
    assert cli.main([deck, "--pdf", str(tmp_path / "without.pdf"), *SIZE]) == 0
    page = PdfReader(tmp_path / "without.pdf").pages[0]
    assert UPLOAD_REASON in " ".join(page.extract_text().split()) and len(page.images) == 0
    events = tmp_path / "mine.csv"
    events.write_bytes(csv_bytes([row(start_date="2022-09-23", oblast="UA-65")]))
    args = [deck, "--pdf", str(tmp_path / "with.pdf"), "--events", str(events), *SIZE]
    assert cli.main(args) == 0
    page = PdfReader(tmp_path / "with.pdf").pages[0]
    assert UPLOAD_REASON not in page.extract_text() and len(page.images) == 1
    capsys.readouterr()


def test_each_dataset_is_loaded_once_for_the_whole_deck(tmp_path, monkeypatch, capsys):
    loads = []
    real = cli.load_data

    def counted(files, regions):
        loads.append([path.name for path, _ in files])
        return real(files, regions)

    monkeypatch.setattr(cli, "load_data", counted)
    deck = deck_file(tmp_path, ONE, TWO, ONE)  # three slides on the curated timeline
    assert cli.main([deck, "--pptx", str(tmp_path / "d.pptx"), *SIZE]) == 0
    assert loads == [["events.csv"]]
    assert len(Presentation(tmp_path / "d.pptx").slides) == 3
    capsys.readouterr()


def test_an_output_is_required(tmp_path, capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main([deck_file(tmp_path, ONE)])
    assert stop.value.code == 2
    assert "at least one of --pdf, --pptx, --png-dir" in capsys.readouterr().err


def bad_cases(tmp_path) -> dict:
    deck = deck_file(tmp_path, ONE)
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    return {
        "missing deck": ([str(tmp_path / "nope.json"), "--pdf", str(tmp_path / "o.pdf")], "nope"),
        "deck is a folder": ([str(tmp_path), "--pdf", str(tmp_path / "o.pdf")], "not a regular"),
        "deck is a device": (["/dev/zero", "--pdf", str(tmp_path / "o.pdf")], "not a regular"),
        "output under a file": ([deck, "--pdf", str(a_file / "o.pdf")], "not a folder"),
        "output is a folder": ([deck, "--pptx", str(tmp_path)], "is a folder"),
        "png folder is a file": ([deck, "--png-dir", str(a_file)], "not a folder"),
        "folder not writable": ([deck, "--pdf", "/proc/oem-deck-test/o.pdf"], "/proc/oem-deck"),
        "events missing": (
            [deck, "--pdf", str(tmp_path / "o.pdf"), "--events", str(tmp_path / "no.csv")],
            "no.csv: no such file",
        ),
        "disk full": ([deck, "--pdf", "/dev/full", *SIZE], "/dev/full: No space left"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing deck",
        "deck is a folder",
        "deck is a device",
        "output under a file",
        "output is a folder",
        "png folder is a file",
        "folder not writable",
        "events missing",
        "disk full",
    ],
)
def test_bad_paths_give_one_line_and_exit_2(tmp_path, capsys, case):
    args, says = bad_cases(tmp_path)[case]
    assert cli.main(args) == 2
    said = capsys.readouterr()
    err = said.err.splitlines()
    assert len(err) == 1 and says in err[0], said.err
    assert "Traceback" not in said.err and said.out == ""


def run(args):
    """The command in its own process, as a user runs it: stdout buffered, as it is unless
    PYTHONUNBUFFERED is set (a write to a closed pipe then fails late, at exit)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.deck", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_as_a_command_it_writes_and_refuses_a_fifo_without_waiting(tmp_path):
    deck = deck_file(tmp_path, ONE)
    done = run([deck, "--png-dir", str(tmp_path / "png"), *SIZE])
    out, err = done.communicate(timeout=300)  # a generous guard, not a timing
    assert done.returncode == 0, err.decode()
    assert out.decode().splitlines() == [f"wrote {tmp_path / 'png' / 'slide-01.png'} (1920x1080)"]
    fifo = tmp_path / "deck.fifo"
    os.mkfifo(fifo)
    refused = run([str(fifo), "--pdf", str(tmp_path / "f.pdf")])
    out, err = refused.communicate(timeout=300)  # a reader that opened the FIFO would hang
    assert refused.returncode == 2
    assert err.decode().splitlines() == [f"{fifo}: not a regular file"]
    refused = run([deck, "--pdf", str(tmp_path / "f.pdf"), "--events", str(fifo)])
    out, err = refused.communicate(timeout=300)
    assert refused.returncode == 2
    assert err.decode().splitlines() == [f"{fifo}: not a regular file"]


def test_a_closed_stdout_is_one_line_and_exit_3(tmp_path):
    deck = deck_file(tmp_path, ONE)
    proc = run([deck, "--pdf", str(tmp_path / "p.pdf"), *SIZE])
    proc.stdout.close()  # nobody reads what it says
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=300) == 3  # dashboard/cli.py: the output could not be written
    assert err.splitlines() == ["error: the output was closed before everything was written"]
    assert (tmp_path / "p.pdf").exists()  # the file was written before it said so


def test_the_read_is_bounded(tmp_path, capsys):
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (decks.MAX_FILE_BYTES + 10))
    assert cli.main([str(big), "--pdf", str(tmp_path / "b.pdf")]) == 2
    assert capsys.readouterr().err.startswith("deck: the file is larger than")
    assert len(cli.read_deck(big)) == decks.MAX_FILE_BYTES + 1  # not the whole file

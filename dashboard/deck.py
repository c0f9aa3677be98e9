"""Briefing deck exports from the command line: PDF, PowerPoint and slide PNGs, no browser.

    python -m dashboard.deck brief.json --pdf brief.pdf --pptx brief.pptx --png-dir slides/
    python -m dashboard.deck brief.json --pdf brief-uk.pdf --lang uk --events acled-2022.csv

The deck file is the page's (``state.deck``, docs/DECKS.md). Each slide is drawn on the data
its view names (``data=``: the bundled curated, UCDP or both), each dataset loaded once for the
whole deck; a slide that shows an uploaded file is drawn on ``--events FILE``, and without it
its page says so in place of the map. A slide's date outside its data is moved to the nearest
day, with a notice. ``--size`` is the map picture's size inside each page.

Problems in the deck file are reported on stderr (``deck: ...``) and the rest is exported.
Exit codes: 0 written, 2 unusable input (the deck, an events file) or output (a path that
cannot be written), 3 standard output closed or full (``dashboard/cli.py``), each said in one
line on stderr.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from dataclasses import replace
from pathlib import Path

from dashboard.geo.regions import load_regions
from dashboard.ingest import datasets
from dashboard.render import deck as export
from dashboard.render import slides
from dashboard.scene import build as scene
from dashboard.snapshot import DataError, control_table, data_range, inputs_of, load_data, size_arg
from dashboard.state import deck as decks
from dashboard.state import permalink
from dashboard.state.view_state import ViewState


class Refused(Exception):
    """An input or output that cannot be used; the message is one line saying why."""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m dashboard.deck",
        description="Export a briefing deck (JSON) to PDF, PowerPoint and PNGs (no browser).",
    )
    p.add_argument("deck", type=Path, help="the deck file (JSON, saved from the page)")
    p.add_argument("--pdf", type=Path, help="PDF file to write")
    p.add_argument("--pptx", type=Path, help="PowerPoint file to write")
    p.add_argument("--png-dir", type=Path, help="folder to write slide-01.png, ... into")
    p.add_argument("--lang", choices=("en", "uk"), default="en", help="language (en)")
    p.add_argument("--events", type=Path, help="the events file for slides that show an upload")
    p.add_argument(
        "--size", type=size_arg, default=(1600, 900), help="map picture WIDTHxHEIGHT (1600x900)"
    )
    return p


def read_deck(path: Path) -> bytes:
    """The deck file's bytes (at most one more than a deck may have). Anything but a regular
    file (a FIFO, a device, a folder) is refused before reading, so nothing can hang."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise Refused(f"{path}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise Refused(f"{path}: not a regular file")
    with os.fdopen(fd, "rb") as file:
        try:
            return file.read(decks.MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise Refused(f"{path}: {exc.strerror or exc}") from None


def check_output(path: Path, folder: bool) -> None:
    """Make ``path``'s folder (or the folder ``path``) and check it can be written, before any
    slide is drawn."""
    where = path if folder else path.parent
    if not folder and path.is_dir():
        raise Refused(f"{path}: is a folder")
    if where.exists() and not where.is_dir():
        raise Refused(f"{where}: not a folder")
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise Refused(f"{where}: {exc.strerror or exc}") from None
    if not os.access(where, os.W_OK):
        raise Refused(f"{where}: not writable")


class Scenes:
    """``scene_for`` of ``render.deck.pages``: each slide's view drawn on the data it names,
    each dataset loaded once; called once per slide, in order (notices name the slide)."""

    def __init__(self, deck: decks.Deck, events: Path | None):
        self.regions = load_regions()
        self.control = control_table(self.regions)
        self.deck, self.events = deck, events
        self.loaded: dict = {}
        self.number = 0

    def files(self, data: str) -> list[tuple[Path, str]]:
        sets = datasets.bundled_sets()
        return [
            (self.events, datasets.upload_label(self.events.name))
            if key == datasets.UPLOAD
            else (sets[key].path, sets[key].label)
            for key in datasets.PARTS[data]
        ]

    def __call__(self, view: ViewState) -> scene.Scene | str:
        self.number += 1
        if datasets.needs_upload(view.data) and self.events is None:
            name = self.deck.upload or "the deck was made with"
            return f"shows the uploaded file {name}: pass it with --events"
        if view.data not in self.loaded:
            self.loaded[view.data] = load_data(self.files(view.data), self.regions)
        events = self.loaded[view.data]
        day, moved = permalink.clamp_date(view.date, *data_range(events))
        if moved:
            print(f"slide {self.number}: {moved}", file=sys.stderr)
        view = replace(view, date=day)
        return scene.of_state(view, inputs_of(view, events, self.regions, self.control))


def _say(line: str) -> None:
    """One line on stdout, now (a closed pipe is found here, not at exit; ``dashboard.cli``
    says so and exits 3)."""
    print(line, flush=True)


def run(args: argparse.Namespace) -> None:
    deck, problems = decks.from_json(read_deck(args.deck))
    for problem in problems:
        print(f"deck: {problem}", file=sys.stderr)
    outputs = [(args.pdf, False), (args.pptx, False), (args.png_dir, True)]
    for path, folder in outputs:
        if path is not None:
            check_output(path, folder)
    if args.events is not None:
        if not args.events.is_file():  # a FIFO would hang the reader
            why = "not a regular file" if args.events.exists() else "no such file"
            raise Refused(f"{args.events}: {why}")
        if not any(datasets.needs_upload(s.view.data) for s in deck.slides):
            print(f"--events {args.events}: no slide shows an upload; not used", file=sys.stderr)
    scenes = Scenes(deck, args.events)
    title = deck.title.get(args.lang)
    pages = export.pages(deck, args.lang, scenes, scenes.regions, args.size)
    for path, make in ((args.pdf, export.to_pdf), (args.pptx, export.to_pptx)):
        if path is not None:
            _write(path, make(pages, title))
            _say(f"wrote {path} ({len(pages)} slide{'s' if len(pages) > 1 else ''})")
    if args.png_dir is not None:
        try:
            written = export.to_png_dir(pages, args.png_dir, title)
        except OSError as exc:
            raise Refused(f"{exc.filename or args.png_dir}: {exc.strerror or exc}") from None
        for path in written:
            _say(f"wrote {path} ({export.PAGE[0]}x{export.PAGE[1]})")


def _write(path: Path, data: bytes) -> None:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise Refused(f"{path}: {exc.strerror or exc}") from None


def main(argv: list[str] | None = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    if args.pdf is None and args.pptx is None and args.png_dir is None:
        p.error("give at least one of --pdf, --pptx, --png-dir")
    try:
        run(args)
    except decks.DeckError as exc:
        for problem in exc.problems:
            print(f"deck: {problem}", file=sys.stderr)
        return 2
    except (Refused, DataError, slides.NoFont) as exc:
        print(str(exc), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    from dashboard import cli

    raise SystemExit(cli.run(main))

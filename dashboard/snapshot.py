"""Slide PNGs from the command line, with the same query string as the page's link.

    python -m dashboard.snapshot "date=2022-09-25&window=7&lang=uk" --size 1920x1080 -o out.png

A series of dates, one PNG each (``out-2022-09-19.png`` ...):

    python -m dashboard.snapshot "window=7" --from 2022-09-19 --to 2022-09-30 --step 1 -o out.png

The link's ``data=`` chooses the bundled datasets as in the page (``curated``, ``ucdp``,
``both``); ``--events FILE`` draws a file of your own instead.

Values the page would ignore are ignored here too, with the same notice on stderr. Exit codes:
0 written, 2 unusable input (events file, date range or output path).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date as Date
from datetime import timedelta
from pathlib import Path

import pandas as pd

from dashboard.config import CONTROL_CSV
from dashboard.geo.regions import load_regions
from dashboard.ingest import datasets
from dashboard.ingest.control import load_control
from dashboard.ingest.events import LAST, UnreadableFile, load_events
from dashboard.query.filters import filters_of
from dashboard.query.view import index_for
from dashboard.render import slides
from dashboard.scene import build as scene
from dashboard.state import permalink
from dashboard.state.view_state import ViewState

MAX_FRAMES = 1000
MAX_STEP_DAYS = 36_500  # a century between frames


def size_arg(text: str) -> tuple[int, int]:
    try:
        width, height = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError("use WIDTHxHEIGHT, e.g. 1920x1080") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError("between 320x240 and 7680x4320")
    return width, height


def _day(text: str) -> Date:
    try:
        return Date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError("use YYYY-MM-DD") from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m dashboard.snapshot",
        description="Draw the view of a page link as a slide PNG (no browser needed).",
    )
    p.add_argument("query", help="the link's query string, e.g. 'date=2022-09-25&window=7'")
    p.add_argument("--size", type=size_arg, default=(1920, 1080), help="WIDTHxHEIGHT (1920x1080)")
    p.add_argument("-o", "--output", type=Path, required=True, help="PNG file to write")
    p.add_argument(
        "--events",
        type=Path,
        default=None,
        help="an events file (any format) instead of the link's bundled data (data=...)",
    )
    p.add_argument("--from", dest="first", type=_day, help="first date of a series")
    p.add_argument("--to", dest="last", type=_day, help="last date of a series")
    p.add_argument("--step", type=int, default=1, help="days between dates of a series (1)")
    return p


def dates_for(state: ViewState, first, last, step: int, data_first, data_last):
    """The dates to draw, each inside the data's range; notices for any moved."""
    notices: list[str] = []
    if first is None and last is None:
        day, note = permalink.clamp_date(state.date, data_first, data_last)
        return [day], [note] if note else []
    first = first or state.date or data_first
    last = last or data_last
    if last < first:
        raise ValueError(f"--to {last} is before --from {first}")
    if step < 1:
        raise ValueError("--step must be at least 1")
    if step > MAX_STEP_DAYS:
        raise ValueError(f"--step must be at most {MAX_STEP_DAYS} days")
    # Only the dates inside the data are drawn: the range is cut to the data's range
    # (one notice, not one per day: --from 0001-01-01 --to 9999-12-31 costs no more).
    if first < data_first or last > data_last:
        notices.append(
            f"--from/--to {first}..{last} reaches past the data ({data_first}..{data_last}); "
            "only dates inside the data are drawn"
        )
    day = first
    if day < data_first:  # the first date of the series on or after the data's first day
        day += timedelta(days=-(-(data_first - day).days // step) * step)
    days = []
    while day <= min(last, data_last) and len(days) < MAX_FRAMES:
        days.append(day)
        if (Date.max - day).days < step:
            break
        day += timedelta(days=step)
    if not days:
        raise ValueError(f"no date of {first}..{last} lies in the data ({data_first}..{data_last})")
    return days, notices


class DataError(Exception):
    """Events that cannot be drawn; the message is one line saying why."""


def files_for(data: str, events: Path | None = None) -> list[tuple[Path, str]]:
    """The files (path, dataset label) a view's ``data`` names among the bundled datasets, or
    the file ``events`` instead. ``data`` must not need an upload."""
    if events is not None:
        return [(events, datasets.bundled_label(events.name))]
    sets = datasets.bundled_sets()
    return [(sets[key].path, sets[key].label) for key in datasets.PARTS[data]]


def load_data(files: list[tuple[Path, str]], regions) -> pd.DataFrame:
    """The events of ``files``, combined as the page combines them. Raises ``DataError`` when
    a file cannot be read or none has a valid event."""
    results = []
    for path, label in files:
        try:
            results.append(load_events(path, regions, dataset=label))
        except (UnreadableFile, OSError) as exc:
            raise DataError(f"{path}: {exc}") from None
    events = datasets.combine(results)
    if len(events) == 0:
        raise DataError(f"{', '.join(str(p) for p, _ in files)}: no valid events")
    return events


def data_range(events: pd.DataFrame) -> tuple[Date, Date]:
    """The first and last day of the events."""
    return events["start_date"].min().date(), events[LAST].max().date()


def control_table(regions):
    """The settlements' control table, when this deployment has one."""
    return load_control(regions=regions) if CONTROL_CSV.exists() else None


def inputs_of(state: ViewState, events: pd.DataFrame, regions, control) -> scene.Inputs:
    """A view's scene inputs, built as the page builds them (``scene.build.inputs_for``)."""
    index = index_for(events, filters_of(state))
    return scene.inputs_for(state, events, regions, index, tiles="none", control=control)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    state, notices = permalink.from_query(args.query)
    regions = load_regions()
    # The link's data, as the page shows it (a link to an upload: the curated timeline).
    if args.events is None and datasets.needs_upload(state.data):
        notices.append(f"data={state.data!r}: no uploaded file here; the curated timeline")
        state = replace(state, data="curated")
    try:
        events = load_data(files_for(state.data, args.events), regions)
    except DataError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    data_first, data_last = data_range(events)
    try:
        days, moved = dates_for(state, args.first, args.last, args.step, data_first, data_last)
    except ValueError as exc:
        print(str(exc), file=sys.stderr)
        return 2
    for note in notices + moved:
        print(f"ignored: {note}", file=sys.stderr)
    inputs = inputs_of(state, events, regions, control_table(regions))
    written = []
    for day in days:
        view = scene.of_state(state, inputs, day)
        out = args.output
        if len(days) > 1:
            out = out.with_name(f"{out.stem}-{day.isoformat()}{out.suffix or '.png'}")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(slides.of_scene(view, regions, args.size).png())
        except (OSError, slides.NoFont) as exc:
            print(f"{out}: {exc}", file=sys.stderr)
            return 2
        written.append(out)
    for out in written:
        print(f"wrote {out} ({args.size[0]}x{args.size[1]})")
    return 0


if __name__ == "__main__":
    from dashboard import cli

    raise SystemExit(cli.run(main))

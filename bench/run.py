"""The benchmark behind ``make bench``: the dashboard against the naive approach, in one run.

    python -m bench.run                       # N = 1k, 10k, 100k, 1M; writes bench/results.json
    python -m bench.run --sizes 1000 --steps 3 --sessions 2 --out /tmp/r.json   # smoke

For each N, a synthetic ACLED export (tests/synth.py) is written once, then for each approach
(``dashboard``: dashboard/app.py; ``naive``: bench/naive_app.py) a fresh Streamlit server is
started on it and Debian's chromium (Playwright, every non-local request blocked) measures:

* ``first_map_s``: a new visitor opens the page until the map shows the date (the median of
  FIRST_VISITS visitors; ``first_map_s_max`` the slowest);
* ``browser_step_ms_*``: a Right-arrow press on the date slider until the map shows the next
  date (the map's ``data-oem-date``), over ``--steps`` steps. For the dashboard that is the
  map's own time bar (the slider inside the map: it draws dates the server wrote ahead, with
  no page rerun; timebar/steps.py); ``browser_step_page_ms_*`` is the page's Streamlit date
  slider (a rerun of the date fragment), the naive app's only slider;
* ``step_payload_bytes``: bytes the browser receives for one step, WebSocket and HTTP (the
  time bar's date file) together (median); ``step_payload_page_bytes`` for the page slider;
* ``prepare_ms_median``: the server's time to write one date ahead, in its background thread;
* ``first_page_bytes``: everything the new visitor's browser received until the map showed;
* ``step_server_ms_median``: the server's own time per page-slider step (OEM_TIMING_LOG; a
  time-bar step costs it only a static file), with the
  browser kept off the server's core (server on core 0, Chromium on core 1), as when the
  visitor's browser runs on their own machine; ``step_server_cold_ms_median`` the same with
  OEM_PREPARE_AHEAD=0 (no date prepared in advance); ``step_server_shared_ms_median``
  as timed in the browser pass, Chromium sharing both cores with the server;
* ``peak_rss_mb``: the server process's peak resident memory (VmHWM) after the steps;
* ``load_s``: read, validate and join the file, timed in a separate process.

Concurrency: ``--sessions`` browser sessions step the slider (the dashboard's time bar; on the
bundled data the page slider too) at once, on the bundled data and at 100k (the dashboard),
reporting p95 and errors. The naive approach's browser figures at 1M are
null: one step rebuilds ~13,000 markers (seconds of server time per step, megabytes of HTML).

The servers and the visitors are driven by bench/drive.py; the figures are taken by
bench/measure.py; this module runs them per N and approach and writes the table and the files.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.drive import APPS, ROOT, START_DAY, Server, data_file
from bench.measure import (
    browser_figures,
    concurrent,
    measure_load,
    naive_server_steps,
    server_figures,
)

NAIVE_BROWSER_MAX_N = 100_000
FIELDS = (
    "n",
    "approach",
    "load_s",
    "peak_rss_mb",
    "step_server_ms_median",
    "step_server_cold_ms_median",
    "step_server_shared_ms_median",
    "step_payload_bytes",
    "first_page_bytes",
    "browser_step_ms_median",
    "browser_step_ms_p95",
    "first_map_s",
    "first_map_s_max",
    "browser_step_page_ms_median",
    "browser_step_page_ms_p95",
    "step_payload_page_bytes",
    "prepare_ms_median",
)


def run(sizes: list[int], steps: int, sessions: int, folder: Path, naive: bool) -> dict:
    rows, concurrency = [], []
    query = f"date={START_DAY}&window=7"
    for n in sizes:
        path = data_file(n, folder)
        for approach in ("dashboard", "naive") if naive else ("dashboard",):
            load_s, _ = measure_load(path, approach)
            row = {"n": n, "approach": approach, "load_s": round(load_s, 2)}
            if approach == "naive" and n > NAIVE_BROWSER_MAX_N:
                row.update(
                    peak_rss_mb=None,
                    step_server_ms_median=round(naive_server_steps(path, 3), 1),
                    step_payload_bytes=None,
                    first_page_bytes=None,
                    browser_step_ms_median=None,
                    browser_step_ms_p95=None,
                    first_map_s=None,
                    first_map_s_max=None,
                    note=(
                        "browser figures not measured: each step rebuilds ~13,000 markers "
                        "(server time in the row, timed in-process over 3 steps; the page "
                        "would receive several MB per step)"
                    ),
                )
                rows.append(row)
                print(format_row(row), flush=True)
                continue
            server = Server(APPS[approach], path, folder)
            try:
                row.update(
                    asyncio.run(browser_figures(server, query, steps, approach == "dashboard"))
                )
                row["peak_rss_mb"] = round(server.peak_rss_mb(), 1)
                # the figure above was timed with Chromium on the same two cores
                row["step_server_shared_ms_median"] = row.pop("step_server_ms_median")
                if approach == "dashboard" and n == 100_000 and sessions:
                    got = asyncio.run(concurrent(server, query, sessions, steps))
                    concurrency.append({"data": f"synthetic ACLED {n:,}", **got})
            finally:
                server.stop()
            row.update(server_figures(APPS[approach], path, query, steps, folder))
            rows.append(row)
            print(format_row(row), flush=True)
    if sessions:
        server = Server(APPS["dashboard"], None, folder)
        try:
            got = asyncio.run(concurrent(server, query, sessions, steps))
            concurrency.insert(0, {"data": "bundled data/events.csv", **got})
            got = asyncio.run(concurrent(server, query, sessions, steps, via="page"))
            concurrency.insert(1, {"data": "bundled data/events.csv", **got})
        finally:
            server.stop()
    return {"rows": rows, "concurrency": concurrency}


def format_row(row: dict) -> str:
    def f(key, fmt="{:,.1f}"):
        value = row.get(key)
        return "—" if value is None else fmt.format(value)

    return (
        f"{row['n']:>9,} {row['approach']:>9} {f('load_s', '{:.2f}'):>7} "
        f"{f('peak_rss_mb', '{:,.0f}'):>8} {f('step_server_ms_median'):>9} "
        f"{f('step_server_cold_ms_median'):>8} {f('step_server_shared_ms_median'):>9} "
        f"{f('step_payload_bytes', '{:,.0f}'):>11} {f('first_page_bytes', '{:,.0f}'):>12} "
        f"{f('browser_step_ms_median'):>9} {f('browser_step_ms_p95'):>9} "
        f"{f('first_map_s', '{:.2f}'):>7}"
    )


HEADER = (
    f"{'N':>9} {'approach':>9} {'load s':>7} {'RSS MB':>8} {'srv ms':>9} {'cold ms':>8} "
    f"{'shared ms':>9} {'step B':>11} "
    f"{'first B':>12} {'step ms':>9} {'p95 ms':>9} {'map s':>7}"
)


def ratios(rows: list[dict]) -> list[str]:
    out = []
    by = {(r["n"], r["approach"]): r for r in rows}
    for (n, approach), naive in sorted(by.items()):
        dash = by.get((n, "dashboard"))
        if approach != "naive" or dash is None:
            continue
        parts = []
        for key, label in (
            ("step_server_ms_median", "server step"),
            ("browser_step_ms_median", "browser step"),
            ("step_payload_bytes", "step payload"),
        ):
            if naive.get(key) and dash.get(key):
                parts.append(f"{label} {naive[key] / dash[key]:,.1f}x")
        out.append(f"N={n:,}: naive / dashboard: " + (", ".join(parts) or "—"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument("--sizes", default="1000,10000,100000,1000000")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--no-naive", action="store_true")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "oem-bench")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    sizes = [int(x) for x in args.sizes.split(",")]
    print(HEADER, flush=True)
    got = run(sizes, args.steps, args.sessions, args.data, not args.no_naive)
    for line in ratios(got["rows"]):
        print(line)
    for c in got["concurrency"]:
        print(
            f"{c['sessions']} sessions at once on {c['data']} ({c['slider']}): "
            f"step p95 {c['step_ms_p95']} ms, "
            f"median {c['step_ms_median']} ms over {c['steps']} steps, "
            f"{len(c['errors'])} errors {c['errors'][:3]}"
        )
    machine = {
        "cpus": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": sys.version.split()[0],
        "date": time.strftime("%Y-%m-%d"),
    }
    results = [{k: r.get(k) for k in FIELDS} | {"note": r.get("note", "")} for r in got["rows"]]
    args.out.write_text(
        json.dumps(results, indent=1) + "\n", encoding="utf-8"
    )  # the list the issue asks for
    extra = args.out.with_name(args.out.stem + "-concurrency.json")
    extra.write_text(
        json.dumps({"machine": machine, "concurrency": got["concurrency"]}, indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {args.out} and {extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

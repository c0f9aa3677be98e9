"""Where a slider step's CPU goes: ``python -m bench.browser_cpu [N] [--steps K] [--via V]``.

``--via page`` (default) steps the page's Streamlit date slider (a fragment rerun); ``--via map``
the map's own time bar (dates the server wrote ahead, no rerun).

One visitor steps the slider K times (after 3 untimed steps) on the dashboard with N synthetic
ACLED events (0: the bundled data). Prints a table per step: CPU time of every Chromium process
(browser, GPU, renderers), of the Streamlit server, and the page's own main-thread figures from
Chrome's Performance domain (script, style, layout). On this 2-core machine, 10 concurrent
sessions can step no faster than (Chromium + server CPU per step) x 10 / 2.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from pathlib import Path

from bench.drive import (
    APPS,
    CHROMIUM,
    CHROMIUM_ARGS,
    START_DAY,
    Server,
    data_file,
    first_visit,
    next_day,
    settled,
    step,
)

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _cpu_ticks(stat_path: Path) -> int:
    fields = stat_path.read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def chromium_ticks() -> int:
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if b"chrom" in (proc / "cmdline").read_bytes():
                total += _cpu_ticks(proc / "stat")
        except OSError:  # a process that ended meanwhile
            continue
    return total


async def measure(server: Server, steps: int, via: str = "page") -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        query = f"date={START_DAY}&window=7"
        _, _, context, page, counter = await first_visit(browser, server.url, query)
        await settled(page)
        cdp = await context.new_cdp_session(page)
        await cdp.send("Performance.enable")
        day = START_DAY
        for _ in range(3):  # the page's second (full) run and caches settle first
            day = next_day(day)
            await step(page, counter, day, via=via)

        async def metrics() -> dict:
            got = await cdp.send("Performance.getMetrics")
            return {m["name"]: m["value"] for m in got["metrics"]}

        before, chromium0 = await metrics(), chromium_ticks()
        server0 = _cpu_ticks(Path(f"/proc/{server.proc.pid}/stat"))
        times = []
        t0 = time.perf_counter()
        for _ in range(steps):
            day = next_day(day)
            ms, _ = await step(page, counter, day, via=via)
            times.append(ms)
        wall = time.perf_counter() - t0
        after, chromium1 = await metrics(), chromium_ticks()
        server1 = _cpu_ticks(Path(f"/proc/{server.proc.pid}/stat"))
        await browser.close()
    per_step = {
        "browser step median (ms)": statistics.median(times),
        "wall time per step (ms)": wall * 1000 / steps,
        "Chromium CPU per step (ms)": (chromium1 - chromium0) * TICK_MS / steps,
        "server CPU per step (ms)": (server1 - server0) * TICK_MS / steps,
    }
    for name in ("TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration"):
        per_step[f"page main thread {name} (ms)"] = (after[name] - before[name]) * 1000 / steps
    return per_step


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.browser_cpu", description=__doc__)
    parser.add_argument("n", type=int, nargs="?", default=100_000)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--data", type=Path, default=Path("/tmp/oem-bench"))
    parser.add_argument("--via", choices=("page", "map"), default="page")
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    events = data_file(args.n, args.data) if args.n else None
    server = Server(APPS["dashboard"], events, args.data)
    try:
        got = asyncio.run(measure(server, args.steps, args.via))
    finally:
        server.stop()
    label = f"synthetic ACLED {args.n:,}" if args.n else "bundled data"
    label += ", time bar" if args.via == "map" else ", page slider"
    print(f"{'per slider step, ' + label:46s} {'value':>8s}")
    for name, value in got.items():
        print(f"{name:46s} {value:8.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

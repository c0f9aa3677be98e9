"""What the stack allows: a new visitor's first map on the least page the given stack can be
(bench/floor_app.py: one st_folium map of the outlines, offline Leaflet, nothing else), beside
the dashboard and the naive app (bench/naive_app.py), on the same machine in the same run.

    python -m bench.floor                   # N = 1k and 100k; prints a table
    python -m bench.floor --sizes 1000 --visitors 3 --json /tmp/floor.json

For each app: a first visitor warms the server (data loaded; not timed), then ``--visitors``
new visitors open the page one after another (``first map s``: the median, and the slowest),
then four new visitors open it at the same moment (``4 at once s``: the slowest of them). A
visitor's first map is the time from ``page.goto`` until the map shows the date (the map
container's ``data-oem-date``), as in bench/run.py. The floor app has no data: its row is the
same at every N.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path

from bench.drive import APPS, CHROMIUM, CHROMIUM_ARGS, START_DAY, Server, data_file, first_visit

FLOOR_APP = "bench/floor_app.py"
AT_ONCE = 4


async def visitors(server: Server, query: str, count: int) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _, _, context, _, _ = await first_visit(browser, server.url, query)  # warm, not timed
        await context.close()
        firsts, sizes = [], []
        for _ in range(count):
            seconds, got, context, _, _ = await first_visit(browser, server.url, query)
            firsts.append(seconds)
            sizes.append(got)
            await context.close()
        together = await asyncio.gather(
            *(first_visit(browser, server.url, query) for _ in range(AT_ONCE))
        )
        for _, _, context, _, _ in together:
            await context.close()
        await browser.close()
    return {
        "first_map_s": round(statistics.median(firsts), 2),
        "first_map_s_max": round(max(firsts), 2),
        "first_page_bytes": int(statistics.median(sizes)),
        "at_once_s_max": round(max(t[0] for t in together), 2),
    }


def measure(app: str, events: Path | None, folder: Path, count: int) -> dict:
    server = Server(app, events, folder)
    try:
        return asyncio.run(visitors(server, f"date={START_DAY}&window=7", count))
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.floor", description=__doc__)
    parser.add_argument("--sizes", default="1000,100000")
    parser.add_argument("--visitors", type=int, default=5)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "oem-bench")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    args.data.mkdir(parents=True, exist_ok=True)
    rows = [{"app": "floor", "n": None, **measure(FLOOR_APP, None, args.data, args.visitors)}]
    for n in (int(x) for x in args.sizes.split(",")):
        path = data_file(n, args.data)
        for approach in ("dashboard", "naive"):
            rows.append({"app": approach, "n": n, **measure(APPS[approach], path, args.data,
                                                             args.visitors)})  # fmt: skip
    print(f"{'app':>10} {'N':>9} {'first map s':>12} {'slowest s':>10} {'first B':>11} "
          f"{f'{AT_ONCE} at once s':>12}")  # fmt: skip
    for r in rows:
        n = "—" if r["n"] is None else f"{r['n']:,}"
        print(f"{r['app']:>10} {n:>9} {r['first_map_s']:>12.2f} {r['first_map_s_max']:>10.2f} "
              f"{r['first_page_bytes']:>11,} {r['at_once_s_max']:>12.2f}")  # fmt: skip
    if args.json:
        args.json.write_text(
            json.dumps({"date": time.strftime("%Y-%m-%d %H:%M"), "rows": rows}, indent=1) + "\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

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
  no page rerun; dashboard/steps.py); ``browser_step_page_ms_*`` is the page's Streamlit date
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
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
START_DAY = "2022-09-01"
APPS = {"dashboard": "dashboard/app.py", "naive": "bench/naive_app.py"}
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


def data_file(n: int, folder: Path) -> Path:
    """The synthetic ACLED export of n events (written once per n)."""
    path = folder / f"acled-{n}.csv"
    if not path.exists():
        from tests.synth import acled_events

        acled_events(n, seed=1).to_csv(path, index=False)
    return path


def measure_load(path: Path, approach: str) -> tuple[float, float]:
    """(seconds to read, validate and join; peak RSS MB of that process)."""
    code = {
        "dashboard": (
            "from dashboard.ingest.events import load_events; from dashboard.geo.regions import "
            "load_regions; r = load_regions(); import time; t = time.perf_counter(); "
            f"load_events({str(path)!r}, r); print(time.perf_counter() - t)"
        ),
        "naive": (
            "import time, pandas as pd, geopandas as gpd; t = time.perf_counter(); "
            f"df = pd.read_csv({str(path)!r}); "
            "df['event_date'] = pd.to_datetime(df['event_date']); "
            "p = gpd.GeoDataFrame(df, geometry=gpd.points_from_xy(df.longitude, df.latitude), "
            "crs='EPSG:4326'); o = gpd.read_file('data/geo/oblasts.geojson'); "
            "gpd.sjoin(p, o, how='left', predicate='within'); print(time.perf_counter() - t)"
        ),
    }[approach]
    code += "; import resource; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), int(out[1]) / 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """A Streamlit server for one app and data file, with its timing log."""

    def __init__(
        self,
        app: str,
        events: Path | None,
        folder: Path,
        cpus: set[int] | None = None,
        env: dict | None = None,
    ) -> None:
        self.port = free_port()
        static = (ROOT / app).parent / "static"  # Streamlit serves static/ beside the script
        if not static.exists():
            static.symlink_to(ROOT / "dashboard" / "static")
        self.log = folder / f"timing-{self.port}.log"
        env = {**os.environ, **(env or {}), "OEM_TIMING_LOG": str(self.log)}
        if events is not None:
            env["OEM_EVENTS_CSV"] = str(events)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", app, "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
        )  # fmt: skip
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2):  # noqa: S310
                    return
            except OSError:
                time.sleep(0.2)
        raise TimeoutError(f"{app} did not start")

    def warm(self, page_url: str) -> None:
        """Load the data into the server (its cache) before anyone is timed: a deployment
        loads its file once; load_s reports that cost separately."""
        urllib.request.urlopen(self.url, timeout=10).read()  # noqa: S310

    def step_times(self, what: str = "step") -> list[float]:
        if not self.log.exists():
            return []
        rows = [line.split("\t") for line in self.log.read_text().splitlines()]
        return [float(r[1]) for r in rows if r[0] == what]

    def clear_times(self) -> None:
        self.log.unlink(missing_ok=True)

    def peak_rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


async def new_session(browser, url: str, counter: dict):
    """A fresh visitor (own context), offline but for this machine; counts bytes received."""
    context = await browser.new_context(viewport={"width": 1600, "height": 1000})

    async def guard(route):
        host = urlparse(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost") or route.request.url.startswith("data:"):
            await route.continue_()
        else:
            await route.abort()

    await context.route("**/*", guard)
    page = await context.new_page()
    counter.setdefault("http", 0)
    counter.setdefault("ws", 0)
    counter.setdefault("errors", [])

    async def on_response(response):
        try:
            sizes = await response.request.sizes()
            counter["http"] += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        except Exception:  # noqa: BLE001 - a response the page dropped: nothing to count
            pass

    def on_ws(ws):
        ws.on(
            "framereceived", lambda payload: counter.__setitem__("ws", counter["ws"] + len(payload))
        )

    page.on("response", lambda r: asyncio.ensure_future(on_response(r)))
    page.on("websocket", on_ws)
    page.on("pageerror", lambda e: counter["errors"].append(f"page error: {e}"))
    return context, page


async def map_date(page, day: str, timeout_s: float = 120) -> None:
    frame = page.frame_locator(f"{MAP_FRAME} >> nth=-1")  # a rerun may briefly hold two
    await frame.locator(f".leaflet-container[data-oem-date='{day}']").wait_for(
        state="attached", timeout=timeout_s * 1000
    )


def next_day(day: str, k: int = 1) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(day) + dt.timedelta(days=k)).isoformat()


async def first_visit(browser, url: str, query: str) -> tuple[float, int, object, object, dict]:
    counter: dict = {}
    context, page = await new_session(browser, url, counter)
    t0 = time.perf_counter()
    await page.goto(f"{url}/?{query}")
    await map_date(page, START_DAY)
    elapsed = time.perf_counter() - t0
    await asyncio.sleep(0.3)  # let late responses be counted
    return elapsed, counter["http"] + counter["ws"], context, page, counter


FIRST_VISITS = 5  # first_map_s is the median over this many new visitors


async def settled(page, timeout_s: float = 60) -> None:
    """Wait until the page is complete: after the map, the first visit's second run brings
    the tables and the chart (finish_first_visit); steps are timed after that."""
    await page.get_by_text("Loading the events table").wait_for(
        state="detached", timeout=timeout_s * 1000
    )
    await page.locator("[data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout_s * 1000
    )


TIME_BAR = ".oem-timebar input[type=range]"  # the dashboard map's own date slider


async def step(
    page, counter: dict, day: str, timeout_s: float = 120, via: str = "page"
) -> tuple[float, int]:
    """Press Right on a date slider (``via``: "page", the Streamlit slider, or "map", the
    map's time bar); ms until the map shows ``day``, and the bytes received for it."""
    frame = page.frame_locator(f"{MAP_FRAME} >> nth=-1")
    if via == "map":
        await frame.locator(TIME_BAR).focus()
    else:
        await page.get_by_role("slider").first.focus()  # the page's date slider comes first
    await frame.locator("body").evaluate("() => performance.clearResourceTimings()")
    before = counter["ws"]
    t0 = time.perf_counter()
    await page.keyboard.press("ArrowRight")
    await map_date(page, day, timeout_s)
    elapsed = (time.perf_counter() - t0) * 1000
    # the rest of a rerun (table, summary) belongs to the step's payload too
    await page.locator("[data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout_s * 1000
    )
    # HTTP the map frame fetched for the step: the time bar's date file as decoded JSON (the
    # server may compress it on the wire; the WebSocket figure counts messages decoded too),
    # anything else as transferred (a script a re-mounted map takes from the cache is free)
    fetched = await frame.locator("body").evaluate(
        "() => performance.getEntriesByType('resource').reduce((a, e) => a +"
        " (e.name.includes('/app/static/steps/') ? e.decodedBodySize : e.transferSize), 0)"
    )
    return elapsed, counter["ws"] - before + int(fetched)


REPORT_WAIT_S = 2.0  # after time-bar steps: the client's report (0.25 s pause) and the rerun


async def browser_figures(server: Server, query: str, steps: int, time_bar: bool) -> dict:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # a first visitor warms the server (data loaded and indexed), not timed
        _, _, context, _, _ = await first_visit(browser, server.url, query)
        await context.close()
        firsts, first_bytes = [], []
        for k in range(FIRST_VISITS):  # new visitors, one after another; the last one steps
            first_s, got_bytes, context, page, counter = await first_visit(
                browser, server.url, query
            )
            firsts.append(first_s)
            first_bytes.append(got_bytes)
            if k < FIRST_VISITS - 1:
                await context.close()
        await settled(page)
        day = START_DAY
        out = {}
        for via in ("map", "page") if time_bar else ("page",):
            server.clear_times()
            times, sizes = [], []
            for _ in range(steps):
                day = next_day(day)
                ms, size = await step(page, counter, day, via=via)
                times.append(ms)
                sizes.append(size)
            out[via] = (times, sizes, server.step_times())
            if via == "map":  # the page follows the map once the steps pause
                await asyncio.sleep(REPORT_WAIT_S)
                await settled(page)
        prepared = server.step_times("prepare")
        await context.close()
        await browser.close()
    times, sizes, _ = out["map" if time_bar else "page"]
    page_times, page_sizes, server_ms = out["page"]
    return {
        "browser_step_page_ms_median": round(statistics.median(page_times), 1),
        "browser_step_page_ms_p95": round(p95(page_times), 1),
        "step_payload_page_bytes": int(statistics.median(page_sizes)),
        "prepare_ms_median": round(statistics.median(prepared), 1) if prepared else None,
        "first_map_s": round(statistics.median(firsts), 3),
        "first_map_s_max": round(max(firsts), 3),
        "first_page_bytes": int(statistics.median(first_bytes)),
        "browser_step_ms_median": round(statistics.median(times), 1),
        "browser_step_ms_p95": round(p95(times), 1),
        "step_payload_bytes": int(statistics.median(sizes)),
        "step_server_ms_median": round(statistics.median(server_ms), 1) if server_ms else None,
        "errors": counter["errors"],
    }


SERVER_CPU, BROWSER_CPUS = {0}, {1}  # the server-time pass: one core each


async def server_steps(server: Server, query: str, steps: int) -> list[float]:
    """The server's own time per step (its timing log) while a browser steps the slider."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _, _, context, page, counter = await first_visit(browser, server.url, query)
        await settled(page)
        server.clear_times()
        day = START_DAY
        for _ in range(steps):
            day = next_day(day)
            await step(page, counter, day)
        await context.close()
        await browser.close()
    return server.step_times()


def server_figures(app: str, path: Path, query: str, steps: int, folder: Path) -> dict:
    """Server time per step with the browser kept off the server's core, as when the visitor's
    browser runs on their own machine: the server on core 0, this process and Chromium on
    core 1. Twice for the dashboard: as deployed (the next dates' popups are prepared while
    the browser draws) and cold (OEM_PREPARE_AHEAD=0: every step formats its own)."""
    if (os.cpu_count() or 1) < 2:
        return {}
    out = {}
    runs = [("step_server_ms_median", {})]
    if app == APPS["dashboard"]:
        runs.append(("step_server_cold_ms_median", {"OEM_PREPARE_AHEAD": "0"}))
    before = os.sched_getaffinity(0)
    for field_name, env in runs:
        server = Server(app, path, folder, cpus=SERVER_CPU, env=env)
        try:
            os.sched_setaffinity(0, BROWSER_CPUS)  # Chromium, started below, inherits it
            times = asyncio.run(server_steps(server, query, steps))
        finally:
            os.sched_setaffinity(0, before)
            server.stop()
        out[field_name] = round(statistics.median(times), 1) if times else None
    return out


async def concurrent(
    server: Server, query: str, sessions: int, steps: int, via: str = "map"
) -> dict:
    """``sessions`` visitors open the page, then all step the slider (``via``, see ``step``)
    at the same time."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        opened = []
        errors: list[str] = []
        for _ in range(sessions):
            try:
                _, _, context, page, counter = await first_visit(browser, server.url, query)
                await settled(page)
                opened.append((context, page, counter))
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors.append(f"open: {type(exc).__name__}: {exc}"[:200])

        async def run(page, counter) -> list[float]:
            out, day = [], START_DAY
            for _ in range(steps):
                day = next_day(day)
                try:
                    ms, _ = await step(page, counter, day, timeout_s=30, via=via)
                    out.append(ms)
                except Exception as exc:  # noqa: BLE001 - counted and reported
                    errors.append(f"step: {type(exc).__name__}"[:200])
                    break
            if await page.locator("[data-testid='stException']").count():
                errors.append("exception shown in the page")
            return out

        server.clear_times()
        results = await asyncio.gather(*(run(p, c) for _, p, c in opened))
        for _, _, counter in opened:
            errors += counter["errors"]
        for context, _, _ in opened:
            await context.close()
        await browser.close()
    times = [t for r in results for t in r]
    server_ms = server.step_times()
    return {
        "sessions": sessions,
        "steps": len(times),
        "step_ms_median": round(statistics.median(times), 1) if times else None,
        "step_ms_p95": round(p95(times), 1) if times else None,
        "server_ms_median": round(statistics.median(server_ms), 1) if server_ms else None,
        "slider": "the map's time bar" if via == "map" else "the page's date slider",
        "errors": errors,
    }


def naive_server_steps(path: Path, steps: int) -> float:
    """Server time of the naive approach's steps, timed in-process (for N where driving the
    browser would take too long): the same map build, rendered as st_folium renders it."""
    code = f"""
import time, statistics, pandas as pd, folium
from streamlit_folium import generate_leaflet_string
df = pd.read_csv({str(path)!r}); df['event_date'] = pd.to_datetime(df['event_date'])
out = []
for k in range({steps}):
    t = time.perf_counter()
    day = pd.Timestamp('{START_DAY}') + pd.Timedelta(days=k + 1)
    shown = df[(df.event_date >= day - pd.Timedelta(days=6)) & (df.event_date <= day)]
    m = folium.Map(location=(48.2, 35.6), zoom_start=6, tiles=None)
    for row in shown.itertuples():
        folium.CircleMarker((row.latitude, row.longitude), radius=5, fill=True,
            tooltip=f"{{row.location}} {{row.event_date:%Y-%m-%d}} "
                    f"{{row.event_type}}: {{row.notes}}"
        ).add_to(m)
    m.render(); generate_leaflet_string(m)
    out.append((time.perf_counter() - t) * 1000)
print(statistics.median(out))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return float(done.stdout.split()[-1])


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

"""The figures of one benchmark row, taken on servers and visitors from bench/drive.py: load
time and memory in a separate process, the browser's figures (first visits, steps, bytes),
the server's own time per step with the browser kept off its core, concurrent sessions, and
the naive approach's steps timed in-process where driving a browser would take too long.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
from pathlib import Path

from bench.drive import (
    APPS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    START_DAY,
    Server,
    first_visit,
    next_day,
    settled,
    step,
)

FIRST_VISITS = 5  # first_map_s is the median over this many new visitors

REPORT_WAIT_S = 2.0  # after time-bar steps: the client's report (0.25 s pause) and the rerun


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


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


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

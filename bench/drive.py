"""Driving one benchmark run: the synthetic data file, a Streamlit server per app and file
(with its timing log), and Chromium visitors (Playwright, every non-local request blocked)
that open the page and step its date sliders. The figures are taken in bench/measure.py.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
START_DAY = "2022-09-01"
APPS = {"dashboard": "dashboard/serve.py", "naive": "bench/naive_app.py"}


def data_file(n: int, folder: Path) -> Path:
    """The synthetic ACLED export of n events (written once per n)."""
    path = folder / f"acled-{n}.csv"
    if not path.exists():
        from tests.synth import acled_events

        acled_events(n, seed=1).to_csv(path, index=False)
    return path


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
        if not static.exists() and not static.is_symlink():  # a link made before the copy
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

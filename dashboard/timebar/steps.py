"""Dates drawn ahead, as static files the map client fetches itself. No Streamlit.

Stepping the map's own time bar must not rerun the page: a Streamlit rerun costs the visitor's
browser 200-300 ms of CPU (React re-rendering every widget), which ten sessions on one machine
cannot afford. So after each date the page shows, one background thread writes the payloads of
the dates around it (exactly what the page would send for them) to files served by the app,
``/app/static/steps/<process>/<scene>/<YYYY-MM-DD>.json``. The client draws them on a key press;
a date not there yet makes the client ask the server, which draws it as before.

The scene part of the path is an HMAC of everything the payload depends on (data, upload,
filters, window, metric, language, tiles, mode) under a key made at start-up, so a file can only
be found by the session it was made for. An upload's dates are never written: its time bar asks
the server for each date (``page.main``). Each process writes under its own folder, removes the
folders of processes that have ended when it starts, removes its own when it exits, and keeps
its own under ``max_bytes`` by dropping the scenes used longest ago.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import logging
import os
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

log = logging.getLogger("oblast_events_map")

FORWARD_DAYS = 30  # dates prepared after the one shown (holding → steps through a month)
BACK_DAYS = 10  # and before it
PLAYBACK_STEPS = 10  # with a playback step of a week: this many weeks ahead
MAX_BYTES = 256 * 2**20  # per process; the scenes used longest ago go first


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class StepFiles:
    """The prepared dates of one process, on disk under ``root/<token>/``."""

    def __init__(
        self, root: Path, url_prefix: str, max_bytes: int = MAX_BYTES, secret: bytes | None = None
    ) -> None:
        self.root = Path(root)
        self.token = secrets.token_hex(8)
        self.folder = self.root / self.token
        self.url_prefix = url_prefix.rstrip("/") + "/" + self.token
        self.max_bytes = max_bytes
        self._secret = secret or secrets.token_bytes(32)
        self._lock = threading.Lock()
        self._scenes: OrderedDict[str, int] = OrderedDict()  # scene -> bytes, oldest first
        self._started = False

    def start(self) -> None:
        """Once, as the process starts serving: the folders of ended processes go, ours is made.
        Our folder goes again when the process exits (``close``)."""
        with self._lock:
            self._start()

    def close(self) -> None:
        """Remove this process's folder (at exit: nothing it wrote outlives it)."""
        with self._lock:
            self._scenes.clear()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _start(self) -> None:
        if self._started:
            return
        self._started = True
        if self.root.is_dir():
            for old in self.root.iterdir():
                pid_file = old / "pid"
                try:
                    pid = int(pid_file.read_text())
                except (OSError, ValueError):
                    pid = -1
                if old != self.folder and (pid < 0 or not _alive(pid)):
                    shutil.rmtree(old, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "pid").write_text(str(os.getpid()))

    def key(self, *parts) -> str:
        """The scene's name: an HMAC of ``parts`` (everything the payload depends on)."""
        message = repr(parts).encode("utf-8")
        return hmac.new(self._secret, message, hashlib.sha256).hexdigest()[:32]

    def url(self, key: str) -> str:
        """Where the client finds this scene's dates (append ``YYYY-MM-DD.json``)."""
        return f"{self.url_prefix}/{key}/"

    def path(self, key: str, day: date) -> Path:
        return self.folder / key / f"{day:%Y-%m-%d}.json"

    def has(self, key: str, day: date) -> bool:
        return self.path(key, day).exists()

    def write(self, key: str, day: date, text: str) -> Path:
        """Write one date's payload atomically (a client never reads half a file)."""
        data = text.encode("utf-8")
        with self._lock:
            self._start()
            path = self.path(key, day)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + f".{threading.get_ident()}.tmp")
            tmp.write_bytes(data)
            tmp.replace(path)
            self._scenes[key] = self._scenes.get(key, 0) + len(data)
            self._scenes.move_to_end(key)
            self._evict(keep=key)
        return path

    def touch(self, key: str) -> None:
        """The scene is in use again: it is the last to be dropped."""
        with self._lock:
            if key in self._scenes:
                self._scenes.move_to_end(key)

    def _evict(self, keep: str) -> None:
        while sum(self._scenes.values()) > self.max_bytes and len(self._scenes) > 1:
            oldest = next(iter(self._scenes))
            if oldest == keep:
                self._scenes.move_to_end(keep)
                continue
            self._scenes.pop(oldest)
            shutil.rmtree(self.folder / oldest, ignore_errors=True)

    def bytes_used(self) -> int:
        with self._lock:
            return sum(self._scenes.values())


def days_around(day: date, first: date, last: date, playback_step: int = 1) -> list[date]:
    """The dates to prepare after showing ``day``, nearest first: the next and previous
    date, the next playback step, then a month forward and ten days back."""
    order = [1, -1, playback_step]
    for k in range(2, FORWARD_DAYS + 1):
        order.append(k)
        if k <= BACK_DAYS:
            order.append(-k)
    order += [playback_step * k for k in range(2, PLAYBACK_STEPS + 1)]
    out = []
    for k in dict.fromkeys(order):
        other = day + timedelta(days=k)
        if first <= other <= last:
            out.append(other)
    return out


MAX_YIELD_S = 2.0  # the longest a date waits for page runs to finish


def _lower_priority() -> None:
    """The preparing thread yields the core to the page's own work (Linux: per thread)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


class Preparer:
    """One background thread that writes the dates around the one just shown. A date already
    written (or queued) is skipped, and batches beyond ``max_waiting`` are dropped: falling
    behind costs only speed (the client then asks the server), never a result."""

    def __init__(self, max_waiting: int = 4, remember: int = 4096) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oem-ahead")
        self._done: OrderedDict = OrderedDict()
        self._waiting = 0
        self._lock = threading.Lock()
        self.max_waiting = max_waiting
        self.remember = remember
        self.on_written: Callable[[float], None] | None = None  # ms per date (the bench's log)
        self._steps = 0  # page runs under way: dates wait for them (they share one interpreter)
        self._quiet = threading.Condition()

    @contextlib.contextmanager
    def step(self):
        """Around a page run: no date is started while one is under way."""
        with self._quiet:
            self._steps += 1
        try:
            yield
        finally:
            with self._quiet:
                self._steps -= 1
                self._quiet.notify_all()

    def _wait_quiet(self) -> None:
        with self._quiet:  # never starve: under constant load, go on after MAX_YIELD_S
            self._quiet.wait_for(lambda: self._steps == 0, timeout=MAX_YIELD_S)

    def submit(
        self, files: StepFiles, key: str, days: Iterable[date], build: Callable[[date], str]
    ) -> Future | None:
        files.touch(key)
        with self._lock:
            todo = [d for d in days if (files.token, key, d) not in self._done]
            todo = [d for d in todo if not files.has(key, d)]
            if not todo or self._waiting >= self.max_waiting:
                return None
            self._waiting += 1
            for d in todo:
                self._done[(files.token, key, d)] = True
            while len(self._done) > self.remember:
                self._done.popitem(last=False)

        def run() -> None:
            _lower_priority()
            try:
                for d in todo:
                    self._wait_quiet()
                    started = time.perf_counter()
                    files.write(key, d, build(d))
                    if self.on_written is not None:
                        self.on_written((time.perf_counter() - started) * 1000)
            except Exception:  # only a head start is lost: the client asks the server instead
                log.exception("preparing dates failed")
                with self._lock:
                    for d in todo:
                        self._done.pop((files.token, key, d), None)
            finally:
                with self._lock:
                    self._waiting -= 1

        return self._pool.submit(run)

"""An upload read in a process of its own, which can be cancelled. No Streamlit.

Reading and checking a large file is minutes of one core's Python; in the server's process it
held the interpreter, and every other visitor waited (issue 22: another visitor's first map
took 3-5 times its idle time while a 100 MB CSV was read). A ``Job`` runs one function in a
child process forked from a server of processes started once, with the ingest modules already
imported (``multiprocessing``'s forkserver), and hands back its result; the server's process
only waits, polling, so it stays free for other visitors.

- **Cancelled** when a newer file or setting replaces it (``Job.cancel``), and when its
  session ends (``cancel_session``, from ``page.reaper``): the child is killed, and all the
  memory it used goes with it.
- **Bounded**: the child may hold at most ``OEM_UPLOAD_MEMORY_MB`` (default
  ``MEMORY_MB``) of data (``RLIMIT_DATA``); past it, the upload is refused with a message
  naming the limit, and the server is untouched.
- **Yielding**: the child runs at a lower CPU priority (``NICE``), so on a busy machine the
  server's own work (other visitors' pages) goes first; on an idle one it changes nothing.
- A child that dies (killed from outside, out of memory) gives a message, never a traceback.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import threading
import time
from dataclasses import dataclass, field
from multiprocessing import spawn

log = logging.getLogger("oblast_events_map")

MEMORY_MB = 4096
NICE = 10  # the reader's CPU priority below the server's: on a busy machine it waits
PRELOAD = ["dashboard.ingest.datasets"]
_PENDING = object()
_LOCK = threading.Lock()
_START_LOCK = threading.Lock()
_JOBS: dict[str, set] = {}  # session id -> its running jobs
_CONTEXT = None


class JobFailed(Exception):
    """The child could not give a result; the message is meant for the user, in one line."""


def memory_mb() -> int:
    from dashboard import settings

    return max(256, int(settings.get_float("OEM_UPLOAD_MEMORY_MB", MEMORY_MB)))


def _context():
    global _CONTEXT
    with _LOCK:
        if _CONTEXT is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _CONTEXT = ctx
        return _CONTEXT


def warm() -> None:
    """Start the forkserver now (its Python, with the reading code imported: seconds of a core),
    so the first upload does not pay for it while other visitors wait. ``dashboard/serve.py``
    calls it shortly after the server starts."""
    from multiprocessing import forkserver

    _context()
    try:
        forkserver.ensure_running()
    except Exception:  # noqa: BLE001 - the first upload starts it then
        log.exception("the upload reader's forkserver did not start")


def warm_later(delay_s: float = 3.0) -> threading.Timer:
    """``warm`` on a daemon timer thread, ``delay_s`` from now."""
    timer = threading.Timer(delay_s, warm)
    timer.daemon = True
    timer.start()
    return timer


def _start(process) -> None:
    """``process.start()`` without the main module: multiprocessing would run the
    ``__main__`` module again in the child, and while a page runs, Streamlit has put the page's
    script there (``dashboard/app.py``): the child drew the whole page, bare, before reading.
    The child needs only ``_child`` and its arguments, all importable by name."""
    original = spawn.get_preparation_data

    def without_main(name):
        data = original(name)
        data.pop("init_main_from_path", None)
        data.pop("init_main_from_name", None)
        return data

    with _START_LOCK:
        spawn.get_preparation_data = without_main
        try:
            process.start()
        finally:
            spawn.get_preparation_data = original


def _child(conn, limit_bytes: int, fn, args) -> None:
    """In the child: bound its data, run ``fn(*args)``, send ("ok", result) or ("error", why)."""
    import resource

    with contextlib.suppress(ValueError, OSError):  # a lower hard limit already: kept
        resource.setrlimit(resource.RLIMIT_DATA, (limit_bytes, limit_bytes))
    with contextlib.suppress(OSError):
        os.nice(NICE)  # the server's page runs, other visitors' among them, come first
    try:
        out = ("ok", fn(*args))
    except MemoryError:
        out = ("memory", None)
    except Exception as exc:  # noqa: BLE001 - reported to the page as one line
        out = ("error", f"{type(exc).__name__}: {exc}")
    try:
        conn.send(out)
    except MemoryError:
        conn.send(("memory", None))
    finally:
        conn.close()


@dataclass(eq=False)
class Job:
    """``fn(*args)`` running in a child process; ``key`` names what it reads."""

    key: object
    fn: object
    args: tuple
    session: str | None = None
    started: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        ctx = _context()
        self._recv, send = ctx.Pipe(duplex=False)
        self._result = _PENDING
        self.limit_mb = memory_mb()
        self.process = ctx.Process(
            target=_child,
            args=(send, self.limit_mb * 1024 * 1024, self.fn, self.args),
            daemon=True,
            name="oem-upload-reader",
        )
        _start(self.process)
        send.close()
        if self.session is not None:
            with _LOCK:
                _JOBS.setdefault(self.session, set()).add(self)

    def poll(self, timeout: float = 0.0) -> bool:
        """True once the child has answered (or died); waits up to ``timeout`` seconds."""
        if self._result is not _PENDING:
            return True
        try:
            ready = self._recv.poll(timeout)
        except (OSError, EOFError):
            ready = True
        if not ready and self.process.is_alive():
            return False
        try:
            self._result = self._recv.recv()
        except (EOFError, OSError):
            code = self.process.exitcode
            self._result = ("died", code)
        self._finish()
        return True

    def result(self):
        """The function's result; ``JobFailed`` with a message for the user otherwise."""
        while not self.poll(1.0):
            pass
        kind, value = self._result
        if kind == "ok":
            return value
        if kind == "memory":
            raise JobFailed(
                f"reading the file needed more than {self.limit_mb:,} MB of memory, "
                "the limit for one upload (OEM_UPLOAD_MEMORY_MB)"
            )
        if kind == "error":
            raise JobFailed(f"the file could not be read ({value.splitlines()[0][:200]})")
        raise JobFailed(f"reading the file stopped (its process ended with code {value})")

    @property
    def running(self) -> bool:
        return self._result is _PENDING

    def cancel(self) -> None:
        """Kill the child if it still runs."""
        if self._result is _PENDING:
            self._result = ("died", "cancelled")
            if self.process.is_alive():
                self.process.kill()
        self._finish()

    def _finish(self) -> None:
        self.process.join(timeout=5)
        with contextlib.suppress(OSError):
            self._recv.close()
        if self.session is not None:
            with _LOCK:
                jobs = _JOBS.get(self.session)
                if jobs is not None:
                    jobs.discard(self)
                    if not jobs:
                        del _JOBS[self.session]


def cancel_session(session_id: str) -> int:
    """Kill every job of an ended session; how many were running."""
    with _LOCK:
        jobs = list(_JOBS.pop(session_id, ()))
    for job in jobs:
        job.cancel()
    if jobs:
        log.info("cancelled %d upload read(s) of an ended session", len(jobs))
    return len(jobs)


def running() -> int:
    """Jobs running now, over all sessions (read by the tests)."""
    with _LOCK:
        return sum(len(j) for j in _JOBS.values())

"""How the command-line tools (``dashboard.validate``, ``dashboard.snapshot``,
``dashboard.deck``) end: one line on standard error and an exit status on every path, never a
traceback. No Streamlit.

Exit statuses: 0 done; 1 done, with rejected records (validate); 2 the input cannot be used
(each tool says why); 3 the output could not be written (a full disk, a closed pipe, a folder
that cannot be written); 130 interrupted.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

OUTPUT_FAILED = 3
INTERRUPTED = 130


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # standard error closed too: the status says it
        print(line, file=sys.stderr, flush=True)


def _drop_stdout() -> None:
    """Standard output is broken: send what is left of it nowhere, so the interpreter's own
    flush at exit raises nothing."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def run(main: Callable[[list[str] | None], int], argv: list[str] | None = None) -> int:
    """``main(argv)``'s status; a broken output or an interrupt becomes one line and a status."""
    try:
        code = main(argv)
        sys.stdout.flush()  # a full disk shows here, not in the interpreter's exit
        return code
    except (BrokenPipeError, ValueError):  # ValueError: standard output was closed
        _drop_stdout()
        _say("error: the output was closed before everything was written")
        return OUTPUT_FAILED
    except OSError as exc:
        _drop_stdout()
        where = f" ({exc.filename})" if exc.filename else ""
        _say(f"error: cannot write the output{where}: {exc.strerror or exc}")
        return OUTPUT_FAILED
    except KeyboardInterrupt:
        _say("interrupted")
        return INTERRUPTED
    except MemoryError:
        _drop_stdout()
        _say("error: out of memory")
        return 2

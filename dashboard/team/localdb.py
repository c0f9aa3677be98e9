"""A throwaway PostgreSQL+PostGIS cluster on a unix socket, for the tests and the benchmark.
No Streamlit.

PostgreSQL will not run as root, so as root the cluster is made and run as ``nobody``. The
binaries are Debian's (``postgresql-15`` and ``postgresql-15-postgis-3``; scripts/ensure_team.sh
installs them).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
POSTGIS_CONTROL = Path("/usr/share/postgresql/15/extension/postgis.control")


def missing() -> str:
    """Why a local cluster cannot be started here ("" when it can)."""
    if not (PG_BIN / "initdb").exists():
        return "PostgreSQL 15 is not installed (apt-get install postgresql-15)"
    if not POSTGIS_CONTROL.exists():
        return "PostGIS is not installed (apt-get install postgresql-15-postgis-3)"
    return ""


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "nobody", "--", *args] if os.geteuid() == 0 else args


@contextlib.contextmanager
def cluster(port: int = 55432) -> Iterator[str]:
    """Start a cluster with a database ``oem`` holding PostGIS; yields its URL; stops and
    removes it after."""
    why = missing()
    if why:
        raise RuntimeError(why)
    folder = Path(tempfile.mkdtemp(prefix="oem-pg-"))
    data = folder / "data"
    if os.geteuid() == 0:
        shutil.chown(folder, "nobody", "nogroup")
    folder.chmod(0o700)
    run = lambda *a: subprocess.run(  # noqa: E731
        _as_owner([*map(str, a)]), check=True, capture_output=True, text=True, timeout=120
    )
    try:
        run(PG_BIN / "initdb", "-D", data, "-A", "trust", "-U", "oem", "-E", "UTF8", "--no-sync")
        options = f"-k {folder} -p {port} -c listen_addresses='' -c fsync=off"
        run(PG_BIN / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start")
        url = f"postgresql://oem@/oem?host={folder}&port={port}"
        run(PG_BIN / "createdb", "-h", folder, "-p", port, "-U", "oem", "oem")
        run(PG_BIN / "psql", "-h", folder, "-p", port, "-U", "oem", "-d", "oem", "-qc",
            "CREATE EXTENSION postgis")  # fmt: skip
        yield url
    finally:
        subprocess.run(
            _as_owner([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)

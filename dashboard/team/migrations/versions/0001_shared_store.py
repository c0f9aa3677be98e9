"""The shared store: datasets with their events (PostGIS points), decks and saved views.

Revision ID: 0001
Revises:
"""

from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


# The events' text columns (dashboard.config), every one NOT NULL DEFAULT ''.
TEXT_COLUMNS = (
    "id", "group_id", "date_precision", "scope", "oblast", "settlement", "category", "title",
    "description", "source_name", "source_url", "verification", "claimed_by", "notes",
    "event_type", "sub_event_type", "actor1", "actor2", "admin2", "civilian_targeting",
    "date_code", "place_code", "placed_by", "format",
)  # fmt: skip
TEXTS = "".join(f"            {name} text NOT NULL DEFAULT '',\n" for name in TEXT_COLUMNS)


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    op.execute(
        """
        CREATE TABLE oem_dataset (
            id          bigserial PRIMARY KEY,
            name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            file_name   text NOT NULL DEFAULT '' CHECK (length(file_name) <= 300),
            shared_by   text NOT NULL,
            shared_at   timestamptz NOT NULL DEFAULT now(),
            licence     text NOT NULL DEFAULT '' CHECK (length(licence) <= 20000),
            report      jsonb NOT NULL DEFAULT '{}'::jsonb,
            rows_read   integer NOT NULL DEFAULT 0,
            events      integer NOT NULL DEFAULT 0,
            first_date  date,
            last_date   date
        )
        """
    )
    op.execute(
        """
        CREATE TABLE oem_event (
            dataset_id   bigint NOT NULL REFERENCES oem_dataset(id) ON DELETE CASCADE,
            n            integer NOT NULL,
            start_date   date NOT NULL,
            end_date     date,
            last_date    date NOT NULL,
            oblast_code  text NOT NULL DEFAULT '',
            in_five      boolean NOT NULL DEFAULT false,
            near_border  boolean NOT NULL DEFAULT false,
            lat          double precision,
            lon          double precision,
            geom         geometry(Point, 4326) GENERATED ALWAYS AS (
                CASE WHEN lat IS NOT NULL AND lon IS NOT NULL
                     THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED,
            fatalities       double precision,
            fatalities_low   double precision,
            fatalities_high  double precision,
            record       integer NOT NULL DEFAULT 0,
"""
        + TEXTS
        + """
            PRIMARY KEY (dataset_id, n)
        )
        """
    )
    op.execute("CREATE INDEX oem_event_date ON oem_event (dataset_id, start_date, last_date)")
    op.execute("CREATE INDEX oem_event_oblast ON oem_event (dataset_id, oblast_code, start_date)")
    op.execute("CREATE INDEX oem_event_geom ON oem_event USING gist (geom)")
    op.execute(
        """
        CREATE TABLE oem_deck (
            id         bigserial PRIMARY KEY,
            title      text NOT NULL DEFAULT '',
            body       text NOT NULL,
            dataset_id bigint REFERENCES oem_dataset(id) ON DELETE SET NULL,
            shared_by  text NOT NULL,
            shared_at  timestamptz NOT NULL DEFAULT now()
        )
        """
    )
    op.execute(
        """
        CREATE TABLE oem_view (
            id         bigserial PRIMARY KEY,
            name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
            query      text NOT NULL CHECK (length(query) <= 40000),
            shared_by  text NOT NULL,
            shared_at  timestamptz NOT NULL DEFAULT now()
        )
        """
    )


def downgrade() -> None:
    op.execute("DROP TABLE IF EXISTS oem_view")
    op.execute("DROP TABLE IF EXISTS oem_deck")
    op.execute("DROP TABLE IF EXISTS oem_event")
    op.execute("DROP TABLE IF EXISTS oem_dataset")

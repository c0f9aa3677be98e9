"""A window of dates finds its events on a GiST index of each event's span of days.

With only a B-tree on (dataset, start date), ``start_date <= end AND last_date >= start`` scans
every event that started before the window's end: half a dataset for a date in its middle
(240 ms at 1M events, bench/store.py). The span as a daterange under GiST (with btree_gist for
the dataset's id) finds the overlapping events directly.

Revision ID: 0002
Revises: 0001
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    op.execute(
        "CREATE INDEX oem_event_span ON oem_event USING gist "
        "(dataset_id, daterange(start_date, last_date, '[]'))"
    )


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS oem_event_span")

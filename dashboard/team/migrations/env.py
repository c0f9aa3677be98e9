"""Alembic environment of the shared store: migrations run on the connection the caller gives
(``store.migrate``) or on ``sqlalchemy.url`` from the config. No models: each migration is SQL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

config = context.config


def run() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, version_table="oem_schema_version")
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as conn:
        context.configure(connection=conn, version_table="oem_schema_version")
        with context.begin_transaction():
            context.run_migrations()


run()

"""Alembic environment: run migrations on the connection Station hands over, or on a URL."""

from __future__ import annotations

from alembic import context

from station_app.server.core.db import make_engine
from station_app.server.core.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = context.get_x_argument(as_dictionary=True).get("url")
    if not url:
        raise SystemExit("Give the database with -x url=..., or run `station-server migrate`.")
    engine = make_engine(url)
    try:
        with engine.begin() as own_connection:
            context.configure(connection=own_connection, target_metadata=target_metadata)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Station's migrations run online only.")
run_migrations()

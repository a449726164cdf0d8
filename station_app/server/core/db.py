"""Database engines, sessions and migrations, for SQLite files and PostgreSQL (psycopg 3)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any, cast

from sqlalchemy import ColumnElement, Engine, Integer, any_, bindparam, create_engine, event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.orm import Session, sessionmaker

# alembic.ini and migrations/ stay at the top of the server package: they hold the schema
# history of every feature (each on its own branch), not of the core alone.
SERVER_DIR = Path(__file__).resolve().parent.parent


def normalise_database_url(database_url: str) -> str:
    """Accept `postgresql://` and `postgres://` and send both through psycopg 3."""
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix) :]
    return database_url


def is_sqlite(database_url: str) -> bool:
    return make_url(normalise_database_url(database_url)).get_backend_name() == "sqlite"


def make_engine(
    database_url: str,
    *,
    pool_size: int = 5,
    pool_overflow: int = 5,
    statement_timeout_ms: int | None = None,
) -> Engine:
    """An engine with the per-connection settings Station relies on.

    SQLite: foreign keys are off unless asked for on every connection; WAL lets the
    desktop client's readers carry on while a write commits; the busy timeout makes a
    second writer wait instead of failing. PostgreSQL: connection options in the URL
    (for example `?options=-csearch_path%3Dschema`) are passed through to psycopg; each
    process keeps `pool_size` connections and opens up to `pool_overflow` more at a peak;
    `statement_timeout_ms` (the server's engine, not migrations) stops a runaway statement
    in the database rather than letting it hold a worker (docs/server.md, "Sizing").
    """
    url = normalise_database_url(database_url)
    if not is_sqlite(url):
        engine = create_engine(
            url,
            pool_pre_ping=True,
            pool_size=pool_size,
            max_overflow=pool_overflow,
            pool_timeout=10,
        )
        if statement_timeout_ms:

            @event.listens_for(engine, "connect")
            def _statement_timeout(dbapi_connection: Any, _record: Any) -> None:
                autocommit = dbapi_connection.autocommit
                dbapi_connection.autocommit = True
                with dbapi_connection.cursor() as cursor:
                    cursor.execute(f"SET statement_timeout = {int(statement_timeout_ms)}")
                dbapi_connection.autocommit = autocommit

        return engine
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    return engine


def id_in(column: Any, ids: Iterable[int], dialect: Dialect) -> ColumnElement[bool]:
    """`column IN (ids)`; on PostgreSQL `column = ANY(:ids)`, one array parameter, so the
    statement reads the same however many ids it asks for. psycopg then converts it once
    and prepares it, where an IN list of a hundred parameters was converted again on every
    search (about a third of a person search's time on the server)."""
    if dialect.name == "postgresql":
        return any_id(column, ids)
    return cast(ColumnElement[bool], column.in_(list(ids)))


def any_id(column: Any, ids: Iterable[int]) -> ColumnElement[bool]:
    """PostgreSQL's `column = ANY(:ids)` (`id_in`), for a query only PostgreSQL runs."""
    return cast(ColumnElement[bool], column == any_(bindparam(None, list(ids), ARRAY(Integer))))


def make_session_factory(
    engine: Engine, info: dict[str, Any] | None = None
) -> sessionmaker[Session]:
    """Sessions on `engine`; `info` is given to each (`session.info`: the app's metrics)."""
    return sessionmaker(bind=engine, expire_on_commit=False, info=info)


def alembic_config() -> Any:
    """The Alembic configuration shipped inside the package (paths relative to it)."""
    from alembic.config import Config

    config = Config(str(SERVER_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(SERVER_DIR / "migrations"))
    return config


def migrate_engine(engine: Engine) -> None:
    """Bring the database behind `engine` up to the newest schema, on that engine's own
    connection (so a PostgreSQL search_path set in its options is honoured)."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        # "heads": each feature (incidents, custody, case files) keeps its own migration
        # branch off the foundation, so features can land in any order.
        command.upgrade(config, "heads")


@cache
def schema_heads() -> frozenset[str]:
    """The newest migration of each branch this version of Station ships."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def schema_is_current(engine: Engine) -> bool:
    """Whether the database behind `engine` is at the newest schema already. Reading this
    needs only SELECT on alembic_version, so the server's own role (which may change no
    schema, docs/deployment.md) can start without migrating."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    return set(current) == schema_heads()


def migrate(database_url: str) -> None:
    """Bring the database at `database_url` up to the newest schema."""
    engine = make_engine(database_url)
    try:
        migrate_engine(engine)
    finally:
        engine.dispose()

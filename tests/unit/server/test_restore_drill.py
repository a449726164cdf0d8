"""The restore drill (deploy/README.md, "Backup and restore"), on PostgreSQL only: a day's
work is dumped with pg_dump, restored with pg_restore into a fresh database, and then every
table has the same rows, the audit trail is the same row for row, the append-only guards
still refuse, and the server starts on the restored database and carries on numbering."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from station_app.server.core.db import make_engine
from tests.fixtures.custody import Client, booked
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import (
    LiveServer,
    bearer,
    make_test_settings,
    postgres_schema,
    prepare_database,
)

pytestmark = pytest.mark.postgres


def _libpq(url: str) -> str:
    """The URL as pg_dump and pg_restore take it (no SQLAlchemy driver, no options)."""
    plain = make_url(url).set(drivername="postgresql", query={})
    return plain.render_as_string(hide_password=False)


def _counts(engine: Engine, schema: str) -> dict[str, int]:
    with engine.connect() as db:
        tables = db.execute(
            text(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = :schema AND c.relkind IN ('r', 'p')"
            ),
            {"schema": schema},
        ).scalars()
        return {
            table: int(db.execute(text(f'SELECT count(*) FROM "{schema}"."{table}"')).scalar_one())
            for table in sorted(tables)
        }


def _audit_digest(engine: Engine, schema: str) -> str:
    with engine.connect() as db:
        rows = db.execute(
            text(
                "SELECT id, at, username, workstation, action, record_type, record_id, detail "
                f'FROM "{schema}".audit_event ORDER BY id'
            )
        ).all()
    return hashlib.sha256(repr([tuple(row) for row in rows]).encode()).hexdigest()


@pytest.fixture
def fresh_database(postgres_url: str) -> Iterator[str]:
    """An empty database on the same PostgreSQL, with pg_trgm as on a first start
    (deploy/initdb); dropped afterwards."""
    name = f"station_restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as db:
        db.execute(text(f"CREATE DATABASE {name}"))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    scratch = create_engine(url)
    with scratch.begin() as db:
        db.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"))
    scratch.dispose()
    try:
        yield url
    finally:
        with admin.connect() as db:
            db.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = :name AND pid <> pg_backend_pid()"
                ),
                {"name": name},
            )
            db.execute(text(f"DROP DATABASE {name}"))
        admin.dispose()


@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_a_dump_restored_into_a_fresh_database_is_whole_and_serves(
    postgres_url: str, fresh_database: str, tmp_path: Path
) -> None:
    with postgres_schema(postgres_url) as source_url:
        schema = make_url(source_url).query["options"].split("=", 1)[1]
        prepare_database(source_url)
        server = LiveServer(make_test_settings(source_url))
        server.start()
        try:  # a day's work: reports, a booking and its entries, reads (audited)
            token = server.token_for("frontdesk")
            made = [post(server, token, walk_in()).json()["reference"] for _ in range(3)]
            sergeant = Client(server, "custody")
            record = booked(sergeant, timedelta(hours=2))
            sergeant.add(record["id"], "visit", datetime.now(UTC), response="not_roused")
            for reference in made:
                requests.get(
                    f"{server.api_url}/incidents/{reference}", headers=bearer(token), timeout=10
                )
        finally:
            server.close()
        source = make_engine(source_url)
        before, trail = _counts(source, schema), _audit_digest(source, schema)
        source.dispose()
        dump = tmp_path / "station.dump"
        dumped = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--schema={schema}",
                f"--file={dump}",
                _libpq(postgres_url),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert dumped.returncode == 0, dumped.stderr  # the source schema is gone now

    restored = subprocess.run(
        [
            "pg_restore",
            "--no-owner",
            "--exit-on-error",
            f"--dbname={_libpq(fresh_database)}",
            str(dump),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert restored.returncode == 0, restored.stderr

    restored_url = (
        make_url(fresh_database)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    engine = make_engine(restored_url)
    try:
        assert _counts(engine, schema) == before
        assert before["audit_event"] > 0 and before["custody_event"] > 0
        assert _audit_digest(engine, schema) == trail
        month = datetime.now(UTC).strftime("audit_event_y%Ym%m")
        for statement in (
            "UPDATE audit_event SET detail = 'changed'",
            f"DELETE FROM {month}",
            f"TRUNCATE {month}",
            "DELETE FROM custody_event",
        ):
            with engine.begin() as db, pytest.raises(DBAPIError, match="append-only"):
                db.execute(text(statement))
    finally:
        engine.dispose()

    server = LiveServer(make_test_settings(restored_url))
    server.start()
    try:
        ready = requests.get(f"{server.api_url}/ready", timeout=10)
        token = server.login("frontdesk")
        shown = requests.get(
            f"{server.api_url}/incidents/{made[0]}", headers=bearer(token), timeout=10
        )
        next_report = post(server, token, walk_in())
    finally:
        server.close()
    assert ready.status_code == 200, ready.text
    assert shown.status_code == 200
    assert next_report.status_code == 201, next_report.text
    serials = [int(reference.rsplit("-", 1)[1]) for reference in made]
    assert int(next_report.json()["reference"].rsplit("-", 1)[1]) > max(serials)

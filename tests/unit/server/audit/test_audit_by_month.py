"""The audit trail at scale (migration 0004, core/audit_partitions.py): on PostgreSQL a
partition a month, each append-only, rows already kept carried into their months, more months
added and old ones dropped by the owner only; an export of whole months on both databases."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from station_app.server.core.audit_partitions import MONTHS_AHEAD, months, partition_name
from station_app.server.core.db import alembic_config, make_engine, migrate_engine
from tests.fixtures.live_server import postgres_schema, sqlite_url

REPO = Path(__file__).resolve().parents[4]
OLD_ROWS = [  # (at, who, what): rows kept before the trail was split by month
    ("2025-11-03 09:15:00+00", "frontdesk", "SW-2025-0000101"),
    ("2025-11-30 23:59:59+00", "frontdesk", "SW-2025-0000102"),
    ("2026-01-14 12:00:00+00", "custody", "SW-2026-00007"),
]


def station_server(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station_app.server", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


def _upgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def trail_before_0004(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database at the schema before 0004 (every feature at its newest), with audit rows
    of past months; migrated to the newest schema by the test."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path / "trail.db")
        yield from _with_old_rows(url)
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield from _with_old_rows(url)


def _with_old_rows(url: str) -> Iterator[str]:
    engine = make_engine(url)
    try:
        _upgrade(engine, "0003")
        with engine.begin() as connection:
            for at, who, record in OLD_ROWS:
                connection.execute(
                    text(
                        "INSERT INTO audit_event (at, username, workstation, action, "
                        "record_type, record_id, detail) VALUES "
                        "(:at, :who, 'WS-1', 'read', 'incident', :record, '')"
                    ),
                    {
                        "at": at if engine.dialect.name != "sqlite" else at[:19],
                        "who": who,
                        "record": record,
                    },
                )
    finally:
        engine.dispose()
    yield url


def test_rows_kept_before_go_into_their_months_each_guarded(trail_before_0004: str) -> None:
    engine = make_engine(trail_before_0004)
    try:
        migrate_engine(engine)
        if engine.dialect.name == "sqlite":
            with engine.connect() as db:
                assert db.execute(text("SELECT count(*) FROM audit_event")).scalar() == 3
            return
        with engine.connect() as db:
            where = dict(
                db.execute(
                    text("SELECT record_id, tableoid::regclass::text FROM audit_event")
                ).all()
            )
            made = months(db)
            guards = dict(
                db.execute(
                    text(
                        "SELECT c.relname, array_agg(t.tgname ORDER BY t.tgname) "
                        "FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        "LEFT JOIN pg_trigger t ON t.tgrelid = c.oid AND NOT t.tgisinternal "
                        "WHERE i.inhparent = 'audit_event'::regclass GROUP BY c.relname"
                    )
                ).all()
            )
    finally:
        engine.dispose()

    assert where == {
        "SW-2025-0000101": "audit_event_y2025m11",
        "SW-2025-0000102": "audit_event_y2025m11",
        "SW-2026-00007": "audit_event_y2026m01",
    }
    this_month = date.today().replace(day=1)
    assert made[0] == date(2025, 11, 1)
    assert len(made) >= (this_month.year - 2025) * 12 + this_month.month - 11 + MONTHS_AHEAD
    assert partition_name(this_month) in guards and "audit_event_default" in guards
    for partition, names in guards.items():
        assert names == ["audit_event_no_change", "audit_event_no_truncate"], partition


@pytest.mark.postgres
def test_no_partition_lets_a_row_be_changed_even_by_its_owner(postgres_url: str) -> None:
    with postgres_schema(postgres_url) as url:
        engine = make_engine(url)
        try:
            migrate_engine(engine)
            with engine.begin() as db:
                db.execute(
                    text(
                        "INSERT INTO audit_event (at, username, action, record_type, record_id, "
                        "detail) VALUES (now(), 'frontdesk', 'read', 'incident', 'X', '')"
                    )
                )
            month = partition_name(datetime.now(UTC).date().replace(day=1))
            for statement in (
                f"UPDATE {month} SET detail = 'changed'",
                f"DELETE FROM {month}",
                f"TRUNCATE {month}",
                "TRUNCATE audit_event_default",
                "DELETE FROM audit_event",
            ):
                with engine.begin() as db, pytest.raises(DBAPIError, match="append-only"):
                    db.execute(text(statement))
            with engine.connect() as db:
                assert db.execute(text("SELECT count(*) FROM audit_event")).scalar() == 1
        finally:
            engine.dispose()


def test_whole_months_are_exported_oldest_first(trail_before_0004: str, tmp_path: Path) -> None:
    out = tmp_path / "audit-2025-11.jsonl"

    done = station_server(
        "audit", "export", "2025-11", "2025-12", str(out), "--database-url", trail_before_0004
    )

    assert done.returncode == 0, done.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["record_id"] for row in rows] == ["SW-2025-0000101", "SW-2025-0000102"]
    assert rows[0]["at"] == "2025-11-03T09:15:00+00:00" and rows[0]["username"] == "frontdesk"
    assert done.stdout.startswith("2 audit rows of 2025-11 to 2025-12 written to")


@pytest.mark.postgres
def test_the_owner_adds_months_and_drops_old_ones(postgres_url: str, tmp_path: Path) -> None:
    with postgres_schema(postgres_url) as url:
        engine = make_engine(url)
        try:
            _upgrade(engine, "0003")
            with engine.begin() as db:
                db.execute(
                    text(
                        "INSERT INTO audit_event (at, username, action, record_type, record_id, "
                        "detail) VALUES ('2025-11-03 09:15+00', 'a', 'read', 'incident', 'X', '')"
                    )
                )
            migrate_engine(engine)
            with engine.connect() as db:
                before = months(db)
        finally:
            engine.dispose()

        added = station_server("audit", "add-months", "--months", "30", "--database-url", url)
        dropped = station_server("audit", "drop-before", "2025-12", "--database-url", url)

        engine = make_engine(url)
        try:
            with engine.connect() as db:
                after = months(db)
                left = db.execute(text("SELECT count(*) FROM audit_event")).scalar()
        finally:
            engine.dispose()
        # Before importing older rows: the months from 2025-09 that are missing, only.
        back = station_server(
            "audit", "add-months", "--since", "2025-09", "--months", "0", "--database-url", url
        )
    assert back.returncode == 0, back.stderr
    assert back.stdout.strip() == (
        "3 months added: audit_event_y2025m09, audit_event_y2025m10, audit_event_y2025m11"
    )
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("6 months added")
    assert dropped.returncode == 0, dropped.stderr
    assert dropped.stdout.splitlines() == [
        "audit_event_y2025m11: 1 rows dropped",
        "1 months dropped",
    ]
    assert after[0] == date(2025, 12, 1) and len(after) == len(before) + 6 - 1
    assert left == 0


def test_months_are_postgresql_s_only(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "demo.db")
    station_server("migrate", "--database-url", url)

    done = station_server("audit", "add-months", "--database-url", url)

    assert done.returncode == 1
    assert "only on PostgreSQL" in done.stderr and "Nothing was changed" in done.stderr

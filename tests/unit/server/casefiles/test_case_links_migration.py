"""Migration 0006 on SQLite and PostgreSQL (issue 10): case files written before the routes
linked what they name get those links, so the next charge for their crime adds to them and
the crime view shows them; a link already made is kept, not made twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import MetaData, insert, select

from station_app.server.core.db import alembic_config, make_engine, migrate_engine
from tests.fixtures.live_server import postgres_schema, sqlite_url

BEFORE = ("0005", "incidents_0001", "custody_0002", "casefiles_0004")


@contextmanager
def database(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield sqlite_url(tmp_path / "old.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_cases_written_before_are_linked_to_what_they_name(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    with database(kind, request, tmp_path) as url:
        engine = make_engine(url)
        try:
            config = alembic_config()
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                for target in BEFORE:
                    command.upgrade(config, target)
            tables = MetaData()
            tables.reflect(engine)
            relations = tables.tables["record_relation"]
            with engine.begin() as db:
                for reference, crimes, custody in (
                    ("SW-26-0800", ["SW-2026-0000100", "SW/26/004211"], ["SW-26-00900"]),
                    ("SW-26-0801", [], []),
                ):
                    db.execute(
                        insert(tables.tables["case_file"]).values(
                            reference=reference,
                            file_type="anticipated_guilty_plea",
                            status="draft",
                            conditions=[],
                            incident_refs=crimes,
                            custody_refs=custody,
                            suspects=[],
                            officer_username="dc-old",
                            officer_name="DC Old",
                            station_code="SW",
                            court_code="",
                            override_reason="",
                            version=1,
                            created_at=now,
                            updated_at=now,
                        )
                    )
                # A charge already linked its custody record: that link stays as it was.
                db.execute(
                    insert(relations).values(
                        record_type="casefile",
                        reference="SW-26-0800",
                        linked_type="custody_record",
                        linked_reference="SW-26-00900",
                        relation="charge",
                        created_at=now,
                        created_by="custody",
                    )
                )

            migrate_engine(engine)  # the upgrade under test

            with engine.connect() as db:
                rows = db.execute(
                    select(
                        relations.c.reference,
                        relations.c.linked_type,
                        relations.c.linked_reference,
                        relations.c.relation,
                        relations.c.created_by,
                    ).order_by(relations.c.id)
                ).all()
        finally:
            engine.dispose()

    assert [tuple(row) for row in rows] == [
        ("SW-26-0800", "custody_record", "SW-26-00900", "charge", "custody"),
        ("SW-26-0800", "incident", "SW-2026-0000100", "crime", "dc-old"),
        ("SW-26-0800", "incident", "SW/26/004211", "crime", "dc-old"),
    ]

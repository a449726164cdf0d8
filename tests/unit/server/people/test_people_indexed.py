"""Person search reads by index only (shared/docs/people.md: "never a scan of every
person"): every statement a search runs is explained by the database itself, SQLite and
PostgreSQL, over an index of 50,000 filler people plus the test's own; the candidates come
from the blocking-key primary key, and no people table is scanned whole."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sqlalchemy import event, text

from tests.fixtures.live_server import LiveServer
from tests.fixtures.people import import_index, search

FILLER = 50_000
PEOPLE_TABLES = (
    "person",
    "person_key",
    "person_alias",
    "person_address",
    "person_ref",
    "record_link",
)
SQLITE_FULL_SCAN = re.compile(r"^SCAN (" + "|".join(PEOPLE_TABLES) + r")\b")
POSTGRES_FULL_SCAN = re.compile(r"Seq Scan on (" + "|".join(PEOPLE_TABLES) + r")\b")


def fill(server: LiveServer) -> None:
    """Filler people straight in the tables, made by the database (fast), then statistics."""
    postgres = server.database_url.startswith("postgresql")
    numbers = (
        f"generate_series(1, {FILLER}) AS n"
        if postgres
        else f"(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {FILLER})"
        " SELECT n FROM s)"
    )
    now = "now()" if postgres else "'2026-12-01 00:00:00'"
    join = "||"
    statements = [
        f"INSERT INTO person (id, surname, forenames, gender, description, markers, version, "
        f"created_at, created_by, updated_at) SELECT 1000000 + n, 'Filler' {join} (n % 5000), "
        f"'Person', '', '', '[]', 1, {now}, 'test', {now} FROM {numbers}",
        f"INSERT INTO person_key (key, person_id) SELECT 'N:FL' {join} (n % 5000) {join} '-PRSN', "
        f"1000000 + n FROM {numbers}",
        f"INSERT INTO person_key (key, person_id) SELECT 'D:19' {join} (50 + n % 50) {join} "
        f"'-01-01', 1000000 + n FROM {numbers}",
        f"INSERT INTO person_address (person_id, address, postcode) SELECT 1000000 + n, "
        f"n {join} ' Filler Road', 'ZZ1 1ZZ' FROM {numbers}",
        f"INSERT INTO person_alias (person_id, surname, forenames) SELECT 1000000 + n, "
        f"'Alias' {join} n, 'Filler' FROM {numbers}",
        f"INSERT INTO person_ref (person_id, ref) SELECT 1000000 + n, 'F-' {join} n FROM {numbers}",
        f"INSERT INTO record_link (person_id, record_type, reference, role, slot, created_at, "
        f"created_by) SELECT 1000000 + n, 'incident', 'F-' {join} n, 'witness', 'witness 1', "
        f"{now}, 'test' FROM {numbers}",
        "ANALYZE",
    ]
    with server.db_session() as session:
        for statement in statements:
            session.execute(text(statement))
        session.commit()


def test_a_search_reads_the_blocking_keys_by_index_and_scans_no_people_table(
    any_db_live_server: LiveServer, tmp_path: Path
) -> None:
    server = any_db_live_server
    ids = import_index(server, tmp_path)
    fill(server)
    ran: list[tuple[str, Any]] = []

    def remember(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            ran.append((statement, parameters))

    engine = server.app.state.engine
    event.listen(engine, "before_cursor_execute", remember)
    try:
        answer = search(
            server,
            server.token_for("frontdesk"),
            surname="Smith",
            forenames="John",
            date_of_birth="1984-07-02",
            postcode="LS1 4AB",
        )
    finally:
        event.remove(engine, "before_cursor_execute", remember)
    assert answer.json()["candidates"][0]["person_id"] == ids["T-01"]

    plans = []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        for statement, parameters in ran:
            if not any(table in statement for table in PEOPLE_TABLES):
                continue
            if engine.dialect.name == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                plan = [str(row[3]) for row in cursor.fetchall()]
            else:
                cursor.execute("EXPLAIN " + statement, parameters)
                plan = [str(row[0]) for row in cursor.fetchall()]
            plans.append((statement, plan))
        cursor.close()
    finally:
        raw.close()

    probes = [plan for statement, plan in plans if "person_key" in statement]
    assert len(probes) == 1, [statement for statement, _plan in plans]
    if engine.dialect.name == "sqlite":
        assert any("SEARCH person_key USING PRIMARY KEY (key=?)" in line for line in probes[0])
        full = [(s, line) for s, plan in plans for line in plan if SQLITE_FULL_SCAN.match(line)]
    else:
        assert any("person_key_pkey" in line for line in probes[0]), probes[0]
        full = [(s, line) for s, plan in plans for line in plan if POSTGRES_FULL_SCAN.search(line)]
    assert len(plans) >= 6  # keys, merges, people, aliases, addresses, references
    assert full == []

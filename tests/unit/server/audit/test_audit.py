"""The audit trail: what is recorded, who may read it, and that nobody can rewrite it."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from station_app.server.core.audit import AuditEvent
from station_app.server.core.db import make_engine
from tests.fixtures.live_server import (
    LiveServer,
    assert_problem,
    bearer,
    postgres_schema,
    prepare_database,
)


def read_audit(server: LiveServer, token: str, **filters: str | int) -> list[dict[str, object]]:
    response = requests.get(
        f"{server.api_url}/audit", params=filters, headers=bearer(token), timeout=10
    )
    assert response.status_code == 200, response.text
    events: list[dict[str, object]] = response.json()["events"]
    return events


def test_reading_officers_is_audited_with_the_workstation(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.login("frontdesk")

    officers = requests.get(
        f"{server.api_url}/reference/officers",
        headers=bearer(token, workstation="FRONT-DESK-02"),
        timeout=10,
    )
    stations = requests.get(
        f"{server.api_url}/reference/stations", headers=bearer(token), timeout=10
    )

    assert officers.status_code == stations.status_code == 200
    events = read_audit(server, server.login("supervisor"), record_type="reference")
    assert [(e["username"], e["action"], e["record_id"], e["workstation"]) for e in events] == [
        ("frontdesk", "read", "officers", "FRONT-DESK-02")
    ]
    assert events[0]["detail"] == "version 1, all rows"
    assert str(events[0]["at"]).endswith("Z")


def test_a_304_for_officers_is_not_a_read(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    headers = {**bearer(server.login("detective")), "If-None-Match": '"officers-1"'}

    response = requests.get(f"{server.api_url}/reference/officers", headers=headers, timeout=10)

    assert response.status_code == 304
    with server.db_session() as session:
        reads = session.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.record_id == "officers")
        )
    assert reads == 0


def test_sign_ins_are_audited_newest_first(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    requests.post(
        f"{server.api_url}/auth/login",
        json={"username": "custody", "password": "wrong password"},
        timeout=10,
    )
    server.login("custody")

    events = read_audit(server, server.login("admin"), username="custody")

    assert [(e["action"], e["record_type"], e["record_id"]) for e in events] == [
        ("login", "user", "custody"),
        ("login_failed", "user", "custody"),
    ]
    assert events[0]["id"] > events[1]["id"]  # type: ignore[operator]


def test_audit_filters_and_limit(live_server: LiveServer) -> None:
    token = live_server.login("admin")
    for _ in range(3):
        live_server.login("inspector")

    assert len(read_audit(live_server, token, username="inspector")) == 3
    assert len(read_audit(live_server, token, username="inspector", limit=2)) == 2
    assert read_audit(live_server, token, record_id="nobody") == []
    # Reading the trail names people too, so it is itself recorded.
    reads = read_audit(live_server, token, record_type="audit")
    assert [e["detail"] for e in reads][-1] == "username=inspector"


def test_only_admins_and_supervisors_read_the_trail(live_server: LiveServer) -> None:
    response = requests.get(
        f"{live_server.api_url}/audit", headers=bearer(live_server.login("detective")), timeout=10
    )

    body = assert_problem(response, 403)
    assert body["detail"].startswith("The Detective role cannot read the audit trail.")


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_event SET detail = 'edited'", "DELETE FROM audit_event"]
)
def test_the_database_refuses_to_change_audit_rows(
    any_db_live_server: LiveServer, statement: str
) -> None:
    server = any_db_live_server
    server.login("custody")

    with server.db_session() as session, pytest.raises(DBAPIError, match="append-only"):
        session.execute(text(statement))

    with server.db_session() as session:
        events = session.scalars(select(AuditEvent)).all()
    assert [(e.action, e.detail) for e in events] == [("login", "")]


@pytest.mark.postgres
def test_postgresql_refuses_truncate_of_the_trail(postgres_url: str) -> None:
    with postgres_schema(postgres_url) as database_url:
        prepare_database(database_url)
        engine = make_engine(database_url)
        try:
            with engine.connect() as connection, pytest.raises(DBAPIError, match="append-only"):
                connection.execute(text("TRUNCATE audit_event"))
        finally:
            engine.dispose()

"""The database going away under load (issue 14, "Bad input and faults"), on PostgreSQL: every
connection of the server is cut (as a database restart or failover does) while front
counters send reports. Requests fail with a clear 503 problem, never a 500; nothing is
half-written; the workstation's retry with its key lands exactly once; and the server carries
on without a restart."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from station_app.server.core.idempotency import IdempotencyKeyRow
from station_app.server.incidents.models import Incident, IncidentEvent
from tests.fixtures.incidents import walk_in
from tests.fixtures.live_server import (
    LiveServer,
    assert_problem,
    bearer,
    make_test_settings,
    postgres_schema,
    prepare_database,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def named_server(postgres_url: str) -> Iterator[tuple[LiveServer, str]]:
    """A server whose connections carry an application name of their own, so the test can
    cut exactly them (and nobody else's on a shared PostgreSQL)."""
    name = f"station-faults-{uuid.uuid4().hex[:8]}"
    with postgres_schema(postgres_url) as url:
        prepare_database(url)
        named = make_url(url).update_query_dict({"application_name": name})
        server = LiveServer(make_test_settings(named.render_as_string(hide_password=False)))
        server.start()
        try:
            yield server, name
        finally:
            server.close()


def cut_connections(postgres_url: str, application_name: str) -> int:
    admin = create_engine(postgres_url)
    try:
        with admin.begin() as db:
            return len(
                db.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE application_name = :name"
                    ),
                    {"name": application_name},
                ).all()
            )
    finally:
        admin.dispose()


def test_connections_cut_under_load_give_503s_then_each_report_lands_once(
    named_server: tuple[LiveServer, str], postgres_url: str
) -> None:
    server, application_name = named_server
    token = server.token_for("frontdesk")
    statuses: Counter[int] = Counter()
    keys: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def front_counter() -> None:
        while not stop.is_set():
            key = uuid.uuid4().hex
            with lock:
                keys.append(key)
            for _attempt in range(50):  # the outbox sends again until it has an answer
                headers = {**bearer(token, "DESK-1"), "Idempotency-Key": key}
                answer = requests.post(
                    f"{server.api_url}/incidents", json=walk_in(), headers=headers, timeout=30
                )
                with lock:
                    statuses[answer.status_code] += 1
                if answer.status_code == 503:
                    assert_problem(answer, 503)
                    time.sleep(0.05)
                    continue
                assert answer.status_code in (200, 201), answer.text
                break

    counters = [threading.Thread(target=front_counter) for _ in range(3)]
    for thread in counters:
        thread.start()
    cut = 0
    try:
        for _round in range(4):
            time.sleep(0.4)
            cut += cut_connections(postgres_url, application_name)
    finally:
        time.sleep(0.4)
        stop.set()
        for thread in counters:
            thread.join(timeout=60)

    assert cut > 0

    assert set(statuses) <= {200, 201, 503}, statuses
    after = requests.get(f"{server.api_url}/ready", timeout=10)
    assert after.status_code == 200  # carried on by itself
    with server.db_session() as session:
        made = session.scalars(
            select(IdempotencyKeyRow.record_id).where(IdempotencyKeyRow.key.in_(keys))
        ).all()
        reports = session.scalar(
            select(func.count(Incident.id)).where(Incident.reference.in_(made))
        )
        without_timeline = session.scalar(
            select(func.count(Incident.id)).where(
                Incident.reference.in_(made),
                ~select(IncidentEvent.id).where(IncidentEvent.incident_id == Incident.id).exists(),
            )
        )
    assert len(made) == len(keys)  # every key made its report, once
    assert reports == len(keys) and len(set(made)) == len(keys)
    assert without_timeline == 0  # no report without the event written with it

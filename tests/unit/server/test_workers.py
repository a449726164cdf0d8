"""`station-server serve --workers 2`: requests spread over two worker processes on one port,
and what must hold once across the force holds across them (everything shared is in the
database): sign-in lockout counted exactly, an Idempotency-Key making one report, custody
numbers without gaps or twins; a worker killed is replaced while the other serves."""

from __future__ import annotations

import http.client
import json
import shutil
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

import pytest
import requests
from sqlalchemy import func, select

from station_app.server.auth.models import LoginThrottle
from station_app.server.core.audit import AuditEvent
from station_app.server.core.idempotency import IdempotencyKeyRow
from station_app.server.custody.models import CustodyRecord
from station_app.server.incidents.models import Incident
from tests.fixtures.custody import Client
from tests.fixtures.incidents import walk_in
from tests.fixtures.live_server import bearer, sqlite_url
from tests.fixtures.metrics import samples
from tests.fixtures.workers import WorkerServer, serving_workers

T = TypeVar("T")
LOGIN = "/api/v1/auth/login"


def at_once(count: int, call: Callable[[int], T]) -> list[T]:
    """`count` calls at the same moment, each on its own connection."""
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(call, range(count)))


def test_failed_sign_ins_at_once_on_two_workers_are_each_counted_and_lock(
    two_workers: WorkerServer,
) -> None:
    server = two_workers
    connections = server.pinned_sessions(per_worker=5)

    def wrong(n: int) -> int:
        return (
            connections[n]
            .post(
                f"{server.api_url}/auth/login",
                json={"username": "supervisor", "password": "not-the-password"},
                headers={"X-Station-Workstation": "FRONT-DESK-01"},
                timeout=30,
            )
            .status_code
        )

    statuses = at_once(10, wrong)

    # Failures 1 to 4 are "wrong details"; the 5th locks (default settings), and every one
    # after it is refused as locked: no failure was lost between the workers.
    assert sorted(statuses) == [401] * 4 + [423] * 6, statuses
    with server.db_session() as session:
        throttle = session.get(LoginThrottle, "supervisor")
        counted = session.scalars(
            select(AuditEvent.detail).where(
                AuditEvent.action == "login_failed", AuditEvent.record_id == "supervisor"
            )
        ).all()
    assert throttle is not None and throttle.locked_until is not None
    in_a_row = sorted(int(d.split()[2]) for d in counted if d.startswith("failed sign-in"))
    assert in_a_row == list(range(1, len(in_a_row) + 1))  # each count once: 1, 2, 3, ...
    assert len(in_a_row) >= 5
    assert len(server.workers_that_answered(LOGIN)) == 2


def test_one_key_sent_at_once_to_two_workers_makes_one_report(two_workers: WorkerServer) -> None:
    server = two_workers
    token = server.token_for("frontdesk")
    key = uuid.uuid4().hex
    connections = server.pinned_sessions(per_worker=4)

    def send(n: int) -> requests.Response:
        headers = {**bearer(token, "DESK-1"), "Idempotency-Key": key}
        return connections[n].post(
            f"{server.api_url}/incidents", json=walk_in(), headers=headers, timeout=30
        )

    answers = at_once(8, send)

    assert sorted(a.status_code for a in answers) == [200] * 7 + [201], [a.text for a in answers]
    assert len({a.json()["reference"] for a in answers}) == 1
    with server.db_session() as session:
        made = session.scalar(
            select(func.count(Incident.id)).where(
                Incident.reference == answers[0].json()["reference"]
            )
        )
    assert made == 1
    assert len(server.workers_that_answered("/api/v1/incidents")) == 2


def test_custody_numbers_booked_at_once_on_two_workers_have_no_gaps_or_twins(
    two_workers: WorkerServer,
) -> None:
    server = two_workers
    sergeants = [Client(server, "custody") for _ in range(10)]  # type: ignore[arg-type]
    for sergeant, connection in zip(sergeants, server.pinned_sessions(per_worker=5), strict=True):
        sergeant.http = connection
    with server.db_session() as session:
        before = session.scalar(select(func.count(CustodyRecord.id)))

    answers = at_once(10, lambda n: sergeants[n].book())

    assert [a.status_code for a in answers] == [201] * 10, [a.text for a in answers]
    serials = sorted(int(a.json()["custody_number"].rsplit("-", 1)[1]) for a in answers)
    assert serials == list(range(serials[0], serials[0] + 10))
    with server.db_session() as session:
        assert session.scalar(select(func.count(CustodyRecord.id))) == (before or 0) + 10
    assert len(server.workers_that_answered("/api/v1/custody/records")) == 2


def test_a_killed_worker_is_replaced_and_the_other_serves_meanwhile(
    two_workers: WorkerServer,
) -> None:
    server = two_workers
    first, second = server.worker_pids()
    token = server.token_for("frontdesk")
    key = uuid.uuid4().hex
    headers = {**bearer(token, "DESK-1"), "Idempotency-Key": key}

    server.kill_worker(first)
    # Straight away: every request is answered, by the worker left.
    health = [requests.get(f"{server.api_url}/health", timeout=10) for _ in range(5)]
    made = requests.post(f"{server.api_url}/incidents", json=walk_in(), headers=headers, timeout=30)
    deadline = time.monotonic() + 30
    while len(server.worker_pids()) < 2 or first in server.worker_pids():
        assert time.monotonic() < deadline, "the killed worker was not replaced"
        time.sleep(0.2)
    server.wait_ready()
    # The workstation's outbox sends the report again (it never saw the answer): once.
    again = requests.post(
        f"{server.api_url}/incidents", json=walk_in(), headers=headers, timeout=30
    )

    assert [h.status_code for h in health] == [200] * 5
    assert (made.status_code, again.status_code) == (201, 200)
    assert made.json()["reference"] == again.json()["reference"]
    assert second in server.worker_pids()
    with server.db_session() as session:
        count = session.scalar(
            select(func.count(Incident.id)).where(Incident.reference == made.json()["reference"])
        )
    assert count == 1


def test_a_scrape_of_either_worker_adds_up_every_workers_requests(
    sqlite_template: Path, tmp_path: Path
) -> None:
    database = tmp_path / "station.db"
    shutil.copyfile(sqlite_template, database)
    token_file = tmp_path / "metrics-token"
    token_file.write_text("a-scrape-token-for-the-test\n")
    extra = ["--metrics-token-file", str(token_file)]
    with serving_workers(sqlite_url(database), tmp_path, extra=extra) as server:
        connections = server.pinned_sessions(per_worker=2)  # 4 health checks, 2 per worker
        for connection in connections:
            connection.get(f"{server.api_url}/health", timeout=10)
        scrape = requests.get(
            f"{server.url}/metrics",
            headers={"Authorization": "Bearer a-scrape-token-for-the-test"},
            timeout=10,
        )

    assert scrape.status_code == 200, scrape.text
    health = samples(scrape.text)[("station_http_requests_total", ("GET", "/api/v1/health", "200"))]
    # Whichever worker was scraped: the pinning's own checks, and the 4 more, from both.
    assert health == len(server.request_lines("/api/v1/health"))
    assert len(server.workers_that_answered("/api/v1/health")) == 2


def test_a_worker_killed_mid_request_leaves_the_retry_to_land_once(
    two_workers: WorkerServer,
) -> None:
    server = two_workers
    token = server.token_for("frontdesk")
    key = uuid.uuid4().hex
    body = json.dumps(walk_in()).encode()
    host, port = server.url.removeprefix("http://").split(":")
    # A kept-alive connection: which worker holds it, from its request id in the log.
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    request_id = uuid.uuid4().hex
    connection.request("GET", "/api/v1/health", headers={"X-Request-ID": request_id})
    connection.getresponse().read()
    holder = server.worker_of(request_id)
    # The report's headers and half its body, then that worker dies.
    connection.putrequest("POST", "/api/v1/incidents")
    for name, value in {
        **bearer(token, "DESK-1"),
        "Idempotency-Key": key,
        "Content-Type": "application/json",
        "Content-Length": str(len(body)),
    }.items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(body[: len(body) // 2])
    server.kill_worker(holder)
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        connection.send(body[len(body) // 2 :])
        connection.getresponse()
    connection.close()

    # The workstation's outbox sends the whole report again, with its key: the other worker.
    headers = {**bearer(token, "DESK-1"), "Idempotency-Key": key}
    retried = requests.post(
        f"{server.api_url}/incidents", json=walk_in(), headers=headers, timeout=30
    )
    again = requests.post(
        f"{server.api_url}/incidents", json=walk_in(), headers=headers, timeout=30
    )

    assert (retried.status_code, again.status_code) == (201, 200), retried.text
    assert retried.json()["reference"] == again.json()["reference"]
    with server.db_session() as session:
        made = session.scalars(
            select(IdempotencyKeyRow.record_id).where(IdempotencyKeyRow.key == key)
        ).all()
    assert made == [retried.json()["reference"]]

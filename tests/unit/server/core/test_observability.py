"""What operators see: readiness (database reachable, schema at this version) apart from
liveness, a clear 503 when the database is away, the request id given back and logged with
the route template, and Prometheus metrics for the holder of the scrape token."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

import pytest
import requests
from sqlalchemy import text

from station_app.domain.roles import Role
from station_app.server.core.observability import token_hash
from station_app.server.core.problems import DATABASE_UNAVAILABLE
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, assert_problem, bearer, make_test_settings
from tests.fixtures.metrics import samples

SCRAPE_TOKEN = "scrape-token-for-tests-0123456789"


def test_ready_says_ready_on_a_migrated_database(any_db_live_server: LiveServer) -> None:
    response = requests.get(f"{any_db_live_server.api_url}/ready", timeout=10)

    assert response.status_code == 200
    assert response.json() == {"status": "ready", "version": "0.1.0"}


def test_ready_is_503_on_an_old_schema_while_health_stays_up(live_server: LiveServer) -> None:
    with live_server.db_session() as session:
        session.execute(text("DELETE FROM alembic_version WHERE version_num LIKE 'people%'"))
        session.commit()

    ready = requests.get(f"{live_server.api_url}/ready", timeout=10)
    health = requests.get(f"{live_server.api_url}/health", timeout=10)

    body = assert_problem(ready, 503)
    assert "station-server migrate" in body["detail"]
    assert health.status_code == 200


@pytest.fixture
def server_without_database() -> Iterator[LiveServer]:
    """A server whose PostgreSQL is not there (nothing listens on port 1)."""
    settings = make_test_settings("postgresql+psycopg://station@127.0.0.1:1/station")
    server = LiveServer(settings)
    server.start()
    yield server
    server.close()


def test_without_its_database_the_server_answers_a_clear_503(
    server_without_database: LiveServer,
) -> None:
    server = server_without_database
    api = server.api_url

    ready = requests.get(f"{api}/ready", timeout=30)
    login = requests.post(
        f"{api}/auth/login", json={"username": "frontdesk", "password": "x"}, timeout=30
    )
    health = requests.get(f"{api}/health", timeout=10)

    assert assert_problem(ready, 503)["detail"] == DATABASE_UNAVAILABLE
    assert assert_problem(login, 503)["detail"] == DATABASE_UNAVAILABLE
    assert login.headers["Retry-After"] == "5"
    assert health.status_code == 200  # alive: a restart would not bring the database back


def test_the_request_id_sent_is_given_back_and_logged_with_the_route_template(
    live_server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    token = live_server.token_for("frontdesk")
    made = post(live_server, token, walk_in()).json()["reference"]
    sent = f"ws-FRONT-1-{uuid.uuid4().hex[:12]}"

    with caplog.at_level(logging.INFO, logger="station.server.access"):
        answer = requests.get(
            f"{live_server.api_url}/incidents/{made}",
            headers={**bearer(token, "DESK-1"), "X-Request-ID": sent},
            timeout=10,
        )
        unreadable = requests.get(
            f"{live_server.api_url}/health", headers={"X-Request-ID": "no spaces {}"}, timeout=10
        )

    assert answer.status_code == 200
    assert answer.headers["X-Request-ID"] == sent
    made_here = unreadable.headers["X-Request-ID"]
    assert made_here != "no spaces {}" and len(made_here) == 32  # a fresh one instead
    lines = [getattr(r, "fields", {}) for r in caplog.records if r.name == "station.server.access"]
    read = next(
        line for line in lines if line.get("status") == 200 and "{reference}" in line["route"]
    )
    assert read["route"] == "/api/v1/incidents/{reference}"  # the template: no number in logs
    assert read["method"] == "GET" and read["workstation"] == "DESK-1"
    assert read["duration_ms"] >= 0


def test_metrics_are_off_unless_a_scrape_token_is_set(live_server: LiveServer) -> None:
    body = assert_problem(requests.get(f"{live_server.url}/metrics", timeout=10), 404)
    assert "--metrics-token-file" in body["detail"]


@pytest.mark.server_settings(metrics_token_hash=token_hash(SCRAPE_TOKEN))
def test_metrics_count_requests_sign_in_failures_and_outbox_replays(
    live_server: LiveServer,
) -> None:
    server = live_server
    token = server.token_for("frontdesk")
    key = uuid.uuid4().hex
    first = post(server, token, walk_in(), key=key)
    replayed = post(server, token, walk_in(), key=key)
    requests.post(
        f"{server.api_url}/auth/login", json={"username": "frontdesk", "password": "no"}, timeout=10
    )

    scrape = requests.get(
        f"{server.url}/metrics", headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"}, timeout=10
    )

    assert (first.status_code, replayed.status_code) == (201, 200)
    assert scrape.status_code == 200
    assert scrape.headers["content-type"].startswith("text/plain")
    found = samples(scrape.text)
    assert found[("station_http_requests_total", ("POST", "/api/v1/incidents", "201"))] == 1
    assert found[("station_http_requests_total", ("POST", "/api/v1/incidents", "200"))] == 1
    assert found[("station_outbox_replays_total", ("incident",))] == 1
    assert found[("station_sign_in_failures_total", ("wrong_details",))] == 1
    timed = ("station_http_request_duration_seconds_count", ("POST", "/api/v1/incidents"))
    assert found[timed] == 2
    assert ("station_db_connections_in_use", ()) in found


@pytest.mark.server_settings(metrics_token_hash=token_hash(SCRAPE_TOKEN))
def test_metrics_take_the_scrape_token_and_no_user_token(live_server: LiveServer) -> None:
    server = live_server
    for role in Role:
        server.create_user(f"metrics-{role.value}", [role])
    url = f"{server.url}/metrics"

    assert_problem(requests.get(url, timeout=10), 401)
    assert_problem(requests.get(url, headers=bearer("not-the-token"), timeout=10), 401)
    for role in Role:
        user_token = server.token_for(f"metrics-{role.value}")
        body = assert_problem(requests.get(url, headers=bearer(user_token), timeout=10), 401)
        assert "metrics token" in body["detail"]

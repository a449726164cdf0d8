"""Sign-in, "who am I", sign-out, token expiry and sign-in throttling, over real HTTP."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select

from station_app.server.core.audit import AuditEvent
from station_app.server.core.config import ServerSettings
from station_app.server.core.identity import AuthToken, hash_token
from station_app.server.core.models import utc_now
from tests.fixtures.live_server import LiveServer, assert_problem, bearer

WRONG = "The user name or password is not right. Check them and try again."


def login(server: LiveServer, username: str, password: str) -> requests.Response:
    return requests.post(
        f"{server.api_url}/auth/login",
        json={"username": username, "password": password},
        headers={"X-Station-Workstation": "FRONT-DESK-01"},
        timeout=10,
    )


def test_good_login_returns_a_token_and_the_user(any_db_live_server: LiveServer) -> None:
    response = login(any_db_live_server, "Custody", "Station-Demo-1")

    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "bearer"
    assert len(body["token"]) >= 40
    assert body["expires_at"].endswith("Z")
    assert body["user"] == {
        "username": "custody",
        "display_name": "Tom Brennan",
        "staff_number": "210044",
        "rank": "PS",
        "station_code": "SW",
        "station_name": "Southwark Wharf Police Station",
        "roles": ["custody_officer"],
        "covers": [],
        "all_stations": False,
    }
    with any_db_live_server.db_session() as session:
        stored = session.scalars(select(AuthToken)).all()
        # Only the hash of the token is kept.
        assert [t.token_hash for t in stored] == [hash_token(body["token"])]
        assert stored[0].workstation == "FRONT-DESK-01"


def test_bad_password_and_unknown_user_get_the_same_answer(
    any_db_live_server: LiveServer,
) -> None:
    wrong_password = assert_problem(login(any_db_live_server, "custody", "not-the-password"), 401)
    unknown_user = assert_problem(login(any_db_live_server, "nobody", "Station-Demo-1"), 401)

    assert wrong_password == unknown_user
    assert wrong_password["detail"] == WRONG
    assert wrong_password["title"] == "Sign-in failed"


def test_me_describes_the_signed_in_user(any_db_live_server: LiveServer) -> None:
    token = any_db_live_server.login("detective")

    response = requests.get(
        f"{any_db_live_server.api_url}/auth/me", headers=bearer(token), timeout=10
    )

    assert response.status_code == 200
    assert response.json()["display_name"] == "Sam Okafor"
    assert response.json()["roles"] == ["detective"]


def test_no_token_or_a_made_up_token_is_signed_out(any_db_live_server: LiveServer) -> None:
    url = f"{any_db_live_server.api_url}/auth/me"

    missing = assert_problem(requests.get(url, timeout=10), 401)
    made_up = assert_problem(requests.get(url, headers=bearer("not-a-token"), timeout=10), 401)

    assert missing["title"] == made_up["title"] == "Signed out"


def test_logout_revokes_the_token(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.login("frontdesk")
    other_token = server.login("frontdesk")

    response = requests.post(f"{server.api_url}/auth/logout", headers=bearer(token), timeout=10)

    assert response.status_code == 204
    assert response.content == b""
    me = requests.get(f"{server.api_url}/auth/me", headers=bearer(token), timeout=10)
    assert_problem(me, 401)
    # Only that token: the same user's other session carries on.
    other = requests.get(f"{server.api_url}/auth/me", headers=bearer(other_token), timeout=10)
    assert other.status_code == 200
    with server.db_session() as session:
        actions = session.scalars(
            select(AuditEvent.action).where(AuditEvent.username == "frontdesk")
        ).all()
    assert actions.count("logout") == 1


def test_an_expired_token_is_refused(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    token = server.login("inspector")
    with server.db_session() as session:
        record = session.scalars(
            select(AuthToken).where(AuthToken.token_hash == hash_token(token))
        ).one()
        record.expires_at = utc_now() - timedelta(seconds=1)
        session.commit()

    body = assert_problem(
        requests.get(f"{server.api_url}/auth/me", headers=bearer(token), timeout=10), 401
    )

    assert body["title"] == "Signed out"
    assert "Sign in again" in body["detail"]


def test_token_expiry_follows_token_hours(any_db_live_server: LiveServer) -> None:
    response = login(any_db_live_server, "admin", "Station-Demo-1")

    with any_db_live_server.db_session() as session:
        record = session.scalars(
            select(AuthToken).where(AuthToken.token_hash == hash_token(response.json()["token"]))
        ).one()
    assert record.expires_at - record.issued_at == timedelta(hours=12)


def test_login_delay_doubles_from_the_slow_threshold_and_is_capped() -> None:
    settings = ServerSettings(database_url="sqlite://")

    delays = [settings.login_delay(failures) for failures in range(8)]

    assert delays == [0, 0, 0, 0.5, 1.0, 2.0, 4.0, 4.0]


@pytest.mark.server_settings(
    login_slow_after=3,
    login_lock_after=5,
    login_delay_seconds=0.25,
    login_delay_cap=0.3,
    login_lock_minutes=0.02,  # 1.2 s
)
@pytest.mark.parametrize("username", ["supervisor", "no-such-user"])
def test_failed_sign_ins_slow_down_then_lock_then_the_lock_runs_out(
    any_db_live_server: LiveServer, username: str
) -> None:
    server = any_db_live_server
    for _attempt in range(3):
        assert_problem(login(server, username, "wrong-password"), 401)

    started = time.monotonic()
    assert_problem(login(server, username, "wrong-password"), 401)
    assert time.monotonic() - started >= 0.25  # the 4th attempt waits

    started = time.monotonic()
    response = login(server, username, "wrong-password")
    assert time.monotonic() - started >= 0.3  # doubled, then capped
    locked = assert_problem(response, 423)
    assert locked["detail"] == (
        "This account is locked for 1 minute after too many failed sign-ins. "
        "Wait, or ask an administrator to unlock it."
    )
    assert 1 <= int(response.headers["Retry-After"]) <= 2

    # Locked means locked, even with the right password.
    assert_problem(login(server, username, "Station-Demo-1"), 423)

    server.settings.clock.move_on(minutes=1, seconds=2)  # the 1.2 s lock has run out
    if username == "supervisor":
        assert login(server, username, "Station-Demo-1").status_code == 200
        # A success resets the count: the next mistake is an ordinary 401.
        assert_problem(login(server, username, "wrong-password"), 401)
    else:
        assert_problem(login(server, username, "wrong-password"), 401)

    with server.db_session() as session:
        failures = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "login_failed", AuditEvent.record_id == username
            )
        ).all()
    # 5 to the lock, 1 refused while locked, 1 after.
    assert len(failures) == 7
    assert {event.workstation for event in failures} == {"FRONT-DESK-01"}

"""The server's database role cannot get around the append-only triggers (issue 12 #12,
docs/deployment.md): on PostgreSQL the schema is migrated by an owner role and the server
runs as an app role that owns nothing. Each test makes its own two roles and schema, with
unique names, and drops them after."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from station_app.server.app import FEATURES
from station_app.server.core.db import make_engine, make_session_factory
from station_app.server.core.db_roles import CORE_APPEND_ONLY
from station_app.server.seed import seed_demo
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from tests.fixtures.custody import Client, booked
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, bearer, make_test_settings

pytestmark = pytest.mark.postgres
REPO = Path(__file__).resolve().parents[4]
INSUFFICIENT_PRIVILEGE = "42501"


@dataclass(frozen=True)
class Roles:
    owner_url: str
    app_url: str
    app: str
    owner: str


def station_server(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station_app.server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )


@pytest.fixture
def roles(postgres_url: str) -> Iterator[Roles]:
    """An owner role owning a fresh schema, and an app role with no rights yet."""
    suffix = uuid.uuid4().hex[:10]
    owner, app, schema = f"station_owner_{suffix}", f"station_app_{suffix}", f"roles_{suffix}"
    superuser = create_engine(postgres_url)
    with superuser.begin() as db:
        db.execute(text(f"CREATE ROLE {owner} LOGIN NOSUPERUSER"))
        db.execute(text(f"CREATE ROLE {app} LOGIN NOSUPERUSER"))
        db.execute(text(f"CREATE SCHEMA {schema} AUTHORIZATION {owner}"))

    def url(role: str) -> str:
        scoped = make_url(postgres_url).set(username=role, password=None)
        return scoped.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
            hide_password=False
        )

    try:
        yield Roles(url(owner), url(app), app, owner)
    finally:
        with superuser.begin() as db:
            db.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE usename IN (:owner, :app)"
                ),
                {"owner": owner, "app": app},
            )
            db.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            db.execute(text(f"DROP OWNED BY {app}, {owner}"))
            db.execute(text(f"DROP ROLE {app}"))
            db.execute(text(f"DROP ROLE {owner}"))
        superuser.dispose()


def migrated_and_granted(roles: Roles) -> None:
    """As an administrator does it: migrate as the owner, and grant the app role its rights."""
    done = station_server("migrate", "--app-role", roles.app, "--database-url", roles.owner_url)
    assert done.returncode == 0, done.stderr
    assert "audit_event: SELECT, INSERT" in done.stdout
    assert "custody_event: SELECT, INSERT" in done.stdout
    engine = make_engine(roles.app_url)  # the demo data, added by the app role itself
    try:
        with make_session_factory(engine)() as session:
            seed_demo(session)
    finally:
        engine.dispose()


def refused(app_url: str, statement: str) -> str:
    """The SQLSTATE of `statement` run as the app role (it must fail)."""
    engine = make_engine(app_url)
    try:
        with engine.begin() as db, pytest.raises(DBAPIError) as error:
            db.execute(text(statement))
        return str(getattr(error.value.orig, "sqlstate", ""))
    finally:
        engine.dispose()


def count(url: str, table: str) -> int:
    engine = make_engine(url)
    try:
        with engine.connect() as db:
            return int(db.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())
    finally:
        engine.dispose()


def test_the_app_role_cannot_get_around_the_append_only_triggers(roles: Roles) -> None:
    migrated_and_granted(roles)
    server = LiveServer(make_test_settings(roles.app_url))
    server.start()
    try:  # an audit row and a custody entry of the app role's own making
        token = server.login("custody")
        booked(Client(server, "custody"), timedelta(hours=1))
        requests.post(f"{server.api_url}/auth/logout", headers=bearer(token), timeout=10)
    finally:
        server.close()
    audit_rows, entries = count(roles.app_url, "audit_event"), count(roles.app_url, "custody_event")
    this_month = datetime.now(UTC).strftime("y%Ym%m")

    attempts = [
        "ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_change",
        "ALTER TABLE custody_event DISABLE TRIGGER ALL",
        "SET session_replication_role = replica",
        f"SET ROLE {roles.owner}",
        "DELETE FROM audit_event",
        "UPDATE audit_event SET detail = 'nothing happened'",
        "DELETE FROM custody_event",
        "UPDATE custody_event SET kind = 'meal'",
        "TRUNCATE audit_event",
        "TRUNCATE incident",
        "DELETE FROM incident",
        "DROP TABLE case_file",
        "CREATE TABLE notes_of_mine (id integer)",
        "DROP TRIGGER audit_event_no_change ON audit_event",
        # The audit trail's months and its default partition: no rights of their own.
        f"DELETE FROM audit_event_{this_month}",
        f"TRUNCATE audit_event_{this_month}",
        "UPDATE audit_event_default SET detail = ''",
        f"ALTER TABLE audit_event_{this_month} DISABLE TRIGGER ALL",
    ]
    states = {statement: refused(roles.app_url, statement) for statement in attempts}

    assert states == dict.fromkeys(attempts, INSUFFICIENT_PRIVILEGE)
    assert (count(roles.app_url, "audit_event"), count(roles.app_url, "custody_event")) == (
        audit_rows,
        entries,
    )
    assert audit_rows > 0 and entries > 0
    engine = make_engine(roles.owner_url)  # every guarded table is declared append-only
    try:
        with engine.connect() as db:
            guarded = set(
                db.execute(
                    text(
                        "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c "
                        "ON c.oid = t.tgrelid WHERE NOT t.tgisinternal AND NOT c.relispartition "
                        "AND c.relnamespace = current_schema()::regnamespace"
                    )
                ).scalars()
            )
    finally:
        engine.dispose()
    declared = {*CORE_APPEND_ONLY, *(t for feature in FEATURES for t in feature.append_only)}
    assert guarded == declared


def test_the_whole_server_works_as_the_app_role(roles: Roles, tmp_path: Path) -> None:
    """A representative day, through HTTP and the real clients, on a connection that owns
    nothing; then `serve` itself, started as the app role."""
    migrated_and_granted(roles)
    server = LiveServer(make_test_settings(roles.app_url))
    server.start()
    try:
        desk = server.token_for("frontdesk")
        report = post(server, desk, walk_in(), "day-1").json()
        assert post(server, desk, walk_in(), "day-1").status_code == 200
        url = f"{server.api_url}/incidents/{report['reference']}"
        corrected = requests.put(
            url, json=walk_in(cctv="None"), headers={**bearer(desk), "If-Match": '"1"'}, timeout=10
        )
        assert corrected.status_code == 200, corrected.text
        noted = requests.post(
            f"{url}/notes", json={"text": "Called back."}, headers=bearer(desk), timeout=10
        )
        assert noted.status_code == 201
        assert requests.get(f"{server.api_url}/incidents", headers=bearer(desk), timeout=10).ok

        sergeant = Client(server, "custody")
        record = booked(sergeant, timedelta(hours=1))
        at = datetime.now(UTC) - timedelta(minutes=5)
        assert sergeant.add(record["id"], "visit", at, response="comprehensive").status_code == 201
        moved = requests.put(
            sergeant.url(f"/records/{record['id']}/placement"),
            json={"cell": "SW-C07"},
            headers={**sergeant.headers, "If-Match": f'"{record["version"]}"'},
            timeout=10,
        )
        assert moved.status_code == 200, moved.text
        assert sergeant.board(station="SW").status_code == 200

        with ApiSession(server.url, workstation="ws-dc") as session:
            session.token = server.token_for("detective")
            cases = CasefilesClient(session)
            case = cases.create({"reference": "SW-26-0900", "file_type": "anticipated_guilty_plea"})
            cases.add_form("SW-26-0900", "MG5", {"summary": "Seen.", "officer_name": "DC Okafor"})
            case = cases.update(
                "SW-26-0900",
                {"file_type": "anticipated_guilty_plea", "court_code": "MC-RVS"},
                cases.case("SW-26-0900")["version"],
            )
            assert cases.submit("SW-26-0900", case["version"])["status"] == "submitted"

        failed = requests.post(
            f"{server.api_url}/auth/login",
            json={"username": "admin", "password": "wrong"},
            timeout=10,
        )
        assert failed.status_code == 401
        admin = server.login("admin")  # a success deletes the failed-attempt count
        trail = requests.get(f"{server.api_url}/audit", headers=bearer(admin), timeout=10)
        assert trail.status_code == 200 and trail.json()["events"]
        out = requests.post(f"{server.api_url}/auth/logout", headers=bearer(admin), timeout=10)
        assert out.status_code == 204
    finally:
        server.close()

    covered = station_server("cover-stations", "custody", "KN", "--database-url", roles.app_url)
    assert covered.returncode == 0, covered.stderr
    ready = tmp_path / "ready.json"
    serving = subprocess.Popen(
        [
            *(sys.executable, "-m", "station_app.server", "serve", "--port", "0"),
            *("--database-url", roles.app_url, "--ready-file", str(ready), "--watch-stdin"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=REPO,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert serving.poll() is None, serving.stderr.read() if serving.stderr else ""
            assert time.monotonic() < deadline
            time.sleep(0.05)
        health = requests.get(f"{json.loads(ready.read_text())['url']}/api/v1/health", timeout=10)
        assert health.json()["status"] == "ok"
    finally:
        assert serving.stdin is not None
        serving.stdin.close()
        serving.wait(timeout=30)


def test_serving_an_old_schema_as_the_app_role_says_to_migrate_as_the_owner(
    roles: Roles,
) -> None:
    granted = station_server("grant-app-role", roles.app, "--database-url", roles.owner_url)
    owner_as_app = station_server("grant-app-role", roles.owner, "--database-url", roles.owner_url)

    started = station_server("serve", "--port", "0", "--database-url", roles.app_url)

    assert granted.returncode == 0, granted.stderr
    assert owner_as_app.returncode == 1
    assert "must own nothing" in owner_as_app.stderr
    assert started.returncode == 1
    assert "Run `station-server migrate --app-role ROLE`" in started.stderr
    assert count(roles.owner_url, "pg_tables WHERE schemaname = current_schema()") == 0

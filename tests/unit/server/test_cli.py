"""`python -m station_app.server ...` as an administrator runs it: real processes, real files."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import requests

from station_app.server.auth.models import LoginThrottle
from station_app.server.core.db import make_engine, make_session_factory
from station_app.server.core.models import utc_now
from tests.fixtures.live_server import postgres_schema, sqlite_url

REPO = Path(__file__).resolve().parents[3]


def station_server(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "station_app.server", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=False,
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield sqlite_url(tmp_path / "cli.db")
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


def test_migrate_seed_and_import(database_url: str, tmp_path: Path) -> None:
    migrated = station_server("migrate", "--database-url", database_url)
    seeded = station_server("seed-demo", "--database-url", database_url)
    again = station_server("seed-demo", "--database-url", database_url)

    assert migrated.returncode == 0, migrated.stderr
    assert migrated.stdout.strip() == "database is up to date"
    assert seeded.returncode == 0, seeded.stderr
    assert "offences: version 1, 44 added, 0 changed, 0 deleted" in seeded.stdout
    assert "demo users added: frontdesk, custody, inspector" in seeded.stdout
    assert again.stdout.strip() == "demo data already present; nothing to do"

    extract = tmp_path / "force-offences.csv"
    extract.write_text(
        "code,label,wording,act,ho_class,mode_of_trial,sample\n"
        "TH68010,Theft from a shop (changed),"
        '"Theft from a shop, contrary to section 1(1) of the Theft Act 1968",'
        "Theft Act 1968,46/00,either_way,false\n"
        "DMTH001,Theft,"
        '"Theft, contrary to section 1(1) of the Theft Act 1968",'
        "Theft Act 1968,49/00,either_way,true\n"
        "XX99001,A force's own row,wording,Some Act 2000,,summary,false\n",
        encoding="utf-8",
    )
    imported = station_server(
        "import-reference", "offences", str(extract), "--database-url", database_url
    )

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.strip() == "offences: version 2, 1 added, 1 changed, 42 deleted"


def test_import_refuses_an_unknown_dataset_or_a_bad_file(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "cli.db")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,label\nA,B\n", encoding="utf-8")

    unknown = station_server("import-reference", "suspects", str(bad), "--database-url", url)
    wrong_columns = station_server("import-reference", "courts", str(bad), "--database-url", url)

    assert unknown.returncode == 1
    assert "first two columns must be code and label" in wrong_columns.stderr
    assert "Nothing was changed." in wrong_columns.stderr
    assert "Traceback" not in unknown.stderr + wrong_columns.stderr


def test_create_user_from_stdin_and_unlock(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "cli.db")
    details = [
        "--display-name",
        "Dana Kowalski",
        "--staff-number",
        "S300999",
        "--rank",
        "Police Staff",
    ]
    details += ["--station", "KN", "--role", "front_desk", "--role", "supervisor"]

    created = station_server(
        "create-user",
        "DKowalski",
        *details,
        "--password-stdin",
        "--database-url",
        url,
        stdin="Long-enough-1\n",
    )
    duplicate = station_server(
        "create-user",
        "dkowalski",
        *details,
        "--password-stdin",
        "--database-url",
        url,
        stdin="Long-enough-1\n",
    )
    short = station_server(
        "create-user",
        "other",
        *details,
        "--password-stdin",
        "--database-url",
        url,
        stdin="short\n",
    )

    assert created.returncode == 0, created.stderr
    assert created.stdout.strip() == "user dkowalski added with roles: front_desk, supervisor"
    assert duplicate.returncode == 1
    assert "There is already a user called dkowalski." in duplicate.stderr
    assert short.returncode == 1
    assert "A password needs at least 10 characters." in short.stderr

    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        session.add(
            LoginThrottle(
                username="dkowalski", failures=5, locked_until=utc_now() + timedelta(minutes=15)
            )
        )
        session.commit()
    unlocked = station_server("unlock", "dkowalski", "--database-url", url)
    with make_session_factory(engine)() as session:
        assert session.get(LoginThrottle, "dkowalski") is None
    engine.dispose()
    assert unlocked.stdout.strip() == "dkowalski can sign in again"


def test_serve_reports_its_port_and_stops_when_stdin_closes(tmp_path: Path) -> None:
    ready_file = tmp_path / "ready.json"
    command = [sys.executable, "-m", "station_app.server", "serve", "--port", "0"]
    command += ["--database-url", sqlite_url(tmp_path / "serve.db"), "--demo"]
    command += ["--seed-demo-if-empty", "--ready-file", str(ready_file), "--watch-stdin"]
    process = subprocess.Popen(
        command,
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not ready_file.exists():
            assert process.poll() is None, process.communicate()[0]
            assert time.monotonic() < deadline, "the server did not write its ready file"
            time.sleep(0.05)
        ready = json.loads(ready_file.read_text())
        assert ready["pid"] == process.pid
        assert ready["url"] == f"http://127.0.0.1:{ready['port']}"

        health = requests.get(f"{ready['url']}/api/v1/health", timeout=10)
        login = requests.post(
            f"{ready['url']}/api/v1/auth/login",
            json={"username": "admin", "password": "Station-Demo-1"},
            timeout=10,
        )

        assert health.json() == {"status": "ok", "version": "0.1.0", "demo": True}
        assert login.status_code == 200
    finally:
        assert process.stdin is not None
        process.stdin.close()  # as when the desktop client that started it goes away
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            pytest.fail("the server did not stop when stdin closed")
        finally:
            assert process.stdout is not None
            output = process.stdout.read()
            process.stdout.close()
    assert process.returncode == 0, output
    assert "Station core API listening on" in output


def test_without_a_url_the_database_is_a_file_in_the_user_data_folder(
    fresh_profile: Path,
) -> None:
    migrated = station_server("migrate")

    assert migrated.returncode == 0, migrated.stderr
    # platformdirs user_data_dir("Station", "Station") under the test's XDG_DATA_HOME.
    assert (fresh_profile / ".local/share/Station/server/station.db").is_file()


def test_an_administrator_sets_the_stations_a_user_covers(tmp_path: Path) -> None:
    """docs/api.md, "Stations": `create-user --covers` and `cover-stations` (issue 12 #11)."""
    url = sqlite_url(tmp_path / "cli.db")
    assert station_server("seed-demo", "--database-url", url).returncode == 0  # the stations
    details = ["--display-name", "Ade Owusu", "--staff-number", "190101", "--rank", "Supt"]
    details += ["--station", "KN", "--covers", "SW", "--role", "superintendent"]

    created = station_server(
        "create-user", "aowusu", *details, "--password-stdin", "--database-url", url,
        stdin="Long-enough-1\n",
    )  # fmt: skip
    widened = station_server("cover-stations", "aowusu", "SW", "hx", "--database-url", url)
    unknown = station_server("cover-stations", "aowusu", "ZZ", "--database-url", url)
    narrowed = station_server("cover-stations", "aowusu", "--database-url", url)

    assert created.returncode == 0, created.stderr
    assert widened.stdout.strip() == "aowusu works at KN and covers HX, SW"
    assert unknown.returncode == 1
    assert "There is no station with the code ZZ. Nothing was changed." in unknown.stderr
    assert narrowed.stdout.strip() == "aowusu works at KN and covers no other station"

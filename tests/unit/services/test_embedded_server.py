"""The built-in demo server: a real child process that starts, answers, and goes away."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pytest

from station_app.services.api import ApiSession
from station_app.services.embedded_server import EmbeddedServer
from station_app.services.errors import StationError


def _process_gone(pid: int) -> bool:
    if os.name == "nt":
        # os.kill would terminate, not probe; stop() has waited for the child already.
        return True
    try:
        os.kill(pid, 0)  # signal 0 only asks "is it there?"
    except ProcessLookupError:
        return True
    return False


def test_start_answer_and_stop(tmp_path: Path) -> None:
    server = EmbeddedServer(tmp_path / "data", log_dir=tmp_path / "logs")
    server.start()
    try:
        url = server.wait_ready(timeout=60)
        assert server.running
        assert url == server.url
        assert url.startswith("http://127.0.0.1:")
        with ApiSession(url, workstation="SW-TRAINING-01") as session:
            assert session.health()["demo"] is True
            # Seeded with demo users on first start.
            response = session.post(
                "/auth/login", json={"username": "frontdesk", "password": "Station-Demo-1"}
            )
            assert response.json()["user"]["username"] == "frontdesk"
        pid = server.pid
        assert pid is not None
    finally:
        server.stop()
    assert not server.running
    assert server.url is None
    deadline = time.monotonic() + 5
    while not _process_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _process_gone(pid)
    assert (tmp_path / "data" / "embedded" / "station.db").is_file()
    assert (tmp_path / "logs" / "embedded-server.log").is_file()


def test_the_command_line_follows_the_contract(tmp_path: Path, monkeypatch) -> None:
    server = EmbeddedServer(tmp_path)
    ready = tmp_path / "ready.json"
    command = server.command(ready)
    assert command[:3] == [sys.executable, "-m", "station_app.server"]
    assert command[3:] == [
        "serve",
        "--port",
        "0",
        "--database-url",
        f"sqlite:///{tmp_path / 'embedded' / 'station.db'}",
        "--demo",
        "--seed-demo-if-empty",
        "--ready-file",
        str(ready),
        "--watch-stdin",
    ]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert server.command(ready)[:3] == [sys.executable, "--server-process", "serve"]


class _FailingServer(EmbeddedServer):
    """The real start-up path, with a child that fails the way a broken install would."""

    def command(self, ready_file: Path) -> list[str]:
        return [
            sys.executable,
            "-c",
            "import sys; print('Traceback: no module named station_app'); sys.exit(3)",
        ]


def test_a_child_that_dies_is_a_plain_message_with_its_log_for_us(tmp_path: Path) -> None:
    server = _FailingServer(tmp_path)
    server.start()
    with pytest.raises(StationError) as caught:
        server.wait_ready(timeout=30)
    assert "demo server could not start" in caught.value.message
    assert "Traceback" not in caught.value.message
    assert "no module named station_app" in (caught.value.detail or "")
    assert "code 3" in (caught.value.detail or "")
    assert not server.running


class _SilentServer(EmbeddedServer):
    def command(self, ready_file: Path) -> list[str]:
        return [sys.executable, "-c", "import sys; sys.stdin.read()"]  # never ready


def test_a_child_that_never_gets_ready_times_out_and_is_stopped(tmp_path: Path) -> None:
    server = _SilentServer(tmp_path)
    server.start()
    pid = server.pid
    with pytest.raises(StationError, match="taking too long"):
        server.wait_ready(timeout=0.5)
    assert not server.running
    assert pid is not None and _process_gone(pid)

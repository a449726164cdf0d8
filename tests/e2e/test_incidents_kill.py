"""Station killed with SIGKILL in the middle of a walk-in report: the next start offers the
draft back with every field as it was typed (front-desk.md: "drafts survive a crash")."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from tests.fixtures.station import PASSWORD, sign_in
from tests.fixtures.walk_in_form import incidents_view

ROOT = Path(__file__).resolve().parents[2]
WAIT = 30_000


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_a_killed_station_offers_the_draft_back_intact(
    qtbot, make_station, live_server, memory_keyring, tmp_path
) -> None:
    keyring_file = tmp_path / "keyring.json"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": "bench.bench_keyring.FileKeyring",
        "BENCH_KEYRING_FILE": str(keyring_file),
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.incidents_kill_child", live_server.url],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        line = ""
        while not line.startswith(("TYPED ", "TIMEOUT")):
            line = child.stdout.readline()
            if not line and child.poll() is not None:
                pytest.fail(f"Station stopped early: {child.stderr.read()[-2000:]}")
        if not line.startswith("TYPED "):
            child.kill()
            pytest.fail(child.stderr.read()[-3000:])
        typed = json.loads(line[len("TYPED ") :])
        child.send_signal(signal.SIGKILL)  # no clean-up, no atexit, no Qt close events
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()

    # The same profile starts again; the OS keyring still holds the drafts' key.
    for name, secret in json.loads(keyring_file.read_text()).items():
        service, _, username = name.partition("\0")
        memory_keyring.set_password(service, username, secret)
    shell = make_station()
    qtbot.waitUntil(lambda: shell.user is not None or shell.dialog is not None, timeout=WAIT)
    if shell.user is None:
        sign_in(qtbot, shell, "frontdesk", PASSWORD)
    view = incidents_view(qtbot, shell)
    page = view.new_report
    qtbot.waitUntil(lambda: not page.restore_bar.isHidden(), timeout=WAIT)
    assert "A report you were typing was not sent" in page.restore_text.text()
    assert "theft from the person" in page.restore_text.text()
    qtbot.mouseClick(page.restore_button, Qt.MouseButton.LeftButton)
    assert page.form.values() == typed
    assert page.form.field("victim_name").isEnabled()  # the victim is not the reporter

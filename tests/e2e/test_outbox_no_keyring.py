"""A walk-in report queued while the core system was down, on a computer where no OS keyring
is usable, is sent once after Station is killed and started again (issue 12 #2 and "Done
means"): the outbox's data key lives in the key file (services/secure_files.py), so the
restarted Station opens the queued file, sends it with its key, and nothing waits or needs
attention. Once with a keyring that refuses, once with one that keeps nothing."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail, null
from sqlalchemy import select

from station_app.server.incidents.models import Incident
from station_app.services.paths import resolve_paths
from tests.fixtures.child_station import TYPED
from tests.fixtures.station import sign_in
from tests.fixtures.walk_in_form import WAIT, count_incidents, incidents_view

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")


def read_until(child: subprocess.Popen[str], prefix: str) -> str:
    assert child.stdout is not None and child.stderr is not None
    line = ""
    while not line.startswith((prefix, "TIMEOUT")):
        line = child.stdout.readline()
        if not line and child.poll() is not None:
            pytest.fail(f"Station stopped early: {child.stderr.read()[-3000:]}")
    if not line.startswith(prefix):
        child.kill()
        pytest.fail(child.stderr.read()[-3000:])
    return line[len(prefix) :].strip()


@pytest.mark.parametrize(
    "backend",
    [fail.Keyring, null.Keyring],
    ids=["keyring-refuses", "keyring-keeps-nothing"],
)
def test_a_report_queued_with_no_keyring_is_sent_once_after_a_restart(
    qtbot, make_station, live_server, tmp_path, backend
) -> None:
    before = count_incidents(live_server)
    go = tmp_path / "go"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHON_KEYRING_BACKEND": f"{backend.__module__}.{backend.__name__}",
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.outbox_restart_child", live_server.url, str(go)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        read_until(child, "TYPED")
        live_server.stop()  # the core system goes down before the officer presses Send
        go.touch()
        queued = json.loads(read_until(child, "QUEUED "))
        child.send_signal(signal.SIGKILL)  # no clean-up, no atexit, no Qt close events
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        assert child.stdout is not None and child.stderr is not None
        child.stdout.close()
        child.stderr.close()

    assert "(1 waiting)" in queued["said"]
    data_dir = resolve_paths().data_dir
    waiting = list((data_dir / "outbox").glob("*.report"))
    assert len(waiting) == 1  # a real outbox file, sealed
    assert TYPED["reporter_name"].encode() not in waiting[0].read_bytes()
    key_file = data_dir / "keys" / "outbox-key.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600  # the key the keyring would not keep
    assert count_incidents(live_server) == before

    # Station starts again on the same computer, with the core system back and still no
    # usable keyring.
    keyring.set_keyring(backend())  # the memory_keyring fixture puts the test's one back
    live_server.start()
    shell = make_station()
    sign_in(qtbot, shell, "frontdesk")
    qtbot.waitUntil(lambda: count_incidents(live_server) == before + 1, timeout=WAIT)
    view = incidents_view(qtbot, shell)
    qtbot.waitUntil(lambda: not list((data_dir / "outbox").glob("*.report")), timeout=WAIT)
    view.attention_page.refresh()

    def attention() -> str:
        return view.pages.tabText(view.pages.indexOf(view.attention_page))

    qtbot.waitUntil(lambda: attention() == "Needs a&ttention (0)", timeout=WAIT)
    assert view.attention.isHidden()  # no "needs attention" banner
    assert count_incidents(live_server) == before + 1  # sent once
    with live_server.db_session() as session:
        stored = session.scalars(select(Incident).order_by(Incident.id.desc())).first()
    assert stored is not None
    assert stored.account == TYPED["account"]
    assert stored.people[0]["name"] == TYPED["reporter_name"]

"""Station as `make run` starts it: its own demo server, demo data, a demo user, offences."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fixtures.station import PASSWORD, sign_in
from tests.fixtures.tabs import reference_view, shown_codes

pytestmark = pytest.mark.slow


def test_demo_user_signs_in_on_the_embedded_server_and_searches_offences(qtbot, make_station):
    shell = make_station(demo=True)
    assert shell.window.status.demo_label.isVisibleTo(shell.window)
    dialog = shell.dialog
    qtbot.waitUntil(dialog.sign_in_button.isEnabled, timeout=30_000)  # demo server started
    assert "Demo server" in dialog.server_value.text()
    sign_in(qtbot, shell, "frontdesk", PASSWORD)
    view = reference_view(qtbot, shell)
    qtbot.waitUntil(lambda: view.dataset_model.rowCount() >= 8, timeout=15_000)
    view.select_dataset("offences")
    qtbot.keyClicks(view.search, "criminal damage")

    qtbot.waitUntil(lambda: "match" in view.info.text(), timeout=5000)
    codes = shown_codes(view)
    assert "DMCD001" in codes  # Criminal damage
    assert "TH68010" not in codes  # theft from a shop has neither word
    server_pid = shell.embedded.pid
    shell.shutdown()
    assert not Path(f"/proc/{server_pid}").exists() or _is_zombie(server_pid)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc to find left-over processes")
def test_station_process_paints_the_sign_in_window_and_exits_cleanly(fresh_profile, tmp_path):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    result = subprocess.run(
        [sys.executable, "-m", "station_app", "--quit-when-ready", "--no-err-windows"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ready sign-in"), result.stdout
    leftovers = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if str(fresh_profile) in cmdline and not _is_zombie(int(proc.name)):
                leftovers.append(cmdline)
    assert leftovers == [], "the embedded demo server outlived Station"

"""No module is loaded on the UI thread while an officer types, or when a custody record is
opened (issue 13, "every keystroke within one frame"): a module loaded there holds the
keyboard for as long as it takes to load. Each role runs in a fresh interpreter
(`ui_thread_imports_child`), where nothing is loaded yet, against its own demo server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def imports_on_the_ui_thread(role: str) -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.e2e.ui_thread_imports_child", role],
        cwd=ROOT,
        env=dict(os.environ, QT_QPA_PLATFORM="offscreen"),
        capture_output=True,
        text=True,
        timeout=110,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("role", ["frontdesk", "custody"])
def test_typing_and_opening_a_record_load_no_module_on_the_ui_thread(role: str) -> None:
    loaded = imports_on_the_ui_thread(role)
    assert loaded["typing"] == []
    # Before: the first record opened loaded the custody forms' code (14 modules, 20-30 ms).
    assert loaded["record"] == []

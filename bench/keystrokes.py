"""Every keystroke within one frame (issue 13, "Speed the user feels"): type a walk-in report
as the front desk and book in a detainee as the custody officer, key by key, into a real
signed-in Station against a real core API server in its own process on 127.0.0.1.

Two figures per form, each next to a baseline typed interleaved in the same run (the same
characters into a plain QLineEdit in a bare window of the same process):

- per key: the UI thread's time from the key press to the event queue being empty again
  (what the key itself costs: validation, type-ahead, error clearing);
- stall: the longest the UI thread went without turning its event loop while the officer
  types at 12 keys a second (what debounced work costs: draft saves, type-ahead lists,
  anything a timer runs on the UI thread after the key).

Target: per-key p95 and the longest stall under 16 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench._common import report  # noqa: E402

PASSWORD = "Station-Demo-1"
PACE_MS = 83  # 12 keys a second: a quick typist at the counter
TARGET_MS = 16.0
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

WALK_IN = (
    ("reporter_name", "Marigold Featherstonehaugh"),
    ("reporter_dob", "14/03/1979"),
    ("reporter_address", "12 Lantern Row, Southwark"),
    ("reporter_postcode", "SE1 9ZZ"),
    ("offence", "theft pedal"),
    ("location_address", "Outside 40 Quayside Walk"),
    ("account", "The bicycle was locked to the railings and gone when I came back."),
)
BOOKING = (
    ("surname", "Quenby-Ashdown"),
    ("forenames", "Rowan Ellery"),
    ("date_of_birth", "02/11/1990"),
    ("address", "7 Tallow Yard, Kennington"),
    ("postcode", "SE11 4ZZ"),
    ("offence", "criminal damage"),
    ("circumstances", "Seen damaging a shop window and arrested at the scene."),
)


def start_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    ready = folder / "ready.json"
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "station_app.server", "serve", "--port", "0"),
            *("--database-url", f"sqlite:///{folder / 'demo.db'}", "--seed-demo-if-empty"),
            *("--ready-file", str(ready), "--watch-stdin"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not ready.exists():
        if server.poll() is not None or time.monotonic() > deadline:
            raise SystemExit("the bench server did not start")
        time.sleep(0.05)
    return server, str(json.loads(ready.read_text())["url"])


class Typist:
    """Types into a widget key by key and measures the UI thread around each key. The
    stall is the longest single turn of the event loop between keys: what a timer, a
    worker's answer or a repaint held the UI thread for."""

    def __init__(self) -> None:
        from PySide6.QtWidgets import QApplication

        self.app = QApplication.instance()
        self.longest_turn = 0.0

    def wait(self, ms: float, until: Callable[[], bool] | None = None) -> None:
        deadline = time.perf_counter() + ms / 1000
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            self.app.processEvents()
            self.longest_turn = max(self.longest_turn, (time.perf_counter() - started) * 1000)
            if until is not None and until():
                return
            time.sleep(0.001)

    def type_into(self, widget, text: str) -> tuple[list[float], float]:
        """(ms per key, the longest stall while typing `text` at PACE_MS a key)."""
        from PySide6.QtCore import QEventLoop
        from PySide6.QtTest import QTest

        widget.setFocus()
        self.app.processEvents()
        per_key: list[float] = []
        self.longest_turn = 0.0
        for character in text:
            target = self.app.focusWidget() or widget
            started = time.perf_counter()
            QTest.keyClicks(target, character)
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
            per_key.append((time.perf_counter() - started) * 1000)
            self.wait(PACE_MS)
        self.wait(600)  # let debounced work (a draft save, a list) run and be seen
        return per_key, self.longest_turn


def signed_in(url: str, username: str, typist: Typist):
    from station_app.app import build_station, show_first_screen, user_settings
    from station_app.services.paths import resolve_paths

    home = Path(tempfile.mkdtemp(prefix=f"keys-{username}-"))
    for name, sub in (
        ("XDG_CONFIG_HOME", "c"),
        ("XDG_DATA_HOME", "d"),
        ("XDG_STATE_HOME", "s"),
        ("XDG_CACHE_HOME", "k"),
    ):
        os.environ[name] = str(home / sub)
    os.environ["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"
    paths = resolve_paths()
    settings = user_settings(paths)
    first = show_first_screen(settings, paths, argparse.Namespace(server=url, demo=False))
    first.window.resize(1366, 768)
    shell = build_station(first, settings, paths)
    shell.start()
    typist.wait(
        15_000, lambda: shell.dialog is not None and shell.dialog.sign_in_button.isEnabled()
    )
    shell.dialog.username.setText(username)
    shell.dialog.password.setText(PASSWORD)
    shell.dialog.sign_in_button.click()
    typist.wait(15_000, lambda: shell.user is not None)
    typist.wait(15_000, lambda: "synced" in shell.window.status.sync_label.text())
    if shell.user is None:
        raise SystemExit(f"{username} could not sign in")
    return shell, home


def measure(
    typist: Typist, form, fields, baseline
) -> tuple[list[float], list[float], list[float], list[float]]:
    """Interleaved: each field typed into the form, then the same words into the baseline."""
    keys, base_keys, stalls, base_stalls = [], [], [], []
    for name, text in fields:
        widget = form.field(name)
        one, stall = typist.type_into(widget, text)
        keys += one
        stalls.append(stall)
        baseline.clear()
        one, stall = typist.type_into(baseline, text)
        base_keys += one
        base_stalls.append(stall)
    return keys, base_keys, stalls, base_stalls


def main() -> int:
    from PySide6.QtWidgets import QApplication, QLineEdit

    from station_app.ui.theme import apply_theme

    app = QApplication([sys.argv[0]])
    apply_theme(app, "light")
    typist = Typist()
    bare = QLineEdit()
    bare.setAccessibleName("Baseline field")
    bare.resize(400, 30)
    bare.show()
    folder = Path(tempfile.mkdtemp(prefix="bench-keys-"))
    server, url = start_server(folder)
    results: dict[str, tuple[list[float], list[float], list[float], list[float]]] = {}
    homes = []
    try:
        front, home = signed_in(url, "frontdesk", typist)
        homes.append(home)
        incidents = front.window.open_tab("Incidents")
        custody_shell, home = signed_in(url, "custody", typist)
        homes.append(home)
        custody = custody_shell.window.open_tab("Custody")
        typist.wait(2000)
        for _round in range(ROUNDS):
            incidents.open_new_report()
            typist.wait(300)
            got = measure(typist, incidents.new_report.form, WALK_IN, bare)
            incidents.new_report.discard()  # the next round starts from an empty form
            total = results.setdefault("walk-in report", ([], [], [], []))
            for whole, part in zip(total, got, strict=True):
                whole.extend(part)
            custody.open_booking()
            typist.wait(500)
            dialog = custody.current_dialog
            got = measure(typist, custody.booking.form, BOOKING, bare)
            dialog.mark_saved()
            dialog.reject()
            total = results.setdefault("booking in", ([], [], [], []))
            for whole, part in zip(total, got, strict=True):
                whole.extend(part)
        print(f"Keystrokes on the UI thread, {ROUNDS} rounds, typing at {1000 // PACE_MS} keys/s")
        for name, (keys, base_keys, stalls, base_stalls) in results.items():
            report(f"{name}: ms per key", keys, base_keys, TARGET_MS)
            report(f"{name}: longest stall per field", stalls, base_stalls, TARGET_MS, "max")
        front.shutdown()
        custody_shell.shutdown()
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)
        for home in homes:
            shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Child of test_ui_thread_imports.py: a fresh Station (a fresh interpreter, so nothing is
imported yet) signed in against a demo server of its own, which prints as JSON the modules
its UI thread imported while the officer worked:

- "typing": while a walk-in report (front desk) or a booking in (custody) is typed;
- "record": while a custody record is opened from the board (custody).

An import on the UI thread stalls the keyboard for as long as the module takes to load
(bench/keystrokes.py found a custody record's first opening importing the custody forms'
PDF code: 20 to 30 ms). What Station needs later is imported on a worker ("warm-up").

    python -m tests.e2e.ui_thread_imports_child frontdesk|custody
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tools.screenshots import fresh_station, sign_in, start_server

SETTLE_MS = 3000
"""Time for the tab's warm-ups (type-ahead indexes, modules) to finish on their workers."""

WALK_IN = (
    ("reporter_name", "Marigold Featherstonehaugh"),
    ("reporter_dob", "14/03/1979"),
    ("reporter_postcode", "SE1 9ZZ"),
    ("offence", "theft pedal"),
    ("account", "Gone when I came back."),
)
BOOKING = (
    ("surname", "Quenby-Ashdown"),
    ("forenames", "Rowan"),
    ("date_of_birth", "02/11/1990"),
    ("postcode", "SE11 4ZZ"),
    ("offence", "criminal damage"),
)

phase = {"name": ""}
imported: dict[str, list[str]] = {"typing": [], "record": []}
main_thread = threading.main_thread()


def watch(event: str, args: tuple[object, ...]) -> None:
    # "import" is raised only when a module is loaded, not when it is already there.
    if event == "import" and phase["name"] and threading.current_thread() is main_thread:
        imported[phase["name"]].append(str(args[0]))


def main() -> int:
    from PySide6.QtCore import QEventLoop
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from station_app.ui.theme import apply_theme

    role = sys.argv[1]
    app = QApplication([sys.argv[0]])
    apply_theme(app, "light")

    def wait(ms: float, until: Callable[[], bool] | None = None) -> None:
        deadline = time.monotonic() + ms / 1000
        while time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if until is not None and until():
                return
            time.sleep(0.005)

    def type_fields(form, fields) -> None:
        for name, text in fields:
            widget = form.field(name)
            widget.setFocus()
            for character in text:
                QTest.keyClicks(app.focusWidget() or widget, character)
                wait(40)
        wait(600)  # debounced work after the last key

    folder = Path(tempfile.mkdtemp(prefix="station-imports-"))
    server, url = start_server(folder)
    sys.addaudithook(watch)
    try:
        _first, shell, home = fresh_station(url, role, wait)
        sign_in(shell, role, wait)
        if role == "frontdesk":
            tab = shell.window.open_tab("Incidents")
            wait(SETTLE_MS)
            tab.open_new_report()
            wait(SETTLE_MS)
            phase["name"] = "typing"
            type_fields(tab.new_report.form, WALK_IN)
        else:
            tab = shell.window.open_tab("Custody")
            wait(15_000, lambda: tab.board_model.rowCount() > 0)
            wait(SETTLE_MS)
            phase["name"] = "record"
            tab.board.selectRow(0)
            wait(15_000, lambda: tab.panel.record is not None)
            wait(600)
            phase["name"] = ""
            tab.open_booking()
            wait(SETTLE_MS)
            phase["name"] = "typing"
            type_fields(tab.booking.form, BOOKING)
            tab.current_dialog.mark_saved()
            tab.current_dialog.reject()
        phase["name"] = ""
        print(json.dumps(imported), flush=True)
        shell.shutdown()
        shutil.rmtree(home, ignore_errors=True)
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

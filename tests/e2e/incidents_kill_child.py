"""Child process of test_incidents_kill: a real Station (the app's own composition root,
offscreen) that signs in, has a walk-in report typed into it key by key, waits until the
draft on disk matches the form, prints the typed values, and runs until it is killed.

Run as `python -m tests.e2e.incidents_kill_child SERVER_URL` with the keyring backend
`bench.bench_keyring.FileKeyring`, so the secret that seals drafts outlives the process
as it would in the OS keyring.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from station_app.server.seed import DEMO_PASSWORD

# What the officer had typed when Station was killed: every kind of field.
TYPED: dict[str, str] = {
    "reporter_name": "Perpetua Wainscott",
    "reporter_dob": "07/09/1958",
    "reporter_address": "4 Quillon Terrace, London",
    "reporter_postcode": "n1 6zb",
    "reporter_phone": "07700 900654",
    "victim_name": "Rufus Wainscott",
    "victim_dob": "11/12/2009",
    "occurred_from": "yesterday 16:45",
    "location_description": "The bus stop outside Weaver's Yard",
    "account": "My grandson's phone was snatched from his hand.\nThe man ran towards the canal.",
    "suspects": "Man, about 20, red jacket",
    "property": "Phone, £420",
}


def wait_until(condition: Callable[[], bool], timeout: float = 25.0) -> None:
    print(f"waiting for {getattr(condition, '__name__', condition)}", file=sys.stderr, flush=True)
    deadline = time.monotonic() + timeout
    while not condition():
        QApplication.processEvents()
        time.sleep(0.01)
        if time.monotonic() > deadline:
            print("TIMEOUT", flush=True)
            raise SystemExit(3)


def signed_in_report_page(server_url: str) -> tuple[QApplication, Any, Any]:
    """A real Station (offscreen) with the front desk signed in, on the New walk-in report
    page once the offence list is ready: (the application, its shell, that page)."""
    app = QApplication([sys.argv[0]])
    from station_app.app import build_station, show_first_screen, user_settings
    from station_app.services.paths import resolve_paths
    from station_app.views.incidents.view import IncidentsView

    paths = resolve_paths()
    settings = user_settings(paths)
    first = show_first_screen(settings, paths, argparse.Namespace(server=server_url, demo=False))
    shell = build_station(first, settings, paths)
    shell.start()
    dialog = shell.dialog
    assert dialog is not None
    wait_until(dialog.sign_in_button.isEnabled)
    QTest.keyClicks(dialog.username, "frontdesk")
    QTest.keyClicks(dialog.password, DEMO_PASSWORD)
    QTest.keyClick(dialog.password, Qt.Key.Key_Return)
    wait_until(lambda: shell.dialog is None)
    wait_until(lambda: shell.user is not None)
    view = first.window.open_tab("Incidents")
    assert isinstance(view, IncidentsView)
    view.open_new_report()
    page = view.new_report
    wait_until(lambda: page.form.offence.finds("theft"))
    return app, shell, page


def type_walk_in(form: Any) -> dict[str, Any]:
    """Type TYPED into the walk-in form key by key, as the officer does; the form's values."""
    QTest.mouseClick(form.field("victim_is_reporter"), Qt.MouseButton.LeftButton)  # untick
    for name, text in TYPED.items():
        for number, line in enumerate(text.split("\n")):
            if number:
                QTest.keyClick(form.field(name), Qt.Key.Key_Return)
            QTest.keyClicks(form.field(name), line)
    QTest.keyClicks(form.offence, "theft from the person")
    wait_until(lambda: bool(form.offence.matches()))
    QTest.keyClick(form.offence.popup(), Qt.Key.Key_Return)
    QTest.mouseClick(form.field("flag_child_involved"), Qt.MouseButton.LeftButton)
    values: dict[str, Any] = form.values()
    return values


def main() -> int:
    app, _shell, page = signed_in_report_page(sys.argv[1])
    values = type_walk_in(page.form)
    drafts, draft_id = page.drafts, page.autosave.draft_id

    def saved() -> bool:
        draft = drafts.load("walk_in_report", draft_id)
        return draft is not None and draft.fields == values

    wait_until(saved)
    print("TYPED " + json.dumps(values), flush=True)
    return app.exec()  # until SIGKILL


if __name__ == "__main__":
    sys.exit(main())

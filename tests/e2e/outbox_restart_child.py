"""Child process of test_outbox_no_keyring: a real Station (the app's own composition root,
offscreen) on a computer where no OS keyring is usable signs in, has a walk-in report typed
into it key by key, waits for GO_FILE (the test has stopped the core system meanwhile), sends
the report, sees it queued in the outbox, prints what was typed, and runs until it is killed.

Run as `python -m tests.e2e.outbox_restart_child SERVER_URL GO_FILE` with the keyring
backend `keyring.backends.fail.Keyring` (refuses) or `keyring.backends.null.Keyring` (keeps
nothing).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from tests.fixtures.child_station import signed_in_report_page, type_walk_in, wait_until


def main() -> int:
    server_url, go_file = sys.argv[1], Path(sys.argv[2])
    app, _shell, page = signed_in_report_page(server_url)
    form = page.form
    values = type_walk_in(form)
    print("TYPED", flush=True)
    wait_until(go_file.exists, timeout=60)
    QTest.keyClick(form.field("account"), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    wait_until(lambda: "(1 waiting)" in page.result.text(), timeout=60)
    print("QUEUED " + json.dumps({"values": values, "said": page.result.text()}), flush=True)
    return app.exec()  # until SIGKILL


if __name__ == "__main__":
    sys.exit(main())

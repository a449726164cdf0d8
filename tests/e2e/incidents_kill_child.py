"""Child process of test_incidents_kill: a real Station (the app's own composition root,
offscreen) that signs in, has a walk-in report typed into it key by key, waits until the
draft on disk matches the form, prints the typed values, and runs until it is killed.

Run as `python -m tests.e2e.incidents_kill_child SERVER_URL` with the keyring backend
`bench.bench_keyring.FileKeyring`, so the secret that seals drafts outlives the process
as it would in the OS keyring.
"""

from __future__ import annotations

import json
import sys

from tests.fixtures.child_station import signed_in_report_page, type_walk_in, wait_until


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

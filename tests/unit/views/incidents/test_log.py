"""The incident log: server-side filters and paging, the detail pane with its timeline,
notes, status changes by role, and reports whose recording decision is overdue."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt

from station_app.domain.wire import API_PREFIX
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.station import signed_in
from tests.fixtures.walk_in_form import WAIT, incidents_view


def log_view(qtbot, make_station, username: str):
    shell = signed_in(qtbot, make_station, username)
    view = incidents_view(qtbot, shell)
    qtbot.waitUntil(lambda: shell.window.tabs.isVisible() and shell.dialog is None, timeout=WAIT)
    shell.window.activateWindow()  # keyboard shortcuts (Ctrl+Enter) need the active window
    qtbot.waitUntil(shell.window.isActiveWindow, timeout=WAIT)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=WAIT)
    return shell, view


def references(view) -> list[str]:
    return [view.model.index(r, 0).data() for r in range(view.model.rowCount())]


def test_log_pages_filters_and_shows_a_report_with_its_timeline(qtbot, make_station, live_server):
    token = live_server.token_for("frontdesk")
    mark = uuid.uuid4().hex[:8]
    made = [
        post(live_server, token, walk_in(account=f"Pattern {mark} case {n}")).json()["reference"]
        for n in range(60)
    ]
    _shell, view = log_view(qtbot, make_station, "detective")
    # Only the front desk takes reports: a detective's New walk-in report page is off.
    qtbot.waitUntil(lambda: not view.pages.isTabEnabled(1), timeout=WAIT)
    qtbot.keyClicks(view.search, mark)
    qtbot.waitUntil(
        lambda: (
            view.model.query.text == mark
            and not view.model.loading
            and references(view)[:1] == [made[-1]]
        ),
        timeout=WAIT,
    )
    assert view.model.rowCount() == 50  # the first page only
    assert view.model.canFetchMore()
    view.model.fetchMore()
    qtbot.waitUntil(lambda: view.model.rowCount() == 60, timeout=WAIT)
    assert references(view) == made[::-1]
    # Sorted on the server by reference, oldest number first.
    view.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: references(view)[:1] == [made[0]], timeout=WAIT)

    view.table.selectRow(0)
    detail = view.detail
    qtbot.waitUntil(lambda: detail.incident is not None, timeout=WAIT)
    assert made[0] in detail.text.toPlainText()
    assert "Report taken at the front counter." in detail.text.toPlainText()
    # A detective may record but not mark "no crime" (domain.incidents.STATUS_ROLES).
    offered = [detail.status_box.itemData(i) for i in range(detail.status_box.count())]
    assert offered == ["recorded"]
    qtbot.keyClicks(detail.note, "Called the victim back; no CCTV after all.")
    qtbot.mouseClick(detail.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "no CCTV after all" in detail.text.toPlainText(), timeout=WAIT)
    qtbot.mouseClick(detail.status_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.incident["status"] == "recorded", timeout=WAIT)
    assert "Status changed to Recorded as a crime." in detail.text.toPlainText()


def test_someone_elses_change_is_explained_not_overwritten(qtbot, make_station, live_server):
    token = live_server.token_for("frontdesk")
    reference = post(live_server, token, walk_in(account=f"Stale {uuid.uuid4().hex}")).json()[
        "reference"
    ]
    _shell, view = log_view(qtbot, make_station, "supervisor")
    view.detail.open(reference)
    qtbot.waitUntil(lambda: view.detail.incident is not None, timeout=WAIT)
    # Meanwhile a colleague records it.
    import requests

    from tests.fixtures.live_server import bearer

    requests.post(
        f"{live_server.api_url}/incidents/{reference}/status",
        json={"status": "transferred"},
        headers={**bearer(live_server.token_for("admin")), "If-Match": '"1"'},
        timeout=10,
    ).raise_for_status()
    view.detail.status_box.setCurrentIndex(view.detail.status_box.findData("recorded"))
    qtbot.mouseClick(view.detail.status_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(view.detail.message.isVisible, timeout=WAIT)
    assert "Someone else changed" in view.detail.message.text()


def test_overdue_filter_shows_reports_waiting_for_a_decision(qtbot, make_station, live_server):
    _shell, view = log_view(qtbot, make_station, "frontdesk")
    view.overdue_filter.setChecked(True)
    # The demo seed has a report 30 hours and one 50 hours old, still "reported".
    qtbot.waitUntil(
        lambda: (
            view.model.rowCount() > 0
            and all(
                "decision overdue" in view.model.index(r, 5).data()
                for r in range(view.model.rowCount())
            )
        ),
        timeout=WAIT,
    )


def test_the_offence_filter_is_a_type_ahead(qtbot, make_station, live_server):
    token = live_server.token_for("frontdesk")
    shop = post(live_server, token, walk_in(offence_code="TH68010")).json()["reference"]
    _shell, view = log_view(qtbot, make_station, "frontdesk")
    field = view.offence_filter
    qtbot.waitUntil(lambda: field.finds("shop"), timeout=WAIT)
    field.setFocus()
    qtbot.keyClicks(field, "theft from a shop")
    qtbot.waitUntil(lambda: bool(field.matches()), timeout=WAIT)
    qtbot.keyClick(field.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            view.model.query.offence == "TH68010"
            and not view.model.loading
            and shop in references(view)
        ),
        timeout=WAIT,
    )
    assert all(
        view.model.index(r, 2).data() == "Theft from a shop" for r in range(view.model.rowCount())
    )


def test_front_desk_corrects_a_report_and_a_stale_correction_is_refused(
    qtbot, make_station, live_server
):
    import requests

    from tests.fixtures.live_server import bearer

    token = live_server.token_for("frontdesk")
    body = walk_in(
        account=f"Correct me {uuid.uuid4().hex}",
        victim_is_reporter=False,
        victim={"name": "Tobias Merriweather", "date_of_birth": "2001-05-06"},
        occurred_from="2026-07-01T17:30:00+00:00",
        suspects=[{"description": "Tall man, green cap"}],
    )
    reference = post(live_server, token, body).json()["reference"]
    _shell, view = log_view(qtbot, make_station, "frontdesk")
    view.detail.open(reference)
    qtbot.waitUntil(lambda: view.detail.incident is not None, timeout=WAIT)
    qtbot.mouseClick(view.detail.correct_button, Qt.MouseButton.LeftButton)
    form = view.new_report.form
    assert form.field("victim_name").text() == "Tobias Merriweather"
    assert form.field("victim_dob").text() == "06/05/2001"
    assert form.field("occurred_from").text() == "01/07/2026 18:30"  # BST wall clock
    assert form.field("property").toPlainText() == "Red road bicycle, £520.00"
    account = form.field("account")
    account.setFocus()
    qtbot.waitUntil(lambda: form.focusWidget() is account, timeout=WAIT)
    account.moveCursor(account.textCursor().MoveOperation.End)
    qtbot.keyClicks(account, " Found later by a neighbour.")
    qtbot.keyClick(account, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    page = view.new_report
    qtbot.waitUntil(lambda: f"Correction saved to {reference}" in page.result.text(), timeout=WAIT)
    stored = requests.get(
        f"{live_server.api_url}/incidents/{reference}", headers=bearer(token), timeout=10
    ).json()
    assert stored["version"] == 2 and stored["account"].endswith("Found later by a neighbour.")
    assert stored["suspects"][0]["description"] == "Tall man, green cap"
    assert stored["occurred_from"].startswith("2026-07-01T17:30")

    # Open version 2, then someone else saves version 3 first.
    view.detail.open(reference)
    qtbot.waitUntil(lambda: view.detail.incident["version"] == 2, timeout=WAIT)
    qtbot.mouseClick(view.detail.correct_button, Qt.MouseButton.LeftButton)
    requests.put(
        f"{live_server.api_url}/incidents/{reference}",
        json=body,
        headers={**bearer(token), "If-Match": '"2"'},
        timeout=10,
    ).raise_for_status()
    qtbot.keyClicks(form.field("cctv"), "Camera on the corner")
    typed = form.values()
    form.submitted.emit()
    qtbot.waitUntil(lambda: "Someone else changed" in form.message.text(), timeout=WAIT)
    assert form.values() == typed  # nothing typed is lost


def test_the_windows_common_keys_reach_the_incidents_tab(qtbot, make_station):
    _shell, view = log_view(qtbot, make_station, "frontdesk")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.pages.currentWidget() is view.new_report  # Ctrl+N: a new walk-in report
    qtbot.keyClick(view.new_report, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.pages.currentIndex() == 0  # Ctrl+F: back to the log's search
    assert view.search.hasFocus()


def test_a_note_added_again_after_a_failure_goes_with_the_same_key(
    qtbot, make_station, live_server
):
    """Issue 12: a note whose answer was lost, added again, is on the timeline once."""
    token = live_server.token_for("frontdesk")
    reference = post(live_server, token, walk_in(account=f"Note {uuid.uuid4().hex}")).json()[
        "reference"
    ]
    _shell, view = log_view(qtbot, make_station, "detective")
    detail = view.detail
    detail.open(reference)
    qtbot.waitUntil(lambda: detail.incident is not None, timeout=WAIT)
    notes = f"{API_PREFIX}/incidents/{reference}/notes"
    live_server.faults.break_next("POST", notes)

    qtbot.keyClicks(detail.note, "Rang the victim: the bicycle was found.")
    qtbot.mouseClick(detail.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not detail.message.isHidden(), timeout=WAIT)
    qtbot.mouseClick(detail.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "the bicycle was found" in detail.text.toPlainText(), timeout=WAIT)
    qtbot.keyClicks(detail.note, "Rang the victim: the bicycle was found.")  # a second one
    qtbot.mouseClick(detail.note_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: detail.note.toPlainText() == "", timeout=WAIT)

    first, again, second = live_server.faults.keys_sent("POST", notes)
    assert first is not None and first == again and second not in (None, first)

"""A whole custody journey through the Custody tab against the real server: book in,
authorise, rights, risk level 2, visits every 30 minutes, reviews by an inspector, an
extension by a superintendent, charge, bail and release; the board row changes on the way."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateTimeEdit, QLineEdit, QPlainTextEdit

from station_app.views.custody.dialogs import ActionDialog, BookingForm
from station_app.views.custody.text import to_qdatetime
from station_app.views.custody.view import CustodyView
from tests.fixtures.station import open_tab, signed_in

pytestmark = pytest.mark.slow

H = dt.timedelta(hours=1)
M = dt.timedelta(minutes=1)


def open_custody(qtbot, make_station, keyring, username: str) -> CustodyView:
    keyring.secrets.clear()  # each workstation signs in with its own officer
    shell = signed_in(qtbot, make_station, username)
    view = open_tab(qtbot, shell, "Custody", CustodyView)
    qtbot.waitUntil(
        lambda: view.user is not None and view.board_model.rowCount() > 0, timeout=15_000
    )
    qtbot.waitUntil(lambda: "synced" in shell.window.status.sync_label.text(), timeout=15_000)
    return view


def board_row(view: CustodyView, name: str) -> dict[str, str] | None:
    model = view.board_model
    for row in range(model.rowCount()):
        if model.index(row, 1).data() == name:
            return {
                header: model.index(row, column).data()
                for column, header in enumerate(
                    (
                        "cell",
                        "name",
                        "age",
                        "offences",
                        "in",
                        "review",
                        "visit",
                        "limit",
                        "status",
                        "risk",
                        "flags",
                    )
                )
            }
    return None


def wait_row(qtbot, view: CustodyView, name: str, column: str, check) -> str:
    """Wait for the board (refreshed in the background) to show `check` in a column."""
    qtbot.waitUntil(
        lambda: (row := board_row(view, name)) is not None and bool(check(row[column])),
        timeout=10_000,
    )
    row = board_row(view, name)
    assert row is not None
    return row[column]


def select(qtbot, view: CustodyView, name: str) -> None:
    """Pick the detainee on the board and wait for a freshly read record."""
    view.refresh()
    qtbot.waitUntil(lambda: board_row(view, name) is not None, timeout=10_000)
    model = view.board_model
    position = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == name)
    old = view.panel.record
    view.board.selectRow(position)
    view.open_record(model.row_at(position).record_id)
    qtbot.waitUntil(
        lambda: (
            view.panel.record is not None
            and view.panel.record is not old
            and view.panel.record.board.name == name
        ),
        timeout=10_000,
    )


def record(qtbot, view: CustodyView, kind: str, at: dt.datetime, **fields) -> None:
    """Open the action's short form, fill it in, Ctrl+Enter, and wait for the entry."""
    before = len(view.panel.record.entries)
    button = view.panel.action_buttons[kind]
    assert button.isEnabled(), button.toolTip()
    button.trigger()
    dialog = view.current_dialog
    assert isinstance(dialog, ActionDialog)
    dialog.time_edit.setDateTime(to_qdatetime(at))
    for name, value in fields.items():
        widget = dialog.form.field(name)
        if isinstance(widget, QComboBox):
            widget.setCurrentIndex(widget.findData(value))
        elif isinstance(widget, QCheckBox):
            widget.setChecked(value)
        elif isinstance(widget, QDateTimeEdit):
            widget.setDateTime(to_qdatetime(value))
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, QLineEdit):
            widget.setText(value)
    qtbot.keyClick(
        dialog.form.submit_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(
        lambda: view.panel.record is not None and len(view.panel.record.entries) == before + 1,
        timeout=10_000,
    )
    assert view.panel.record.entries[-1].kind == kind


def test_a_full_custody_journey(qtbot, make_station, memory_keyring) -> None:
    sergeant = open_custody(qtbot, make_station, memory_keyring, "custody")
    now = dt.datetime.now(dt.UTC).replace(second=0, microsecond=0)
    arrived = now - 16 * H

    # Book in: robbery (indictable), arrested 20 minutes before arriving 16 hours ago.
    sergeant.open_booking()
    form = sergeant.current_dialog.findChild(BookingForm)
    qtbot.keyClicks(form.field("surname"), "Journeyman")
    qtbot.keyClicks(form.field("forenames"), "Jude")
    qtbot.keyClicks(form.field("date_of_birth"), "14/07/1992")
    qtbot.waitUntil(lambda: form.offence.finds("robbery"), timeout=10_000)
    form.offence.setFocus()
    qtbot.keyClicks(form.offence, "DMTH005")
    qtbot.waitUntil(form.offence.popup_visible)
    qtbot.keyClick(form.offence.popup(), Qt.Key.Key_Return)
    form.field("arrested_at").setDateTime(to_qdatetime(arrived - 20 * M))
    form.field("arrived_at").setDateTime(to_qdatetime(arrived))
    # The station's cells come from the cache on a worker (15 s: two test workers share the
    # machine; 5 s once ran out in make test).
    qtbot.waitUntil(lambda: form.field("cell").count() > 1, timeout=15_000)
    form.field("cell").setCurrentIndex(form.field("cell").findData("SW-C06"))
    form.submitted.emit()
    name = "JOURNEYMAN, Jude"
    qtbot.waitUntil(lambda: board_row(sergeant, name) is not None, timeout=10_000)
    select(qtbot, sergeant, name)
    number = sergeant.panel.record.custody_number
    assert number.startswith("SW-")

    authorised = arrived + 10 * M
    record(
        qtbot,
        sergeant,
        "detention_authorised",
        authorised,
        grounds="To obtain evidence by questioning",
    )
    record(qtbot, sergeant, "rights_given", authorised + M, wants_legal_advice=True)
    record(
        qtbot,
        sergeant,
        "risk_assessment",
        authorised + 2 * M,
        risk_level="medium",
        observation_level="2",
    )
    wait_row(qtbot, sergeant, name, "risk", lambda text: text == "Medium · Level 2")
    row = board_row(sergeant, name)
    assert row["status"].startswith("Overdue") and "visit" in row["status"]  # none for 16 h
    assert row["review"].startswith("overdue")  # the first review was due 10 h ago

    # Visits every 30 minutes (the last few of them), then one routine visit with F8: at
    # level 2 it opens the visit form, which asks how the detainee responded to rousing
    # (Code C 9.3, Annex H) rather than assuming it.
    for minutes_ago in (90, 60, 30):
        record(qtbot, sergeant, "visit", now - minutes_ago * M, response="comprehensive")
    before = len(sergeant.panel.record.entries)
    sergeant.board.setFocus()
    sergeant.window().activateWindow()  # F8 is a window shortcut: the window must be active
    qtbot.waitUntil(sergeant.window().isActiveWindow)
    qtbot.keyClick(sergeant.board, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: isinstance(sergeant.current_dialog, ActionDialog))
    visit_form = sergeant.current_dialog
    response = visit_form.form.field("response")
    assert visit_form.spec.kind == "visit" and response.currentData() is None
    response.setCurrentIndex(response.findData("comprehensive"))
    qtbot.keyClick(
        visit_form.form.submit_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: len(sergeant.panel.record.entries) == before + 1, timeout=10_000)
    wait_row(qtbot, sergeant, name, "visit", lambda text: text.startswith("in "))
    assert not sergeant.panel.action_buttons["review"].isEnabled()  # a sergeant, uncharged

    # Reviews by an inspector on another workstation (one on time, one postponed but held).
    inspector = open_custody(qtbot, make_station, memory_keyring, "inspector")
    select(qtbot, inspector, name)
    review = {"outcome": "continue", "grounds": "Interview pending", "means": "in_person"}
    record(qtbot, inspector, "review", authorised + 5 * H, **review)
    record(qtbot, inspector, "review", authorised + 13 * H, **review)
    assert not inspector.panel.action_buttons["extension"].isEnabled()

    # The superintendent extends to 36 hours after the relevant time.
    supt = open_custody(qtbot, make_station, memory_keyring, "superintendent")
    assert supt.station_code == "KN"  # his own station first; he looks at Southwark's suite
    qtbot.waitUntil(lambda: supt.station_picker.findData("SW") >= 0, timeout=10_000)
    supt.show_station("SW")
    select(qtbot, supt, name)
    record(
        qtbot,
        supt,
        "extension",
        now - 30 * M,
        until=arrived + 36 * H,
        necessary_for_evidence=True,
        offence_indictable=True,
        diligent=True,
        grounds="Forensic results awaited",
    )
    # 36 h after a relevant time 16 h ago: about 20 h from now.
    wait_row(qtbot, supt, name, "limit", lambda text: text.startswith(("in 19 h", "in 20 h")))

    # Charge, bail and release.
    select(qtbot, sergeant, name)
    record(qtbot, sergeant, "charge", now - 5 * M)
    assert "Robbery" in sergeant.panel.record.entries[-1].summary
    wait_row(qtbot, sergeant, name, "limit", lambda text: text == "Charged")
    assert sergeant.panel.action_buttons["review"].isEnabled()  # the custody officer, now
    record(qtbot, sergeant, "bail", now - 3 * M, bail_to="Southwark Wharf Magistrates' Court")
    record(qtbot, sergeant, "released", now - M)
    sergeant.refresh()
    qtbot.waitUntil(lambda: board_row(sergeant, name) is None, timeout=10_000)
    assert not any(button.isEnabled() for button in sergeant.panel.action_buttons.values())
    assert "after release" in sergeant.panel.action_buttons["meal"].toolTip()

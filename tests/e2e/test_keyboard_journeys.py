"""Each role's day by keyboard alone (issue 13, "Done means"): from the sign-in dialog to the
work and back, only key presses sent to whatever has the focus, against the real server.
No clicks, no setText, no reaching for a widget to focus it: if a step needs the mouse, the
test cannot take it.

- front desk: lands on the incident log, Ctrl+N, a whole report typed, Ctrl+Enter, Ctrl+P
  for the victim's letter, Esc;
- custody: lands on the board, Down and Enter open a record, Ctrl+K "review" opens Review
  detention, Esc closes it without asking (nothing typed), Ctrl+P previews the record,
  Esc, Esc back to the board;
- detective: lands on My cases, Enter opens the case, Ctrl+P builds and previews the bundle,
  Esc;
- supervisor: lands on Cases to review, the list has the keyboard.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QDialog, QWidget

from tests.fixtures.station import PASSWORD, WAIT
from tests.fixtures.walk_in_form import fill_by_keyboard

pytestmark = pytest.mark.slow

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture(autouse=True)
def _no_dialog_left_from_other_tests(qapp):
    """One process runs many tests: a dialog another test left open would hold the
    keyboard here. Each journey starts on a desk with none (as a workstation does)."""
    for widget in qapp.topLevelWidgets():
        if isinstance(widget, QDialog) and widget.isVisible():
            widget.done(QDialog.DialogCode.Rejected)
    qapp.processEvents()
    _DESK.clear()


_DESK: list[QWidget] = []  # this test's Station window (other tests' windows may live on)


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    if widget is None and _DESK:
        # Offscreen Qt has no window manager: when a popup or dialog goes, it may leave a
        # hidden window "active". A desktop gives this Station's window (or the dialog it
        # has open) back its activation, and it its last focused control; do that.
        window = _DESK[-1]
        dialogs = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QDialog) and w.isVisible() and _owned_by(w, window)
        ]
        (dialogs[-1] if dialogs else window).activateWindow()
        QApplication.processEvents()
        widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the keyboard"
    return widget


def press(qtbot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(focus(), key, modifier)


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focus(), text)


def _owned_by(dialog: QWidget, window: QWidget) -> bool:
    at: QWidget | None = dialog
    while at is not None:
        if at is window:
            return True
        at = at.parentWidget()
    return False


def modal(qtbot, window: QWidget, timeout: int = WAIT) -> QDialog:
    """The dialog this Station's window opened and that now holds the keyboard."""

    def opened() -> bool:
        dialog = QApplication.activeModalWidget()
        return isinstance(dialog, QDialog) and _owned_by(dialog, window)

    qtbot.waitUntil(opened, timeout=timeout)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    qtbot.waitUntil(lambda: dialog.isAncestorOf(focus()) or focus() is dialog, timeout=WAIT)
    return dialog


def close_with_esc(qtbot, dialog: QDialog) -> None:
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT)
    still = QApplication.activeModalWidget()
    assert still is None or not _owned_by(still, dialog), "Esc asked: nothing was typed"


def signed_in_by_keyboard(qtbot, make_station, username: str):
    shell = make_station()
    _DESK.append(shell.window)
    qtbot.waitUntil(lambda: shell.dialog is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: shell.dialog.sign_in_button.isEnabled(), timeout=WAIT)
    qtbot.waitUntil(lambda: shell.dialog.isAncestorOf(focus()), timeout=WAIT)
    press(qtbot, Qt.Key.Key_A, CTRL)  # the last officer's name may be there: type over it
    type_text(qtbot, username)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, PASSWORD)
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
    shell.window.activateWindow()
    qtbot.waitUntil(shell.window.isActiveWindow, timeout=WAIT)
    return shell


def landed(qtbot, shell, title: str) -> QWidget:
    """The role's own tab is in front and its first list or field has the keyboard."""
    window = shell.window
    qtbot.waitUntil(lambda: window.current_tab() is not None, timeout=WAIT)
    qtbot.waitUntil(lambda: window.current_tab().title == title, timeout=WAIT)
    ready: list[bool] = []
    window.current_tab().when_ready(lambda: ready.append(True))
    qtbot.waitUntil(lambda: bool(ready), timeout=WAIT)
    qtbot.waitUntil(lambda: window.isAncestorOf(QApplication.focusWidget()), timeout=WAIT)
    return focus()


def test_front_desk_takes_a_report_and_prints_the_letter_by_keyboard(qtbot, make_station) -> None:
    shell = signed_in_by_keyboard(qtbot, make_station, "frontdesk")
    landed(qtbot, shell, "Incidents")
    tab = shell.window.current_tab()
    press(qtbot, Qt.Key.Key_N, CTRL)
    form = tab.new_report.form
    qtbot.waitUntil(lambda: focus() is form.field("reporter_name"), timeout=WAIT)
    qtbot.waitUntil(lambda: form.offence.finds("cycle"), timeout=WAIT)
    fill_by_keyboard(qtbot, form, name="Peregrine Ashcombe")
    press(qtbot, Qt.Key.Key_Return, CTRL)
    result = tab.new_report.result
    qtbot.waitUntil(lambda: "Crime reference number" in result.text(), timeout=WAIT)
    press(qtbot, Qt.Key.Key_P, CTRL)
    letter = modal(qtbot, shell.window)
    assert "letter" in letter.windowTitle().lower()
    close_with_esc(qtbot, letter)
    assert shell.window.isAncestorOf(focus())


def test_custody_opens_a_record_reviews_and_prints_by_keyboard(qtbot, make_station) -> None:
    shell = signed_in_by_keyboard(qtbot, make_station, "custody")
    board = landed(qtbot, shell, "Custody")
    assert isinstance(board, QAbstractItemView), "the board has the keyboard"
    qtbot.waitUntil(lambda: board.model().rowCount() > 0, timeout=WAIT)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    tab = shell.window.current_tab()
    qtbot.waitUntil(lambda: tab.panel.record is not None and tab.panel.isVisible(), timeout=WAIT)
    press(qtbot, Qt.Key.Key_K, CTRL)
    palette = modal(qtbot, shell.window)
    type_text(qtbot, "review")
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not palette.isVisible(), timeout=WAIT)
    review = modal(qtbot, shell.window)
    assert "review" in review.windowTitle().lower()
    close_with_esc(qtbot, review)
    press(qtbot, Qt.Key.Key_P, CTRL)
    preview = modal(qtbot, shell.window)
    close_with_esc(qtbot, preview)
    press(qtbot, Qt.Key.Key_Escape)  # back to the board
    qtbot.waitUntil(lambda: focus() is board, timeout=WAIT)


def test_detective_opens_a_case_and_previews_the_bundle_by_keyboard(qtbot, make_station) -> None:
    shell = signed_in_by_keyboard(qtbot, make_station, "detective")
    cases = landed(qtbot, shell, "Case files")
    assert isinstance(cases, QAbstractItemView), "My cases has the keyboard"
    qtbot.waitUntil(lambda: cases.model().rowCount() > 0, timeout=WAIT)
    if not cases.currentIndex().isValid():
        press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Return)
    tab = shell.window.current_tab()
    qtbot.waitUntil(lambda: tab.case_panel.isAncestorOf(focus()), timeout=WAIT)
    qtbot.waitUntil(lambda: tab.case_panel.case is not None, timeout=WAIT)  # on screen
    press(qtbot, Qt.Key.Key_P, CTRL)
    # Both bundles are built on a worker first, then the CPS copy is shown.
    preview = modal(qtbot, shell.window, timeout=60_000)
    assert "bundle" in preview.windowTitle().lower() or "copy" in preview.windowTitle().lower()
    close_with_esc(qtbot, preview)


def test_supervisor_lands_on_cases_to_review_with_the_list_in_hand(qtbot, make_station) -> None:
    shell = signed_in_by_keyboard(qtbot, make_station, "supervisor")
    cases = landed(qtbot, shell, "Case files")
    assert isinstance(cases, QAbstractItemView)
    from PySide6.QtWidgets import QLabel

    heading = [w for w in shell.window.findChildren(QLabel) if w.buddy() is cases]
    assert [label.text().replace("&", "") for label in heading] == ["Cases to review"]

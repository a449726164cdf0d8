"""No keyboard traps (ui.md, "Keyboard"): in every tab, Tab from the first control reaches
every enabled control on screen and leaves every table and panel again."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QWidget

from tests.fixtures.station import WAIT


def _focusable(page: QWidget) -> list[QWidget]:
    return [
        widget
        for widget in page.findChildren(QWidget)
        if widget.isVisible()
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
        and not (widget.parent() is not None and isinstance(widget.parent(), QAbstractItemView))
    ]


def _walk(qtbot, page: QWidget, presses: int) -> list[QWidget]:
    visited: list[QWidget] = []
    for _ in range(presses):
        current = QApplication.focusWidget()
        assert current is not None
        visited.append(current)
        qtbot.keyClick(current, Qt.Key.Key_Tab)
    return visited


@pytest.mark.parametrize(
    ("username", "title"),
    [
        ("frontdesk", "Incidents"),
        ("frontdesk", "Reference"),
        ("custody", "Custody"),
        ("custody", "Custody record"),
        ("detective", "Case files"),
        ("supervisor", "People"),
    ],
)
def test_tab_reaches_every_control_and_leaves_every_table(
    qtbot, reading_station, username: str, title: str
) -> None:
    shell = reading_station(username)
    qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
    tab = shell.window.open_tab(title.removesuffix(" record"))
    if title == "Custody record":
        qtbot.waitUntil(lambda: tab.board_model.rowCount() > 0, timeout=WAIT)
        tab.board.selectRow(0)
        qtbot.waitUntil(lambda: tab.panel.record is not None, timeout=WAIT)
        tab.show_record_page()
    elif title == "Custody":
        tab.show_board()
    page = tab.widget()
    window = shell.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.wait(300)  # the first page of lists arrives
    controls = _focusable(page)
    assert controls, title
    controls[0].setFocus()
    visited = _walk(qtbot, page, presses=3 * len(controls) + 10)
    missed = [
        w.accessibleName() or w.objectName() or type(w).__name__
        for w in controls
        if w not in visited
    ]
    assert missed == [], f"{title}: Tab never reaches {missed}"
    for table in (w for w in controls if isinstance(w, QAbstractItemView)):
        at = visited.index(table)
        assert visited[at + 1] is not table, f"{title}: Tab stays in {table.accessibleName()}"


def _mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Alt+letter -> what it names, for everything on screen in the window now."""
    from PySide6.QtWidgets import QAbstractButton, QLabel, QMainWindow, QTabBar

    found: dict[str, list[str]] = {}

    def note(text: str) -> None:
        at = text.replace("&&", "").find("&")
        if 0 <= at < len(text) - 1:
            found.setdefault(text.replace("&&", "")[at + 1].lower(), []).append(text)

    if isinstance(window, QMainWindow):
        for action in window.menuBar().actions():
            note(action.text())
    for widget in window.findChildren(QWidget):
        if not widget.isVisible():
            continue
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            note(widget.text())
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                if widget.isTabVisible(index):
                    note(widget.tabText(index))
    return found


@pytest.mark.parametrize(
    ("username", "title", "page"),
    [
        ("frontdesk", "Incidents", "log"),
        ("frontdesk", "Incidents", "new report"),
        ("custody", "Custody", ""),
        ("custody", "Custody", "record"),
        ("detective", "Case files", ""),
        ("detective", "Case files", "bundle"),
        ("detective", "Case files", "forms"),
        ("frontdesk", "Reference", ""),
        ("supervisor", "People", ""),
        ("supervisor", "People", "merges"),
    ],
)
def test_no_two_things_on_screen_share_an_alt_letter(
    qtbot, reading_station, username: str, title: str, page: str
) -> None:
    shell = reading_station(username)
    qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
    tab = shell.window.open_tab(title)
    if page == "new report":
        tab.open_new_report()
    elif page == "log":
        tab.focus_search()
    if title == "Case files":
        qtbot.waitUntil(lambda: tab.cases.rowCount() >= 2, timeout=WAIT)
        tab.select_case("SW-26-0142")
        qtbot.waitUntil(lambda: tab.case_panel.case is not None, timeout=WAIT)
        panel = tab.case_panel
        if page:
            panel.tabs.setCurrentIndex({"forms": 1, "bundle": 2}[page])
    if title == "Custody":
        qtbot.waitUntil(lambda: tab.board_model.rowCount() > 0, timeout=WAIT)
        tab.board.selectRow(0)
        qtbot.waitUntil(lambda: tab.panel.record is not None, timeout=WAIT)
        tab.show_record_page() if page == "record" else tab.show_board()
    if title == "People":
        tab.show_merges() if page == "merges" else tab.pages.setCurrentIndex(0)
    clashes = {key: names for key, names in _mnemonics(shell.window).items() if len(names) > 1}
    assert clashes == {}, f"{title} {page}: Alt letters used twice: {clashes}"


def _inputs_without_labels(page: QWidget) -> list[str]:
    """Inputs on screen with no label tied to them (a QLabel buddy) or no accessible name."""
    from PySide6.QtWidgets import (
        QAbstractSpinBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
    )

    inputs = (QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QAbstractSpinBox)
    buddies = {label.buddy() for label in page.findChildren(QLabel) if label.buddy() is not None}
    missing = []
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, inputs) or not widget.isVisible():
            continue
        if isinstance(widget.parent(), QComboBox | QAbstractSpinBox):
            continue  # the line edit inside a combo or spin box belongs to it
        if not widget.accessibleName() or widget not in buddies:
            missing.append(widget.accessibleName() or widget.objectName() or type(widget).__name__)
    return missing


@pytest.mark.parametrize(
    ("username", "title"),
    [
        ("frontdesk", "Incidents"),
        ("custody", "Custody"),
        ("detective", "Case files"),
        ("supervisor", "People"),
    ],
)
def test_every_input_has_a_label_tied_to_it(
    qtbot, reading_station, username: str, title: str
) -> None:
    shell = reading_station(username)
    qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
    tab = shell.window.open_tab(title)
    if title == "Incidents":
        tab.focus_search()
        qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=WAIT)
        tab.table.selectRow(0)
        qtbot.waitUntil(lambda: tab.detail.incident is not None, timeout=WAIT)
    if title == "Custody":
        qtbot.waitUntil(lambda: tab.board_model.rowCount() > 0, timeout=WAIT)
        tab.board.selectRow(0)
        qtbot.waitUntil(lambda: tab.panel.record is not None, timeout=WAIT)
    if title == "Case files":
        qtbot.waitUntil(lambda: tab.cases.rowCount() >= 2, timeout=WAIT)
        tab.select_case("SW-26-0142")
        qtbot.waitUntil(lambda: tab.case_panel.case is not None, timeout=WAIT)
    missing = []
    for page in range(_pages(tab)):
        _show_page(tab, page)
        missing += _inputs_without_labels(tab.widget())
    assert missing == [], f"{title}: no label tied to {sorted(set(missing))}"


def _pages(tab) -> int:
    inner = _inner_tabs(tab)
    if inner is not None:
        return inner.count()
    return 2 if hasattr(tab, "show_record_page") else 1  # Custody: the board, the record


def _show_page(tab, index: int) -> None:
    inner = _inner_tabs(tab)
    if inner is not None:
        if inner.isTabEnabled(index):
            inner.setCurrentIndex(index)
    elif hasattr(tab, "show_record_page"):
        tab.show_record_page() if index else tab.show_board()


def _inner_tabs(tab):
    from PySide6.QtWidgets import QTabWidget

    for inner in (
        getattr(tab, "pages", None),
        getattr(getattr(tab, "case_panel", None), "tabs", None),
    ):
        if isinstance(inner, QTabWidget):
            return inner
    return None


@pytest.mark.parametrize("which", ["book in", "review", "charged", "new case"])
def test_tab_reaches_every_control_of_a_dialog_and_never_sticks(
    qtbot, reading_station, which: str
) -> None:
    """Dialogs too: Tab from the first control reaches every enabled control of the dialog
    and never stays in a list or a box of text."""
    if which == "new case":
        shell = reading_station("detective")
        qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
        tab = shell.window.open_tab("Case files")
        tab.new_item()
        dialog = tab.new_case
    else:
        shell = reading_station("custody")
        qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
        tab = shell.window.open_tab("Custody")
        qtbot.waitUntil(lambda: tab.board_model.rowCount() > 0, timeout=WAIT)
        tab.board.selectRow(0)
        qtbot.waitUntil(lambda: tab.panel.record is not None, timeout=WAIT)
        if which == "book in":
            tab.open_booking()
        else:
            tab.open_action({"review": "review", "charged": "charge"}[which])
        dialog = tab.current_dialog
    try:
        qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
        dialog.activateWindow()
        qtbot.wait(100)
        controls = _focusable(dialog)
        assert controls, which
        controls[0].setFocus()
        visited = _walk(qtbot, dialog, presses=3 * len(controls) + 10)
        missed = [
            w.accessibleName() or w.objectName() or type(w).__name__
            for w in controls
            if w not in visited
        ]
        assert missed == [], f"{which}: Tab never reaches {missed}"
        stuck = [
            w.accessibleName()
            for w in controls
            if isinstance(w, QAbstractItemView) and visited[visited.index(w) + 1] is w
        ]
        assert stuck == [], f"{which}: Tab stays in {stuck}"
    finally:
        if hasattr(dialog, "mark_saved"):
            dialog.mark_saved()
        dialog.reject()

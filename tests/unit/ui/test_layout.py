"""Nothing clipped, nothing larger than the desk (issue 13, ui.md "Layout"): every tab every
role can open, and every page inside it, on a 1366x768 window at 100% (and a window that
can shrink to the same screen at 150%); every dialog an
officer opens from them fits the screen and shows its words whole. `make screenshots`
runs the same checks at 150%."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

from tests.fixtures.layout import DESK, DESK_AT_150, cannot_shrink_to, clipped, too_large
from tests.fixtures.station import WAIT

ROLES = (
    "frontdesk",
    "custody",
    "inspector",
    "superintendent",
    "detective",
    "supervisor",
    "admin",
)


def _settle(qtbot, window: QWidget) -> None:
    window.resize(*DESK)
    qtbot.wait(50)
    QApplication.processEvents()


def _pages(tab) -> list[str]:
    """The pages a tab shows in turn (the custody record over the board, a case's tabs)."""
    if hasattr(tab, "show_record_page"):
        return ["board", "record"]
    if hasattr(tab, "case_panel"):
        return [f"case {i}" for i in range(tab.case_panel.tabs.count())] or ["list"]
    pages = getattr(tab, "pages", None)
    if pages is not None:
        return [f"page {i}" for i in range(pages.count())]
    return ["main"]


def _show(qtbot, tab, page: str) -> None:
    if page == "board":
        qtbot.waitUntil(lambda: tab.board_model.rowCount() > 0, timeout=WAIT)
        tab.board.selectRow(0)
        qtbot.waitUntil(lambda: tab.panel.record is not None, timeout=WAIT)
        tab.show_board()
    elif page == "record":
        tab.show_record_page()
    elif page.startswith("case "):
        qtbot.waitUntil(lambda: tab.cases.rowCount() >= 1, timeout=WAIT)
        tab.table.selectRow(0)
        qtbot.waitUntil(lambda: tab.case_panel.case is not None, timeout=WAIT)
        index = int(page.split()[1])
        if tab.case_panel.tabs.isTabEnabled(index):
            tab.case_panel.tabs.setCurrentIndex(index)
    elif page.startswith("page "):
        tab.pages.setCurrentIndex(int(page.split()[1]))
    qtbot.wait(300)  # the first page of a list arrives and its columns are sized


@pytest.mark.parametrize("username", ROLES)
def test_every_tab_fits_the_desk_and_clips_nothing(qtbot, reading_station, username: str) -> None:
    shell = reading_station(username)
    qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
    window = shell.window
    user = shell.user
    assert user is not None
    found: list[str] = []
    for lazy in window.pages():
        if not lazy.serves(user):
            continue
        tab = window.open_tab(lazy.title)
        for page in _pages(tab):
            _show(qtbot, tab, page)
            _settle(qtbot, window)
            large = too_large(window)
            if large:
                found.append(f"{lazy.title} {page}: {large}")
            # At 150% the same screen is 911x512: before, the People tab needed 957 (1,238
            # for a supervisor) and the Incidents tab of a custody officer 554 in height.
            small = cannot_shrink_to(window, DESK_AT_150)
            if small:
                found.append(f"{lazy.title} {page} at 150%: {small}")
            found += [f"{lazy.title} {page}: {what}" for what in clipped(window)]
        if hasattr(tab, "show_board"):
            tab.show_board()
    assert found == [], "\n".join(found)


def _check_dialog(qtbot, dialog: QWidget, name: str) -> list[str]:
    qtbot.waitUntil(dialog.isVisible, timeout=WAIT)
    qtbot.wait(50)
    room = dialog.screen().availableGeometry()
    found = []
    frame = dialog.frameGeometry()
    if frame.width() > room.width() or frame.height() > room.height():
        found.append(
            f"{name}: {frame.width()}x{frame.height()} on a {room.width()}x{room.height()} screen"
        )
    found += [f"{name}: {what}" for what in clipped(dialog)]
    found += [
        f"{name}: {area.objectName() or type(area).__name__} scrolls sideways"
        for area in dialog.findChildren(QScrollArea)
        if area.isVisible() and area.horizontalScrollBar().isVisible()
    ]
    dialog.reject()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT) if not getattr(
        dialog, "question", None
    ) else pytest.fail(f"{name}: Esc asks before closing though nothing was typed")
    return found


def test_every_custody_dialog_fits_the_screen_and_clips_nothing(qtbot, reading_station) -> None:
    from station_app.domain.custody_rules import EVENT_TYPES

    shell = reading_station("custody")
    qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
    tab = shell.window.open_tab("Custody")
    _show(qtbot, tab, "board")
    found: list[str] = []
    tab.open_booking()
    found += _check_dialog(qtbot, tab.current_dialog, "Book in")
    for kind, spec in EVENT_TYPES.items():
        tab.open_action(kind)
        found += _check_dialog(qtbot, tab.current_dialog, spec.title)
    shell.window.open_palette()
    found += _check_dialog(qtbot, shell.window.command_palette, "Command palette")
    assert found == [], "\n".join(found)


def test_every_case_file_dialog_and_form_fits_and_clips_nothing(qtbot, reading_station) -> None:
    from station_app.domain.file_standard import STRUCTURED_FORMS

    shell = reading_station("detective")
    qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
    window = shell.window
    tab = window.open_tab("Case files")
    _show(qtbot, tab, "case 0")
    _settle(qtbot, window)
    found: list[str] = []
    tab.new_item()
    found += _check_dialog(qtbot, tab.new_case, "New case file")
    for form in sorted(STRUCTURED_FORMS):
        tab.case_panel.open_form(form, None)
        qtbot.wait(50)
        found += [f"{form} form: {what}" for what in clipped(window)]
    assert found == [], "\n".join(found)


def test_the_checks_see_a_clipped_button_label_and_heading_and_a_window_too_wide(qtbot) -> None:
    """The checks above can fail: each kind of clipping, made on purpose, is found."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout

    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    row = QHBoxLayout()
    button = QPushButton("Review detention now")
    button.setMaximumWidth(40)
    label = QLabel("A heading that does not wrap " * 9)  # about 1,600 px at 100%
    row.addWidget(button)
    layout.addLayout(row)
    layout.addWidget(label)
    table = QTableView()
    model = QStandardItemModel(1, 2)
    model.setHorizontalHeaderLabels(["Next review due", "Name"])
    table.setModel(model)
    table.horizontalHeader().setStretchLastSection(False)
    table.horizontalHeader().resizeSection(0, 20)
    layout.addWidget(table)
    window.show()
    _settle(qtbot, window)
    found = clipped(window)
    assert any("Review detention now" in what for what in found), found
    assert any("Next review due" in what for what in found), found
    assert too_large(window) is not None
    label.setWordWrap(True)
    button.setMaximumWidth(1000)
    table.horizontalHeader().resizeSection(0, 200)
    _settle(qtbot, window)
    assert clipped(window) == []

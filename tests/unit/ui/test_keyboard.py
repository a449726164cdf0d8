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
        ("detective", "Case files"),
    ],
)
def test_tab_reaches_every_control_and_leaves_every_table(
    qtbot, reading_station, username: str, title: str
) -> None:
    shell = reading_station(username)
    qtbot.waitUntil(lambda: shell.user is not None, timeout=WAIT)
    tab = shell.window.open_tab(title)
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

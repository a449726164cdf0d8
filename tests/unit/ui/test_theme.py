"""The style's rings: the focus colour around the field, button, list or text box with the
keyboard, and red around a field marked invalid (ui.md: focus always visible)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from station_app.ui.theme import StationStyle, apply_theme, set_invalid


@pytest.fixture
def style(qtbot) -> StationStyle:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "light")
    style = app.style()
    assert isinstance(style, StationStyle)
    return style


def ring_colours(widget: QWidget) -> set[str]:
    """The colours on the widget's outermost pixels, where a ring is drawn."""
    image = widget.grab().toImage()
    width, height = image.width(), image.height()
    edge = [(x, 0) for x in range(width)] + [(0, y) for y in range(height)]
    return {image.pixelColor(x, y).name() for x, y in edge}


@pytest.mark.parametrize(
    "make",
    [
        QLineEdit,
        QSpinBox,
        QDateEdit,
        QComboBox,
        QPushButton,
        QToolButton,
        QPlainTextEdit,
        QListWidget,
    ],
)
def test_the_widget_with_the_keyboard_has_a_ring_in_the_focus_colour(qtbot, style, make) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    other, widget = QLineEdit(), make()
    widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a tool button takes none by default
    layout.addWidget(other)
    layout.addWidget(widget)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    focus = QColor(style.theme.focus).name()
    assert focus not in ring_colours(widget)
    qtbot.keyClick(other, Qt.Key.Key_Tab)  # by keyboard, as the officer moves
    qtbot.waitUntil(widget.hasFocus)
    assert focus in ring_colours(widget)


@pytest.mark.parametrize("make", [QLineEdit, QSpinBox, QDateEdit, QComboBox, QPlainTextEdit])
def test_a_field_marked_invalid_has_a_red_ring(qtbot, style, make) -> None:
    widget = make()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    error = QColor(style.theme.error).name()
    assert error not in ring_colours(widget)
    set_invalid(widget, True)
    assert error in ring_colours(widget)

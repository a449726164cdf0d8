"""The Qt binding keeps Python's own objects alive. PySide6 6.12.0 on Python 3.11 took one
reference from None at every call of a Qt method that returns nothing (widget.update(),
painter.drawRect(), a style's drawPrimitive): None's count fell with every paint until the
interpreter aborted with "Fatal Python error: none_dealloc" after minutes of typing (found
by bench/keystrokes.py). pyproject.toml keeps that release out; this test fails on it."""

from __future__ import annotations

import sys

from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QLineEdit, QPushButton

CALLS = 2_000


def test_qt_calls_that_return_nothing_leave_none_and_the_booleans_alone(qapp) -> None:
    button = QPushButton("Book in")
    edit = QLineEdit()
    image = QImage(40, 20, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        before = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True))}
        for _ in range(CALLS):
            button.update()
            edit.setText("Quenby")
            painter.drawRect(0, 0, 3, 3)
            button.isEnabled()
        after = {name: sys.getrefcount(obj) for name, obj in (("None", None), ("True", True))}
    finally:
        painter.end()
    # Allow for what the interpreter itself did meanwhile; a leak loses thousands.
    lost = {name: before[name] - after[name] for name in before}
    assert all(count < CALLS // 2 for count in lost.values()), lost

"""The start-up baseline: the least a PySide6 program can do to paint one window and quit.

`--touch-qt-namespace`: the same, having first read one value of Qt's namespace, as every
real program does (bench/startup.py times it as a floor)."""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


class QuitOnPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("ready baseline", flush=True)  # what bench/startup.py times to
            QTimer.singleShot(0, QApplication.quit)
        return False


if "--touch-qt-namespace" in sys.argv:
    from PySide6.QtCore import Qt

    assert Qt.AlignmentFlag.AlignLeft
app = QApplication([])
window = QLabel("Baseline")
window.resize(420, 200)
watcher = QuitOnPaint()
window.installEventFilter(watcher)
window.show()
app.exec()

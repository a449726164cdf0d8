"""The start-up baseline: the least a PySide6 program can do to paint one window and quit."""

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel


class QuitOnPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("ready baseline", flush=True)  # what bench/startup.py times to
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication([])
window = QLabel("Baseline")
window.resize(420, 200)
watcher = QuitOnPaint()
window.installEventFilter(watcher)
window.show()
app.exec()

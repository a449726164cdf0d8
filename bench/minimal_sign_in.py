"""The floor under Station's sign-in window: the least PySide6 sign-in dialog there is (a
heading, two labelled fields, OK and Cancel; Fusion's own look, no window behind it), timed
by bench/startup.py as a whole process beside the minimal window. Whatever Station adds
(its theme, the main window behind the dialog, the crash handler, logging, settings) is
measured against this."""

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)


class QuitOnPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            print("ready floor", flush=True)  # what bench/startup.py times to
            QTimer.singleShot(0, QApplication.quit)
        return False


app = QApplication([])
dialog = QDialog()
layout = QVBoxLayout(dialog)
heading = QLabel("Sign in to Station")
heading.setAlignment(Qt.AlignmentFlag.AlignLeft)
layout.addWidget(heading)
form = QFormLayout()
username = QLineEdit()
password = QLineEdit()
password.setEchoMode(QLineEdit.EchoMode.Password)
form.addRow("&Username", username)
form.addRow("&Password", password)
layout.addLayout(form)
buttons = QDialogButtonBox.StandardButton
layout.addWidget(QDialogButtonBox(buttons.Ok | buttons.Cancel))
watcher = QuitOnPaint()
dialog.installEventFilter(watcher)
dialog.show()
app.exec()

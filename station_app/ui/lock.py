"""Locking the workstation: an idle watcher and the lock screen that hides the work behind it.

A station PC is left unattended between callers at the desk. After the configured idle time
the window shows the lock screen in place of every tab; only the signed-in officer's password
(checked in memory, so it works offline) or signing out gets past it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

_ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleWatcher(QObject):
    """Emits `idle` when no key, mouse or touch input has reached the app for `minutes`."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self._interval_ms = 0

    def start(self, minutes: float) -> None:
        """Watch the whole application; 0 minutes turns locking off."""
        from PySide6.QtWidgets import QApplication

        self._interval_ms = int(minutes * 60_000)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.restart()

    def stop(self) -> None:
        from PySide6.QtWidgets import QApplication

        self._timer.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def restart(self) -> None:
        if self._interval_ms > 0:
            self._timer.start(self._interval_ms)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY_EVENTS:
            self.restart()
        return False


class LockScreen(QWidget):
    """Shown in place of the tabs while locked."""

    unlock_requested = Signal(str)
    sign_out_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        self.setAccessibleName("Station is locked")
        self.heading = QLabel("Station is locked")
        self.heading.setObjectName("heading")
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.password = QLineEdit()
        self.password.setObjectName("lockPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.returnPressed.connect(self._unlock)
        label = QLabel("&Password:")
        label.setBuddy(self.password)
        self.message = QLabel()
        self.message.setObjectName("lockMessage")
        self.message.setProperty("state", "error")
        self.message.hide()
        self.unlock_button = QPushButton("&Unlock")
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self._unlock)
        self.sign_out_button = QPushButton("Sign &out")
        self.sign_out_button.clicked.connect(self.sign_out_requested)

        form = QFormLayout()
        form.addRow(label, self.password)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.sign_out_button)
        buttons.addWidget(self.unlock_button)
        box = QWidget()
        box.setFixedWidth(460)  # a fixed width lets the wrapped text take its full height
        inner = QVBoxLayout(box)
        inner.addWidget(self.heading)
        inner.addWidget(self.who)
        inner.addLayout(form)
        inner.addWidget(self.message)
        inner.addLayout(buttons)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

    def prepare(self, who: str, *, idle: bool) -> None:
        """`idle`: locked by the idle timer (else by the officer, Ctrl+L)."""
        why = "Locked after a time with no activity." if idle else "Locked."
        self.who.setText(
            f"{why} {who}: enter your password to carry on, "
            "or sign out so someone else can sign in."
        )
        self.password.clear()
        self.message.hide()
        self.password.setFocus()

    def show_wrong_password(self) -> None:
        self.message.setText("That password is not right. Try again, or sign out.")
        self.message.show()
        self.password.selectAll()
        self.password.setFocus()

    def _unlock(self) -> None:
        self.unlock_requested.emit(self.password.text())

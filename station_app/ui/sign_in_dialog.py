"""The sign-in dialog: user name, password, and which core system Station will talk to.

The dialog only collects and shows; the shell does the signing in through the runner and
answers with `show_error` or `accept`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from station_app.ui.theme import set_state

TOKEN_HINT_SETTING = "signin/token_saved"
"""User setting: whether a sign-in is saved in the keyring (never the token itself)."""


def describe_server(url: str, embedded: bool, ready: bool) -> str:
    """What the dialog says about the core system it signs in to."""
    if embedded:
        if ready:
            return "Demo server on this computer (invented data)"
        return "Demo server on this computer (starting…)"
    return url


class SignInDialog(QDialog):
    sign_in_requested = Signal(str, str)
    """User name and password, when the officer presses Sign in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("signInDialog")
        self.setWindowTitle("Sign in to Station")
        self.setAccessibleName("Sign in to Station")
        self.setModal(True)

        heading = QLabel("Sign in to Station")
        heading.setObjectName("heading")
        self.server_value = QLabel("Looking for the core system…")
        self.server_value.setObjectName("serverValue")
        self.server_value.setAccessibleName("Core system")

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setAccessibleName("User name")
        self.username.setAutoFillBackground(True)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setAccessibleName("Password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)

        form = QFormLayout()
        server_label = QLabel("Core system:")
        form.addRow(server_label, self.server_value)
        username_label = QLabel("&User name:")
        username_label.setBuddy(self.username)
        form.addRow(username_label, self.username)
        password_label = QLabel("&Password:")
        password_label.setBuddy(self.password)
        form.addRow(password_label, self.password)

        self.message = QLabel()
        self.message.setObjectName("signInMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Sign-in message")
        self.message.hide()

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setAccessibleName("Signing in")
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(6)
        self.progress.hide()

        self.buttons = QDialogButtonBox()
        self.sign_in_button = self.buttons.addButton(
            "&Sign in", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_in_button.setObjectName("signInButton")
        self.sign_in_button.setDefault(True)
        self.quit_button = self.buttons.addButton("&Quit", QDialogButtonBox.ButtonRole.RejectRole)
        self.sign_in_button.clicked.connect(self._request_sign_in)
        self.quit_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._request_sign_in)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.progress)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.sign_in_button)
        self.setMinimumWidth(420)
        self._server_ready = False
        self._busy = False
        self.username.setFocus()

    def set_server(self, text: str, *, ready: bool) -> None:
        """Say which core system this is; Sign in works only once it is ready."""
        self.server_value.setText(text)
        self._server_ready = ready
        self._update_enabled()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progress.setVisible(busy)
        self.username.setReadOnly(busy)
        self.password.setReadOnly(busy)
        self._update_enabled()

    def show_error(self, text: str) -> None:
        """Show why sign-in failed; keep what was typed and put the cursor back in the password."""
        self.set_busy(False)
        self.message.setText(text)
        set_state(self.message, "error")
        self.message.show()
        self.password.setFocus()
        self.password.selectAll()

    def show_info(self, text: str) -> None:
        self.message.setText(text)
        set_state(self.message, "info")
        self.message.setVisible(bool(text))

    def _update_enabled(self) -> None:
        self.sign_in_button.setEnabled(self._server_ready and not self._busy)

    def _request_sign_in(self) -> None:
        if not self.sign_in_button.isEnabled():
            return
        username = self.username.text().strip()
        if not username:
            self.show_error("Enter your user name.")
            self.username.setFocus()
            return
        if not self.password.text():
            self.show_error("Enter your password.")
            return
        self.message.hide()
        self.set_busy(True)
        self.sign_in_requested.emit(username, self.password.text())

    def reject(self) -> None:
        """Esc, Quit or the window's close button: closing sign-in quits Station, so ask
        first when something has been typed."""
        if self._busy:
            return
        if (self.username.text() or self.password.text()) and not self._confirm_quit():
            return
        super().reject()

    def _confirm_quit(self) -> bool:
        from PySide6.QtWidgets import QMessageBox

        answer = QMessageBox.question(
            self,
            "Quit Station?",
            "Quit Station without signing in?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

"""Dialogs that hold a form: Esc or the close button asks first once something has been
typed (ui.md, "Keyboard"), and no dialog is ever taller or wider than the screen it opens
on (a 1366x768 desk, 150% scaling): the form inside scrolls instead."""

from __future__ import annotations

import shiboken6
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QVBoxLayout, QWidget

from station_app.ui.forms import StationForm

# Room left for the window frame and the taskbar around a dialog.
_SCREEN_MARGIN = 48


def return_focus_on_close(dialog: QDialog) -> None:
    """When `dialog` closes, the keyboard goes back to the control that had it when the
    dialog was made (the board row, the record's action), whatever the window system
    activates meanwhile: an officer working by keyboard never has to find the focus again
    with the mouse."""
    before = QApplication.focusWidget()
    owner = dialog.parentWidget()
    if before is None and owner is not None:  # between two dialogs: the window's own focus
        before = owner.window().focusWidget()
    while before is not None and isinstance(
        getattr(before.window(), "focus_returns_to", None), QWidget
    ):
        # Made from another dialog that is about to close (the command palette): the
        # keyboard goes back to where that one would have given it.
        before = getattr(before.window(), "focus_returns_to", None)
    if before is None or before.window() is dialog:
        return
    dialog.focus_returns_to = before  # type: ignore[attr-defined]

    def give_back(_result: int) -> None:
        if not shiboken6.isValid(before) or not before.isVisible():
            return
        if QApplication.activeModalWidget() not in (None, dialog):
            return  # the dialog opened another (the palette ran a command): that one has it
        window = before.window()
        window.activateWindow()
        before.setFocus()

    dialog.finished.connect(give_back)


class FormDialog(QDialog):
    def __init__(
        self,
        form: StationForm,
        title: str,
        parent: QWidget | None = None,
        *,
        kept: str = "",
        size: tuple[int, int] = (560, 640),
    ) -> None:
        """`kept` says what becomes of what was typed if the dialog closes ("It stays in
        its draft and is offered next time."); empty when nothing is kept."""
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = form
        self._kept = kept
        self._typed = False
        self._closing = False
        self.question: QMessageBox | None = None
        form.edited.connect(self._was_edited)
        layout = QVBoxLayout(self)
        layout.addWidget(form)
        self.resize(*size)
        return_focus_on_close(self)

    def _was_edited(self) -> None:
        self._typed = True

    def mark_saved(self) -> None:
        """What was typed has gone where it belongs: closing need not ask."""
        self._typed = False

    def reject(self) -> None:
        if not self._typed or self._closing:
            super().reject()
            return
        box = QMessageBox(self)
        box.setObjectName("closeQuestion")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(f"Close {self.windowTitle().lower()}?")
        box.setText(f"Close {self.windowTitle().lower()} without sending it?")
        box.setInformativeText(self._kept or "What you typed here will be lost.")
        close = box.addButton("&Close it", QMessageBox.ButtonRole.DestructiveRole)
        stay = box.addButton("&Keep typing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(stay)  # Enter keeps the officer's work
        box.setEscapeButton(stay)

        def answered(_result: int) -> None:
            self.question = None
            if box.clickedButton() is close:
                self._closing = True
                super(FormDialog, self).reject()
            else:
                self.form.setFocus()

        box.finished.connect(answered)
        self.question = box
        box.open()

    def showEvent(self, event: QShowEvent) -> None:
        screen = self.screen()
        if screen is not None:
            room = screen.availableGeometry()
            self.resize(
                min(self.width(), room.width() - _SCREEN_MARGIN),
                min(self.height(), room.height() - _SCREEN_MARGIN),
            )
        super().showEvent(event)

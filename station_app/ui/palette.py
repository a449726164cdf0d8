"""The command palette (Ctrl+K): every action the signed-in officer may take in the tab in
front, and the station's own, found by typing part of its name ("rev" -> Review detention)
and run with Enter. Each line shows the action's key, so the palette also teaches them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

from station_app.ui.dialogs import return_focus_on_close

_COMMAND_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Command:
    name: str
    run: Callable[[], None]
    keys: str = ""
    where: str = ""
    """Which tab or menu it belongs to ("Custody", "Station")."""


def matches(command: Command, typed: str) -> bool:
    """Every word typed starts a word of the name, or appears in it ("rev det", "visit")."""
    name = command.name.casefold()
    words = name.replace("'", " ").replace("-", " ").split()
    return all(
        any(word.startswith(part) for word in words) or part in name
        for part in typed.casefold().split()
    )


class CommandPalette(QDialog):
    """Type to narrow, Up/Down to choose, Enter to run, Esc to close."""

    def __init__(self, commands: Sequence[Command], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        return_focus_on_close(self)
        self.setObjectName("commandPalette")
        self.setWindowTitle("Commands")
        self.setAccessibleName("Command palette")
        self._commands = list(commands)
        self.search = QLineEdit()
        self.search.setObjectName("paletteSearch")
        self.search.setAccessibleName("Type part of a command's name")
        self.search.setPlaceholderText("Type what you want to do, e.g. “visit” or “print”")
        label = QLabel("&Do:")
        label.setBuddy(self.search)
        self.model = QStandardItemModel(self)
        self.list = QListView()
        self.list.setObjectName("paletteList")
        self.list.setAccessibleName("Commands")
        self.list.setModel(self.model)
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        self.list.activated.connect(lambda _index: self.run_current())
        self.empty = QLabel("Nothing you can do here matches that. Try fewer letters.")
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        self.search.textChanged.connect(self._narrow)
        self.search.installEventFilter(self)
        self.resize(520, 420)
        self._narrow("")

    def shown_names(self) -> list[str]:
        return [
            self.model.item(row).data(_COMMAND_ROLE).name for row in range(self.model.rowCount())
        ]

    def _narrow(self, typed: str) -> None:
        self.model.clear()
        for command in self._commands:
            if matches(command, typed):
                text = command.name + (f"    {command.keys}" if command.keys else "")
                item = QStandardItem(text)
                item.setData(command, _COMMAND_ROLE)
                where = f" ({command.where})" if command.where else ""
                item.setAccessibleText(
                    f"{command.name}{where}" + (f", key {command.keys}" if command.keys else "")
                )
                self.model.appendRow(item)
        has_any = self.model.rowCount() > 0
        self.empty.setVisible(not has_any)
        if has_any:
            self.list.setCurrentIndex(self.model.index(0, 0))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up and Down move through the list while the typing stays in the search field.
        if watched is self.search and isinstance(event, QKeyEvent):
            if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Up,
                Qt.Key.Key_Down,
            ):
                row = self.list.currentIndex().row() + (1 if event.key() == Qt.Key.Key_Down else -1)
                if 0 <= row < self.model.rowCount():
                    self.list.setCurrentIndex(self.model.index(row, 0))
                return True
            if event.type() == QEvent.Type.KeyPress and event.key() in (
                Qt.Key.Key_Return,
                Qt.Key.Key_Enter,
            ):
                self.run_current()
                return True
        return super().eventFilter(watched, event)

    def run_current(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid():
            return
        command: Command = index.data(_COMMAND_ROLE)
        self.accept()
        command.run()

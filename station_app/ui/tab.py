"""What a tab offers the window: its title, its actions and what it does at sign-in and
sign-out. The window knows tabs only through this protocol.

A tab is made when first needed while someone is signed in, told `on_signed_in` with the
officer, and destroyed at sign-out (after `on_signed_out`), so the next officer always
gets a new one: no list, dialog, preview or message of one user is shown to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:  # not at run time: the window imports this before its first paint
    from PySide6.QtWidgets import QWidget

    from station_app.services.auth import UserInfo


class CommonKey(Enum):
    """The keys every tab understands in its own way (ui.md, "Keyboard")."""

    NEW = "Ctrl+N"
    FIND = "Ctrl+F"
    REFRESH = "F5"
    PRINT = "Ctrl+P"


@dataclass(frozen=True)
class TabAction:
    """One thing the officer can do in a tab, by name (for menus and the palette)."""

    name: str
    """What it is called, in the station's words: "Book in a detainee", "Record a visit"."""
    trigger: Callable[[], None]
    common: CommonKey | None = None
    """The common key it answers, if any (Ctrl+N in the Custody tab books in)."""
    shortcut: str = ""
    """A key of its own (F8 for a routine visit); empty when it has none."""


class StationTab(Protocol):
    title: str

    def widget(self) -> QWidget:
        """The tab's page."""
        ...

    def tab_actions(self) -> Sequence[TabAction]:
        """What the signed-in officer can do here now (asked again after sign-in)."""
        ...

    def on_signed_in(self, user: UserInfo) -> None:
        """The officer is known: load their work."""
        ...

    def on_signed_out(self) -> None:
        """The officer has gone: stop timers and work in flight (the tab is then destroyed)."""
        ...

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call `callback` once the officer's work is on screen (the tab's first list has
        answered, even with a problem) and the keyboard is in its first field: the moment
        the landing tab is usable (bench/startup.py measures it). At once if it is already."""
        ...


@runtime_checkable
class OpensReferences(Protocol):
    """A tab that can show one of its records by reference, for a link from another tab (a
    person's timeline in the People tab names reports, custody records and case files). The
    window asks with `isinstance(tab, OpensReferences)`; a tab without it just comes to the
    front."""

    def open_reference(self, reference: str, /) -> str:
        """Show the record with this reference: "" when it is shown, else why not, in the
        officer's words."""
        ...


TabFactory = Callable[["UserInfo"], StationTab]
"""Makes a tab for the signed-in officer (their own drafts, their role's actions)."""


def find_action(actions: Sequence[TabAction], key: CommonKey) -> TabAction | None:
    return next((action for action in actions if action.common is key), None)


class FirstWork:
    """A tab's "ready for work" (`StationTab.when_ready`): told once, by the tab, when its first
    list has answered; it then puts the keyboard in the tab's first field, unless the officer
    is already typing in a field of the tab, and calls whoever waited."""

    def __init__(self, tab: QWidget, first_field: Callable[[], QWidget]) -> None:
        self._tab = tab
        self._first_field = first_field
        self._waiting: list[Callable[[], None]] = []
        self.ready = False

    def when_ready(self, callback: Callable[[], None]) -> None:
        if self.ready:
            callback()
        else:
            self._waiting.append(callback)

    def shown(self) -> None:
        """The tab's first list has answered (later answers change nothing here)."""
        if self.ready:
            return
        self.ready = True
        from PySide6.QtWidgets import QAbstractSpinBox, QLineEdit, QPlainTextEdit, QTextEdit

        field = self._first_field()
        focused = field.window().focusWidget()
        typing = isinstance(focused, QLineEdit | QPlainTextEdit | QTextEdit | QAbstractSpinBox)
        if self._tab.isVisible() and not (typing and self._tab.isAncestorOf(focused)):
            field.setFocus()
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()

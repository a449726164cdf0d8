"""The booking-in form's person search: people booked in before, found on the server.

It is a `TypeAheadField` (same popup, same keys: type, Down/Up, Enter picks the
highlighted or the best match, Esc puts back what was there) whose matches come from the
network instead of an in-memory index. `TypeAheadField` calls its search function
synchronously on the UI thread for every keystroke, which suits its cached lists but
would freeze the form on a slow network; so here a keystroke only (re)starts a short
debounce timer, the search runs through the runner, and an answer is shown only if the
text is still what was asked (answers to older keystrokes are dropped).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QWidget

from station_app.domain.search import SearchEntry
from station_app.ui.typeahead import TypeAheadField

if TYPE_CHECKING:
    from station_app.services.custody import PersonMatch
    from station_app.ui.runner import OperationFailure, OperationRunner

DEBOUNCE_MS = 250
PeopleSearch = Callable[[str], Sequence["PersonMatch"]]


def person_text(person: PersonMatch) -> str:
    """ "BRACKENRIDGE, Alex, born 12/03/1990, 2 New St (last in custody 26/11/2026)"."""
    parts = [f"{person.surname.upper()}, {person.forenames}"]
    if person.date_of_birth:
        parts.append(f"born {person.date_of_birth:%d/%m/%Y}")
    if person.address:
        parts.append(person.address)
    from station_app.ui.timefmt import local_time_text

    return f"{', '.join(parts)} (last in custody {local_time_text(person.last_booked_at)})"


class PersonSearchField(TypeAheadField):
    person_picked = Signal(object)
    """The `PersonMatch` the officer picked."""
    problem = Signal(str)
    """The search could not be made (the station's words)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, limit=10)
        self._runner: OperationRunner | None = None
        self._people_search: PeopleSearch | None = None
        self._people: dict[str, PersonMatch] = {}
        self._asked = ""
        self._pick_best = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._ask)
        self.picked.connect(self._on_picked)
        self.setPlaceholderText("Surname and forenames, and/or date of birth")

    def bind(self, runner: OperationRunner, search: PeopleSearch) -> None:
        self._runner, self._people_search = runner, search

    # --- TypeAheadField's synchronous search, made asynchronous ---------------------------
    def search_for(self, text: str) -> None:
        query = text.strip()
        if not query or self._people_search is None:
            self._timer.stop()
            self.show_matches([])
            return
        self._asked = ""
        self._pick_best = False
        self._timer.start()

    def _ask(self) -> None:
        query, search, runner = self.text().strip(), self._people_search, self._runner
        if not query or search is None or runner is None:
            return
        self._asked = query
        runner.run(
            "custody.people",
            lambda: search(query),
            on_success=self._answer,
            on_failure=self._failed,
        )

    def _answer(self, people: Sequence[PersonMatch]) -> None:
        if not self._asked or self._asked != self.text().strip():
            return  # the officer typed on, or left the field: not what they want now
        self._people = {person.last_custody_number: person for person in people}
        entries = [SearchEntry(p.last_custody_number, person_text(p)) for p in people]
        if self._pick_best and entries:
            self._pick_best = False
            self.pick(entries[0])
            return
        self.show_matches(entries)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self._timer.stop()
            self._asked = ""
        elif (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not self.popup_visible()
            and self.text().strip()
            and self.current_entry is None
        ):
            # Enter before the matches arrived: search now and take the best.
            self._timer.stop()
            self._pick_best = True
            self._ask()
            event.accept()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        if event.reason() != Qt.FocusReason.PopupFocusReason:
            self._timer.stop()
            self._asked = ""  # an answer arriving now would pop up over another field
        super().focusOutEvent(event)

    def _failed(self, failure: OperationFailure) -> None:
        self.problem.emit(failure.message)

    def _on_picked(self, entry: SearchEntry | None) -> None:
        person = self._people.get(entry.code) if entry is not None else None
        if person is not None:
            self.person_picked.emit(person)

""" "Known person?": as the officer types a person's names, date of birth or postcode into a
form, the people most like them are offered from the core's person search, with the
server's reasons; picking one fills the person's fields and keeps their person id, which
the form sends with the record so the server links it to that person (docs/api.md,
"People"). Nobody picked: a new person is recorded, as before.

The panel sits in a `StationForm` as a field of its own (its value, the picked person,
goes in drafts like any other) and watches the form's person fields. A keystroke only
restarts a short debounce timer; the search runs on a worker through the runner, and an
answer is shown only if it answers the latest question (older answers are dropped), so
typing never waits for the network (`bench/known_person.py` measures it).

Keys: Down in a watched field moves to the matches (when there are some), Up/Down move
through them, Enter picks, Esc (or Up on the first) goes back to the field last typed in;
Tab moves on as everywhere else (the matches are not a Tab stop, so Tab always reaches the
next field whether or not matches have arrived). Once a person is picked the form stops asking:
"Not this person" takes the link off and looks again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.people import split_full_name
from station_app.domain.typed_input import parse_date
from station_app.services.people import PersonQuery, marker_title
from station_app.ui.theme import set_state

if TYPE_CHECKING:
    from station_app.services.people import PeopleClient, PersonCandidate, PersonRecord
    from station_app.ui.runner import OperationFailure, OperationRunner

__all__ = ["DEBOUNCE_MS", "KnownPersonPanel", "PersonFields", "candidate_text", "query_from"]

DEBOUNCE_MS = 250
SHOWN = 5
"""How many matches are offered: the top few, not a list to read through."""
_PERSON_ROLE = Qt.ItemDataRole.UserRole + 1
TYPE_TO_LOOK = (
    "Type the name (and date of birth or postcode, if known) to check for a known person."
)
NEW_PERSON = "No known person matches: a new person will be recorded."


@dataclass(frozen=True)
class PersonFields:
    """The form's fields for one person. A form that takes the name in one line gives
    `name`; one that takes them apart gives `surname` and `forenames`."""

    name: QLineEdit | None = None
    surname: QLineEdit | None = None
    forenames: QLineEdit | None = None
    date_of_birth: QLineEdit | None = None
    address: QLineEdit | None = None
    postcode: QLineEdit | None = None
    gender: QLineEdit | None = None
    pnc_id: QLineEdit | None = None

    def searched(self) -> list[QLineEdit]:
        """The fields a search is made of, in the form's order."""
        names = ("name", "surname", "forenames", "date_of_birth", "address", "postcode")
        return [w for w in (getattr(self, n) for n in names) if w is not None]


def query_from(f: PersonFields) -> PersonQuery:
    """A person search from what a form's person fields say (a name in one line is split
    as `domain.people` reads it; a half-typed date of birth is left out until it reads)."""
    surname = f.surname.text() if f.surname else ""
    forenames = f.forenames.text() if f.forenames else ""
    if f.name is not None:
        surname, forenames = split_full_name(f.name.text())
    born: dt.date | None = None
    if f.date_of_birth is not None and f.date_of_birth.text().strip():
        try:
            born = parse_date(f.date_of_birth.text(), dt.date.today())
        except ValueError:
            born = None
    return PersonQuery(
        surname=surname,
        forenames=forenames,
        date_of_birth=born,
        address=f.address.text() if f.address else "",
        postcode=f.postcode.text() if f.postcode else "",
    )


def _born(person: PersonCandidate | PersonRecord) -> str:
    return f"born {person.date_of_birth:%d/%m/%Y}" if person.date_of_birth else "no date of birth"


def candidate_text(candidate: PersonCandidate, *, with_markers: bool) -> str:
    """Two lines: who ("SMYTH, John Paul, born 02/07/1984, 12 Mill Lane, Leeds LS1 4AB")
    and why they are offered, in the server's words."""
    who = [f"{candidate.surname.upper()}, {candidate.forenames}".rstrip(", "), _born(candidate)]
    if candidate.addresses:
        who.append(candidate.addresses[0])
    why = "; ".join(candidate.reasons) or "a likely match"
    lines = [", ".join(who), f"Why: {why}"]
    if with_markers and candidate.warning_markers:
        lines.append(
            "Warning markers: " + ", ".join(marker_title(m) for m in candidate.warning_markers)
        )
    return "\n".join(lines)


class KnownPersonPanel(QWidget):
    """The "known person?" matches under a person's fields, and the person picked."""

    edited = Signal()
    """A person was picked or the link taken off (StationForm and drafts listen)."""
    person_picked = Signal(object)
    """The `PersonRecord` picked, after its fields were filled."""
    markers_read = Signal(object)
    """The warning marker codes the linked person holds, once read (a tuple; empty when the
    link is taken off)."""

    def __init__(self, *, show_markers: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.show_markers = show_markers
        self._runner: OperationRunner | None = None
        self._client: PeopleClient | None = None
        self._fields = PersonFields()
        self._then: QWidget | None = None
        self._date_format = "%d/%m/%Y"
        self._generation = 0
        self._asked: PersonQuery | None = None
        self._person_id: str | None = None
        self._person_label = ""
        self._filling = False
        self._last_typed: QLineEdit | None = None
        self._candidates: tuple[PersonCandidate, ...] = ()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)

        self.status = QLabel(TYPE_TO_LOOK)
        self.status.setObjectName("knownPersonStatus")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Known person")
        self.markers = QLabel()
        self.markers.setObjectName("knownPersonMarkers")
        self.markers.setWordWrap(True)
        self.markers.setAccessibleName("Warning markers")
        self.markers.hide()
        self.matches = QListView()
        self._model = QStandardItemModel(self.matches)  # goes with its view
        self.matches.setObjectName("knownPersonMatches")
        self.matches.setModel(self._model)
        self.matches.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.matches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.matches.setWordWrap(True)
        self.matches.setTabKeyNavigation(False)  # Tab leaves the list: no keyboard trap
        # Reached by Down from the person's fields, not by Tab: Tab always goes on to the
        # next field, whether or not matches happen to have arrived (typing ahead is safe).
        self.matches.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.matches.setToolTip("Up/Down to choose, Enter to fill the details, Esc to go back")
        self.matches.installEventFilter(self)
        self.matches.activated.connect(lambda index: self.pick(index.row()))
        self.matches.hide()
        self.unlink_button = QPushButton("&Not this person")
        self.unlink_button.setObjectName("knownPersonUnlink")
        self.unlink_button.setAccessibleName("Not this person: record a new person")
        self.unlink_button.clicked.connect(self.unlink)
        self.unlink_button.hide()
        # Each sentence has the full width (a wrapped label beside a button was cut short).
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.unlink_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.status)
        layout.addWidget(self.markers)
        layout.addLayout(row)
        layout.addWidget(self.matches)
        self.setFocusProxy(self.matches)

    # --- set-up ---------------------------------------------------------------------------
    def bind(self, runner: OperationRunner, client: PeopleClient) -> None:
        self._runner, self._client = runner, client

    def watch(
        self,
        person: PersonFields,
        *,
        date_format: str = "%d/%m/%Y",
        then: QWidget | None = None,
    ) -> None:
        """Search as these fields are typed in; fill them when a person is picked.
        `date_format`: how the form writes a date of birth; `then`: the field the cursor
        goes to once a person is picked (the next thing not known from them)."""
        self._fields, self._date_format, self._then = person, date_format, then
        for field in person.searched():
            field.textEdited.connect(lambda _text, f=field: self._typed(f))
            field.installEventFilter(self)

    def setAccessibleName(self, name: str) -> None:
        """StationForm names the panel by its label; the list is named after it too."""
        super().setAccessibleName(name)
        self.matches.setAccessibleName(f"{name} matches")

    # --- what the form reads --------------------------------------------------------------
    @property
    def person_id(self) -> str | None:
        """The person picked (sent with the record), or None: a new person."""
        return self._person_id

    @property
    def candidates(self) -> tuple[PersonCandidate, ...]:
        """The matches on show, best first."""
        return self._candidates

    def field_value(self) -> dict[str, str] | None:
        if self._person_id is None:
            return None
        return {"person_id": self._person_id, "label": self._person_label}

    def set_field_value(self, value: Any) -> None:
        """A draft or a record read back: the person it was linked to, without asking (the
        form's value, or a record's person number alone)."""
        self._timer.stop()
        self._generation += 1
        if isinstance(value, str) and value:
            value = {"person_id": value, "label": ""}
        if isinstance(value, dict) and value.get("person_id"):
            self._show_linked(
                str(value["person_id"]), str(value.get("label") or ""), (), picked=False
            )
        else:
            self._person_id, self._person_label = None, ""
            self.unlink_button.hide()
            self.markers.hide()
            self._show([])
            self._say(TYPE_TO_LOOK, "")
            self.markers_read.emit(())

    def link_to(self, person_id: str, label: str) -> None:
        """A person another record already links (a report's suspect, arrested and booked
        in): shown as picked, without filling the fields again, and read (audited) for their
        warning markers, which are never said to be none before they are read."""
        self.set_field_value({"person_id": person_id, "label": label})
        runner, client = self._runner, self._client
        if not self.show_markers or runner is None or client is None:
            return
        self.markers.setText("Reading this person's warning markers…")
        set_state(self.markers, "")
        self.markers.show()
        generation = self._generation
        runner.run(
            "people.read",
            lambda: client.person(person_id),
            on_success=lambda record: self._linked_read(generation, record),
            on_failure=lambda failure: self._linked_unread(generation, failure),
        )

    def _linked_read(self, generation: int, record: PersonRecord) -> None:
        if generation != self._generation or self._person_id is None:
            return  # picked again or unlinked meanwhile
        label = f"{record.surname.upper()}, {record.forenames}, {_born(record)}"
        self._show_linked(record.person_id, label, record.warning_markers, picked=False)

    def _linked_unread(self, generation: int, failure: OperationFailure) -> None:
        if generation != self._generation or self._person_id is None:
            return
        self.markers.setText(f"Warning markers not read: {failure.message}")
        set_state(self.markers, "error")

    # --- searching ------------------------------------------------------------------------
    def query(self) -> PersonQuery:
        """What the watched fields say now."""
        return query_from(self._fields)

    def _typed(self, field: QLineEdit) -> None:
        if self._filling or not self.isEnabled():
            return
        self._last_typed = field
        if self._person_id is None:
            self._timer.start()  # restarted by each keystroke: one search per pause

    def search_now(self) -> None:
        """Ask the server now (the debounce timer's end); the latest question only."""
        self._timer.stop()
        query, runner, client = self.query(), self._runner, self._client
        if self._person_id is not None or runner is None or client is None:
            return
        if len((query.surname + query.forenames).strip()) < 2:
            self._generation += 1
            self._asked = None
            self._show([])
            self._say(TYPE_TO_LOOK, "")
            return
        if query == self._asked:
            return
        self._asked = query
        self._generation += 1
        generation = self._generation
        self._say("Looking for a known person…", "")
        runner.run(
            "people.known_person",
            lambda: client.search(query, SHOWN),
            on_success=lambda found: self._answered(generation, found),
            on_failure=lambda failure: self._failed(generation, failure),
        )

    def _answered(self, generation: int, found: Sequence[PersonCandidate]) -> None:
        if generation != self._generation or self._person_id is not None:
            return  # the officer typed on (or picked): an older question's answer
        # Someone with nothing in their favour (no reason at all) is not offered.
        found = [candidate for candidate in found if candidate.reasons]
        self._show(found)
        if found:
            count = "1 known person" if len(found) == 1 else f"{len(found)} known people"
            self._say(
                f"{count} like this. Down to choose, Enter to fill the details; "
                "or carry on typing for a new person.",
                "info",
            )
        else:
            self._say(NEW_PERSON, "")

    def _failed(self, generation: int, failure: OperationFailure) -> None:
        if generation != self._generation:
            return
        self._asked = None  # ask again at the next pause
        self._show([])
        self._say(f"{failure.message} You can carry on: a new person will be recorded.", "error")

    def _show(self, found: list[PersonCandidate]) -> None:
        self._candidates = tuple(found)
        self._model.clear()
        for candidate in found:
            text = candidate_text(candidate, with_markers=self.show_markers)
            item = QStandardItem(text)
            item.setData(candidate.person_id, _PERSON_ROLE)
            item.setData(text.replace("\n", ". "), Qt.ItemDataRole.AccessibleTextRole)
            self._model.appendRow(item)
        had_focus = self.matches.hasFocus()
        self.matches.setVisible(bool(found))
        if found:
            lines = 3 if self.show_markers else 2
            row = self.matches.fontMetrics().lineSpacing() * lines + 8
            self.matches.setFixedHeight(min(len(found), 3) * row + 4)
        elif had_focus and self._last_typed is not None:
            self._last_typed.setFocus()

    def _say(self, text: str, state: str) -> None:
        self.status.setText(text)
        set_state(self.status, state)

    # --- keys -----------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.matches:
            row = self.matches.currentIndex().row()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.pick(max(row, 0))
                return True
            if key == Qt.Key.Key_Escape or (key == Qt.Key.Key_Up and row <= 0):
                self.back_to_typing()
                return True
        elif key == Qt.Key.Key_Down and not event.modifiers() and self._candidates:
            self.matches.setFocus(Qt.FocusReason.OtherFocusReason)
            self.matches.setCurrentIndex(self._model.index(0, 0))
            return True
        return super().eventFilter(watched, event)

    def back_to_typing(self) -> None:
        target = self._last_typed or next(iter(self._fields.searched()), None)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- picking --------------------------------------------------------------------------
    def pick(self, row: int) -> None:
        """Take the person on `row`: read their record (audited) and fill the fields."""
        if not 0 <= row < len(self._candidates) or self._runner is None or self._client is None:
            return
        candidate, client = self._candidates[row], self._client
        self._timer.stop()
        self._generation += 1
        generation = self._generation
        self._say(f"Reading the details of {candidate.person_id}…", "")
        self._runner.run(
            "people.read",
            lambda: client.person(candidate.person_id),
            on_success=lambda record: self._picked(generation, record),
            on_failure=lambda failure: self._failed(generation, failure),
        )

    def _picked(self, generation: int, record: PersonRecord) -> None:
        if generation != self._generation:
            return
        self._fill(record)
        label = f"{record.surname.upper()}, {record.forenames}, {_born(record)}"
        self._show_linked(record.person_id, label, record.warning_markers)
        self._focus_next_field()
        self._show([])
        self.edited.emit()
        self.person_picked.emit(record)

    def _focus_next_field(self) -> None:
        """Typed once: on to the next thing the officer has to type (`then`), else "Not
        this person"."""
        target = self._then
        if target is not None and target.isEnabled():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.unlink_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_linked(
        self,
        person_id: str,
        label: str,
        markers: Sequence[tuple[str, str]],
        *,
        picked: bool = True,
    ) -> None:
        self._person_id, self._person_label = person_id, label
        self._asked = None
        who = f"{person_id}: {label}" if label else person_id
        self._say(
            f"Known person {who}. Details filled in: check them and change what is different."
            if picked
            else f"Known person {who}: this record is linked to them.",
            "online",
        )
        self.unlink_button.show()
        if self.show_markers and markers:
            self.markers.setText("Warning markers: " + ", ".join(title for _c, title in markers))
            set_state(self.markers, "error")
            self.markers.show()
        elif self.show_markers:
            self.markers.setText("No warning markers held for this person.")
            set_state(self.markers, "")
            self.markers.show()
        else:
            self.markers.hide()
        self.markers_read.emit(tuple(code for code, _title in markers))

    def _fill(self, record: PersonRecord) -> None:
        f = self._fields
        address = record.current_address
        born = record.date_of_birth
        values: list[tuple[QLineEdit | None, str]] = [
            (f.name, f"{record.forenames} {record.surname}".strip()),
            (f.surname, record.surname),
            (f.forenames, record.forenames),
            (f.date_of_birth, born.strftime(self._date_format) if born else ""),
            (f.address, address.address if address else ""),
            (f.postcode, address.postcode if address else ""),
            (f.gender, record.gender),
            (f.pnc_id, record.pnc_id),
        ]
        self._filling = True
        try:
            for field, value in values:
                if field is not None and (value or not field.text().strip()):
                    field.setText(value)
                    field.textEdited.emit(value)  # a pick is an edit: the draft keeps it
        finally:
            self._filling = False

    def unlink(self) -> None:
        """Not this person: the record will name a new person; look again."""
        self._person_id, self._person_label = None, ""
        self.unlink_button.hide()
        self.markers.hide()
        self.markers_read.emit(())
        self.edited.emit()
        self.back_to_typing()
        self.search_now()

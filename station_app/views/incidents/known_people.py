"""The walk-in report's suspects and witnesses are lines of free text (a name or a
description each); "known person?" adds a known one: a name typed in its own line offers the
people held, and a pick adds them as a line of the list and keeps their person id, so the
report links that person instead of making a new one. Lines typed by hand stay new people."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from station_app.services.people import PeopleClient, PersonRecord
from station_app.ui.known_person import KnownPersonPanel, PersonFields
from station_app.ui.runner import OperationRunner
from station_app.ui.widgets import caption


def picked_line(person: PersonRecord) -> str:
    """The line a known person gets in the list: their name ("Dale Pemberton"), as a
    report read back or a queued one lists them too."""
    return f"{person.forenames} {person.surname}".strip()


class KnownPeoplePicker(QWidget):
    """Finds a known person for a list box (`box`); its value is the people picked, each
    with the line they were given, so the report can send them with their person id."""

    edited = Signal()

    def __init__(self, box: QPlainTextEdit, what: str, plural: str) -> None:
        super().__init__()
        self.box, self.what, self.plural = box, what, plural
        self.people: list[dict[str, Any]] = []
        self.lookup = QLineEdit()
        self.lookup.setObjectName(f"known_{what}_name")
        self.lookup.setPlaceholderText(f"Name of a {what} who may be known")
        self.lookup.setAccessibleName(f"Name of a known {what}")
        self.panel = KnownPersonPanel()
        self.panel.setAccessibleName(f"Known {what}?")
        self.panel.watch(PersonFields(name=self.lookup), then=self.lookup)
        self.panel.person_picked.connect(self._picked)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(caption("Name:", self.lookup))  # the field's own label, tied to it
        row.addWidget(self.lookup, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.panel)
        self.setFocusProxy(self.lookup)

    def bind(self, runner: OperationRunner, people: PeopleClient) -> None:
        self.panel.bind(runner, people)

    def _picked(self, person: PersonRecord) -> None:
        line = picked_line(person)
        address = person.current_address
        self.people.append(
            {
                "line": line,
                "person_id": person.person_id,
                "name": f"{person.forenames} {person.surname}".strip(),
                "date_of_birth": person.date_of_birth.isoformat() if person.date_of_birth else None,
                "address": address.address if address else "",
                "postcode": address.postcode if address else "",
            }
        )
        text = self.box.toPlainText().rstrip("\n")
        self.box.setPlainText(f"{text}\n{line}" if text else line)
        self.panel.set_field_value(None)  # ready for the next one
        self.lookup.clear()
        self.panel.status.setText(
            f"{line} is on the list of {self.plural} as known person {person.person_id}. "
            "Type another name to add another."
        )
        self.lookup.setFocus()
        self.edited.emit()

    # --- the form's value (drafts keep it) ----------------------------------------------
    def field_value(self) -> list[dict[str, Any]]:
        return [dict(person) for person in self.people]

    def set_field_value(self, value: Any) -> None:
        self.people = [dict(p) for p in value or [] if isinstance(p, dict) and p.get("line")]
        self.lookup.clear()
        self.panel.set_field_value(None)

"""A report in full beside the log: details, timeline, add a note, change the status
(only to the statuses the officer's role allows), and the victim's letter."""

from __future__ import annotations

import uuid
from html import escape
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.incidents import FLAG_WORDS, STATUS_WORDS, Flag, IncidentStatus
from station_app.domain.journey import arrest_from_report, latest_court_result
from station_app.domain.wire import IDEMPOTENCY_KEY_FIELD, parse_utc
from station_app.services.incidents import IncidentsApi
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import caption, scrolling


def _when(text: str | None) -> str:
    return local_time_text(parse_utc(text)) if text else "not known"


def _suspect_words(suspect: dict[str, Any]) -> str:
    born = suspect.get("date_of_birth")
    parts = [suspect.get("name") or "name not known"]
    if born:
        parts.append(f"born {born[8:10]}/{born[5:7]}/{born[:4]}")
    place = ", ".join(p for p in (suspect.get("address"), suspect.get("postcode")) if p)
    if place:
        parts.append(place)
    return ", ".join(parts)


def detail_html(incident: dict[str, Any]) -> str:
    victim = incident["victim"]
    rows = [
        (
            "Status",
            STATUS_WORDS[IncidentStatus(incident["status"])]
            + (" — recording decision overdue" if incident["decision_overdue"] else ""),
        ),
        ("Offence", f"{incident['offence']['label']} ({incident['offence']['code']})"),
        ("Reported", _when(incident["reported_at"])),
        ("Recorded", _when(incident["recorded_at"]) if incident["recorded_at"] else "not yet"),
        ("Happened", f"{_when(incident['occurred_from'])} to {_when(incident['occurred_to'])}"),
        (
            "Where",
            ", ".join(
                p
                for p in (
                    incident["location_address"],
                    incident["location_postcode"],
                    incident["location_description"],
                )
                if p
            ),
        ),
        ("Reporting person", incident["reporter"]["name"]),
        (
            "Suspects",
            "; ".join(_suspect_words(s) for s in incident.get("suspects") or ()) or "none",
        ),
        ("Victim", "the reporting person" if incident["victim_is_reporter"] else victim["name"]),
        ("Flags", ", ".join(FLAG_WORDS[Flag(f)] for f in incident["flags"]) or "none"),
        (
            "Taken by",
            f"{incident['officer_name']} ({incident['officer_number']}), "
            f"{incident['station']['name']}",
        ),
    ]
    table = "".join(
        f"<tr><th align='left'>{escape(k)}</th><td>{escape(v)}</td></tr>" for k, v in rows
    )
    account = escape(incident["account"]).replace("\n", "<br>")
    timeline = "".join(
        f"<li>{escape(_when(e['at']))} — {escape(e['by_name'])}: {escape(e['text'])}</li>"
        for e in incident["timeline"]
    )
    return (
        f"<h3>{escape(incident['reference'])}</h3><table>{table}</table>"
        f"<h4>Account</h4><p>{account}</p><h4>Timeline</h4><ul>{timeline}</ul>"
    )


class IncidentDetail(QWidget):
    changed = Signal(dict)
    """The report changed here (a note or a status): the log refreshes its row."""
    letter_requested = Signal(dict)
    correct_requested = Signal(dict)
    arrest_requested = Signal(object)
    """Arrest and book in: the `ArrestFromReport` of the suspect chosen (issue 10)."""
    crime_view_requested = Signal(dict)
    outcome_letter_requested = Signal(dict)

    def __init__(self, runner: OperationRunner, api: IncidentsApi) -> None:
        super().__init__()
        self.setObjectName("incidentDetail")
        self.runner = runner
        self.api = api
        self.incident: dict[str, Any] | None = None
        # One Idempotency-Key per note until the server has it: a note added again after a
        # lost answer is on the timeline once.
        self._note_keys: dict[tuple[str, str], str] = {}

        self.text = QTextBrowser()
        self.text.setObjectName("incidentText")
        self.text.setAccessibleName("Report details and timeline")
        self.message = QLabel()
        self.message.setObjectName("detailMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.note = QPlainTextEdit()
        self.note.setObjectName("noteText")
        self.note.setAccessibleName("New note")
        self.note.setPlaceholderText("Add a note to the timeline")
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(70)
        self.note_button = QPushButton("&Add note")
        self.note_button.setObjectName("addNote")
        self.note_button.clicked.connect(self.add_note)
        self.status_box = QComboBox()
        self.status_box.setObjectName("nextStatus")
        self.status_box.setAccessibleName("New status")
        self.reason = QLineEdit()
        self.reason.setObjectName("statusReason")
        self.reason.setAccessibleName("Reason for the status change")
        self.reason.setPlaceholderText("Needed for no crime")
        self.status_button = QPushButton("Change stat&us")
        self.status_button.setObjectName("changeStatus")
        self.status_button.clicked.connect(self.change_status)
        self.correct_button = QPushButton("&Correct details…")
        self.correct_button.setObjectName("correctReport")
        self.correct_button.clicked.connect(
            lambda: self.incident and self.correct_requested.emit(self.incident)
        )
        self.letter_button = QPushButton("V&ictim's letter…")
        self.letter_button.setObjectName("detailLetter")
        self.letter_button.clicked.connect(
            lambda: self.incident and self.letter_requested.emit(self.incident)
        )

        # The journey from this report (issue 10): arrest a suspect (custody officers), the
        # chain of linked records, and the victim's update letter once a court result is in.
        self.suspect_box = QComboBox()
        self.suspect_box.setObjectName("arrestSuspect")
        self.suspect_box.setAccessibleName("Suspect to arrest")
        self.arrest_button = QPushButton("A&rrest and book in…")
        self.arrest_button.setObjectName("arrestAndBookIn")
        self.arrest_button.clicked.connect(self.request_arrest)
        self.may_arrest = False
        self.chain_button = QPushButton("Crime vie&w…")
        self.chain_button.setObjectName("crimeViewButton")
        self.chain_button.clicked.connect(
            lambda: self.incident and self.crime_view_requested.emit(self.incident)
        )
        self.outcome_button = QPushButton("Victim's up&date letter…")
        self.outcome_button.setObjectName("outcomeLetter")
        self.outcome_button.clicked.connect(
            lambda: self.incident and self.outcome_letter_requested.emit(self.incident)
        )
        # One control a line: the pane is narrow and every word must show.
        status_row = QFormLayout()
        status_row.addRow(caption("Move to", self.status_box), self.status_box)
        status_row.addRow(caption("Reason", self.reason), self.reason)
        status_row.addRow("", self.status_button)
        # In a scroll area: the pane has many controls, and on a 1366x768 screen at 150% they
        # asked the window for more height than the screen has (issue 13).
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        outer = QVBoxLayout(self)
        outer.addWidget(scrolling(body, "incidentDetailScroll"))
        layout.addWidget(self.message)
        layout.addWidget(caption("Report", self.text))
        layout.addWidget(self.text, 1)
        layout.addWidget(caption("Note to add to the timeline", self.note))
        layout.addWidget(self.note)
        layout.addWidget(self.note_button)
        layout.addLayout(status_row)
        self.arrest_row = QWidget()
        arrest = QFormLayout(self.arrest_row)
        arrest.setContentsMargins(0, 0, 0, 0)
        arrest.addRow(caption("Suspect", self.suspect_box), self.suspect_box)
        arrest.addRow("", self.arrest_button)
        layout.addWidget(self.arrest_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.correct_button)
        buttons.addWidget(self.letter_button)
        layout.addLayout(buttons)
        journey = QHBoxLayout()
        journey.addWidget(self.chain_button)
        journey.addWidget(self.outcome_button)
        layout.addLayout(journey)
        self.show_incident(None)

    def open(self, reference: str) -> None:
        api = self.api
        self.runner.run(
            "incidents.read",
            lambda: api.get(reference),
            on_success=self.show_incident,
            on_failure=self._failed,
        )

    def show_incident(self, incident: dict[str, Any] | None) -> None:
        self.incident = incident
        self.message.hide()
        has = incident is not None
        for widget in (self.note, self.note_button, self.letter_button, self.correct_button):
            widget.setEnabled(has)
        self.status_box.clear()
        self.suspect_box.clear()
        for suspect in (incident or {}).get("suspects") or ():
            born = suspect.get("date_of_birth")
            self.suspect_box.addItem(
                suspect["name"] + (f" (born {born[8:10]}/{born[5:7]}/{born[:4]})" if born else "")
            )
        self.arrest_row.setVisible(self.may_arrest)
        self.suspect_box.setEnabled(self.suspect_box.count() > 0)
        self.arrest_button.setEnabled(self.suspect_box.count() > 0)
        self.arrest_button.setToolTip(
            "Book the chosen suspect in, with what the report says of them."
            if self.suspect_box.count()
            else "The report names no suspect."
        )
        self.chain_button.setEnabled(has)
        self.outcome_button.setEnabled(has and latest_court_result(incident or {}) is not None)
        if incident is None:
            self.text.setHtml("<p>Choose a report in the log to see it here.</p>")
        else:
            self.text.setHtml(detail_html(incident))
            for status in incident["allowed_statuses"]:
                self.status_box.addItem(STATUS_WORDS[IncidentStatus(status)], status)
        can_move = self.status_box.count() > 0
        for control in (self.status_box, self.reason, self.status_button):
            control.setEnabled(can_move)

    def request_arrest(self) -> None:
        if self.incident is None or self.suspect_box.count() == 0:
            return
        self.arrest_requested.emit(
            arrest_from_report(self.incident, max(self.suspect_box.currentIndex(), 0))
        )

    def add_note(self) -> None:
        api, incident, text = self.api, self.incident, self.note.toPlainText().strip()
        if incident is None:
            return
        if not text:
            self._say("Write the note first.", "error")
            return
        reference = incident["reference"]
        attempt = (reference, text)
        key = self._note_keys.setdefault(attempt, uuid.uuid4().hex)

        def done(updated: dict[str, Any]) -> None:
            self._note_keys.pop(attempt, None)
            self.note.clear()
            self._updated(updated)

        def failed(failure: OperationFailure) -> None:
            if IDEMPOTENCY_KEY_FIELD in (getattr(failure.error, "field_errors", None) or {}):
                self._note_keys.pop(attempt, None)
            self._failed(failure)

        self.runner.run(
            "incidents.note",
            lambda: api.add_note(reference, text, key),
            on_success=done,
            on_failure=failed,
        )

    def change_status(self) -> None:
        api, incident = self.api, self.incident
        status = self.status_box.currentData()
        if incident is None or not status:
            return
        reference, version, reason = incident["reference"], incident["version"], self.reason.text()

        def done(updated: dict[str, Any]) -> None:
            self.reason.clear()
            self._updated(updated)

        self.runner.run(
            "incidents.status",
            lambda: api.change_status(reference, status, version, reason),
            on_success=done,
            on_failure=self._failed,
        )

    def _updated(self, incident: dict[str, Any]) -> None:
        self.show_incident(incident)
        self.changed.emit(incident)

    def _failed(self, failure: OperationFailure) -> None:
        self._say(failure.message, "error")  # what was typed stays in the note box

    def _say(self, text: str, state: str) -> None:
        self.message.setText(text)
        set_state(self.message, state)
        self.message.show()

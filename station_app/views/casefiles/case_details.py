"""The case's own details as a StationForm: reference (new cases only), file type, the
conditions the file standard asks about (e.g. special measures → MG2), the suspect and
charge, first hearing date and court, and the linked crime and custody references."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QLineEdit, QVBoxLayout, QWidget

from station_app.domain.file_standard import load_rules
from station_app.domain.typed_input import parse_date
from station_app.domain.wire import IDEMPOTENCY_KEY_FIELD
from station_app.resource_files import resource_path
from station_app.services.casefiles import CasefilesClient
from station_app.services.people import PeopleClient
from station_app.ui.dialogs import return_focus_on_close
from station_app.ui.forms import StationForm
from station_app.ui.known_person import KnownPersonPanel, PersonFields
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.views.casefiles.models import FILE_TYPES


def _typed_date(iso: Any) -> str:
    """A date from the server (YYYY-MM-DD) as the officer types it (DD/MM/YYYY)."""
    try:
        return date.fromisoformat(str(iso)).strftime("%d/%m/%Y") if iso else ""
    except ValueError:
        return str(iso)


def _refs(text: Any) -> list[str]:
    return [part.strip() for part in str(text or "").split(",") if part.strip()]


class CaseDetailsForm(QWidget):
    saved = Signal(dict)

    def __init__(
        self,
        runner: OperationRunner,
        client: CasefilesClient,
        people: PeopleClient,
        case: Mapping[str, Any] | None,
    ) -> None:
        super().__init__()
        self.setObjectName("caseDetailsForm")
        self.runner, self.client, self.case = runner, client, case
        # One Idempotency-Key for a new case until it is opened: saving again after a lost
        # answer gives back the case, not "already exists".
        self.create_key = uuid.uuid4().hex
        self.conditions = dict(load_rules(resource_path("rules", "file_standard.json")).conditions)
        self.form = StationForm("Case details", "Save details" if case else "Open case file", self)
        self.form.add_section("The file")
        if case is None:
            self.form.add_field(
                "reference",
                "&Reference",
                QLineEdit(),
                required=True,
                hint="Letters, digits and dashes, e.g. SW-26-0200.",
            )
        file_type = QComboBox()
        for code, title in FILE_TYPES.items():
            file_type.addItem(title, code)
        self.form.add_field("file_type", "File &type", file_type, required=True)
        self.form.add_section("What the file standard asks about")
        for code, question in self.conditions.items():
            self.form.add_field(f"condition:{code}", question, QCheckBox())
        self.form.add_section("Suspect and charge")
        self.form.add_field("suspect_name", "&Suspect's name", QLineEdit())
        born = QLineEdit()
        born.setPlaceholderText("DD/MM/YYYY")
        self.form.add_field("suspect_dob", "Suspect's date of &birth", born)
        # The defendant from the people index: typed once, in the report or at booking-in.
        self.known_person = KnownPersonPanel()
        self.form.add_field(
            "suspect_person",
            "Suspect a known &person?",
            self.known_person,
            hint="People held who are like the suspect typed; Down to choose, Enter to fill.",
        )
        self.form.add_field(
            "offence_code", "&Offence code", QLineEdit(), hint="From the offences list."
        )
        self.form.add_field("offence_wording", "Charge &wording", QLineEdit())
        name = self.form.field("suspect_name")
        assert isinstance(name, QLineEdit)
        self.known_person.bind(runner, people)
        self.known_person.watch(
            PersonFields(name=name, date_of_birth=born), then=self.form.field("offence_code")
        )
        self.form.add_section("First hearing and links")
        hearing = QLineEdit()
        hearing.setPlaceholderText("DD/MM/YYYY")
        self.form.add_field("hearing_date", "First &hearing date", hearing)
        self.form.add_field("court_code", "&Court code", QLineEdit(), hint="e.g. MC-RVS")
        self.form.add_field(
            "incident_refs", "Crime &references", QLineEdit(), hint="Separate with commas."
        )
        self.form.add_field(
            "custody_refs", "Custody record &numbers", QLineEdit(), hint="Separate with commas."
        )
        if case:
            self._fill(case)
        self.form.submitted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)

    def _fill(self, case: Mapping[str, Any]) -> None:
        suspects = case.get("suspects") or [{}]
        charges = suspects[0].get("charges") or [{}]
        values: dict[str, Any] = {
            "file_type": case.get("file_type"),
            "suspect_name": suspects[0].get("name", ""),
            "suspect_dob": _typed_date(suspects[0].get("date_of_birth")),
            "suspect_person": suspects[0].get("person_id"),
            "offence_code": charges[0].get("offence_code", ""),
            "offence_wording": charges[0].get("wording", ""),
            "hearing_date": case.get("hearing_date") or "",
            "court_code": case.get("court_code", ""),
            "incident_refs": ", ".join(case.get("incident_refs") or []),
            "custody_refs": ", ".join(case.get("custody_refs") or []),
        }
        for code in self.conditions:
            values[f"condition:{code}"] = code in (case.get("conditions") or [])
        self.form.set_values(values)

    def payload(self) -> tuple[dict[str, Any], dict[str, str]]:
        values = self.form.values()
        errors: dict[str, str] = {}
        if self.case is None and not str(values.get("reference") or "").strip():
            errors["reference"] = "Enter the case file's reference."
        hearing = str(values.get("hearing_date") or "").strip()
        if hearing:
            try:
                # Typed as the officer says it; the API takes YYYY-MM-DD.
                hearing = parse_date(hearing, date.today()).isoformat()
            except ValueError as error:
                errors["hearing_date"] = str(error)
        suspects = list((self.case or {}).get("suspects") or [])
        name = str(values.get("suspect_name") or "").strip()
        code = str(values.get("offence_code") or "").strip()
        if code and not name:
            errors["suspect_name"] = "Enter the suspect's name for the charge."
        first: dict[str, Any] = {"name": name, "charges": []}
        born = str(values.get("suspect_dob") or "").strip()
        if born:
            try:
                first["date_of_birth"] = parse_date(born, date.today()).isoformat()
            except ValueError as error:
                errors["suspect_dob"] = str(error)
        if self.known_person.person_id:
            first["person_id"] = self.known_person.person_id
        if code:
            first["charges"] = [
                {"offence_code": code, "wording": str(values.get("offence_wording") or "")}
            ]
        suspects = ([first] if name else []) + suspects[1:]
        body: dict[str, Any] = {
            "file_type": values.get("file_type"),
            "conditions": [c for c in self.conditions if values.get(f"condition:{c}")],
            "suspects": suspects,
            "hearing_date": hearing or None,
            "court_code": str(values.get("court_code") or "").strip(),
            "incident_refs": _refs(values.get("incident_refs")),
            "custody_refs": _refs(values.get("custody_refs")),
        }
        if self.case is None:
            body["reference"] = str(values.get("reference") or "").strip().upper()
        return body, errors

    def save(self) -> None:
        body, errors = self.payload()
        if errors:
            self.form.set_errors(errors)
            return
        self.form.clear_errors()
        self.form.set_busy(True)
        client, case = self.client, self.case
        if case is None:
            key = self.create_key
            call = lambda: client.create(body, key)  # noqa: E731
        else:
            call = lambda: client.update(str(case["reference"]), body, int(case["version"]))  # noqa: E731
        self.runner.run("casefiles.details", call, on_success=self._saved, on_failure=self._failed)

    def _saved(self, case: dict[str, Any]) -> None:
        self.form.set_busy(False)
        self.case = case
        self.form.show_message("Case details saved.", "info")
        self.saved.emit(case)

    def _failed(self, failure: OperationFailure) -> None:
        self.form.set_busy(False)
        errors = dict(getattr(failure.error, "field_errors", {}) or {})
        if errors.pop(IDEMPOTENCY_KEY_FIELD, None):
            # The case was opened unseen, then the details were changed: saving again now
            # says the reference is taken, and My cases has it.
            self.create_key = uuid.uuid4().hex
            self.form.show_message(failure.message)
            return
        if errors:
            self.form.set_errors(errors)
        else:
            self.form.show_message(failure.message)


class NewCaseDialog(QDialog):
    """Ctrl+N on the Case files tab: open a new case file."""

    def __init__(
        self,
        runner: OperationRunner,
        client: CasefilesClient,
        people: PeopleClient,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        return_focus_on_close(self)
        self.setWindowTitle("New case file")
        self.details = CaseDetailsForm(runner, client, people, None)
        self.details.saved.connect(lambda _case: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.details)
        self.resize(640, 720)

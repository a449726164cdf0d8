"""One MG form editor, built from the form's field list: keyboard-first StationForm,
validation inline (the same rules the server applies), drafts autosaved as the officer
types, and for MG6C/MG6D the schedule as an editable table, each kind numbered on its own."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.casefile_forms import FORM_FIELDS, STATEMENT_OF_TRUTH, validate_form
from station_app.domain.disclosure import SCHEDULE_FORMS
from station_app.domain.file_standard import STRUCTURED_FORMS
from station_app.domain.wire import IDEMPOTENCY_KEY_FIELD
from station_app.services.casefiles import CasefilesClient
from station_app.services.drafts import DraftStore
from station_app.services.errors import ConflictError
from station_app.services.people import PeopleClient, PersonRecord
from station_app.ui.forms import DraftAutosave, StationForm
from station_app.ui.known_person import KnownPersonPanel, PersonFields
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.widgets import record_table
from station_app.views.casefiles.models import ScheduleModel

SCHEDULES = SCHEDULE_FORMS
_META = ("_title", "_key", "_items", "_truth", "_version")


def _widget(kind: str) -> QWidget:
    if kind == "multiline":
        editor = QPlainTextEdit()
        editor.setTabChangesFocus(True)  # keyboard-first: Tab leaves the box
        return editor
    if kind == "bool":
        return QCheckBox()
    line = QLineEdit()
    if kind == "date":
        line.setPlaceholderText("YYYY-MM-DD")
        # Never narrower than the form it asks for (the SDC's date beside its signature).
        line.setMinimumWidth(line.fontMetrics().horizontalAdvance("YYYY-MM-DD") + 24)
    return line


class _ReadOnlyText(QLabel):
    """Printed words inside a form (the MG11 declaration); not a value."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.setWordWrap(True)

    def field_value(self) -> None:
        return None

    def set_field_value(self, _value: Any) -> None:
        pass


class _BaseVersion(QLabel):
    """The version of the form the officer's words are typed on, shown and kept in the
    draft with them: a save names this version, not whatever is newest on the server, so
    a draft typed on an older version can never be laid over someone else's save
    (docs/api.md, "Headers"; issue 12 #8)."""

    def __init__(self) -> None:
        super().__init__()
        self.version: int | None = None
        self.set_field_value(None)

    def field_value(self) -> int | None:
        return self.version

    def set_field_value(self, value: Any) -> None:
        known = isinstance(value, int) and not isinstance(value, bool) and value > 0
        self.version = value if known else None
        self.setText(f"Version {self.version}" if self.version else "New form")


class _ItemsField(QWidget):
    """The schedule table as one StationForm field (its value is the item list)."""

    def __init__(self, model: ScheduleModel) -> None:
        super().__init__()
        self.model = model
        self.table = record_table(
            model, "scheduleItems", "Schedule items", widths=((0, 80), (1, 280)), editable=True
        )
        self.add_button = QPushButton("&Add item")
        self.add_button.clicked.connect(self.add_item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.add_button)

    def add_item(self) -> None:
        index = self.model.add_row()
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def field_value(self) -> list[dict[str, Any]]:
        return self.model.items()

    def set_field_value(self, value: Any) -> None:
        self.model.set_items(value or [])


class FormEditor(QWidget):
    """Edits one structured form of a case; `saved` carries the server's document."""

    saved = Signal(dict)

    def __init__(
        self,
        runner: OperationRunner,
        drafts: DraftStore,
        client: CasefilesClient,
        people: PeopleClient,
        reference: str,
        form: str,
        document: Mapping[str, Any] | None,
        next_item_number: Callable[[], int],
        known: Mapping[str, Any] | None = None,
        draft_id: str | None = None,
    ) -> None:
        """`known`: what a new form already knows from the case (domain.journey).
        `draft_id`: the draft of a new form ("new"; "new <person>" for a witness's MG11)."""
        super().__init__()
        self.setObjectName("casefileFormEditor")
        self.runner, self.client = runner, client
        self.reference, self.form_code, self.document = reference, form, document
        # One Idempotency-Key for this new form until it is saved: a save pressed again
        # after a lost answer gives back the form the first one made, not a second copy.
        self.create_key = uuid.uuid4().hex
        verb = "Save changes" if document else "Save form"
        self.form = StationForm(f"{form} {STRUCTURED_FORMS[form]}", verb, self)
        self.form.add_section("About this document")
        self.form.add_field("_title", "&Title", QLineEdit(), hint="How it is listed in the file.")
        self.form.add_field("_key", "&Key evidence", QCheckBox())
        self.base = _BaseVersion()
        self.form.add_field(
            "_version", "Version", self.base, hint="The version your changes are based on."
        )
        self.form.add_section("Form")
        self.known_person: KnownPersonPanel | None = None
        """The MG11's "known person?" (a form with a person field), else None."""
        for spec in FORM_FIELDS[form]:
            if spec.name == "declaration_made":
                self.form.add_section("Statement of truth")
                self.form.add_field("_truth", "Declaration", _ReadOnlyText(STATEMENT_OF_TRUTH))
            widget = KnownPersonPanel() if spec.kind == "person" else _widget(spec.kind)
            self.form.add_field(spec.name, spec.label, widget, required=spec.required)
            if isinstance(widget, KnownPersonPanel):
                self.known_person = widget
        self._watch_person(runner, people)
        self.schedule: ScheduleModel | None = None
        if form in SCHEDULES:
            self.schedule = ScheduleModel(next_item_number)
            self.form.add_section(f"Items (numbered in order on the case's {form} schedules)")
            items = _ItemsField(self.schedule)
            self.form.add_field("_items", "&Items", items)
            self.schedule.edited.connect(self.form.edited)
            shortcut = QShortcut(QKeySequence("Ctrl+I"), self, items.add_item)
            shortcut.setObjectName("addItemShortcut")
        if document:
            self.form.set_values(
                {
                    **document.get("data", {}),
                    "_title": document.get("title", ""),
                    "_key": bool(document.get("key")),
                    "_items": document.get("data", {}).get("items", []),
                    "_version": document.get("version"),
                }
            )
        elif known:
            self.form.set_values(dict(known))
        draft_id = str(document["id"]) if document else (draft_id or "new")
        self.autosave = DraftAutosave(
            self.form, drafts, runner, f"casefile-{reference}-{form}", draft_id
        )
        self._restore_draft(drafts, draft_id)
        self.form.submitted.connect(self.save)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)

    def _restore_draft(self, drafts: DraftStore, draft_id: str) -> None:
        kind = self.autosave.kind

        def restored(draft: Any) -> None:
            if draft is not None and draft.fields:
                # The draft brings back the version its words were typed on (or none, for
                # a draft older than that): the save names it, so it cannot silently
                # replace a newer save by someone else.
                self.form.set_values({"_version": None, **dict(draft.fields)})
                latest = self.document.get("version") if self.document else None
                if latest is not None and self.base.version != latest:
                    self.form.show_message(
                        "Your unsaved changes were restored from a draft begun before the "
                        f"form was last saved (it is now version {latest}). Saving will ask "
                        "you to check the newer version first.",
                        "error",
                    )
                else:
                    self.form.show_message(
                        "Your unsaved changes were restored from a draft.", "info"
                    )

        self.runner.run(
            f"draft.load.{kind}", lambda: drafts.load(kind, draft_id), on_success=restored
        )

    def _watch_person(self, runner: OperationRunner, people: PeopleClient) -> None:
        """The MG11's witness from the people index: their name and date of birth are
        searched as typed; a pick fills them and the address, and links the statement."""
        panel = self.known_person
        if panel is None:
            return
        name, born = self.form.field("witness_name"), self.form.field("date_of_birth")
        assert isinstance(name, QLineEdit) and isinstance(born, QLineEdit)
        panel.bind(runner, people)
        panel.watch(
            PersonFields(name=name, date_of_birth=born),
            date_format="%Y-%m-%d",
            then=self.form.field("phone"),
        )
        panel.person_picked.connect(self._person_picked)

    def _person_picked(self, person: PersonRecord) -> None:
        address = person.current_address
        box = self.form.field("address")
        if address is not None and isinstance(box, QPlainTextEdit):
            box.setPlainText(" ".join(p for p in (address.address, address.postcode) if p))
        if person.date_of_birth is not None:
            over_18 = self.form.field("over_18")
            if isinstance(over_18, QCheckBox):
                today = date.today()
                born = person.date_of_birth
                age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
                over_18.setChecked(age >= 18)

    def data(self) -> dict[str, Any]:
        values = self.form.values()
        data = {k: v for k, v in values.items() if k not in _META}
        for spec in FORM_FIELDS[self.form_code]:
            if spec.kind == "person":  # the server keeps the person number alone
                picked = data.pop(spec.name, None)
                if isinstance(picked, dict) and picked.get("person_id"):
                    data[spec.name] = str(picked["person_id"])
        return data

    def save(self) -> None:
        data = self.data()
        errors = validate_form(self.form_code, data)
        if errors:  # inline, before anything is sent
            self.form.set_errors(errors)
            return
        self.form.clear_errors()
        values = self.form.values()
        items = values.get("_items") or []
        title, key = str(values.get("_title") or ""), bool(values.get("_key"))
        client, reference, form, document, version, create_key = (
            self.client,
            self.reference,
            self.form_code,
            self.document,
            self.base.version,
            self.create_key,
        )
        self.form.set_busy(True)
        if document:
            call = lambda: client.update_form(  # noqa: E731
                reference,
                int(document["id"]),
                version,  # the version typed on; None is refused by the client, unsent
                form,
                data,
                title=title,
                key=key,
                items=items,
            )
        else:
            call = lambda: client.add_form(  # noqa: E731
                reference, form, data, title=title, key=key, items=items, idempotency_key=create_key
            )
        self.runner.run(
            "casefiles.save_form", call, on_success=self._saved, on_failure=self._failed
        )

    def _saved(self, document: dict[str, Any]) -> None:
        self.form.set_busy(False)
        self.autosave.discard()
        self.document = document
        self.base.set_field_value(document.get("version"))
        if self.schedule is not None:
            self.schedule.set_items(document.get("data", {}).get("items", []))
        self.form.show_message(f"{self.form_code} saved.", "info")
        self.saved.emit(document)

    def _failed(self, failure: OperationFailure) -> None:
        self.form.set_busy(False)
        if isinstance(failure.error, ConflictError) and self.document:
            self._newer_version(failure.message)
            return
        field_errors = getattr(failure.error, "field_errors", {}) or {}
        if (
            IDEMPOTENCY_KEY_FIELD in field_errors
        ):  # the first save landed, then the form was changed
            self.create_key = uuid.uuid4().hex  # so saving again makes it as a new form
        errors = {k.removeprefix("data."): v for k, v in field_errors.items()}
        if errors:
            self.form.set_errors(errors)
        else:
            self.form.show_message(failure.message)

    def _newer_version(self, refusal: str) -> None:
        """Someone saved the form after the officer began (409), or the version the words
        were typed on is not known: nothing was saved. Read the newest version, keep the
        officer's words, and let a second, knowing save put them in its place."""
        assert self.document is not None
        client, reference, wanted = self.client, self.reference, self.document["id"]

        def newest(case: dict[str, Any]) -> None:
            latest = next((d for d in case["documents"] if d["id"] == wanted), None)
            if latest is None:
                self.form.show_message(refusal)
                return
            self.document = latest
            self.base.set_field_value(latest.get("version"))
            self.form.show_message(
                f"{refusal} Your changes are kept here and were not saved. When you have "
                f"checked version {latest['version']}, save again to replace it with yours."
            )

        self.runner.run(
            "casefiles.form_version",
            lambda: client.case(reference),
            on_success=newest,
            on_failure=lambda failure: self.form.show_message(f"{refusal} {failure.message}"),
        )


def editor_row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return row

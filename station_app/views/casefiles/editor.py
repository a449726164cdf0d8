"""One MG form editor, built from the form's field list: keyboard-first StationForm,
validation inline (the same rules the server applies), drafts autosaved as the officer
types, and for MG6C/MG6D the schedule as an editable table with running item numbers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
from station_app.domain.file_standard import STRUCTURED_FORMS
from station_app.services.casefiles import CasefilesClient
from station_app.services.drafts import DraftStore
from station_app.ui.forms import DraftAutosave, StationForm
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.widgets import record_table
from station_app.views.casefiles.models import ScheduleModel

SCHEDULES = ("MG6C", "MG6D")
_META = ("_title", "_key", "_items", "_truth")


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
        reference: str,
        form: str,
        document: Mapping[str, Any] | None,
        next_item_number: Callable[[], int],
    ) -> None:
        super().__init__()
        self.setObjectName("casefileFormEditor")
        self.runner, self.client = runner, client
        self.reference, self.form_code, self.document = reference, form, document
        verb = "Save changes" if document else "Save form"
        self.form = StationForm(f"{form} {STRUCTURED_FORMS[form]}", verb, self)
        self.form.add_section("About this document")
        self.form.add_field("_title", "&Title", QLineEdit(), hint="How it is listed in the file.")
        self.form.add_field("_key", "&Key evidence", QCheckBox())
        self.form.add_section("Form")
        for spec in FORM_FIELDS[form]:
            if spec.name == "declaration_made":
                self.form.add_section("Statement of truth")
                self.form.add_field("_truth", "Declaration", _ReadOnlyText(STATEMENT_OF_TRUTH))
            self.form.add_field(spec.name, spec.label, _widget(spec.kind), required=spec.required)
        self.schedule: ScheduleModel | None = None
        if form in SCHEDULES:
            self.schedule = ScheduleModel(next_item_number)
            self.form.add_section("Items (numbered across all the case's schedules)")
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
                }
            )
        draft_id = str(document["id"]) if document else "new"
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
                self.form.set_values(dict(draft.fields))
                self.form.show_message("Your unsaved changes were restored from a draft.", "info")

        self.runner.run(
            f"draft.load.{kind}", lambda: drafts.load(kind, draft_id), on_success=restored
        )

    def data(self) -> dict[str, Any]:
        values = self.form.values()
        return {k: v for k, v in values.items() if k not in _META}

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
        client, reference, form, document = (
            self.client,
            self.reference,
            self.form_code,
            self.document,
        )
        self.form.set_busy(True)
        if document:
            call = lambda: client.update_form(  # noqa: E731
                reference,
                int(document["id"]),
                int(document["version"]),
                form,
                data,
                title=title,
                key=key,
                items=items,
            )
        else:
            call = lambda: client.add_form(  # noqa: E731
                reference, form, data, title=title, key=key, items=items
            )
        self.runner.run(
            "casefiles.save_form", call, on_success=self._saved, on_failure=self._failed
        )

    def _saved(self, document: dict[str, Any]) -> None:
        self.form.set_busy(False)
        self.autosave.discard()
        self.document = document
        if self.schedule is not None:
            self.schedule.set_items(document.get("data", {}).get("items", []))
        self.form.show_message(f"{self.form_code} saved.", "info")
        self.saved.emit(document)

    def _failed(self, failure: OperationFailure) -> None:
        self.form.set_busy(False)
        field_errors = getattr(failure.error, "field_errors", {}) or {}
        errors = {k.removeprefix("data."): v for k, v in field_errors.items()}
        if errors:
            self.form.set_errors(errors)
        else:
            self.form.show_message(failure.message)


def editor_row(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    return row

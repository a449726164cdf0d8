"""The case view: the checklist (each missing item opens the form that fixes it), the
documents and their editors, the supervisor's comments and the workflow buttons."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.disclosure import (
    SCHEDULE_FORMS,
    Schedule,
    ScheduleItem,
    next_item_number,
)
from station_app.domain.file_standard import CASEFILE_EDIT_ROLES, DOCUMENT_NAMES, STRUCTURED_FORMS
from station_app.domain.journey import known_form_values, statements_to_take
from station_app.domain.wire import parse_utc
from station_app.services.casefiles import CasefilesClient
from station_app.services.drafts import DraftStore
from station_app.services.people import PeopleClient
from station_app.services.reference import ReferenceCache
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import caption, record_table
from station_app.views.casefiles.bundle_panel import BundlePanel
from station_app.views.casefiles.case_details import CaseDetailsForm
from station_app.views.casefiles.editor import FormEditor
from station_app.views.casefiles.hearings_panel import HearingsPanel
from station_app.views.casefiles.models import (
    FILE_TYPES,
    STATUSES,
    ChecklistModel,
    document_label,
)


def _new_key(witness: Mapping[str, Any]) -> str:
    """A new MG11's editor and draft, one per witness: "new P-000041" or "new <name>"."""
    return f"new {witness.get('person_id') or witness['name']}"


class CasePanel(QWidget):
    changed = Signal()
    """The case changed on the server (My cases refreshes)."""

    def __init__(
        self,
        runner: OperationRunner,
        client: CasefilesClient,
        people: PeopleClient,
        drafts: DraftStore,
        cache: ReferenceCache | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("casePanel")
        self.runner, self.drafts = runner, drafts
        self.client = client
        self.people = people
        self.roles: frozenset[str] = frozenset()
        self.case: dict[str, Any] | None = None
        self.editor: FormEditor | None = None

        self.heading = QLabel("Choose a case from My cases.")
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)  # a long defendant's name never widens the window
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.tabs = QTabWidget()

        # Checklist, comments and workflow.
        self.checklist = ChecklistModel()
        self.checklist_view = record_table(
            self.checklist, "caseChecklist", "File standard checklist", wrap=True
        )
        self.checklist_view.activated.connect(self.open_checklist_item)
        self.checklist_view.doubleClicked.connect(self.open_checklist_item)
        self.comments = QLabel()
        self.comments.setObjectName("supervisorComments")
        self.comments.setWordWrap(True)
        self.comments.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.review_note = QPlainTextEdit()
        self.review_note.setObjectName("reviewNote")
        self.review_note.setTabChangesFocus(True)
        self.review_note.setAccessibleName("Supervisor's note")
        self.review_note.setPlaceholderText(
            "Supervisor: comments for the officer, or why an incomplete file may go."
        )
        self.review_note.setMaximumHeight(70)
        self.submit_button = QPushButton("S&ubmit for review")
        self.return_button = QPushButton("&Return with comments")
        self.approve_button = QPushButton("&Approve")
        self.submit_button.clicked.connect(lambda: self._step("submit"))
        self.return_button.clicked.connect(self.return_with_comments)
        self.approve_button.clicked.connect(self.approve)
        buttons = QHBoxLayout()
        for button in (self.submit_button, self.return_button, self.approve_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        checklist_page = QWidget()
        checklist_layout = QVBoxLayout(checklist_page)
        checklist_layout.addWidget(self.checklist_view, 3)
        checklist_layout.addWidget(QLabel("Supervisor's comments and CPS answers"))
        checklist_layout.addWidget(self.comments, 1)
        checklist_layout.addWidget(self.review_note)
        checklist_layout.addLayout(buttons)
        self.tabs.addTab(checklist_page, "&Checklist")

        # Documents and the form editor.
        self.documents = QListWidget()
        self.documents.setAccessibleName("Documents in the file")
        self.documents.itemActivated.connect(self._open_document_item)
        self.new_form = QComboBox()
        self.new_form.setAccessibleName("Form to add")
        self.witnesses: dict[str, Mapping[str, Any]] = {}
        """The people offered an MG11 of their own, by the key of their new statement."""
        self._offer_forms({})
        add = self.add_form_button = QPushButton("Add for&m")
        add.clicked.connect(self._add_form)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(caption("Documents in the file", self.documents))
        left_layout.addWidget(self.documents, 1)
        left_layout.addWidget(caption("Form to add:", self.new_form))
        left_layout.addWidget(self.new_form)
        left_layout.addWidget(add)
        self.editor_stack = QStackedWidget()
        self.editors: dict[tuple[str, str, int | str], FormEditor] = {}
        holder = self.editor_stack
        forms_page = QSplitter()
        forms_page.addWidget(left)
        forms_page.addWidget(holder)
        forms_page.setStretchFactor(1, 3)
        self.tabs.addTab(forms_page, "&Forms")

        self.bundle = BundlePanel(runner, client, cache)
        self.tabs.addTab(self.bundle, "&Bundle")
        # The case at court (issue 10): charges from custody, hearings and results.
        self.hearings = HearingsPanel(runner, client, cache)
        self.hearings.case_changed.connect(self.after_change)
        self.tabs.addTab(self.hearings, "C&ourt")
        self.details_holder = QVBoxLayout()
        details_page = QWidget()
        details_page.setLayout(self.details_holder)
        self.tabs.addTab(details_page, "&Details")
        self.details: CaseDetailsForm | None = None
        self.bundle.case_changed.connect(self._case_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        self._enable()

    def set_roles(self, roles: frozenset[str]) -> None:
        self.roles = roles
        self.bundle.set_roles(roles)
        self._enable()

    def _enable(self) -> None:
        status = self.case["status"] if self.case else ""
        detective, supervisor = "detective" in self.roles, "supervisor" in self.roles
        self.submit_button.setEnabled(detective and status in ("draft", "returned", "rejected"))
        self.return_button.setEnabled(supervisor and status in ("submitted", "approved"))
        self.approve_button.setEnabled(supervisor and status == "submitted")
        self.review_note.setVisible(supervisor)

    def say(self, text: str, state: str = "info") -> None:
        self.message.setText(text)
        set_state(self.message, state)

    def load(self, reference: str) -> None:
        client = self.client
        self.runner.run(
            "casefiles.case",
            lambda: client.case(reference),
            on_success=self.show_case,
            on_failure=lambda f: self.say(f.message, "error"),
        )

    def show_case(self, case: dict[str, Any]) -> None:
        self.case = case
        status = STATUSES.get(case["status"], case["status"])
        missing = case["completeness"]["missing_count"]
        self.heading.setText(
            f"{case['reference']} · {FILE_TYPES.get(case['file_type'], case['file_type'])} · "
            f"{status} · {'complete' if not missing else f'{missing} missing'}"
        )
        self.checklist.set_items(case["completeness"]["items"])
        self.checklist_view.resizeColumnsToContents()
        self._offer_forms(case)
        self.documents.clear()
        for document in case["documents"]:
            item = QListWidgetItem(document_label(document))
            item.setData(Qt.ItemDataRole.UserRole, document["id"])
            self.documents.addItem(item)
        lines = [
            f"{local_time_text(parse_utc(e['at']))} · {e['username']} · {e['action']}"
            + (f": {e['comment']}" if e["comment"] else "")
            for e in case["events"]
            if e["comment"] or e["action"] in ("return", "rejected", "accepted")
        ]
        self.comments.setText("\n".join(lines) or "No comments yet.")
        self.bundle.set_case(case)
        editors = {role.value for role in CASEFILE_EDIT_ROLES}
        self.hearings.set_case(case, bool(editors & self.roles))
        self._show_details(case)
        self._enable()

    def _show_details(self, case: dict[str, Any]) -> None:
        if self.details is not None:
            self.details.setParent(None)
            self.details.deleteLater()
        self.details = CaseDetailsForm(self.runner, self.client, self.people, case)
        self.details.saved.connect(self._case_changed)
        self.details_holder.addWidget(self.details)

    def _case_changed(self, case: dict[str, Any]) -> None:
        self.show_case(case)
        self.changed.emit()

    def after_change(self, _result: Any = None) -> None:
        if self.case:
            self.load(self.case["reference"])
        self.changed.emit()

    # --- checklist and forms ----------------------------------------------------------
    def _offer_forms(self, case: dict[str, Any]) -> None:
        """Every form, and an MG11 of their own for each victim and witness of the case's
        reports who has none yet (issue 10: opened knowing who they are)."""
        chosen = self.new_form.currentData()
        self.new_form.clear()
        self.witnesses = {}
        for code, name in STRUCTURED_FORMS.items():
            if code == "MG11":
                for person in statements_to_take(case):
                    key = _new_key(person)
                    self.witnesses[key] = person
                    role = str(person.get("role") or "witness")
                    self.new_form.addItem(f"MG11 {name}: {person['name']} ({role})", key)
            self.new_form.addItem(f"{code} {name}", code)
        found = self.new_form.findData(chosen) if chosen is not None else -1
        self.new_form.setCurrentIndex(max(found, 0))

    def _add_form(self) -> None:
        chosen = str(self.new_form.currentData())
        if chosen in self.witnesses:
            self.open_form("MG11", None, witness=self.witnesses[chosen])
        else:
            self.open_form(chosen, None)

    def open_checklist_item(self, index: QModelIndex) -> None:
        form = str(self.checklist.data(index, Qt.ItemDataRole.UserRole))
        if form in STRUCTURED_FORMS:
            existing = None
            if self.case:
                existing = next((d for d in self.case["documents"] if d["form"] == form), None)
            waiting = statements_to_take(self.case or {}) if form == "MG11" else []
            if existing is None and waiting:
                self.open_form(form, None, witness=waiting[0])
                return
            self.open_form(form, existing)
        else:
            self.tabs.setCurrentIndex(2)
            name = DOCUMENT_NAMES.get(form, form)
            self.say(f"The {name} is attached as a PDF: use Attach PDF on the Bundle tab.")

    def _open_document_item(self, item: QListWidgetItem) -> None:
        if not self.case:
            return
        document_id = item.data(Qt.ItemDataRole.UserRole)
        document = next(d for d in self.case["documents"] if d["id"] == document_id)
        if document["is_attachment"]:
            self.say("Attached PDFs are read-only; they print in the bundle.")
            return
        self.open_form(document["form"], document)

    def open_form(
        self,
        form: str,
        document: dict[str, Any] | None,
        witness: Mapping[str, Any] | None = None,
    ) -> None:
        """The editor of `document`, or of a new `form`; a new MG11 for `witness` (one of
        the case's people) opens with who they are and keeps a draft of its own."""
        if not self.case:
            return
        reference = self.case["reference"]
        new_key = _new_key(witness) if witness else "new"
        key = (reference, form, document["id"] if document else new_key)
        editor = self.editors.get(key)
        if editor is None or (
            document and editor.document and editor.document["version"] != document["version"]
        ):
            # Editors are kept, not deleted: a draft save in flight reports back to its
            # editor, and an officer coming back finds the form as they left it.
            editor = FormEditor(
                self.runner,
                self.drafts,
                self.client,
                self.people,
                reference,
                form,
                document,
                lambda: self._next_item_number(form, document["id"] if document else None),
                known=None if document else known_form_values(form, self.case, witness),
                draft_id=None if document else new_key,
            )
            editor.saved.connect(self.after_change)
            self.editors[key] = editor
            self.editor_stack.addWidget(editor)
        self.editor = editor
        self.editor_stack.setCurrentWidget(editor)
        self.tabs.setCurrentIndex(1)
        editor.form.field("_title").setFocus()

    def _next_item_number(self, form: str, document_id: int | None) -> int:
        """The next number on this kind of schedule (CPS Disclosure Manual ch.7: the MG6C
        and the MG6D each number their own items), after every number the case has ever
        given on it (`schedule_numbers`: a number is never given twice)."""
        case = self.case or {}
        schedules = [
            Schedule(
                d["form"],
                d["sequence"],
                tuple(
                    ScheduleItem(i["description"], i.get("number"))
                    for i in d["data"].get("items", [])
                ),
            )
            for d in case.get("documents", [])
            if d["form"] in SCHEDULE_FORMS and d["id"] != document_id
        ]
        key = document_id if document_id is not None else "new"
        editor = self.editors.get((str(case.get("reference")), form, key))
        own = editor.schedule.rows if editor and editor.schedule else []
        schedules.append(
            Schedule(
                form,
                10**9,
                tuple(ScheduleItem("", r.get("number")) for r in own if r.get("number")),
            )
        )
        return next_item_number(schedules, form, case.get("schedule_numbers") or {})

    # --- workflow -------------------------------------------------------------------------
    def _step(self, action: str, **extra: Any) -> None:
        if not self.case:
            return
        client, reference, version = self.client, self.case["reference"], self.case["version"]
        calls = {
            "submit": lambda: client.submit(reference, version),
            "return": lambda: client.return_to_officer(reference, version, extra["comment"]),
            "approve": lambda: client.approve(reference, version, extra.get("override", "")),
        }
        self.runner.run(
            f"casefiles.{action}",
            calls[action],
            on_success=self._stepped,
            on_failure=self._step_failed,
        )

    def _stepped(self, case: dict[str, Any]) -> None:
        self.review_note.clear()
        self.show_case(case)
        status = STATUSES.get(case["status"], case["status"]).lower()
        self.say(f"Case file {case['reference']} is now {status}.")
        self.changed.emit()

    def _step_failed(self, failure: OperationFailure) -> None:
        self.say(failure.message, "error")

    def return_with_comments(self) -> None:
        comment = self.review_note.toPlainText().strip()
        if not comment:
            self.say("Write what the officer must put right, then return the file.", "error")
            self.review_note.setFocus()
            return
        self._step("return", comment=comment)

    def approve(self) -> None:
        if not self.case:
            return
        override = self.review_note.toPlainText().strip()
        if self.case["completeness"]["missing_count"] and not override:
            # Only a complete file is approved, unless the supervisor records why.
            self.say(
                "This file is not complete. Write why it may go without the missing items "
                "in the note, then approve, or return it to the officer.",
                "error",
            )
            self.review_note.setFocus()
            return
        self._step("approve", override=override)

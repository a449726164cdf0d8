"""The New walk-in report page: the form, its draft, sending, and the outbox when the core
system can't be reached. Nothing typed is lost: the draft goes only once the server has
the report, or it is safely in the outbox, or the officer discards it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.services.drafts import Draft, DraftStore
from station_app.services.errors import OfflineError, ValidationProblem
from station_app.services.incidents import IncidentsApi
from station_app.services.outbox import Outbox, QueuedReport
from station_app.services.people import PeopleClient
from station_app.services.reference import ReferenceCache
from station_app.ui.forms import DraftAutosave
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.ui.typeahead import attach_dataset
from station_app.views.incidents.form import WalkInForm
from station_app.views.incidents.report_body import (
    build_report,
    form_errors,
    form_values,
    queued_values,
    report_title,
)

DRAFT_KIND = "walk_in_report"
EDIT_PREFIX = "edit-"
NEW_REPORT_BUTTON = "S&end report"


def edit_draft_id(reference: str, version: int) -> str:
    """A correction's draft names the report and the version it corrects (for If-Match)."""
    return f"{EDIT_PREFIX}{reference}-v{version}"


def parse_edit_draft_id(draft_id: str) -> tuple[str, int] | None:
    if not draft_id.startswith(EDIT_PREFIX) or "-v" not in draft_id:
        return None
    reference, _, version = draft_id[len(EDIT_PREFIX) :].rpartition("-v")
    return (reference, int(version)) if version.isdigit() else None


class NewReportPage(QWidget):
    accepted = Signal(dict)
    """The server took a report: its JSON (with the crime reference number)."""
    queued = Signal()
    """A report went to the outbox."""
    letter_requested = Signal(dict)
    attention_resolved = Signal(str)
    """A report the server had refused was accepted: it has left "needs attention"."""

    def __init__(
        self,
        runner: OperationRunner,
        cache: ReferenceCache,
        drafts: DraftStore,
        *,
        api: IncidentsApi,
        people: PeopleClient,
        outbox: Outbox,
    ) -> None:
        super().__init__()
        self.setObjectName("newReportPage")
        self.runner = runner
        self.drafts = drafts
        self.api = api
        self.outbox = outbox
        self.username = ""
        self.last_incident: dict[str, Any] | None = None
        self._typing_in: QWidget | None = None
        self.editing: tuple[str, int] | None = None
        """(reference, version) while correcting a report rather than taking a new one."""
        self.queued_keys: set[str] = set()
        """Reports queued from this form and not yet sent (the banner says so)."""
        self.refused_key = ""
        """The idempotency key of the refused report last opened from Needs attention."""

        self.form = WalkInForm()
        attach_dataset(self.form.offence, runner, cache, "offences")
        for panel in (self.form.reporter_person, self.form.victim_person, self.form.suspect_person):
            panel.bind(runner, people)
        for picker in (self.form.known_suspects, self.form.known_witnesses):
            picker.bind(runner, people)
        self.autosave = DraftAutosave(self.form, drafts, runner, DRAFT_KIND, title="Walk-in report")
        self.form.edited.connect(self._retitle)
        self.form.edited.connect(self._hide_result_once_typing)
        self.form.submitted.connect(self.submit)
        self.discard_button = QPushButton("Dis&card report")
        self.discard_button.setObjectName("discardReport")
        self.discard_button.clicked.connect(self.discard)
        self.form.buttons.insertWidget(0, self.discard_button)

        # After sending: the reference number, and the letter.
        self.result = QLabel()
        self.result.setObjectName("reportResult")
        self.result.setWordWrap(True)
        self.result.setAccessibleName("Report sent")
        self.letter_button = QPushButton("V&ictim's letter…")
        self.letter_button.setObjectName("letterButton")
        self.letter_button.clicked.connect(self._letter)
        result_row = QHBoxLayout()
        result_row.addWidget(self.result, 1)
        result_row.addWidget(self.letter_button)
        self.result_bar = QWidget()
        self.result_bar.setLayout(result_row)
        self.result_bar.hide()

        # After a crash or kill: the unfinished report, offered back.
        self.restore_text = QLabel()
        self.restore_text.setObjectName("restoreText")
        self.restore_text.setWordWrap(True)
        self.restore_button = QPushButton("&Restore it")
        self.restore_button.setObjectName("restoreDraft")
        self.drop_draft_button = QPushButton("Throw it away")
        self.drop_draft_button.setObjectName("dropDraft")
        restore_row = QHBoxLayout()
        restore_row.addWidget(self.restore_text, 1)
        restore_row.addWidget(self.restore_button)
        restore_row.addWidget(self.drop_draft_button)
        self.restore_bar = QWidget()
        self.restore_bar.setObjectName("restoreBar")
        self.restore_bar.setLayout(restore_row)
        self.restore_bar.hide()
        self._offered: Draft | None = None
        self.restore_button.clicked.connect(self.restore_offered)
        self.drop_draft_button.clicked.connect(self._drop_offered)

        layout = QVBoxLayout(self)
        layout.addWidget(self.restore_bar)
        layout.addWidget(self.result_bar)
        layout.addWidget(self.form, 1)

    # --- drafts ---------------------------------------------------------------------------
    def offer_drafts(self) -> None:
        """At start: a draft left by a crash or kill is offered back (the newest first)."""
        drafts = self.drafts

        def found(saved: list[Draft]) -> None:
            current = self.autosave.draft_id
            others = [d for d in saved if d.draft_id != current]
            if not others:
                self.restore_bar.hide()
                return
            self._offered = others[0]
            more = f" ({len(others) - 1} more after it)" if len(others) > 1 else ""
            self.restore_text.setText(
                f"A report you were typing was not sent: {others[0].title or 'Walk-in report'}, "
                f"last saved {local_time_text(others[0].saved_at)}{more}. Restore it?"
            )
            self.restore_bar.show()

        self.runner.run(
            "draft.list.walk_in_report", lambda: drafts.drafts(DRAFT_KIND), on_success=found
        )

    def restore_offered(self) -> None:
        draft = self._offered
        if draft is None:
            return
        self.restore_bar.hide()
        self.form.clear()
        self.form.set_values(draft.fields)
        self.autosave.draft_id = draft.draft_id
        self._set_editing(parse_edit_draft_id(draft.draft_id))
        self.autosave.title = draft.title
        self._offered = None
        self.form.show_message("The unfinished report is back. Check it and send it.", "info")
        self.offer_drafts()  # any older one after it

    def _drop_offered(self) -> None:
        draft = self._offered
        if draft is not None:
            drafts = self.drafts
            self.runner.run(
                "draft.discard.walk_in_report",
                lambda: drafts.discard(DRAFT_KIND, draft.draft_id),
                on_success=lambda _r: self.offer_drafts(),
            )
        self._offered = None
        self.restore_bar.hide()

    def _retitle(self) -> None:
        self.autosave.title = report_title(self.form.values())

    def discard(self) -> None:
        refused = self.autosave.draft_id == self.refused_key
        self.autosave.discard()
        self.autosave.start_new()
        self._set_editing(None)
        self.form.clear()
        self.form.show_message(
            "Your changes were thrown away. The refused report is still in Needs attention."
            if refused
            else "The report was thrown away.",
            "info",
        )

    # --- sending --------------------------------------------------------------------------
    def submit(self) -> None:
        values = self.form.values()
        body, errors = build_report(values)
        if errors:
            self.form.set_errors(errors)  # nothing typed is cleared (forms.py)
            return
        api = self.api
        self.form.clear_errors()
        key = self.autosave.draft_id  # the draft's id is the report's idempotency key
        self._set_sending(True)
        title = report_title(values)
        drafts = self.drafts
        editing = self.editing

        def save_then_send() -> dict[str, Any]:
            # One worker, in this order: the draft on disk matches what is sent before it
            # goes, and no save of it can land after the discard that follows acceptance.
            drafts.save(DRAFT_KIND, key, values, title)
            if editing is not None:
                return api.update(editing[0], body, editing[1])
            return api.create(body, key)

        self.runner.run(
            "incidents.create",
            save_then_send,
            on_success=lambda incident: self._accepted(incident, key),
            on_failure=lambda failure: self._not_accepted(failure, body, key, title),
        )

    def _set_sending(self, sending: bool) -> None:
        """While a report is on its way the form is read-only, so nothing typed then could
        be missed by the draft or the report. Autosave moves to a fresh draft id at once
        (which also stops its timer), so no autosave of this report can land after the
        discard that follows its acceptance."""
        if sending:
            self.autosave.start_new()
            self._typing_in = self.form.focusWidget()
        self.form.set_busy(sending)
        self.form.setEnabled(not sending)
        self.discard_button.setEnabled(not sending)
        focused = QApplication.focusWidget()
        if not sending and (focused is None or not self.isAncestorOf(focused)):
            # Disabling the form took the keyboard from it: give it back, to the field the
            # officer was in (a refusal marks the field to fix itself) or the first field.
            back = self._typing_in
            if back is None or not back.isEnabled() or not back.isVisible():
                back = self.form.field("reporter_name")
            back.setFocus()

    def _sent_draft_done(self, key: str) -> None:
        """The server (or the outbox) has the report: its draft goes."""
        drafts = self.drafts
        self.runner.run("draft.discard.walk_in_report", lambda: drafts.discard(DRAFT_KIND, key))

    def _keep_editing(self, key: str) -> None:
        """Not sent: the officer carries on with the same draft (and the same key)."""
        self._set_sending(False)
        self.autosave.draft_id = key

    # --- correcting a report --------------------------------------------------------------
    def start_correction(self, incident: dict[str, Any]) -> None:
        """Load a report into the form to correct it (saved with its version: If-Match)."""
        self.autosave.start_new()
        self.form.clear()
        self.form.set_values(form_values(incident))
        editing = (str(incident["reference"]), int(incident["version"]))
        self.autosave.draft_id = edit_draft_id(*editing)
        self.autosave.title = f"Correction to {editing[0]}"
        self._set_editing(editing)
        self.result_bar.hide()
        self.form.show_message(
            f"Correcting {editing[0]}. Change what is wrong, then save it (Ctrl+Enter).", "info"
        )

    # --- a report the server refused, back from "needs attention" -----------------------------
    def start_refused(self, item: QueuedReport, offence_label: str) -> None:
        """Load a refused report from the outbox with every field, under its own
        idempotency key (the server made nothing of it), with the server's reason."""
        if self.form.values() != self.form.blank:
            self.autosave.save_now()  # what was being typed stays in its draft
        self.autosave.start_new()
        self._set_editing(None)
        self.form.clear()
        self.form.set_values(queued_values(item.report, offence_label))
        self.autosave.draft_id = self.refused_key = item.idempotency_key
        self.autosave.title = item.title or report_title(self.form.values())
        self.result_bar.hide()
        if item.field_errors:
            self.form.set_errors(form_errors(item.field_errors))
        self.form.show_message(
            f"The core system refused this report: {item.reason} Correct it and send it "
            "again (Ctrl+Enter). It stays in Needs attention until it is accepted."
        )

    def _attention_done(self, key: str) -> None:
        """Accepted: if it was a refused report, it leaves "needs attention" now."""
        outbox = self.outbox
        self.runner.run(
            "incidents.attention.accepted",
            lambda: outbox.forget_attention(key),
            on_success=lambda gone: self.attention_resolved.emit(key) if gone else None,
        )

    def _set_editing(self, editing: tuple[str, int] | None) -> None:
        self.editing = editing
        self.form.submit_button.setText("&Save correction" if editing else NEW_REPORT_BUTTON)

    def _accepted(self, incident: dict[str, Any], key: str) -> None:
        self._set_sending(False)
        self._sent_draft_done(key)
        if self.editing is None:
            self._attention_done(key)
        self.form.clear()
        if self.editing is not None:
            self._set_editing(None)
            self.result.setText(f"Correction saved to {incident['reference']}.")
            set_state(self.result, "ok")
            self.last_incident = incident
            self.result_bar.show()
            self.accepted.emit(incident)
            return
        self.show_result(incident)
        self.accepted.emit(incident)

    def reports_sent(self, sent: list[tuple[str, str]]) -> None:
        """The outbox sent reports: a banner still saying one waits is brought up to date."""
        done = [(key, ref) for key, ref in sent if key in self.queued_keys]
        if not done:
            return
        self.queued_keys -= {key for key, _ref in done}
        if self.result_bar.isHidden() or self.last_incident is not None:
            return
        references = ", ".join(ref for _key, ref in done)
        waiting = f" {len(self.queued_keys)} still waiting." if self.queued_keys else ""
        self.result.setText(
            f"The core system is back and took the report: crime reference number "
            f"{references}. Find it in the incident log for the victim's letter.{waiting}"
        )
        set_state(self.result, "ok")

    def _hide_result_once_typing(self) -> None:
        """A banner about the last report goes once the next report is being typed."""
        if not self.result_bar.isHidden():
            self.result_bar.hide()

    def show_result(self, incident: dict[str, Any]) -> None:
        self.last_incident = incident
        text = f"Report taken. Crime reference number {incident['reference']}."
        warnings = incident.get("warnings") or []
        if warnings:
            shown = "; ".join(
                f"{w['reference']} ({w['reason'].rstrip('.').lower()})" for w in warnings
            )
            text += f" It may repeat an earlier report: {shown}. Tell a supervisor."
        self.result.setText(text)
        set_state(self.result, "warning" if warnings else "ok")
        self.letter_button.show()
        self.result_bar.show()

    def _not_accepted(
        self, failure: OperationFailure, body: dict[str, Any], key: str, title: str
    ) -> None:
        error = failure.error
        if isinstance(error, ValidationProblem) and error.field_errors:
            self._keep_editing(key)
            self.form.set_errors(form_errors(error.field_errors))
            return
        if isinstance(error, OfflineError) and self.editing is not None:
            # Corrections are not queued: they need the version the officer saw.
            self._keep_editing(key)
            self.form.show_message(
                "The core system can't be reached. Your correction is kept here and in your "
                "draft: save it again when the core system is back."
            )
            return
        if isinstance(error, OfflineError):  # not reached, or no answer in time
            self._queue(body, key, title)
            return
        self._keep_editing(key)
        self.form.show_message(failure.message)  # the draft is still kept

    def _queue(self, body: dict[str, Any], key: str, title: str) -> None:
        outbox, username = self.outbox, self.username

        def queued(waiting: int) -> None:
            self._set_sending(False)
            self._sent_draft_done(key)
            self.form.clear()
            self.result.setText(
                "The core system can't be reached. Your report is saved and will be sent "
                f"automatically ({waiting} waiting)."
            )
            set_state(self.result, "warning")
            self.letter_button.hide()  # no crime reference number yet
            self.result_bar.show()
            self.last_incident = None  # this banner is about a report with no number yet
            self.queued_keys.add(key)
            self.queued.emit()

        def failed(failure: OperationFailure) -> None:
            self._keep_editing(key)
            self.form.show_message(
                f"The report could not be sent or saved to send later: {failure.message} "
                "It is still here and in your draft."
            )

        self.runner.run(
            "incidents.queue",
            lambda: (outbox.queue(body, key, username, title), outbox.waiting_count())[1],
            on_success=queued,
            on_failure=failed,
        )

    def _letter(self) -> None:
        if self.last_incident is not None:
            self.letter_requested.emit(self.last_incident)

"""Booking in, as one dialog: the form, its offence type-ahead and person search, its draft,
and sending it.

The form is saved as a draft as the officer types (`DraftAutosave`, kind "booking_in"),
so a booking half typed when Station crashed or was closed is offered back the next time
the form opens. The draft's id is also the booking's Idempotency-Key: a draft restored
after a crash that came just after sending books nobody in twice. The draft goes once the
server has accepted the booking (Code C 2.1: the record is opened then).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_app.services.errors import ValidationProblem
from station_app.ui.forms import DraftAutosave
from station_app.ui.timefmt import local_time_text
from station_app.ui.typeahead import attach_dataset
from station_app.views.custody.dialogs import BookingForm, booking_dialog

if TYPE_CHECKING:
    from station_app.domain.journey import ArrestFromReport
    from station_app.services.custody import CustodyClient, CustodyRecordView
    from station_app.services.drafts import Draft, DraftStore
    from station_app.services.people import PeopleClient
    from station_app.services.reference import ReferenceCache
    from station_app.ui.runner import OperationFailure, OperationRunner

DRAFT_KIND = "booking_in"


def booking_title(values: dict[str, Any]) -> str:
    name = ", ".join(
        part
        for part in (str(values.get("surname") or "").strip().upper(), values.get("forenames"))
        if part
    )
    return f"Booking in {name}" if name else "Booking in"


class BookingFlow(QObject):
    """One booking-in dialog, from opening to the record it opened."""

    booked = Signal(object)
    """The `CustodyRecordView` the server opened."""

    def __init__(
        self,
        parent: QWidget,
        runner: OperationRunner,
        cache: ReferenceCache,
        drafts: DraftStore | None,
        client: CustodyClient,
        people: PeopleClient,
        station_code: str,
        arrest: ArrestFromReport | None = None,
    ) -> None:
        super().__init__(parent)
        self.arrest = arrest
        self.runner, self.drafts, self.client = runner, drafts, client
        self.station_code = station_code
        self.form = BookingForm(dt.datetime.now(dt.UTC))
        attach_dataset(self.form.offence, runner, cache, "offences")
        attach_dataset(self.form.second_offence, runner, cache, "offences")
        self.form.known_person.bind(runner, people)
        self.form.bail_lookup_requested.connect(self._find_bail)
        self._cache = cache
        self._load_cells()
        # A booking opened before the first reference sync has brought the cells gets them
        # when it does (until then the list holds no cell).
        runner.operation_finished.connect(self._synced)
        self.dialog = booking_dialog(self.form, parent)
        self.autosave: DraftAutosave | None = None
        self._offered: Draft | None = None
        self._edited = False
        self._sending = False
        self.restore_text = QLabel()
        self.restore_text.setObjectName("restoreText")
        self.restore_text.setWordWrap(True)
        self.restore_button = QPushButton("&Restore it")
        self.restore_button.setObjectName("restoreDraft")
        self.drop_button = QPushButton("Throw it away")
        self.drop_button.setObjectName("dropDraft")
        row = QHBoxLayout()
        row.addWidget(self.restore_text, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.drop_button)
        self.restore_bar = QWidget()
        self.restore_bar.setObjectName("restoreBar")
        self.restore_bar.setLayout(row)
        self.restore_bar.hide()
        layout = self.dialog.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, self.restore_bar)
        self.restore_button.clicked.connect(self.restore_offered)
        self.drop_button.clicked.connect(self._drop_offered)
        if drafts is not None:
            self.autosave = DraftAutosave(
                self.form, drafts, runner, DRAFT_KIND, title=booking_title({})
            )
            self.form.edited.connect(self._retitle)
            self.dialog.rejected.connect(self._closed)
        self.form.submitted.connect(self.submit)

    def open(self) -> None:
        self.dialog.open()
        if self.arrest is not None:  # Arrest and book in, from a report's suspect
            self.form.fill_from_report(self.arrest)
        self.form.field("surname").setFocus()
        self.offer_drafts()

    # --- drafts ---------------------------------------------------------------------------
    def _retitle(self) -> None:
        self._edited = True
        if self.autosave is not None:
            self.autosave.title = booking_title(self.form.values())

    def _closed(self) -> None:
        """Closed without booking in: what was typed stays in its draft, offered next time."""
        if self.autosave is not None and self._edited and not self._sending:
            self.autosave.save_now()

    def offer_drafts(self) -> None:
        """A booking left half typed (a crash, a closed dialog) is offered back, newest first."""
        drafts, autosave = self.drafts, self.autosave
        if drafts is None or autosave is None:
            return

        def found(saved: list[Draft]) -> None:
            others = [d for d in saved if d.draft_id != autosave.draft_id]
            self._offered = others[0] if others else None
            if not others:
                self.restore_bar.hide()
                return
            more = f" ({len(others) - 1} more after it)" if len(others) > 1 else ""
            self.restore_text.setText(
                f"A booking in was not finished: {others[0].title or 'Booking in'}, last "
                f"saved {local_time_text(others[0].saved_at)}{more}. Restore it?"
            )
            self.restore_bar.show()

        self.runner.run(
            "draft.list.booking_in", lambda: drafts.drafts(DRAFT_KIND), on_success=found
        )

    def _load_cells(self) -> None:
        cache, station_code = self._cache, self.station_code
        self.runner.run(
            "custody.cells",
            lambda: [
                row.code
                for row in cache.rows("cells", limit=500)
                if row.attributes.get("station_code") == station_code
            ],
            on_success=self.form.set_cells,
        )

    def _synced(self, operation: str) -> None:
        if operation == "reference.sync":
            self._load_cells()

    def restore_offered(self) -> None:
        draft, autosave = self._offered, self.autosave
        if draft is None or autosave is None:
            return
        self._offered = None
        self.restore_bar.hide()
        if self._edited:
            autosave.save_now()  # what was typed here first stays in its own draft
        self.form.set_values(draft.fields)
        autosave.draft_id, autosave.title = draft.draft_id, draft.title
        self._edited = True
        self.form.show_message(
            "The unfinished booking is back. Check the times and details, then book in.", "info"
        )
        self.form.field("surname").setFocus()
        self.offer_drafts()  # any older one after it

    def _drop_offered(self) -> None:
        draft, drafts = self._offered, self.drafts
        self._offered = None
        self.restore_bar.hide()
        if draft is not None and drafts is not None:
            self.runner.run(
                "draft.discard.booking_in",
                lambda: drafts.discard(DRAFT_KIND, draft.draft_id),
                on_success=lambda _r: self.offer_drafts(),
            )

    # --- answering bail (PACE s.47(6)) ----------------------------------------------------
    def _find_bail(self, surname: str, forenames: str, born: dt.date | None) -> None:
        client, form = self.client, self.form

        def failed(failure: OperationFailure) -> None:
            form.show_message(f"The bail answered could not be looked up: {failure.message}")

        self.runner.run(
            "custody.bail_to_answer",
            lambda: client.bail_to_answer(surname, forenames, born),
            on_success=form.set_bails,
            on_failure=failed,
        )

    # --- sending --------------------------------------------------------------------------
    def submit(self) -> None:
        form, client = self.form, self.client
        booking, problems = form.booking()
        booking["station_code"] = self.station_code or None
        if problems:
            form.set_errors(problems)
            return
        form.clear_errors()
        form.set_busy(True)
        self._sending = True
        drafts, autosave = self.drafts, self.autosave
        values = form.values()
        if autosave is None or drafts is None:
            key: str | None = None
            title = ""

            def send() -> CustodyRecordView:
                return client.book_in(booking, key)
        else:
            key, title = autosave.draft_id, autosave.title
            autosave.start_new()  # no autosave of this booking lands after its discard

            def send() -> CustodyRecordView:
                # One worker, in order: the draft on disk is what is sent, before it goes.
                drafts.save(DRAFT_KIND, key, values, title)
                return client.book_in(booking, key)

        self.runner.run(
            "custody.book_in",
            send,
            on_success=lambda record: self._accepted(record, key),
            on_failure=lambda failure: self._refused(failure, key),
        )

    def _accepted(self, record: CustodyRecordView, key: str | None) -> None:
        drafts = self.drafts
        if drafts is not None and key is not None:
            self.runner.run("draft.discard.booking_in", lambda: drafts.discard(DRAFT_KIND, key))
        self._edited = self._sending = False
        self.dialog.accept()
        self.booked.emit(record)

    def _refused(self, failure: OperationFailure, key: str | None) -> None:
        """Not booked in: the officer carries on with the same draft (and the same key)."""
        if self.autosave is not None and key is not None:
            self.autosave.draft_id = key
        self._sending = False
        self.form.set_busy(False)
        error = failure.error
        errors = error.field_errors if isinstance(error, ValidationProblem) else {}
        self.form.show_server_problem(failure.message, errors)

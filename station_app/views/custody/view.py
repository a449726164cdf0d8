"""The Custody tab: the board of everyone in custody at the officer's station (polled every
15 seconds with an ETag, countdowns every second), booking in (Ctrl+N), the selected
custody record with its actions, one-key routine visits (F8) and the printed forms.

Nothing here touches the network on the UI thread: every call goes through the runner.
The tab is made for the signed-in officer with the services `app.py` gives it.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.clock import Clock
from station_app.domain.custody_rules import EVENT_TYPES
from station_app.services.auth import UserInfo
from station_app.services.errors import ValidationProblem
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.tab import CommonKey, FirstWork, TabAction
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import record_table
from station_app.views.custody.alerts import DeadlineAlerts, Notify
from station_app.views.custody.board_fit import BoardFit
from station_app.views.custody.board_model import RECORD_ID_ROLE, BoardModel
from station_app.views.custody.booking import BookingFlow
from station_app.views.custody.compliance import ComplianceDialog, may_see_compliance
from station_app.views.custody.dialogs import ActionDialog
from station_app.views.custody.printing import FormPrinter
from station_app.views.custody.record_panel import FORMS_MODULE, RecordPanel

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from station_app.domain.journey import ArrestFromReport
    from station_app.services.custody import BoardResult, CustodyClient, CustodyRecordView
    from station_app.services.drafts import DraftStore
    from station_app.services.people import PeopleClient
    from station_app.services.reference import ReferenceCache

POLL_MS = 15_000
TICK_MS = 1_000


class CustodyView(QWidget):
    title = "Custody"

    def __init__(
        self,
        runner: OperationRunner,
        *,
        client: CustodyClient,
        people: PeopleClient,
        drafts: DraftStore,
        cache: ReferenceCache,
        clock: Clock,
        notify: Notify,
    ) -> None:
        super().__init__()
        self.setObjectName("custodyView")
        self._cache = cache
        self._runner = runner
        runner.operation_finished.connect(self._synced)
        self._client = client
        self._people = people
        self._clock = clock
        self.drafts = drafts
        self.user: UserInfo | None = None
        self._etag: str | None = None
        self._polling = False
        self._refresh_again = False
        self._open_record_id: int | None = None
        self.current_dialog: QDialog | None = None
        """The dialog this tab opened last (an action, the booking, a preview)."""
        self.booking: BookingFlow | None = None
        self._updating_board = False
        self._select_when_shown: int | None = None

        self.station_label = QLabel("Custody board")
        self.station_label.setObjectName("heading")
        self.alert = QLabel("")
        self.alert.setObjectName("custodyAlert")
        self.alert.setAccessibleName("Custody alerts")
        self.alert.setWordWrap(True)
        self.alerts = DeadlineAlerts(self.alert, notify)
        self.book_button = QPushButton("&Book in… (Ctrl+N)")
        self.book_button.setObjectName("bookIn")
        self.book_button.clicked.connect(lambda: self.open_booking())
        self.compliance_button = QPushButton("Co&mpliance…")
        self.compliance_button.setObjectName("custodyComplianceButton")
        self.compliance_button.clicked.connect(self.open_compliance)
        self.compliance_button.setVisible(False)
        self.station_picker = QComboBox()
        self.station_picker.setObjectName("custodyStation")
        self.station_picker.setAccessibleName("Custody suite")
        self.station_picker.setToolTip(
            "The custody suites you work at or cover. Ask an administrator to add another."
        )
        self.station_picker.currentIndexChanged.connect(self._station_chosen)
        station_caption = QLabel("Custody s&uite:")
        station_caption.setBuddy(self.station_picker)
        top = QHBoxLayout()
        top.addWidget(self.station_label, 1)
        top.addWidget(station_caption)
        top.addWidget(self.station_picker)
        top.addWidget(self.compliance_button)
        top.addWidget(self.book_button)

        self.board_model = BoardModel(self)
        self.board = record_table(self.board_model, "custodyBoard", "Custody board")
        self.first_work = FirstWork(self, lambda: self.board)
        self.board.selectionModel().selectionChanged.connect(self._row_chosen)
        self.board.activated.connect(lambda _index: self.show_record_page())  # Enter opens
        self.board_fit = _legible_at_a_distance(self.board, self.board_model)

        self.panel = RecordPanel()
        self.printer = FormPrinter(runner, self.panel, self._set_dialog, clock, cache, self)
        self.panel.action_requested.connect(self.open_action)
        self.panel.visit_requested.connect(self.record_routine_visit)
        self.panel.form_requested.connect(self.preview_form)
        self.panel.print_all_requested.connect(self.print_all)
        self.panel.back_requested.connect(self.show_board)
        QShortcut(
            QKeySequence(Qt.Key.Key_Escape),
            self.panel,
            self.show_board,
            Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )

        # The board fills the tab (the sergeant's whiteboard); a record opens over it.
        board_page = QWidget()
        board_layout = QVBoxLayout(board_page)
        board_layout.setContentsMargins(0, 0, 0, 0)
        board_layout.addLayout(top)
        board_layout.addWidget(self.alert)
        board_layout.addWidget(self.board, 1)
        self.board_page = board_page
        self.pages = QStackedWidget()
        self.pages.addWidget(board_page)
        self.pages.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        self.setFocusProxy(self.board)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self.refresh)
        self._tick_timer = QTimer(self)
        self._tick_timer.setInterval(TICK_MS)
        self._tick_timer.timeout.connect(self.tick)

    def _set_dialog(self, dialog: QDialog) -> None:
        self.current_dialog = dialog

    # --- the board and the record over it --------------------------------------------
    @property
    def record_shown(self) -> bool:
        return self.pages.currentWidget() is self.panel

    def show_record_page(self) -> None:
        """The record of the detainee chosen on the board, over the board (Enter)."""
        if self.panel.record is None and self._open_record_id is None:
            return
        self.pages.setCurrentWidget(self.panel)
        self.panel.timeline.setFocus()

    def show_board(self) -> None:
        """Back to the board (Esc), with the detainee still chosen on it."""
        self.pages.setCurrentWidget(self.board_page)
        self.board.setFocus()

    # --- what the window asks (ui.tab.StationTab) --------------------------------------
    def widget(self) -> QWidget:
        return self

    def tab_actions(self) -> Sequence[TabAction]:
        actions = [
            TabAction("Go to the board", self.focus_search, CommonKey.FIND),
            TabAction("Refresh the board", self.refresh, CommonKey.REFRESH),
            TabAction("Print a custody form", self.print_current, CommonKey.PRINT),
            TabAction("Record a routine visit", self.record_routine_visit, shortcut="F8"),
            TabAction("Open the chosen detainee's record", self.show_record_page),
        ]
        if self.user is not None and "custody_officer" in self.user.roles:
            actions.insert(0, TabAction("Book in a detainee", self.open_booking, CommonKey.NEW))
        if self.user is not None and may_see_compliance(set(self.user.roles)):
            actions.append(TabAction("Compliance of this custody suite", self.open_compliance))
        # Every entry the officer may make on the record open now (Ctrl+K: "rev").
        for kind, action in self.panel.action_buttons.items():
            if action.isEnabled():
                actions.append(TabAction(action.text().rstrip("…"), self._action_opener(kind)))
        return actions

    def _action_opener(self, kind: str) -> Callable[[], None]:
        return lambda: self.open_action(kind)

    def on_signed_in(self, user: UserInfo) -> None:
        self.set_user(user)
        self._etag = None
        self.refresh()
        self._poll_timer.start()
        self._tick_timer.start()

    def on_signed_out(self) -> None:
        self._poll_timer.stop()
        self._tick_timer.stop()
        self.alerts.forget()

    def when_ready(self, callback: Callable[[], None]) -> None:
        self.first_work.when_ready(callback)

    def set_user(self, user: UserInfo) -> None:
        self.user = user
        self.panel.set_roles(frozenset(user.roles))
        self.station_label.setText("Custody board")
        self._set_stations([(user.station_code, user.station_name or user.station_code)])
        self._load_stations()
        # The record panel lists the forms a record can print: their code is loaded here, on
        # a worker, not by the UI thread at the first record opened (20-30 ms of stalled keys).
        self._runner.run(
            "custody.forms-code",
            lambda: bool(importlib.import_module(FORMS_MODULE)),
            warm_up=True,
        )
        self.compliance_button.setVisible(may_see_compliance(set(user.roles)))
        can_book = "custody_officer" in user.roles
        self.book_button.setEnabled(can_book)
        self.book_button.setToolTip(
            "Book a detainee in (Ctrl+N)." if can_book else "Only a custody officer books in."
        )

    def _load_stations(self) -> None:
        cache, user = self._cache, self.user
        if user is None:
            return
        self._runner.run(
            "custody.stations",
            lambda: [
                (row.code, row.label)
                for row in cache.rows("stations", limit=500)
                # Only the suites the server lets this officer open (docs/api.md, "Stations").
                if row.attributes.get("custody_suite") is True and user.may_act_at(row.code)
            ],
            on_success=self._set_stations,
            warm_up=True,
        )

    def _synced(self, operation: str) -> None:
        """The stations list may have arrived (a first sign-in on a new workstation)."""
        if operation == "reference.sync" and self.user is not None:
            self._load_stations()

    def _set_stations(self, stations: list[tuple[str, str]]) -> None:
        """The custody suites an officer can look at; their own station first."""
        own = self.user.station_code if self.user else ""
        current = self.station_code or own
        self.station_picker.blockSignals(True)
        for code, label in sorted(stations, key=lambda s: (s[0] != own, s[1])):
            if self.station_picker.findData(code) < 0:
                self.station_picker.addItem(f"{label} ({code})", code)
        self.station_picker.setCurrentIndex(max(self.station_picker.findData(current), 0))
        self.station_picker.blockSignals(False)

    @property
    def station_code(self) -> str:
        return str(self.station_picker.currentData() or "")

    def show_station(self, code: str) -> None:
        index = self.station_picker.findData(code)
        if index >= 0:
            self.station_picker.setCurrentIndex(index)

    def _station_chosen(self, _index: int) -> None:
        self._etag = None
        self._open_record_id = None
        self.panel.show_record(None)
        self.board_model.set_rows([], self._clock.now())
        self.refresh()

    def refresh(self) -> None:
        """Ask for the board (F5 and every 15 s); an unchanged board costs a 304."""
        client, user = self._client, self.user
        if user is None:
            return
        if self._polling:  # one in flight: ask again as soon as it answers
            self._refresh_again = True
            return
        self._polling = True
        station, etag = self.station_code or user.station_code, self._etag
        self._runner.run(
            "custody.board",
            lambda: client.board(station, etag),
            on_success=self._show_board,
            on_failure=self._board_failed,
        )

    def focus_search(self) -> None:
        self.show_board()

    def print_current(self) -> None:
        """Ctrl+P: the form chosen in the record's print list, previewed."""
        self.preview_form(str(self.panel.forms.currentData() or ""))

    # --- the board ------------------------------------------------------------------------
    def _show_board(self, result: BoardResult | None) -> None:
        self._polling = False
        if result is not None and result.station_code != self.station_code:
            result = None  # an answer for the suite shown before the officer switched
            self._refresh_again = True
        if self._refresh_again:
            self._refresh_again = False
            QTimer.singleShot(0, self.refresh)
        if result is None:  # 304: nothing changed
            return
        self._etag = result.etag
        # Rows leaving the board move Qt's current row; that is not the officer's choice.
        self._updating_board = True
        try:
            self.board_model.set_rows(list(result.rows), self._clock.now())
        finally:
            self._updating_board = False
        self.tick()
        if self._select_when_shown is not None:
            position = self.board_model.position_of(self._select_when_shown)
            if position >= 0:
                self._select_when_shown = None
                self._updating_board = True  # the record is on screen already
                try:
                    self.board.selectRow(position)
                finally:
                    self._updating_board = False
        if self._open_record_id is not None:
            row = next((r for r in result.rows if r.record_id == self._open_record_id), None)
            record = self.panel.record
            if row is not None and record is not None and row.version != record.board.version:
                self.open_record(self._open_record_id)
        self.first_work.shown()

    def _board_failed(self, failure: OperationFailure) -> None:
        self._polling = False
        self._refresh_again = False
        self.alert.setText(failure.message)
        self.first_work.shown()

    def tick(self) -> None:
        now = self._clock.now()
        self.board_model.tick(now)
        self.panel.tick(now)
        self._check_alerts(now)

    def _check_alerts(self, now: dt.datetime) -> None:
        self.alerts.check(self.board_model.rows(), now)

    def _status(self, text: str) -> None:
        self.alerts.status(text)

    def _row_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if indexes and not self._updating_board:
            self.open_record(int(indexes[0].data(RECORD_ID_ROLE)))

    def selected_record_id(self) -> int | None:
        index = self.board.currentIndex()
        return int(index.data(RECORD_ID_ROLE)) if index.isValid() else None

    # --- the record ---------------------------------------------------------------------
    def open_record(self, record_id: int) -> None:
        client = self._client
        self._open_record_id = record_id

        def show(record: CustodyRecordView) -> None:
            if record.id == self._open_record_id:
                self.panel.show_record(record)

        self._runner.run("custody.record", lambda: client.record(record_id), on_success=show)

    def open_reference(self, custody_number: str) -> str:
        """Show the record with this custody number (from a person's timeline), if it is on
        the board in front of the officer; else say so ("" when it was opened)."""
        for row in self.board_model.rows():
            if row.custody_number == custody_number:
                self.board.selectRow(self.board_model.position_of(row.record_id))
                self.open_record(row.record_id)
                return ""
        return (
            f"Custody record {custody_number} is not on this station's board: choose its "
            "station in the Custody tab to read it."
        )

    def _after_change(self, record_id: int) -> None:
        self.open_record(record_id)
        self.refresh()

    def open_action(self, kind: str) -> None:
        record = self.panel.record
        if record is None:
            return
        offences = record.booking().get("offences") or ()
        dialog = ActionDialog(
            EVENT_TYPES[kind],
            self._clock.now(),
            offences=offences,
            on_submit=self._submit_action,
            parent=self,
        )
        self.current_dialog = dialog
        dialog.open()

    def _submit_action(self, dialog: ActionDialog) -> None:
        record, client = self.panel.record, self._client
        if record is None:
            return
        record_id, kind, key = record.id, dialog.spec.kind, dialog.entry_key
        asked = dialog.time_problems()
        if asked:  # a time the clocks skipped, or passed twice: asked, never guessed
            dialog.form.set_errors(asked)
            return
        occurred_at, data = dialog.occurred_at(), dialog.data()
        dialog.form.set_busy(True)

        def done(_entry: Any) -> None:
            dialog.accept()
            self._status(f"{dialog.spec.title} recorded for {record.custody_number}.")
            self._after_change(record_id)

        def failed(failure: OperationFailure) -> None:
            errors = (
                failure.error.field_errors if isinstance(failure.error, ValidationProblem) else {}
            )
            dialog.show_problem(failure.message, errors)

        self._runner.run(
            f"custody.entry.{kind}",
            lambda: client.add_entry(record_id, kind, occurred_at, data, key),
            on_success=done,
            on_failure=failed,
        )

    def record_routine_visit(self) -> None:
        """F8: a routine visit to the detainee whose record is on screen, at the real time of
        the key press. Always the record the officer is looking at, never another row the
        board happens to have selected, and the message names whose record it went on."""
        client, record = self._client, self.panel.record
        if record is None:
            self._status("Open a detainee's record first (choose them on the board), then F8.")
            return
        board = record.board
        record_id = record.id
        who = f"{board.cell or 'no cell'} {board.name} ({record.custody_number})"
        if board.observation_level >= 2 or board.not_rousable:
            # Code C 9.3 and Annex H: rousing and the response are what was observed, so the
            # visit form asks for them; one key records only a level 1 visit.
            self._status(
                f"Level {board.observation_level}: rouse {who} and record the response "
                "they gave (Code C 9.3, Annex H)."
            )
            self.open_action("visit")
            return
        response = "not_roused"  # level 1: visited, no concerns (APP detainee care)
        at = self._clock.now()

        def done(_entry: object) -> None:
            self._status(
                f"Visit recorded at {local_time_text(at)} for {who}: visited, no concerns."
            )
            self._after_change(record_id)

        def failed(failure: OperationFailure) -> None:
            self.alert.setText(f"The visit for {who} was not recorded: {failure.message}")

        self._runner.run(
            "custody.entry.visit",
            lambda: client.add_entry(record_id, "visit", at, {"response": response}),
            on_success=done,
            on_failure=failed,
        )

    # --- supervisors ---------------------------------------------------------------------
    def open_compliance(self) -> None:
        """The suite's compliance list (inspectors and superintendents)."""
        if self.user is None or not may_see_compliance(set(self.user.roles)):
            return
        dialog = ComplianceDialog(
            self._runner, self._client, self.station_code, self._clock.now(), self
        )
        dialog.record_chosen.connect(self._open_from_compliance)
        self.current_dialog = dialog
        dialog.open()
        dialog.load()

    def _open_from_compliance(self, record_id: int) -> None:
        self._open_record_id = record_id
        self.open_record(record_id)
        self.pages.setCurrentWidget(self.panel)

    # --- booking in -----------------------------------------------------------------------
    def open_booking(self, arrest: ArrestFromReport | None = None) -> None:
        """Ctrl+N: the booking-in dialog (booking.py), with its draft offered back; with
        `arrest`, pre-filled from a report's suspect (Arrest and book in, issue 10)."""
        client, user = self._client, self.user
        if user is None or "custody_officer" not in user.roles:
            return
        previous = self.booking
        if previous is not None and not previous.dialog.isVisible():
            previous.dialog.deleteLater()
            previous.deleteLater()
        station = self.station_code or (user.station_code if user is not None else "")
        flow = BookingFlow(
            self, self._runner, self._cache, self.drafts, client, self._people, station, arrest
        )
        flow.booked.connect(self._booked)
        self.booking = flow
        self.current_dialog = flow.dialog
        flow.open()

    def _booked(self, record: CustodyRecordView) -> None:
        self._status(f"{record.board.name} booked in: custody number {record.custody_number}.")
        self._open_record_id = record.id
        self.panel.show_record(record)
        self.pages.setCurrentWidget(self.panel)  # the new record, to carry on with it
        self._select_when_shown = record.id  # the board's selection follows the record
        self.refresh()

    # --- printing -------------------------------------------------------------------------
    def preview_form(self, key: str) -> None:
        self.printer.preview(key)

    def print_all(self) -> None:
        self.printer.print_all()


# The widest thing each column usually says, so it is read whole at a glance; the name
# takes what is left (board_model.COLUMNS, in order).
_COLUMN_SAMPLES = (
    "SW-C04",
    "",
    "16 · Juvenile",
    "Robbery",
    "23 h 45",
    "overdue 10 min",
    "overdue 10 min",
    "in 22 h 45 min",
    "Due soon: review",
    "Medium · Level 2",
    "Interpreter",
)


def _legible_at_a_distance(board: QTableView, model: BoardModel) -> BoardFit:
    """The board is read across the suite: larger type, room between the rows, and each
    column as wide as what it says, with the name taking the rest (`BoardFit`)."""
    font = board.font()
    font.setPointSizeF(font.pointSizeF() * 1.15)
    board.setFont(font)
    board.horizontalHeader().setFont(font)
    metrics = board.fontMetrics()
    board.verticalHeader().setDefaultSectionSize(int(metrics.height() * 1.9))
    return BoardFit(board, model, _COLUMN_SAMPLES)

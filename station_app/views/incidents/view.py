"""The Incidents tab: the incident log (filters, sort, paging) with a report's detail beside
it, the New walk-in report page, and the reports that need attention. It is made for the
signed-in officer with the services `app.py` gives it (`ui.tab.StationTab`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.clock import Clock, london
from station_app.domain.incidents import (
    FLAG_WORDS,
    STATUS_WORDS,
    WRITE_ROLES,
    Flag,
    IncidentStatus,
)
from station_app.domain.journey import ArrestFromReport
from station_app.domain.typed_input import parse_date
from station_app.services.auth import UserInfo
from station_app.services.drafts import DraftStore
from station_app.services.incidents import IncidentsApi, ListQuery
from station_app.services.outbox import Outbox
from station_app.services.reference import ReferenceCache
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.tab import CommonKey, FirstWork, TabAction
from station_app.ui.theme import set_state
from station_app.ui.typeahead import TypeAheadField, attach_dataset
from station_app.ui.widgets import ReflowingGrid, labelled, record_table
from station_app.views.incidents.attention import AttentionPage, RefusedReport
from station_app.views.incidents.crime_view import CrimeViewDialog
from station_app.views.incidents.detail import IncidentDetail
from station_app.views.incidents.form import TypedDateField
from station_app.views.incidents.log_model import IncidentLogModel
from station_app.views.incidents.new_report import NewReportPage
from station_app.views.incidents.outbox_sender import OutboxSender

if TYPE_CHECKING:
    from station_app.services.people import PeopleClient
    from station_app.ui.pdf_preview import PdfPreviewDialog

SEARCH_DELAY_MS = 300


def _combo(name: str, label: str, items: list[tuple[str, str]]) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.setAccessibleName(label)
    for text, value in items:
        box.addItem(text, value)
    return box


class IncidentsView(QWidget):
    title = "Incidents"

    def __init__(
        self,
        runner: OperationRunner,
        *,
        api: IncidentsApi,
        people: PeopleClient,
        outbox: Outbox,
        sender: OutboxSender,
        drafts: DraftStore,
        cache: ReferenceCache,
        clock: Clock,
        arrest: Callable[[ArrestFromReport], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("incidentsView")
        # Arrest and book in opens the Custody tab's booking-in (the composition root's
        # callback: tabs never import each other).
        self.arrest = arrest
        self.api = api
        self.crime_dialog: CrimeViewDialog | None = None
        self.runner = runner
        self.cache = cache
        self.clock = clock
        self.user: UserInfo | None = None
        self.may_write = False
        self.letter_dialog: PdfPreviewDialog | None = None  # made on first use
        self.outbox_sender = sender

        # --- the log -----------------------------------------------------------------
        self.search = QLineEdit()
        self.search.setObjectName("incidentSearch")
        self.search.setAccessibleName("Search reports")
        self.search.setPlaceholderText("Names, places, account words or reference")
        self.search.setClearButtonEnabled(True)
        self.status_filter = _combo(
            "statusFilter",
            "Status",
            [("Any status", "")] + [(STATUS_WORDS[s], s.value) for s in IncidentStatus],
        )
        self.station_filter = _combo("stationFilter", "Station", [("Any station", "")])
        self.flag_filter = _combo(
            "flagFilter", "Flag", [("Any flag", "")] + [(FLAG_WORDS[f], f.value) for f in Flag]
        )
        self.date_from = TypedDateField(with_time=False)
        self.date_from.setObjectName("dateFrom")
        self.date_from.setPlaceholderText("DD/MM/YYYY")
        self.date_from.setAccessibleName("Reported from (date)")
        self.date_to = TypedDateField(with_time=False)
        self.date_to.setObjectName("dateTo")
        self.date_to.setPlaceholderText("DD/MM/YYYY")
        self.date_to.setAccessibleName("Reported up to (date)")
        self.offence_filter = TypeAheadField()
        self.offence_filter.setObjectName("offenceFilter")
        self.offence_filter.setAccessibleName("Offence")
        attach_dataset(self.offence_filter, runner, cache, "offences")
        self.offence_filter.picked.connect(lambda _entry: self.apply_filters())
        self.overdue_filter = QCheckBox("Decision &overdue")
        self.overdue_filter.setObjectName("overdueFilter")
        self.filter_message = QLabel()
        self.filter_message.setObjectName("logMessage")
        self.filter_message.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        for field in (self.date_from, self.date_to):
            field.textChanged.connect(lambda _t: self._timer.start())
        for box in (self.status_filter, self.station_filter, self.flag_filter):
            box.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.overdue_filter.toggled.connect(lambda _c: self.apply_filters())

        self.model = IncidentLogModel(runner, api, self)
        self.model.page_loaded.connect(self._page_loaded)
        self.first_work = FirstWork(self, lambda: self.search)
        # Reference numbers and times are read whole; the rest share what is left.
        self.table = record_table(
            self.model,
            "incidentTable",
            "Incident log",
            widths=((0, 145), (1, 110), (2, 150), (3, 130), (4, 120), (5, 150)),
        )
        self.table.horizontalHeader().setSortIndicator(1, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.detail = IncidentDetail(runner, api)
        self.detail.changed.connect(lambda _i: self.model.load())
        self.detail.letter_requested.connect(self.show_letter)
        self.detail.correct_requested.connect(self.correct)
        self.detail.arrest_requested.connect(self._arrest)
        self.detail.crime_view_requested.connect(self.show_crime_view)
        self.detail.outcome_letter_requested.connect(self.show_outcome_letter)

        # Each field with its label above it, two rows on a wide desk and three at 150% on
        # a 1366x768 one: nothing clipped and the window never wider than the screen.
        overdue = QWidget()
        overdue_layout = QVBoxLayout(overdue)
        overdue_layout.setContentsMargins(0, 0, 0, 0)
        overdue_layout.addStretch(1)
        overdue_layout.addWidget(self.overdue_filter)
        filters = ReflowingGrid(
            [
                (labelled("Search", self.search), 2),
                (labelled("Offence", self.offence_filter), 2),
                (labelled("Status", self.status_filter), 1),
                (labelled("Station", self.station_filter), 1),
                (labelled("Flag", self.flag_filter), 1),
                (labelled("Reported from", self.date_from), 1),
                (labelled("Reported up to", self.date_to), 1),
                (overdue, 1),
            ],
            wide=5,
            narrow=3,
        )
        log_side = QWidget()
        log_layout = QVBoxLayout(log_side)
        log_layout.addWidget(filters)
        log_layout.addWidget(self.filter_message)
        log_layout.addWidget(self.table, 1)
        splitter = QSplitter()
        splitter.addWidget(log_side)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([820, 500])  # the report beside the log is read in full, not peeked at

        # --- reports that need attention (refused by the server) ------------------------
        self.attention = QLabel()
        self.attention.setObjectName("needsAttention")
        self.attention.setWordWrap(True)
        self.attention.hide()
        self.attention_page = AttentionPage(runner, cache, outbox)
        self.attention_page.count_changed.connect(self._show_attention)
        self.attention_page.open_requested.connect(self.open_refused)
        # Bound methods of this view: Qt disconnects them when the view is destroyed.
        sender.attention_changed.connect(self._attention_changed)
        sender.sent.connect(self._reports_sent)

        # --- new report -------------------------------------------------------------
        self.new_report = NewReportPage(
            runner, cache, drafts, api=api, people=people, outbox=outbox
        )
        self.new_report.accepted.connect(lambda _i: self.model.load())
        self.new_report.queued.connect(self._queued)
        self.new_report.letter_requested.connect(self.show_letter)
        self.new_report.attention_resolved.connect(lambda _k: self.attention_page.refresh())

        self.pages = QTabWidget()
        self.pages.setObjectName("incidentPages")
        self.pages.addTab(splitter, "Incident &log")
        self.pages.addTab(self.new_report, "&New walk-in report")
        self.pages.addTab(self.attention_page, "Needs a&ttention (0)")
        layout = QVBoxLayout(self)
        layout.addWidget(self.attention)
        layout.addWidget(self.pages, 1)

    # --- what the window asks (ui.tab.StationTab) --------------------------------------
    def widget(self) -> QWidget:
        return self

    def tab_actions(self) -> Sequence[TabAction]:
        actions = [
            TabAction("Find reports", self.focus_search, CommonKey.FIND),
            TabAction("Refresh the log", self.refresh, CommonKey.REFRESH),
            TabAction("Print the victim's letter", self.print_letter, CommonKey.PRINT),
        ]
        if self.may_write:
            actions.insert(0, TabAction("New walk-in report", self.open_new_report, CommonKey.NEW))
        return actions

    def on_signed_in(self, user: UserInfo) -> None:
        self.user = user
        # Only the front desk takes reports (domain.incidents.WRITE_ROLES).
        self.may_write = any(role.value in user.roles for role in WRITE_ROLES)
        self.pages.setTabEnabled(self.pages.indexOf(self.new_report), self.may_write)
        self.detail.correct_button.setVisible(self.may_write)
        self.detail.may_arrest = self.arrest is not None and "custody_officer" in user.roles
        self.detail.show_incident(self.detail.incident)
        self.new_report.username = user.username
        self.new_report.offer_drafts()
        self._fill_stations()
        self.model.load()
        self.attention_page.refresh()

    def on_signed_out(self) -> None:
        self._timer.stop()

    def when_ready(self, callback: Callable[[], None]) -> None:
        self.first_work.when_ready(callback)

    def correct(self, incident: dict[str, Any]) -> None:
        self.new_report.start_correction(incident)
        self.pages.setCurrentWidget(self.new_report)
        self.new_report.form.field("reporter_name").setFocus()

    # --- the window's common keys (ui.md): Ctrl+N, Ctrl+F, F5, Ctrl+P -----------------------
    def focus_search(self) -> None:
        self.pages.setCurrentIndex(0)
        self.search.setFocus()
        self.search.selectAll()

    def refresh(self) -> None:
        self.model.load()
        self.attention_page.refresh()

    def open_new_report(self) -> None:
        self.pages.setCurrentWidget(self.new_report)
        self.new_report.form.field("reporter_name").setFocus()

    def print_letter(self) -> None:
        """Ctrl+P: the victim's letter of the report in front (the one just taken, on the
        New walk-in report page; else the one open beside the log)."""
        shown = (
            self.new_report.last_incident
            if self.pages.currentWidget() is self.new_report
            else self.detail.incident
        )
        if shown is None:
            self._say("Choose a report in the log first, then print its letter.", "info")
            return
        self.show_letter(shown)

    # --- log ----------------------------------------------------------------------------
    def _fill_stations(self) -> None:
        cache, user = self.cache, self.user

        def fill(entries: list[Any]) -> None:
            chosen = self.station_filter.currentData()
            self.station_filter.blockSignals(True)
            while self.station_filter.count() > 1:
                self.station_filter.removeItem(1)
            for entry in entries:
                # Only stations whose reports the server lets this officer see; "Any
                # station" is theirs and those they cover (docs/api.md, "Stations").
                if user is None or user.may_act_at(entry.code):
                    self.station_filter.addItem(entry.label, entry.code)
            self.station_filter.setCurrentIndex(max(self.station_filter.findData(chosen), 0))
            self.station_filter.blockSignals(False)

        self.runner.run(
            "incidents.stations", lambda: cache.entries("stations"), on_success=fill, warm_up=True
        )

    def current_query(self) -> ListQuery | None:
        today = self.clock.now().astimezone(london()).date()
        bounds: list[str] = []
        for field, extra in ((self.date_from, 0), (self.date_to, 1)):
            text = field.text().strip()
            if not text:
                bounds.append("")
                continue
            try:
                day = parse_date(text, today) + timedelta(days=extra)
            except ValueError as error:
                self._say(str(error), "error")
                return None
            start = datetime(day.year, day.month, day.day, tzinfo=london())
            bounds.append(start.astimezone(UTC).isoformat())
        statuses = (self.status_filter.currentData(),) if self.status_filter.currentData() else ()
        return ListQuery(
            text=self.search.text(),
            statuses=statuses,
            station=self.station_filter.currentData() or "",
            offence=entry.code if (entry := self.offence_filter.current_entry) else "",
            flag=self.flag_filter.currentData() or "",
            reported_from=bounds[0],
            reported_to=bounds[1],
            decision_overdue=self.overdue_filter.isChecked(),
            sort=self.model.query.sort,
        )

    def apply_filters(self) -> None:
        query = self.current_query()
        if query is not None:
            self.model.load(query)

    def _page_loaded(self) -> None:
        self.first_work.shown()
        if self.model.last_error:
            self._say(self.model.last_error, "error")
        elif self.model.rowCount() == 0:
            self._say("No reports match these filters.", "info")
        else:
            self.filter_message.hide()

    def _say(self, text: str, state: str) -> None:
        self.filter_message.setText(text)
        set_state(self.filter_message, state)
        self.filter_message.show()

    def open_reference(self, reference: str) -> str:
        """Show the report with this crime reference number (from a person's timeline)."""
        self.detail.open(reference)
        return ""

    def _selected(self, selected: QItemSelection, _old: QItemSelection) -> None:
        indexes = selected.indexes()
        row = self.model.row_at(indexes[0].row()) if indexes else None
        if row is not None:
            self.detail.open(row["reference"])

    # --- outbox -------------------------------------------------------------------------
    def _attention_changed(self, _count: int) -> None:
        self.attention_page.refresh()

    def _reports_sent(self, sent: list[tuple[str, str]]) -> None:
        self.new_report.reports_sent(sent)
        self.model.load()
        self.attention_page.refresh()

    def _queued(self) -> None:
        self.outbox_sender.refresh_count()
        self.outbox_sender.send_now()

    def _show_attention(self, count: int) -> None:
        """The count from the Needs attention list (read through the runner)."""
        index = self.pages.indexOf(self.attention_page)
        self.pages.setTabText(index, f"Needs a&ttention ({count})")
        if not count:
            self.attention.hide()
            return
        reports = (
            "1 report taken while offline needs"
            if count == 1
            else (f"{count} reports taken while offline need")
        )
        self.attention.setText(
            f"{reports} attention: refused by the core system, or unable to be opened on "
            "this computer. Open Needs attention (Alt+T) to see why and what to do."
        )
        set_state(self.attention, "error")
        self.attention.show()

    def open_refused(self, refused: RefusedReport) -> None:
        """From Needs attention: the refused report back in the form, every field kept."""
        self.new_report.start_refused(refused.item, refused.offence_label)
        self.pages.setCurrentWidget(self.new_report)
        if not refused.item.field_errors:
            self.new_report.form.field("reporter_name").setFocus()

    # --- the victim's letter --------------------------------------------------------------
    # --- the journey (issue 10) ---------------------------------------------------------
    def _arrest(self, arrest: ArrestFromReport) -> None:
        if self.arrest is not None:
            self.arrest(arrest)

    def show_crime_view(self, incident: dict[str, Any]) -> None:
        api, reference = self.api, incident["reference"]

        def show(chain: dict[str, Any]) -> None:
            self.crime_dialog = CrimeViewDialog(chain, self)
            self.crime_dialog.open()

        self.runner.run(
            "incidents.crime_view",
            lambda: api.crime_view(reference),
            on_success=show,
            on_failure=lambda failure: self._say(failure.message, "error"),
        )

    def show_outcome_letter(self, incident: dict[str, Any]) -> None:
        """The victim's update letter: what the court decided (Victims' Code right 9)."""
        from station_app.documents.outcome_letter import build_outcome_letter, outcome_file_name
        from station_app.ui.pdf_preview import PdfPreviewDialog

        def preview(pdf: bytes) -> None:
            self.letter_dialog = PdfPreviewDialog(
                pdf,
                f"Victim's update letter {incident['reference']}",
                outcome_file_name(incident),
                self,
            )
            self.letter_dialog.open()

        self.runner.run(
            "incidents.outcome_letter",
            lambda: build_outcome_letter(incident),
            on_success=preview,
            on_failure=lambda failure: self._say(failure.message, "error"),
        )

    def show_letter(self, incident: dict[str, Any]) -> None:
        # reportlab and QtPdf are imported here, not at start-up: they cost 120 ms.
        from station_app.documents.incident_letter import build_letter, letter_file_name
        from station_app.ui.pdf_preview import PdfPreviewDialog

        def preview(pdf: bytes) -> None:
            self.letter_dialog = PdfPreviewDialog(
                pdf, f"Victim's letter {incident['reference']}", letter_file_name(incident), self
            )
            self.letter_dialog.open()

        def failed(failure: OperationFailure) -> None:
            self._say(failure.message, "error")

        self.runner.run(
            "incidents.letter",
            lambda: build_letter(incident),
            on_success=preview,
            on_failure=failed,
        )

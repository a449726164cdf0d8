"""The case at court (issue 10): who is charged with what, as custody charged them, the
victims and witnesses from the reports, the case's hearings, a hearing to list, and the
court's result on each charge of the next hearing without one. Keyboard-first: every field
is labelled, Tab walks them in order, Ctrl+Enter records."""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.court import OUTCOME_TITLES, PLEA_TITLES, REMAND_TITLES, Outcome, Plea
from station_app.domain.journey import AFTER_CHARGE_WORDS
from station_app.domain.typed_input import AmbiguousLocalTimeError, LocalTimeError
from station_app.domain.wire import parse_utc
from station_app.services.casefiles import CasefilesClient
from station_app.services.errors import ValidationProblem
from station_app.services.reference import ReferenceCache
from station_app.ui.datetime_edit import datetime_edit, from_qdatetime
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import caption


def _when(text: str | None) -> str:
    return local_time_text(parse_utc(text)) if text else "not known"


def _born(text: str | None) -> str:
    return f"{text[8:10]}/{text[5:7]}/{text[:4]}" if text else "not known"


def court_html(case: dict[str, Any]) -> str:
    """Defendants with what custody charged them with, the people from the reports, and the
    hearings with their results."""
    parts = ["<h4>Defendants</h4>"]
    for number, suspect in enumerate(case.get("suspects") or (), start=1):
        place = ", ".join(p for p in (suspect.get("address"), suspect.get("postcode")) if p)
        lines = [f"Born {_born(suspect.get('date_of_birth'))}" + (f", {place}" if place else "")]
        if suspect.get("custody_number"):
            lines.append(
                f"Custody record {suspect['custody_number']}: arrested "
                f"{_when(suspect.get('arrested_at'))}, arrived {_when(suspect.get('arrived_at'))}"
                f", charged {_when(suspect.get('charged_at'))}"
            )
        if suspect.get("after_charge"):
            lines.append(AFTER_CHARGE_WORDS.get(suspect["after_charge"], suspect["after_charge"]))
        if suspect.get("bail_conditions"):
            lines.append(f"Bail conditions: {suspect['bail_conditions']}")
        lines += [
            f"Charge: {c.get('offence_code', '')} — {c.get('wording', '')}"
            for c in suspect.get("charges") or ()
        ]
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        parts.append(f"<p><b>{number}. {escape(suspect['name'])}</b></p><ul>{items}</ul>")
    people = case.get("people") or ()
    if people:
        items = "".join(
            f"<li>{escape(p['role'].capitalize())}: {escape(p['name'])}"
            f" (report {escape(p.get('incident') or '')})</li>"
            for p in people
        )
        parts.append(f"<h4>Victims and witnesses</h4><ul>{items}</ul>")
    parts.append("<h4>Hearings</h4>")
    hearings = case.get("hearings") or ()
    if not hearings:
        parts.append("<p>No hearing listed yet.</p>")
    for hearing in hearings:
        results = "".join(f"<li>{escape(r['words'])}</li>" for r in hearing["results"])
        parts.append(
            f"<p><b>Hearing {hearing['sequence']}</b>: {escape(hearing['court'])}, "
            f"{escape(_when(hearing['sitting_at']))}</p>"
            + (f"<ul>{results}</ul>" if results else "<p>No result yet.</p>")
        )
    return "".join(parts)


class ChargeResult(QGroupBox):
    """The court's result on one charge of one defendant."""

    def __init__(self, defendant: int, name: str, offence_code: str, wording: str) -> None:
        super().__init__(f"{name}: {offence_code}")
        self.setObjectName(f"result_{defendant}_{offence_code}")
        self.defendant, self.offence_code = defendant, offence_code
        self.plea = QComboBox()
        for plea in Plea:
            self.plea.addItem(PLEA_TITLES[plea], plea.value)
        self.outcome = QComboBox()
        for outcome in Outcome:
            self.outcome.addItem(OUTCOME_TITLES[outcome], outcome.value)
        self.remand = QComboBox()
        self.remand.addItem("", "")
        for remand, words in REMAND_TITLES.items():
            self.remand.addItem(f"Adjourned {words}", remand.value)
        self.next_hearing = datetime_edit(dt.datetime.now(dt.UTC) + dt.timedelta(days=28))
        self.sentence = QLineEdit()
        self.sentence.setPlaceholderText("In words: e.g. community order for 12 months")
        layout = QFormLayout(self)
        layout.addRow(QLabel(wording[:160]))
        for label, widget in (
            ("Plea", self.plea),
            ("Result", self.outcome),
            ("Bail or custody", self.remand),
            ("Next hearing (UK time)", self.next_hearing),
            ("Sentence", self.sentence),
        ):
            widget.setAccessibleName(f"{label}, {name}, {offence_code}")
            layout.addRow(caption(label, widget), widget)
        self.outcome.currentIndexChanged.connect(self._adjourned)
        self._adjourned()

    def _adjourned(self) -> None:
        adjourned = self.outcome.currentData() == Outcome.ADJOURNED.value
        self.remand.setEnabled(adjourned)
        self.next_hearing.setEnabled(adjourned)
        self.sentence.setEnabled(self.outcome.currentData() == Outcome.CONVICTED.value)

    def result(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "defendant": self.defendant,
            "offence_code": self.offence_code,
            "plea": self.plea.currentData(),
            "outcome": self.outcome.currentData(),
        }
        if row["outcome"] == Outcome.ADJOURNED.value:
            if self.remand.currentData():
                row["remand"] = self.remand.currentData()
            row["next_hearing_at"] = court_time(self.next_hearing)
        if row["outcome"] == Outcome.CONVICTED.value:
            row["sentence"] = self.sentence.text().strip()
        return row


class HearingTimeError(ValueError):
    """A hearing time typed that is not one moment: `field` is where to put it right."""

    def __init__(self, message: str, field: QDateTimeEdit) -> None:
        super().__init__(message)
        self.field = field


def court_time(edit: QDateTimeEdit) -> str:
    """The moment typed in `edit` (London time) as wire text; `HearingTimeError` for a time
    the clocks skipped or passed twice. Courts do not sit in the night, so a time that
    happened twice is not asked about here but sent back to be checked."""
    try:
        return from_qdatetime(edit.dateTime()).isoformat()
    except AmbiguousLocalTimeError:
        shown = edit.dateTime().toString("HH:mm 'on' dddd d MMMM yyyy")
        raise HearingTimeError(
            f"{shown} happened twice: the clocks went back an hour that night. "
            "Check the hearing time.",
            edit,
        ) from None
    except LocalTimeError as error:
        raise HearingTimeError(str(error), edit) from None


class HearingsPanel(QWidget):
    case_changed = Signal()
    """A hearing was listed or a result recorded: the case is read again."""

    def __init__(
        self, runner: OperationRunner, client: CasefilesClient, cache: ReferenceCache | None
    ) -> None:
        super().__init__()
        self.setObjectName("hearingsPanel")
        self.runner, self.client = runner, client
        self.case: dict[str, Any] | None = None
        self.may_edit = False
        self.summary = QTextBrowser()
        self.summary.setObjectName("courtSummary")
        self.summary.setAccessibleName("Defendants, charges, victims, witnesses and hearings")
        self.message = QLabel()
        self.message.setObjectName("hearingMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        self.court = QComboBox()
        self.court.setObjectName("hearingCourt")
        self.court.setAccessibleName("Court")
        self.sitting = datetime_edit(dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
        self.sitting.setObjectName("hearingSitting")
        self.sitting.setAccessibleName("Hearing date and time (UK time)")
        self.add_button = QPushButton("List hearin&g")
        self.add_button.setObjectName("addHearing")
        self.add_button.clicked.connect(self.add_hearing)
        listing = QHBoxLayout()
        listing.addWidget(caption("Court", self.court))
        listing.addWidget(self.court, 1)
        listing.addWidget(caption("Sitting", self.sitting))
        listing.addWidget(self.sitting)
        listing.addWidget(self.add_button)
        self.result_heading = QLabel()
        self.result_heading.setObjectName("resultHeading")
        self.results_holder = QWidget()
        self.results_layout = QVBoxLayout(self.results_holder)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.results_holder)
        self.record_button = QPushButton("Record the court's resul&t (Ctrl+Enter)")
        self.record_button.setObjectName("recordResult")
        self.record_button.clicked.connect(self.record_result)
        # Only while the Court page has the focus: other pages have Ctrl+Enter of their own.
        record = QShortcut(QKeySequence("Ctrl+Return"), self, self.record_result)
        record.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.charge_results: list[ChargeResult] = []
        self.hearing: dict[str, Any] | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(caption("The case at court", self.summary))
        layout.addWidget(self.summary, 2)
        layout.addLayout(listing)
        layout.addWidget(self.result_heading)
        layout.addWidget(scroll, 3)
        layout.addWidget(self.record_button)
        self._cache = cache
        self._load_courts()
        # Opened before the first reference sync brought the courts: they come with it.
        runner.operation_finished.connect(self._synced)

    def _load_courts(self) -> None:
        cache = self._cache
        if cache is not None:
            self.runner.run(
                "casefiles.courts", lambda: cache.entries("courts"), on_success=self._courts
            )

    def _synced(self, operation: str) -> None:
        if operation == "reference.sync":
            self._load_courts()

    def _courts(self, entries: list[Any]) -> None:
        for entry in entries:
            if self.court.findData(entry.code) < 0:
                self.court.addItem(f"{entry.label} ({entry.code})", entry.code)

    def set_case(self, case: dict[str, Any], may_edit: bool) -> None:
        self.case, self.may_edit = case, may_edit
        self.summary.setHtml(court_html(case))
        for widget in self.charge_results:
            widget.setParent(None)
            widget.deleteLater()
        self.charge_results = []
        waiting = [h for h in case.get("hearings") or () if not h["results"]]
        self.hearing = waiting[0] if waiting else None
        if self.hearing is None:
            self.result_heading.setText("No hearing is waiting for a result. List one first.")
        else:
            self.result_heading.setText(
                f"Result of hearing {self.hearing['sequence']}, {self.hearing['court']}, "
                f"{_when(self.hearing['sitting_at'])}"
            )
            for number, suspect in enumerate(case.get("suspects") or (), start=1):
                for charge in suspect.get("charges") or ():
                    widget = ChargeResult(
                        number, suspect["name"], charge["offence_code"], charge.get("wording", "")
                    )
                    self.charge_results.append(widget)
                    self.results_layout.addWidget(widget)
        for control in (self.court, self.sitting, self.add_button):
            control.setEnabled(may_edit)
        self.record_button.setEnabled(may_edit and bool(self.charge_results))

    def say(self, text: str, state: str) -> None:
        self.message.setText(text)
        set_state(self.message, state)
        self.message.show()

    def add_hearing(self) -> None:
        case, client = self.case, self.client
        if case is None or not self.may_edit:
            return
        court = str(self.court.currentData() or "")
        if not court:
            self.say("Choose the court first.", "error")
            return
        try:
            sitting = court_time(self.sitting)
        except HearingTimeError as problem:
            self._refuse(problem)
            return
        self.runner.run(
            "casefiles.hearing",
            lambda: client.add_hearing(case["reference"], court, sitting),
            on_success=lambda _h: self._done("Hearing listed."),
            on_failure=self._failed,
        )

    def record_result(self) -> None:
        case, hearing, client = self.case, self.hearing, self.client
        if case is None or hearing is None or not self.may_edit or not self.charge_results:
            return
        try:
            results = [widget.result() for widget in self.charge_results]
        except HearingTimeError as problem:
            self._refuse(problem)
            return
        self.record_button.setEnabled(False)
        self.runner.run(
            "casefiles.result",
            lambda: client.record_results(
                case["reference"], hearing["id"], hearing["version"], results
            ),
            on_success=lambda _h: self._done(
                "Result recorded: the case and its crime reports are updated."
            ),
            on_failure=self._failed,
        )

    def _refuse(self, problem: HearingTimeError) -> None:
        """Nothing sent: the sentence above, the keyboard on the time to put right."""
        self.say(str(problem), "error")
        problem.field.setFocus()

    def _done(self, text: str) -> None:
        self.say(text, "ok")
        self.case_changed.emit()

    def _failed(self, failure: OperationFailure) -> None:
        self.record_button.setEnabled(bool(self.charge_results) and self.may_edit)
        errors = failure.error.field_errors if isinstance(failure.error, ValidationProblem) else {}
        detail = "\n".join(errors.values())
        self.say(failure.message + (f"\n{detail}" if detail else ""), "error")

"""One custody record, opened over the board: the detainee, the clock panel, the timeline
of entries, the actions grouped by what the sergeant is doing (each disabled, with the rule
as the reason, when the signed-in officer may not take it now), and the printed forms."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.custody_record import CustodyState, action_refusal, clock
from station_app.domain.custody_rules import (
    EVENT_TYPES,
    RECORDABLE,
    CareConfig,
    care_config_from_rules,
)
from station_app.resource_files import resource_path
from station_app.services.custody import CustodyRecordView, EntryView
from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import caption, record_table
from station_app.views.custody.text import age_text, due_text, duration_text

FORMS_MODULE = "station_app.documents.custody_forms"
"""The printed forms' code: loaded on a worker when the tab is made (`CustodyView.set_user`),
used here when a record is shown."""

Index = QModelIndex | QPersistentModelIndex
ENTRY_COLUMNS = ("Actual time", "Entered", "Entry", "Details", "Officer")


class EntriesModel(QAbstractTableModel):
    """The timeline: entries by actual time (a late entry shows where it happened)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[EntryView] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(ENTRY_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return ENTRY_COLUMNS[section]
        return None

    def set_entries(self, entries: tuple[EntryView, ...]) -> None:
        self.beginResetModel()
        self._entries = sorted(entries, key=lambda e: (e.occurred_at, e.sequence))
        self.endResetModel()

    def entry_at(self, row: int) -> EntryView:
        return self._entries[row]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        entry = self._entries[index.row()]
        return (
            local_time_text(entry.occurred_at),
            local_time_text(entry.entered_at),
            entry.title,
            entry.summary,
            entry.officer,
        )[index.column()]


# The actions, grouped by what the sergeant is doing (one menu each, not 28 buttons at once).
ACTION_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Detention and &rights",
        (
            "detention_authorised",
            "detention_refused",
            "rights_given",
            "legal_advice_requested",
            "rights_delayed",
            "someone_informed",
            "written_notice_given",
            "interpreter",
            "appropriate_adult",
        ),
    ),
    (
        "&Care and visits",
        (
            "visit",
            "risk_assessment",
            "observation_level_set",
            "cell_allocated",
            "meal",
            "rest_period",
            "property_item",
        ),
    ),
    ("Revie&ws and extensions", ("review", "review_postponed", "extension", "warrant")),
    ("I&nterview", ("interview_started", "interview_ended")),
    (
        "&Disposal",
        (
            "charge",
            "bail",
            "released_under_investigation",
            "no_further_action",
            "transfer",
            "released",
        ),
    ),
)


@cache
def care_settings() -> CareConfig:
    """The care settings the server keeps too (`resources/rules/custody.json`, shipped with
    both), so the clock beside the record agrees with the board."""
    data = json.loads(resource_path("rules", "custody.json").read_text(encoding="utf-8"))
    return care_config_from_rules(data)


CLOCK_ROWS = (
    ("relevant_time", "Relevant time"),
    ("detention_limit", "Detention limit"),
    ("next_review_due", "Next review due"),
    ("next_visit_due", "Next visit due"),
    ("rest_due_by", "8 h rest to start by"),
    ("meal_due_by", "Meal due"),
)
_DEADLINE_KEYS = {
    "detention_limit": "limit",
    "next_review_due": "review",
    "next_visit_due": "visit",
    "rest_due_by": "rest",
    "meal_due_by": "meal",
}


class RecordPanel(QWidget):
    action_requested = Signal(str)
    """The kind of entry the officer wants to record."""
    form_requested = Signal(str)
    print_all_requested = Signal()
    visit_requested = Signal()
    back_requested = Signal()
    """Back to the board (Esc)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("custodyRecordPanel")
        self.record: CustodyRecordView | None = None
        self.roles: frozenset[str] = frozenset()
        self.now = dt.datetime.now(dt.UTC)

        self.back_button = QPushButton("← &Board (Esc)")
        self.back_button.setObjectName("backToBoard")
        self.back_button.setToolTip("Back to the custody board (Esc).")
        self.back_button.clicked.connect(self.back_requested)
        self.heading = QLabel("Pick a detainee on the board to open their custody record.")
        self.heading.setObjectName("heading")
        self.heading.setWordWrap(True)
        self.heading.setAccessibleName("Custody record")

        self.clock_labels: dict[str, QLabel] = {}
        clock_form = QFormLayout()
        for key, title in CLOCK_ROWS:
            label = QLabel("—")
            label.setObjectName(f"clock_{key}")
            label.setAccessibleName(title)
            self.clock_labels[key] = label
            title_label = QLabel(title)
            title_label.setBuddy(label)
            clock_form.addRow(title_label, label)

        self.entries_model = EntriesModel(self)
        self.timeline = record_table(
            self.entries_model,
            "custodyTimeline",
            "Entries in the custody record",
            widths=((0, 150), (1, 110), (2, 220), (4, 210)),
            wrap=True,
        )
        self.timeline.horizontalHeader().setStretchLastSection(False)
        self.timeline.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.visit_button = QPushButton("Record routine vis&it (F8)")
        self.visit_button.setObjectName("routineVisit")
        self.visit_button.setToolTip("Records a routine visit at the real time now, in one key.")
        self.visit_button.clicked.connect(self.visit_requested)
        self.action_buttons: dict[str, QAction] = {}
        """One action per kind of entry, in its group's menu (and the command palette)."""
        groups = QVBoxLayout()
        grouped = [kind for _title, kinds in ACTION_GROUPS for kind in kinds]
        others = tuple(kind for kind in RECORDABLE if kind not in grouped)
        for title, kinds in (*ACTION_GROUPS, *((("Other", others),) if others else ())):
            button = QPushButton(title)
            button.setObjectName(f"group_{title.replace('&', '').split()[0].lower()}")
            menu = QMenu(button)
            menu.setToolTipsVisible(True)  # a disabled entry says why
            for kind in kinds:
                spec = EVENT_TYPES[kind]
                action = menu.addAction(spec.action)
                action.setObjectName(f"action_{kind}")
                action.triggered.connect(
                    lambda _checked=False, k=kind: self.action_requested.emit(k)
                )
                self.action_buttons[kind] = action
            button.setMenu(menu)
            groups.addWidget(button)
        groups.addStretch(1)

        self.forms = QComboBox()
        self.forms.setObjectName("custodyForms")
        self.forms.setAccessibleName("Form to print")
        self.preview_button = QPushButton("&Print…")
        self.preview_button.setToolTip("Preview the chosen form, then print or save it (Ctrl+P).")
        self.preview_button.clicked.connect(
            lambda: self.form_requested.emit(str(self.forms.currentData() or ""))
        )
        self.print_all_button = QPushButton("Print &all for this detainee")
        self.print_all_button.clicked.connect(self.print_all_requested)
        self.print_progress = QProgressBar()
        self.print_progress.setAccessibleName("Preparing the forms")
        self.print_progress.hide()
        print_row = QHBoxLayout()
        print_row.addWidget(caption("Form:", self.forms))
        for widget in (self.forms, self.preview_button, self.print_all_button, self.print_progress):
            print_row.addWidget(widget)
        print_row.addStretch(1)

        # Left: the clock and what to do next; right: what has happened (the timeline).
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addLayout(clock_form)
        side_layout.addWidget(self.visit_button)
        side_layout.addLayout(groups, 1)
        body = QSplitter(Qt.Orientation.Horizontal)
        body.addWidget(side)
        body.addWidget(self.timeline)
        body.setStretchFactor(1, 2)
        body.setSizes([420, 900])
        title_row = QHBoxLayout()
        title_row.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        title_row.addWidget(self.heading, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(title_row)
        layout.addWidget(body, 1)
        layout.addLayout(print_row)
        self.show_record(None)

    # --- showing ---------------------------------------------------------------------------
    def show_record(self, record: CustodyRecordView | None) -> None:
        self.record = record
        has = record is not None
        for widget in (self.visit_button, self.preview_button, self.print_all_button, self.forms):
            widget.setEnabled(has)
        if record is None:
            self.heading.setText("Pick a detainee on the board to open their custody record.")
            self.entries_model.set_entries(())
            for label in self.clock_labels.values():
                label.setText("—")
            self._update_actions()
            return
        self.entries_model.set_entries(record.entries)
        from station_app.documents.custody_forms import available_forms

        current = self.forms.currentData()
        self.forms.clear()
        for form in available_forms(record):
            self.forms.addItem(form.title, form.key)
        index = self.forms.findData(current)
        self.forms.setCurrentIndex(max(index, 0))
        self.tick(self.now)

    def set_roles(self, roles: frozenset[str]) -> None:
        self.roles = roles
        self._update_actions()

    def tick(self, now: dt.datetime) -> None:
        """Recompute the clock panel and which actions are open (once a second)."""
        self.now = now
        record = self.record
        if record is None:
            return
        state = record.state()
        board = record.board
        if state.date_of_birth is None and state.appears_under_18:
            flags = ["Appears under 18: a juvenile (Code C 1.5)"]
        else:
            flags = [f"Age {age_text(board.date_of_birth, now)}"]
        if state.answering_bail_from:
            flags.append(
                f"Answering bail from {state.answering_bail_from}: "
                f"{duration_text(state.detained_before)} already used (PACE s.47(6))"
            )
        if state.needs_appropriate_adult(now):
            flags.append(
                f"Appropriate adult: {state.appropriate_adult}"
                if state.appropriate_adult
                else "Appropriate adult needed"
            )
        if state.interpreter:
            flags.append(f"Interpreter: {state.interpreter}")
        if state.closed_at is not None:
            flags.append(f"Left custody {local_time_text(state.closed_at, now=now)}")
        # The journey (issue 10): the report they were arrested for, the case file charged to.
        flags += [f"Crime {reference}" for reference in record.incidents]
        flags += [f"Case file {reference}" for reference in record.case_files]
        self.heading.setText(
            f"{record.custody_number} · {board.name} · {board.cell or 'no cell'} · "
            + " · ".join(flags)
        )
        value = clock(state, now, care_settings())
        states = {d.key: d.state(now) for d in value.deadlines}
        for key, label in self.clock_labels.items():
            when = getattr(value, key)
            if key == "next_visit_due" and value.emergency is not None:
                text = (
                    f"NOW · could not be roused at {local_time_text(value.emergency.due_at)}: "
                    "healthcare or ambulance (Code C Annex H)"
                )
            elif key == "next_visit_due" and value.constant_observation:
                text = "Constant observation"
            elif key == "relevant_time":
                text = local_time_text(when, now=now) if when else "—"
            else:
                text = due_text(when, now)
            urgency = states.get(_DEADLINE_KEYS.get(key, ""), "ok")
            if key == "next_visit_due" and value.emergency is not None:
                label.setText(text)
                set_state(label, "overdue")
                continue
            if urgency == "overdue":
                text = f"Overdue · {text}"
            label.setText(text)
            set_state(label, {"overdue": "overdue", "soon": "soon"}.get(urgency, ""))
        self._update_actions(state)

    def _update_actions(self, state: CustodyState | None = None) -> None:
        if state is None and self.record is not None:
            state = self.record.state()
        for kind, action in self.action_buttons.items():
            if state is None:
                action.setEnabled(False)
                action.setToolTip("Open a custody record first.")
                continue
            refusal = action_refusal(
                state, kind, self.roles, self.now, now=self.now, config=care_settings()
            )
            action.setEnabled(refusal is None)
            action.setToolTip(
                refusal.message
                if refusal
                else f"{EVENT_TYPES[kind].title} ({EVENT_TYPES[kind].rule})"
            )
        care = care_settings()
        visit_refusal = (
            action_refusal(state, "visit", self.roles, self.now, now=self.now, config=care)
            if state
            else None
        )
        self.visit_button.setEnabled(state is not None and visit_refusal is None)
        if visit_refusal is not None:
            self.visit_button.setToolTip(visit_refusal.message)

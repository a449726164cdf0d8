"""One custody record: the detainee, the clock panel, the timeline of entries, one action
per kind of entry (disabled, with the rule as the reason, when the signed-in officer may
not take it now), and the printed forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.domain.custody_record import CustodyState, action_refusal, clock
from station_app.domain.custody_rules import EVENT_TYPES, RECORDABLE
from station_app.services.custody import CustodyRecordView, EntryView
from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import caption, record_table
from station_app.views.custody.text import age_text, due_text

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

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("custodyRecordPanel")
        self.record: CustodyRecordView | None = None
        self.roles: frozenset[str] = frozenset()
        self.now = dt.datetime.now(dt.UTC)

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
            widths=((3, 320),),
        )

        self.visit_button = QPushButton("Record routine vis&it (F8)")
        self.visit_button.setObjectName("routineVisit")
        self.visit_button.setToolTip("Records a routine visit at the real time now, in one key.")
        self.visit_button.clicked.connect(self.visit_requested)
        self.action_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        for number, kind in enumerate(RECORDABLE):
            spec = EVENT_TYPES[kind]
            button = QPushButton(spec.action)
            button.setObjectName(f"action_{kind}")
            button.setAccessibleName(spec.action.rstrip("…"))
            button.clicked.connect(lambda _checked=False, k=kind: self.action_requested.emit(k))
            self.action_buttons[kind] = button
            grid.addWidget(button, number // 4, number % 4)

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

        top = QHBoxLayout()
        top.addLayout(clock_form, 1)
        top.addWidget(self.visit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.timeline, 1)
        layout.addLayout(grid)
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
        flags = [f"Age {age_text(board.date_of_birth, now)}"]
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
        self.heading.setText(
            f"{record.custody_number} · {board.name} · {board.cell or 'no cell'} · "
            + " · ".join(flags)
        )
        value = clock(state, now)
        states = {d.key: d.state(now) for d in value.deadlines}
        for key, label in self.clock_labels.items():
            when = getattr(value, key)
            if key == "next_visit_due" and value.constant_observation:
                text = "Constant observation"
            elif key == "relevant_time":
                text = local_time_text(when, now=now) if when else "—"
            else:
                text = due_text(when, now)
            urgency = states.get(_DEADLINE_KEYS.get(key, ""), "ok")
            if urgency == "overdue":
                text = f"Overdue · {text}"
            label.setText(text)
            set_state(label, {"overdue": "overdue", "soon": "soon"}.get(urgency, ""))
        self._update_actions(state)

    def _update_actions(self, state: CustodyState | None = None) -> None:
        if state is None and self.record is not None:
            state = self.record.state()
        for kind, button in self.action_buttons.items():
            if state is None:
                button.setEnabled(False)
                button.setToolTip("Open a custody record first.")
                continue
            refusal = action_refusal(state, kind, self.roles, self.now, now=self.now)
            button.setEnabled(refusal is None)
            button.setToolTip(
                refusal.message
                if refusal
                else f"{EVENT_TYPES[kind].title} ({EVENT_TYPES[kind].rule})"
            )
        visit_refusal = (
            action_refusal(state, "visit", self.roles, self.now, now=self.now) if state else None
        )
        self.visit_button.setEnabled(state is not None and visit_refusal is None)
        if visit_refusal is not None:
            self.visit_button.setToolTip(visit_refusal.message)

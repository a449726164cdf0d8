"""The custody board's Qt model: one row per detainee, most urgent first, live countdowns.

A refresh updates rows in place (rows that left are removed, new ones inserted, the rest
changed and re-ordered through persistent indexes), so the selection and the scroll
position stay where the officer left them and nothing flickers. `tick` only repaints the
countdown columns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from station_app.domain import pace
from station_app.domain.custody_record import Deadline
from station_app.domain.custody_rules import EMERGENCY_ACTIONS
from station_app.services.custody import BoardRow
from station_app.ui.theme import current_theme
from station_app.views.custody.text import age_text, countdown_text, duration_text

Index = QModelIndex | QPersistentModelIndex
RECORD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2

COLUMNS = (
    "Cell",
    "Name",
    "Age",
    "Offences",
    "In custody",
    "Next review",
    "Next visit",
    "Detention limit",
    "Status",
    "Risk",
    "Flags",
)
COUNTDOWN_COLUMNS = (4, 5, 6, 7, 8)
_DEADLINE_COLUMN = {5: "review", 6: "visit", 7: "limit"}
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_RECORD_ID = int(RECORD_ID_ROLE)
_STATE = int(STATE_ROLE)
_ROLES = frozenset({_DISPLAY, _ACCESSIBLE, _TOOLTIP, _FOREGROUND, _BACKGROUND, _RECORD_ID, _STATE})


def urgency_key(row: BoardRow) -> tuple[int, dt.datetime, str]:
    """Most urgent first: a detainee who could not be roused (an emergency, Code C Annex H)
    before anyone else, then the earliest deadline (an overdue one is earliest of all)."""
    due = min((d.due_at for d in row.deadlines()), default=dt.datetime.max.replace(tzinfo=dt.UTC))
    return (0 if row.not_rousable else 1), due, row.cell


def is_juvenile(row: BoardRow, now: dt.datetime) -> bool:
    """Under 18 by the date of birth, or, with none, appearing to be (Code C 1.5)."""
    if row.date_of_birth is None:
        return row.appears_under_18
    try:
        return pace.is_juvenile(row.date_of_birth, now)
    except ValueError:
        return False


def row_state(row: BoardRow, now: dt.datetime) -> tuple[str, list[Deadline]]:
    """("overdue" | "soon" | "ok", the deadlines in that state)."""
    deadlines = row.deadlines()
    overdue = [d for d in deadlines if d.state(now) == "overdue"]
    if overdue or row.not_rousable:
        return "overdue", overdue
    soon = [d for d in deadlines if d.state(now) == "soon"]
    return ("soon", soon) if soon else ("ok", [])


class BoardModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[BoardRow] = []
        self._cells: dict[tuple[int, int], tuple[str, str]] = {}
        self._hidden: frozenset[int] = frozenset()
        self.now = dt.datetime.now(dt.UTC)

    def set_hidden_columns(self, hidden: frozenset[int]) -> None:
        """Columns the board has no room to show (views.custody.board_fit): the name's
        tooltip and accessible text then say what they would have said."""
        if hidden != self._hidden:
            self._hidden = hidden
            if self._rows:
                last = len(self._rows) - 1
                self.dataChanged.emit(self.index(0, 1), self.index(last, 1))

    # --- data -------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def row_at(self, position: int) -> BoardRow | None:
        return self._rows[position] if 0 <= position < len(self._rows) else None

    def position_of(self, record_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.record_id == record_id), -1)

    def rows(self) -> list[BoardRow]:
        return list(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called thousands of times a paint: plain int roles and a per-refresh cache.
        role = int(role)
        if role not in _ROLES or not index.isValid():
            return None
        position, column = index.row(), index.column()
        if role == _RECORD_ID:
            return self._rows[position].record_id
        cell = self._cells.get((position, column))
        if cell is None:
            row = self._rows[position]
            cell = self._cells[(position, column)] = (
                self._text(row, column),
                self._state(row, column),
            )
        text, state = cell
        if column == 1 and role in (_ACCESSIBLE, _TOOLTIP) and self._hidden:
            return self._with_hidden(position, text)
        if role in (_DISPLAY, _ACCESSIBLE) or (role == _TOOLTIP and column == 10):
            return text
        if role == _STATE:
            return state
        if state == "ok":
            return None
        if role in (_FOREGROUND, _BACKGROUND):
            # Amber when due soon, red when overdue, in the theme in use (ui.theme).
            urgent = "overdue" if state == "overdue" else "soon"
            back, fore = current_theme().urgency_brushes[urgent]
            return fore if role == _FOREGROUND else back
        return None

    def _with_hidden(self, position: int, name: str) -> str:
        """The name, then each hidden column's title and text: "MARLOWE, Ed; Age: 16 ·
        Juvenile; Offences: Criminal damage"."""
        row = self._rows[position]
        parts = [name]
        for column in sorted(self._hidden):
            text = self._text(row, column)
            if text:
                parts.append(f"{COLUMNS[column]}: {text}")
        return "; ".join(parts)

    def _state(self, row: BoardRow, column: int) -> str:
        key = _DEADLINE_COLUMN.get(column)
        if key is not None:
            deadline = next((d for d in row.deadlines() if d.key == key), None)
            return deadline.state(self.now) if deadline else "ok"
        if column in (0, 1, 8):
            return row_state(row, self.now)[0]
        return "ok"

    def _text(self, row: BoardRow, column: int) -> str:
        now = self.now
        if column == 0:
            return row.cell or "No cell"
        if column == 1:
            return row.name
        if column == 2:
            if row.date_of_birth is None and row.appears_under_18:
                return "Appears under 18 · Juvenile (Code C 1.5)"
            age = age_text(row.date_of_birth, now)
            juvenile = is_juvenile(row, now)
            return f"{age} · Juvenile" if juvenile else age
        if column == 3:
            return "; ".join(row.offences)
        if column == 4:
            return duration_text(now - row.arrived_at) if row.arrived_at else ""
        if column in _DEADLINE_COLUMN:
            key = _DEADLINE_COLUMN[column]
            if key == "visit" and row.not_rousable:
                return "NOW: could not be roused"
            if key == "visit" and row.observation_level >= 3:
                return "Constant"
            if key == "limit" and row.charged:
                return "Charged"
            deadline = next((d for d in row.deadlines() if d.key == key), None)
            return countdown_text(deadline.due_at, now) if deadline else "—"
        if column == 8:
            return self.status_text(row)
        if column == 9:
            level = f"Level {row.observation_level}"
            return f"{row.risk_level.capitalize()} · {level}" if row.risk_level else level
        if column == 10:
            flags = []
            if row.answering_bail_from:
                used = duration_text(row.detained_before)
                flags.append(f"Answering bail: {used} used (s.47(6))")
            if row.interpreter:
                flags.append(f"Interpreter ({row.interpreter})")
            if row.appropriate_adult:
                flags.append("Appropriate adult")
            elif row.vulnerable or is_juvenile(row, now):
                flags.append("Appropriate adult needed")
            return ", ".join(flags)
        return ""

    def status_text(self, row: BoardRow) -> str:
        state, deadlines = row_state(row, self.now)
        if row.not_rousable:
            done = dict(EMERGENCY_ACTIONS).get(row.emergency_action, "")
            then = f" ({done.lower()})" if done else ""
            return f"EMERGENCY: could not be roused{then} — Code C Annex H"
        names = ", ".join(d.label.lower().removesuffix(" due") for d in deadlines)
        if state == "overdue":
            return f"Overdue: {names}"
        if state == "soon":
            return f"Due soon: {names}"
        return "OK"

    # --- refresh in place --------------------------------------------------------------------
    def set_rows(self, rows: list[BoardRow], now: dt.datetime) -> None:
        self.now = now
        self._cells.clear()
        incoming = {row.record_id: row for row in rows}
        for position in range(len(self._rows) - 1, -1, -1):
            if self._rows[position].record_id not in incoming:
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._rows[position]
                self.endRemoveRows()
        known = {row.record_id for row in self._rows}
        new = [row for row in rows if row.record_id not in known]
        if new:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        self._rows = [incoming[row.record_id] for row in self._rows]
        self._cells.clear()  # positions moved with the removals
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(COLUMNS) - 1)
            )
        self._sort()

    def _sort(self) -> None:
        order = sorted(range(len(self._rows)), key=lambda i: urgency_key(self._rows[i]))
        if order == list(range(len(self._rows))):
            return
        self.layoutAboutToBeChanged.emit()
        self._cells.clear()
        old_rows = self._rows
        self._rows = [old_rows[i] for i in order]
        new_position = {old: new for new, old in enumerate(order)}
        changes_from, changes_to = [], []
        for index in self.persistentIndexList():
            changes_from.append(index)
            changes_to.append(self.index(new_position[index.row()], index.column()))
        self.changePersistentIndexList(changes_from, changes_to)
        self.layoutChanged.emit()

    def tick(self, now: dt.datetime) -> None:
        """Repaint the countdowns (once a second)."""
        self.now = now
        self._cells.clear()
        if self._rows:
            last = len(self._rows) - 1
            self.dataChanged.emit(
                self.index(0, COUNTDOWN_COLUMNS[0]), self.index(last, COUNTDOWN_COLUMNS[-1])
            )
            self.dataChanged.emit(self.index(0, 0), self.index(last, 1))

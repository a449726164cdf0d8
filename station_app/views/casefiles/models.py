"""Qt models of the Case files tab: My cases (paged from the server through the runner),
the checklist of one case, and an editable disclosure schedule numbered on its own."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from station_app.domain.file_standard import DOCUMENT_NAMES
from station_app.services.casefiles import CasefilesClient, CaseSummary
from station_app.ui.paged_model import Page, PagedTableModel
from station_app.ui.runner import OperationRunner
from station_app.ui.theme import current_theme

Index = QModelIndex | QPersistentModelIndex

FILE_TYPES = {
    "cps_charging_decision": "CPS charging decision",
    "anticipated_guilty_plea": "Anticipated guilty plea",
    "anticipated_not_guilty_plea": "Anticipated not guilty plea",
    "remand": "Remand",
    "crown_court_first_hearing": "Crown Court: first hearing",
    "upgrade": "Upgrade to a trial file",
    "breach": "Breach of bail",
}
STATUSES = {
    "draft": "Draft",
    "submitted": "Waiting for review",
    "returned": "Returned with comments",
    "approved": "Approved",
    "sent": "Sent to CPS",
    "accepted": "Accepted by CPS",
    "rejected": "Rejected by CPS",
    "finalised": "Finalised at court",
}
CHECK_WORDS = {"done": "Done", "missing": "Missing", "not_needed": "Not needed"}


def days_text(days: int | None) -> str:
    if days is None:
        return "No hearing set"
    if days < 0:
        return f"Overdue {-days} day{'s' if days != -1 else ''}"
    if days == 0:
        return "Today"
    return f"in {days} day{'s' if days != 1 else ''}"


def urgency(days: int | None, missing: int) -> str:
    """ui.md, "Urgency": red when past (or today with gaps), amber when close."""
    if days is None:
        return ""
    if days < 0 or (days <= 1 and missing):
        return "error"
    if days <= 3 and missing:
        return "warning"
    return ""


class CasesModel(PagedTableModel[CaseSummary]):
    """The cases of My cases, most urgent first (the server sorts), a page at a time."""

    # What decides the order of work first (ui.md): the days left and what is missing.
    columns = ("Reference", "Days left", "Missing", "Suspect", "Hearing", "Status", "File type")
    DAYS_LEFT = 1
    operation = "casefiles.list"

    def __init__(self, runner: OperationRunner, client: CasefilesClient) -> None:
        super().__init__(runner)
        self._client = client
        self.mine = True  # a detective's own cases; a supervisor reviews everyone's
        self.active = False
        """Whether there is an officer to list cases for (off until sign-in)."""

    def page_reader(self, offset: int, limit: int) -> Callable[[], Page[CaseSummary]] | None:
        if not self.active:
            return None
        client, mine = self._client, self.mine

        def read() -> Page[CaseSummary]:
            cases, total = client.list_cases(mine=mine, offset=offset, limit=limit)
            return Page(cases, has_more=offset + len(cases) < total, total=total)

        return read

    def cell(self, case: CaseSummary, column: int) -> str:
        hearing = (
            f"{case.hearing_date:%a} {case.hearing_date.day} {case.hearing_date:%b %Y}"
            if (case.hearing_date)
            else "—"
        )
        values = (
            case.reference,
            days_text(case.days_left),
            f"{case.missing_count} missing" if case.missing_count else "Complete",
            ", ".join(case.suspects) or "—",
            hearing,
            STATUSES.get(case.status, case.status),
            FILE_TYPES.get(case.file_type, case.file_type),
        )
        return values[column]

    def cell_data(self, case: CaseSummary, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.UserRole:
            return case.reference
        if role == Qt.ItemDataRole.ToolTipRole and column == self.DAYS_LEFT:
            return "Days until the first hearing."
        if role == Qt.ItemDataRole.ForegroundRole and column == self.DAYS_LEFT:
            # Days left in red when past and amber when close (the words say it too: ui.md).
            theme = current_theme()
            colour = {"error": theme.error, "warning": theme.warning}.get(
                urgency(case.days_left, case.missing_count) or ""
            )
            return QColor(colour) if colour else None
        return None


class ChecklistModel(QAbstractTableModel):
    """The file standard checklist of one case: done / missing / not needed."""

    HEADERS = ("Item", "Status", "What to do")

    def __init__(self) -> None:
        super().__init__()
        self.items: list[Mapping[str, Any]] = []

    def set_items(self, items: Sequence[Mapping[str, Any]]) -> None:
        self.beginResetModel()
        order = {"missing": 0, "done": 1, "not_needed": 2}
        self.items = sorted(items, key=lambda i: order.get(str(i["status"]), 3))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return item["form"]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        status = CHECK_WORDS.get(str(item["status"]), str(item["status"]))
        return (item["title"], status, item["sentence"])[index.column()]


class ScheduleModel(QAbstractTableModel):
    """An MG6C or MG6D being edited. Saved items keep their numbers; new rows show the
    number they will take: the next on this kind of schedule (CPS Disclosure Manual ch.7:
    the MG6C and the MG6D each number their own items)."""

    HEADERS = ("No.", "Description", "Location", "Remarks")
    KEYS = ("number", "description", "location", "remarks")
    edited = Signal()

    def __init__(self, next_number: Callable[[], int]) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self._next_number = next_number

    def set_items(self, items: Sequence[Mapping[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = [dict(item) for item in items]
        self.endResetModel()

    def items(self) -> list[dict[str, Any]]:
        return [
            {k: r.get(k) or ("" if k != "number" else None) for k in self.KEYS}
            for r in self.rows
            if str(r.get("description", "")).strip()
        ]

    def add_row(self) -> QModelIndex:
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows))
        self.rows.append({"number": None, "description": "", "location": "", "remarks": ""})
        self.endInsertRows()
        return self.index(len(self.rows) - 1, 1)

    def provisional_number(self, row: int) -> int:
        unnumbered = [i for i, r in enumerate(self.rows) if r.get("number") is None]
        return self._next_number() + unnumbered.index(row)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base if index.column() == 0 else base | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if index.column() == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                number = row.get("number")
                return str(number) if number else f"{self.provisional_number(index.row())} (new)"
            if role == Qt.ItemDataRole.ToolTipRole and not row.get("number"):
                return "The number this item takes when the schedule is saved."
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return str(row.get(self.KEYS[index.column()]) or "")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() == 0 or role != Qt.ItemDataRole.EditRole:
            return False
        self.rows[index.row()][self.KEYS[index.column()]] = str(value)
        self.dataChanged.emit(index, index)
        self.edited.emit()
        return True


def document_label(document: Mapping[str, Any]) -> str:
    name = DOCUMENT_NAMES.get(str(document["form"]), "")
    title = str(document.get("title") or "")
    return (
        title if title.startswith(str(document["form"])) else f"{document['form']} {name}: {title}"
    )

"""The incident log's model: the server's filtered, sorted list, a page at a time through
the runner (`canFetchMore` / `fetchMore`), so the window never waits for it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from station_app.domain.incidents import FLAG_WORDS, STATUS_WORDS, Flag, IncidentStatus
from station_app.services.incidents import IncidentPage, IncidentsApi, ListQuery
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.timefmt import local_time_text

PAGE_SIZE = 50
Index = QModelIndex | QPersistentModelIndex

# (header, server sort key or None when the server cannot sort by it)
COLUMNS: tuple[tuple[str, str | None], ...] = (
    ("Reference", "reference"),
    ("Reported", "reported_at"),
    ("Offence", "offence"),
    ("Victim", None),
    ("Place", None),
    ("Status", "status"),
    ("Flags", None),
)


def _cell(row: dict[str, Any], column: int) -> str:
    if column == 0:
        return str(row["reference"])
    if column == 1:
        return local_time_text(datetime.fromisoformat(row["reported_at"]))
    if column == 2:
        return str(row["offence_label"])
    if column == 3:
        return str(row["victim_name"])
    if column == 4:
        return str(row["place"])
    if column == 5:
        words = STATUS_WORDS[IncidentStatus(row["status"])]
        return f"{words} — decision overdue" if row.get("decision_overdue") else words
    return ", ".join(FLAG_WORDS[Flag(f)] for f in row.get("flags", []))


class IncidentLogModel(QAbstractTableModel):
    page_loaded = Signal()
    """A page arrived, or failed (see `last_error`)."""

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.api: IncidentsApi | None = None
        self.query = ListQuery()
        self._rows: list[dict[str, Any]] = []
        self._has_more = False
        self._loading = False
        self._generation = 0
        self.last_error: str | None = None

    def bind(self, api: IncidentsApi) -> None:
        self.api = api

    # --- what the view asks ---------------------------------------------------------------
    @property
    def loading(self) -> bool:
        return self._loading

    def row_at(self, row: int) -> dict[str, Any] | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return _cell(row, index.column())
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        if key is None:
            return  # sorted on the server only by what it indexes
        descending = order == Qt.SortOrder.DescendingOrder
        self.load(replace(self.query, sort=f"-{key}" if descending else key))

    # --- loading --------------------------------------------------------------------------
    def load(self, query: ListQuery | None = None) -> None:
        """Show the first page for `query` (or the current one again)."""
        if query is not None:
            self.query = query
        self._generation += 1
        self.beginResetModel()
        self._rows, self._has_more = [], False
        self.endResetModel()
        if self.api is not None:
            self._fetch()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and self._has_more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        api, query, offset = self.api, self.query, len(self._rows)
        assert api is not None
        generation = self._generation
        self._loading = True

        def show(page: IncidentPage) -> None:
            if generation != self._generation:
                return  # filters changed since; this page is stale
            self._loading = False
            self._has_more = page.has_more
            if page.items:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(page.items) - 1)
                self._rows.extend(page.items)
                self.endInsertRows()
            self.last_error = None
            self.page_loaded.emit()

        def failed(failure: OperationFailure) -> None:
            if generation == self._generation:
                self._loading = False
                self.last_error = failure.message
                self.page_loaded.emit()

        self.runner.run(
            "incidents.list",
            lambda: api.list(query, offset, PAGE_SIZE),
            on_success=show,
            on_failure=failed,
        )

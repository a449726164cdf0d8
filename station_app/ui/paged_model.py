"""One base for every list that arrives a page at a time: the incident log, My cases, the
rows of a reference dataset.

The first page loads when asked (`reload`); the next one when the view scrolls near the end
(`canFetchMore` / `fetchMore`). Pages are read on a worker through the runner, so the
window never waits, and a page that arrives after the officer changed the filters is
dropped (each reload starts a new generation). A subclass says how to read a page and how
to show a row; the base does the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from station_app.ui.runner import OperationFailure, OperationRunner

R = TypeVar("R")
Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Page(Generic[R]):
    """One page of rows and what the source knows about the rest."""

    rows: Sequence[R]
    has_more: bool
    total: int | None = None
    """How many rows there are in all, where the source counts them."""


class PagedTableModel(QAbstractTableModel, Generic[R]):
    """A read-only table of `R` rows paged from a source on a worker."""

    page_loaded = Signal()
    """A page arrived, or failed (see `last_error`): the view updates what it says."""

    columns: tuple[str, ...] = ()
    operation = "list.page"
    """The runner's name for a page read (other views may listen for it)."""
    page_size = 50

    def __init__(self, runner: OperationRunner, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._rows: list[R] = []
        self._has_more = False
        self._total: int | None = None
        self._loading = False
        self._generation = 0
        self.last_error: str | None = None

    # --- what a subclass says ----------------------------------------------------------
    def page_reader(self, offset: int, limit: int) -> Callable[[], Page[R]] | None:
        """A call for the worker that reads one page, built now on the UI thread from the
        current filters (so the worker reads nothing the officer is changing); None when
        there is nothing to read yet."""
        raise NotImplementedError

    def cell(self, row: R, column: int) -> str:
        """The text of one cell."""
        raise NotImplementedError

    def cell_data(self, row: R, column: int, role: int) -> Any:
        """Any other role of a cell (colour, accessible text); None by default."""
        return None

    # --- what the view asks ------------------------------------------------------------
    @property
    def rows(self) -> Sequence[R]:
        return self._rows

    @property
    def total(self) -> int:
        """Rows in all where the source counts them, else the rows loaded so far."""
        return self._total if self._total is not None else len(self._rows)

    @property
    def loading(self) -> bool:
        return self._loading

    def row_at(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.row_at(index.row()) if index.isValid() else None
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell(row, index.column())
        other = self.cell_data(row, index.column(), role)
        if other is None and role == Qt.ItemDataRole.ToolTipRole:
            return self.cell(row, index.column())  # the whole text, where a column clips it
        return other

    # --- loading -----------------------------------------------------------------------
    def reload(self) -> None:
        """Show the first page again (after the filters changed, F5, a change elsewhere)."""
        self._generation += 1
        self.beginResetModel()
        self._rows, self._has_more, self._total, self._loading = [], False, None, False
        self.endResetModel()
        self._fetch()

    def clear(self) -> None:
        """Show nothing, and drop any page on its way."""
        self._generation += 1
        self.beginResetModel()
        self._rows, self._has_more, self._total, self._loading = [], False, None, False
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and self._has_more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch()

    def _fetch(self) -> None:
        read = self.page_reader(len(self._rows), self.page_size)
        if read is None:
            return
        generation = self._generation
        self._loading = True

        def arrived(page: Page[R]) -> None:
            if generation != self._generation:
                return  # the filters changed since: this page is stale
            self._loading = False
            self._has_more = page.has_more and bool(page.rows)
            if page.total is not None:  # a source may count only with the first page
                self._total = page.total
            if page.rows:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
                self._rows.extend(page.rows)
                self.endInsertRows()
            self.last_error = None
            self.page_loaded.emit()

        def failed(failure: OperationFailure) -> None:
            if generation == self._generation:
                self._loading = False
                self.last_error = failure.message
                self.page_loaded.emit()

        self._runner.run(self.operation, read, on_success=arrived, on_failure=failed)

"""Qt models of the Reference tab: the dataset list and the rows of one dataset.

The rows model pages through the local cache in the background (`canFetchMore` /
`fetchMore`), so a 20,000-row dataset opens at once and the window never waits for it.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from station_app.services.reference import ReferenceCache, ReferenceRow
from station_app.ui.runner import OperationFailure, OperationRunner

PAGE_SIZE = 200

_ATTRIBUTE_TITLES = {
    "wording": "Wording",
    "act": "Act",
    "ho_class": "Home Office class",
    "mode_of_trial": "Mode of trial",
    "sample": "Demo sample",
    "address": "Address",
    "postcode": "Postcode",
    "phone": "Phone",
    "custody_suite": "Custody suite",
    "station_code": "Station",
    "cell_type": "Type",
    "capacity": "Capacity",
    "court_type": "Court type",
    "group": "Group",
    "rank": "Rank",
}

_VALUE_WORDS = {
    "summary": "Summary only",
    "either_way": "Either way",
    "indictable": "Indictable only",
    "magistrates": "Magistrates' court",
    "crown": "Crown Court",
    "detention_room": "Detention room",
    "juvenile": "Juvenile detention room",
    "cell": "Cell",
    True: "Yes",
    False: "No",
}

_SUMMARY_SKIPS = {"wording", "sample"}

Index = QModelIndex | QPersistentModelIndex


def attribute_title(name: str) -> str:
    return _ATTRIBUTE_TITLES.get(name, name.replace("_", " ").capitalize())


def attribute_value(value: Any) -> str:
    if isinstance(value, bool | str) and value in _VALUE_WORDS:
        return _VALUE_WORDS[value]
    return str(value)


def row_summary(row: ReferenceRow) -> str:
    return " · ".join(
        attribute_value(value)
        for name, value in row.attributes.items()
        if name not in _SUMMARY_SKIPS and value not in (None, "")
    )


class ReferenceRowsModel(QAbstractTableModel):
    """Rows of one cached dataset matching a search, fetched a page at a time."""

    HEADERS = ("Code", "Name", "Details")

    page_loaded = Signal()
    """A page arrived (or failed: see `last_error`); the view updates its counts."""

    def __init__(
        self, cache: ReferenceCache, runner: OperationRunner, parent: QObject | None = None
    ):
        super().__init__(parent)
        self._cache = cache
        self._runner = runner
        self._rows: list[ReferenceRow] = []
        self._total = 0
        self._dataset = ""
        self._text = ""
        self._generation = 0
        self._loading = False
        self.last_error: str | None = None

    # --- what the view asks -----------------------------------------------------------
    @property
    def total(self) -> int:
        return self._total

    @property
    def search_text(self) -> str:
        """The search the shown rows answer (the field may already hold a newer one)."""
        return self._text

    @property
    def loading(self) -> bool:
        return self._loading

    def row_at(self, row: int) -> ReferenceRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        row = self.row_at(index.row())
        if row is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            column = index.column()
            if column == 0:
                return row.code
            if column == 1:
                return row.label
            return row_summary(row)
        return None

    # --- loading ----------------------------------------------------------------------
    def load(self, dataset: str, text: str = "") -> None:
        """Show the first page of `dataset` rows matching `text` (replaces what is shown)."""
        self._generation += 1
        self.beginResetModel()
        self._dataset, self._text = dataset, text
        self._rows, self._total = [], 0
        self.endResetModel()
        if dataset:
            self._fetch(first=True)

    def reload(self) -> None:
        self.load(self._dataset, self._text)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._loading and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent):
            self._fetch(first=False)

    def _fetch(self, *, first: bool) -> None:
        cache, dataset, text, offset = self._cache, self._dataset, self._text, len(self._rows)
        generation = self._generation
        self._loading = True

        def read_page() -> tuple[list[ReferenceRow], int]:
            rows = cache.rows(dataset, text=text, offset=offset, limit=PAGE_SIZE)
            total = cache.count(dataset, text=text) if first else -1
            return rows, total

        def show_page(result: tuple[list[ReferenceRow], int]) -> None:
            if generation != self._generation:
                return  # the officer has searched again since; this page is stale
            self._loading = False
            rows, total = result
            if total >= 0:
                self._total = total
            if rows:
                start = len(self._rows)
                self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
                self._rows.extend(rows)
                self.endInsertRows()
            self.last_error = None
            self.page_loaded.emit()

        def failed(failure: OperationFailure) -> None:
            if generation == self._generation:
                self._loading = False
                self.last_error = failure.message
                self.page_loaded.emit()

        self._runner.run("reference.read", read_page, on_success=show_page, on_failure=failed)

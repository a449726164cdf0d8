"""The Reference tab: pick a dataset, search it, read a row in full, see version and sync time.

Everything here reads the local cache, so it works the same when the core system is down.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelection, QModelIndex, Qt, QTimer
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from station_app.services.auth import UserInfo
from station_app.services.reference import CachedDataset, ReferenceCache
from station_app.ui.runner import OperationRunner
from station_app.ui.tab import CommonKey, FirstWork, TabAction
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import record_table
from station_app.views.reference.model import (
    ReferenceRowsModel,
    attribute_title,
    attribute_value,
)

_NAME_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_DELAY_MS = 150


class ReferenceView(QWidget):
    title = "Reference"

    def __init__(self, cache: ReferenceCache, runner: OperationRunner) -> None:
        super().__init__()
        self.setObjectName("referenceView")
        self._cache = cache
        self._runner = runner
        self._datasets: dict[str, CachedDataset] = {}

        self.dataset_model = QStandardItemModel(self)
        self.dataset_list = QListView()
        self.dataset_list.setObjectName("datasetList")
        self.dataset_list.setModel(self.dataset_model)
        self.dataset_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.dataset_list.setAccessibleName("Datasets")
        self.dataset_list.selectionModel().currentChanged.connect(self._dataset_chosen)
        datasets_label = QLabel("&Datasets")
        datasets_label.setBuddy(self.dataset_list)

        self.search = QLineEdit()
        self.first_work = FirstWork(self, lambda: self.search)
        self.search.setObjectName("referenceSearch")
        self.search.setAccessibleName("Search the dataset")
        self.search.setPlaceholderText("Code or words, in any order")
        self.search.setClearButtonEnabled(True)
        search_label = QLabel("S&earch:")
        search_label.setBuddy(self.search)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._run_search)

        self.info = QLabel("No reference data yet: it arrives with the first sync.")
        self.info.setObjectName("datasetInfo")
        self.info.setWordWrap(True)
        self.info.setAccessibleName("Dataset version and sync time")

        self.rows_model = ReferenceRowsModel(cache, runner, self)
        self.rows_model.page_loaded.connect(self._update_info)
        self.table = record_table(self.rows_model, "referenceTable", "Rows", widths=((1, 380),))
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.table.selectionModel().selectionChanged.connect(self._row_chosen)
        rows_label = QLabel("&Rows")
        rows_label.setBuddy(self.table)

        self.detail = QLabel("Pick a row to read it in full.")
        self.detail.setObjectName("referenceDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.detail.setAccessibleName("Selected row")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(datasets_label)
        left_layout.addWidget(self.dataset_list)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        search_row = QFormLayout()
        search_row.addRow(search_label, self.search)
        right_layout.addLayout(search_row)
        right_layout.addWidget(self.info)
        right_layout.addWidget(rows_label)
        right_layout.addWidget(self.table, 3)
        right_layout.addWidget(self.detail, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 4)
        splitter.setSizes([300, 900])
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)
        self.setTabOrder(self.dataset_list, self.search)
        self.setTabOrder(self.search, self.table)
        self.setFocusProxy(self.dataset_list)  # the first control in reading order

        runner.operation_finished.connect(self._on_operation_finished)

    # --- what the window asks (ui.tab.StationTab) --------------------------------------
    def widget(self) -> QWidget:
        return self

    def tab_actions(self) -> Sequence[TabAction]:
        return (
            TabAction("Search the dataset", self.focus_search, CommonKey.FIND),
            TabAction("Read the datasets again", self.refresh, CommonKey.REFRESH),
        )

    def on_signed_in(self, user: UserInfo) -> None:
        self.refresh()

    def on_signed_out(self) -> None:
        self._search_timer.stop()

    def when_ready(self, callback: Callable[[], None]) -> None:
        self.first_work.when_ready(callback)

    def refresh(self) -> None:
        """Re-read the dataset list and the rows from the cache (F5, and after each sync)."""
        cache = self._cache
        self._runner.run("reference.datasets", cache.datasets, on_success=self._show_datasets)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def current_dataset(self) -> str:
        index = self.dataset_list.currentIndex()
        return str(index.data(_NAME_ROLE)) if index.isValid() else ""

    def select_dataset(self, name: str) -> None:
        for row in range(self.dataset_model.rowCount()):
            if self.dataset_model.item(row).data(_NAME_ROLE) == name:
                self.dataset_list.setCurrentIndex(self.dataset_model.index(row, 0))
                return

    # --- behaviour ----------------------------------------------------------------------
    def _on_operation_finished(self, name: str) -> None:
        if name == "reference.sync":
            self.refresh()

    def _show_datasets(self, datasets: list[CachedDataset]) -> None:
        self.first_work.shown()
        previous = self.current_dataset() or "offences"
        self._datasets = {dataset.name: dataset for dataset in datasets}
        self.dataset_list.selectionModel().blockSignals(True)
        self.dataset_model.clear()
        for dataset in datasets:
            item = QStandardItem(dataset.title)
            item.setData(dataset.name, _NAME_ROLE)
            item.setToolTip(f"{dataset.title}: {dataset.row_count} rows, version {dataset.version}")
            self.dataset_model.appendRow(item)
        self.dataset_list.selectionModel().blockSignals(False)
        if not datasets:
            self.info.setText("No reference data yet: it arrives with the first sync.")
            self.rows_model.load("")
            return
        self.select_dataset(previous)
        if not self.current_dataset():
            self.dataset_list.setCurrentIndex(self.dataset_model.index(0, 0))
        self._run_search()

    def _dataset_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self._run_search()

    def _run_search(self) -> None:
        self._search_timer.stop()
        self.detail.setText("Pick a row to read it in full.")
        self.rows_model.load(self.current_dataset(), self.search.text().strip())

    def _update_info(self) -> None:
        dataset = self._datasets.get(self.current_dataset())
        if dataset is None:
            return
        if self.rows_model.last_error:
            self.info.setText(self.rows_model.last_error)
            return
        synced = local_time_text(dataset.synced_at) if dataset.synced_at else "never"
        text = self.rows_model.search_text
        shown = (
            f"{self.rows_model.total} of {dataset.row_count} rows match “{text}”"
            if text
            else f"{dataset.row_count} rows"
        )
        self.info.setText(
            f"{dataset.title} · version {dataset.version} · {shown} · synced {synced}"
        )

    def _row_chosen(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        row = self.rows_model.row_at(indexes[0].row()) if indexes else None
        if row is None:
            return
        lines = [f"<b>{_escape(row.code)}</b> — {_escape(row.label)}"]
        for name, value in row.attributes.items():
            if value not in (None, ""):
                lines.append(f"{attribute_title(name)}: {_escape(attribute_value(value))}")
        self.detail.setText("<br>".join(lines))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

"""The supervisors' compliance list of a custody suite: every record in custody there (or
that left in the last 24 hours) replayed entry by entry (`domain.custody_compliance`, the
same replay as the printed record's annex), one row per late or missed visit, late review,
rest, meals or limit breach, each with its rule. For inspectors and superintendents, from
the Custody tab (the "Compliance…" button, or Ctrl+K)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from station_app.domain.custody_rules import INSPECTOR_OR_ABOVE
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import record_table

if TYPE_CHECKING:
    from station_app.services.custody import BreachView, CustodyClient, RecordCompliance
    from station_app.ui.runner import OperationFailure, OperationRunner

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Custody number", "Name", "What", "Due by", "Rule", "What the entries show")
# Each column as wide as it usually speaks; the sentence takes the rest and wraps.
WIDTHS = ((0, 140), (1, 190), (2, 130), (3, 120), (4, 190))
SUPERVISORS = INSPECTOR_OR_ABOVE


def may_see_compliance(roles: frozenset[str] | set[str]) -> bool:
    """Inspectors and superintendents supervise the suite (PACE s.40(1)(b), s.42)."""
    return bool(set(roles) & SUPERVISORS)


class ComplianceModel(QAbstractTableModel):
    """One row per breach, the records with most breaches first (as the server orders)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[RecordCompliance, BreachView]] = []
        self.now = dt.datetime.now(dt.UTC)

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

    def record_id_at(self, position: int) -> int | None:
        return self._rows[position][0].record_id if 0 <= position < len(self._rows) else None

    def set_records(self, records: tuple[RecordCompliance, ...], now: dt.datetime) -> None:
        self.beginResetModel()
        self.now = now
        self._rows = [(record, breach) for record in records for breach in record.breaches]
        self.endResetModel()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        record, breach = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.ToolTipRole:
            return breach.sentence
        return (
            record.custody_number,
            record.name + (" (left custody)" if record.status == "closed" else ""),
            breach.what,
            local_time_text(breach.due_at, now=self.now),
            breach.rule,
            breach.sentence,
        )[column]


class ComplianceDialog(QDialog):
    """The suite's compliance, loaded on a worker; F5 or "Refresh" loads it again; Enter on
    a row opens that detainee's record (closing the list)."""

    record_chosen = Signal(int)

    def __init__(
        self,
        runner: OperationRunner,
        client: CustodyClient,
        station_code: str,
        now: dt.datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("custodyCompliance")
        self.setWindowTitle(f"Compliance of the custody suite ({station_code})")
        self._runner, self._client, self.station_code, self.now = runner, client, station_code, now
        self.heading = QLabel(
            "Every late or missed visit, late review, rest period, meals and detention past "
            "the limit the entries show, with its rule: everyone in custody here and everyone "
            "who left in the last 24 hours."
        )
        self.heading.setWordWrap(True)
        self.summary = QLabel("Loading…")
        self.summary.setObjectName("complianceSummary")
        self.summary.setAccessibleName("Compliance summary")
        self.summary.setWordWrap(True)
        self.model = ComplianceModel(self)
        self.table = record_table(
            self.model, "complianceTable", "Breaches in the suite", widths=WIDTHS, wrap=True
        )
        self.table.activated.connect(self._open_row)
        self.refresh_button = QPushButton("&Refresh (F5)")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.clicked.connect(self.load)
        close = QPushButton("&Close")
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.refresh_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(1100, 600)  # inside a 1366x768 desk

    def _open_row(self, index: QModelIndex) -> None:
        record_id = self.model.record_id_at(index.row())
        if record_id is not None:
            self.accept()
            self.record_chosen.emit(record_id)

    def load(self) -> None:
        client, station = self._client, self.station_code
        self.summary.setText("Loading…")

        def failed(failure: OperationFailure) -> None:
            self.summary.setText(f"The suite's compliance could not be loaded: {failure.message}")

        self._runner.run(
            "custody.compliance",
            lambda: client.compliance(station),
            on_success=self._show,
            on_failure=failed,
        )

    def _show(self, records: tuple[RecordCompliance, ...]) -> None:
        self.model.set_records(records, self.now)
        self.table.resizeRowsToContents()
        with_breaches = [r for r in records if r.breaches]
        count = sum(len(r.breaches) for r in records)
        if not count:
            self.summary.setText(f"{len(records)} records replayed: no breach found.")
        else:
            self.summary.setText(
                f"{len(records)} records replayed: {count} breach{'es' if count != 1 else ''} "
                f"in {len(with_breaches)} of them. Enter on a row opens that record; the "
                "printed custody record carries the same list as its annex."
            )
        self.table.setFocus()

"""Needs attention: walk-in reports taken while offline that the core system refused, each
with the server's reason in its own words. The officer opens one back in the New walk-in
report form to correct and send it, or discards it after saying yes to what will be lost.

A report leaves this list only when the server accepts it or the officer confirms the
discard (front-desk.md: "never silently dropped"); the outbox keeps it on disk until then.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from station_app.services.outbox import Outbox, QueuedReport
from station_app.services.reference import ReferenceCache
from station_app.ui.runner import OperationFailure, OperationRunner
from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import record_table

ModelIndex = QModelIndex | QPersistentModelIndex
COLUMNS = ("Queued", "Victim", "Offence", "The core system's reason")
NOTHING = "Nothing needs attention."


@dataclass(frozen=True)
class RefusedReport:
    item: QueuedReport
    victim: str
    offence_label: str
    """The offence's words (from the cache, else from the title), empty if unknown."""

    @property
    def offence_text(self) -> str:
        code = str(self.item.report.get("offence_code") or "")
        if self.offence_label and code:
            return f"{self.offence_label} ({code})"
        return self.offence_label or code or "Not chosen"


def _victim(item: QueuedReport) -> str:
    if not item.readable:
        return "Could not be opened"
    report = item.report
    who = report.get("reporter") if report.get("victim_is_reporter", True) else report.get("victim")
    name = str((who or {}).get("name") or "").strip()
    return name or "No name given"


def _title_label(title: str) -> str:
    """The offence from the report's title, `Walk-in report (theft of a pedal cycle)`."""
    inner = title.partition("(")[2].rpartition(")")[0].strip()
    return inner[:1].upper() + inner[1:]


def offence_label(cache: ReferenceCache, code: str, title: str) -> str:
    """The offence's label from the cached list; a code withdrawn since (often why the report
    was refused) falls back to the words the report was queued with."""
    if code:
        for row in cache.rows("offences", text=code, limit=20):
            if row.code == code:
                return row.label
    return _title_label(title)


def load_refused(outbox: Outbox, cache: ReferenceCache) -> list[RefusedReport]:
    """On a worker: the outbox's needs-attention store, oldest first."""
    return [
        RefusedReport(
            item,
            _victim(item),
            offence_label(cache, str(item.report.get("offence_code") or ""), item.title),
        )
        for item in outbox.needs_attention()
    ]


class AttentionModel(QAbstractTableModel):
    """A handful of rows read from local disk at once; no paging is needed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[RefusedReport] = []

    def set_rows(self, rows: list[RefusedReport]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row_at(self, row: int) -> RefusedReport | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        refused = self.row_at(index.row()) if index.isValid() else None
        if refused is None:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                local_time_text(refused.item.queued_at),
                refused.victim,
                refused.offence_text,
                refused.item.reason,
            )[index.column()]
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return (
                f"Queued {local_time_text(refused.item.queued_at)}, victim {refused.victim}, "
                f"{refused.offence_text}. Refused: {refused.item.reason}"
            )
        return None


class AttentionPage(QWidget):
    open_requested = Signal(object)
    """The officer wants this `RefusedReport` back in the New walk-in report form."""
    count_changed = Signal(int)

    def __init__(self, runner: OperationRunner, cache: ReferenceCache, outbox: Outbox) -> None:
        super().__init__()
        self.setObjectName("attentionPage")
        self.runner = runner
        self.cache = cache
        self.outbox = outbox
        self.confirm: QMessageBox | None = None

        heading = QLabel(
            "Reports taken while the core system could not be reached, which it then refused. "
            "Open one in the form to correct it and send it again, or discard it."
        )
        heading.setWordWrap(True)
        self.model = AttentionModel(self)
        self.table = record_table(
            self.model,
            "attentionTable",
            "Reports that need attention",
            widths=((0, 130), (1, 180), (2, 240)),
            wrap=True,
        )
        self.table.activated.connect(lambda _i: self.open_current())  # Enter or double-click
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._enable())

        self.open_button = QPushButton("&Open in the form")
        self.open_button.setObjectName("attentionOpen")
        self.open_button.clicked.connect(self.open_current)
        self.discard_button = QPushButton("D&iscard…")
        self.discard_button.setObjectName("attentionDiscard")
        self.discard_button.clicked.connect(self.ask_discard)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self.ask_discard,
            Qt.ShortcutContext.WidgetShortcut,
        )
        self.message = QLabel()
        self.message.setObjectName("attentionMessage")
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Needs attention message")

        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._enable()

    # --- the list ---------------------------------------------------------------------------
    def refresh(self, said: str = "") -> None:
        """Read the list again; `said` is what to tell the officer once it is shown."""
        outbox, cache = self.outbox, self.cache

        def failed(failure: OperationFailure) -> None:
            self._say(f"The reports that need attention could not be read: {failure.message}")

        self.runner.run(
            "incidents.attention.list",
            lambda: load_refused(outbox, cache),
            on_success=lambda rows: self._loaded(rows, said),
            on_failure=failed,
        )

    def _loaded(self, rows: list[RefusedReport], said: str = "") -> None:
        chosen = self.current()
        key = chosen.item.idempotency_key if chosen else None
        self.model.set_rows(rows)
        keys = [r.item.idempotency_key for r in rows]
        if rows:
            self.table.selectRow(keys.index(key) if key in keys else 0)
            if said or self.message.text() == NOTHING:
                self._say(said, "info")
        else:
            self._say(f"{said} {NOTHING}".strip(), "ok")
        self._enable()
        self.count_changed.emit(len(rows))

    def current(self) -> RefusedReport | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.row_at(rows[0].row()) if rows else None

    def _enable(self) -> None:
        chosen = self.current()
        # A report this computer cannot open cannot go back in the form: its reason says
        # what to do instead.
        self.open_button.setEnabled(chosen is not None and chosen.item.readable)
        self.discard_button.setEnabled(chosen is not None)

    def _say(self, text: str, state: str = "error") -> None:
        self.message.setText(text)
        set_state(self.message, state)
        self.message.setVisible(bool(text))

    # --- actions ----------------------------------------------------------------------------
    def open_current(self) -> None:
        chosen = self.current()
        if chosen is not None and chosen.item.readable:
            self.open_requested.emit(chosen)

    def ask_discard(self) -> None:
        chosen = self.current()
        if chosen is None:
            return
        box = QMessageBox(self)
        box.setObjectName("attentionConfirm")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Discard this report?")
        box.setText(
            f"Discard the walk-in report for {chosen.victim} ({chosen.offence_text}), "
            f"queued {local_time_text(chosen.item.queued_at)}?"
        )
        box.setInformativeText(
            "It never reached the core system, so it has no crime reference number. "
            "Everything typed in it will be lost for good: the reporting person's and the "
            "victim's details, where and when it happened, the account, suspects, witnesses, "
            "property and flags."
        )
        discard = box.addButton("D&iscard it", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep it", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)  # Enter keeps it: losing a report takes a deliberate choice
        box.setEscapeButton(keep)
        box.finished.connect(lambda _r: self._answered(chosen, box.clickedButton() is discard))
        self.confirm = box
        box.open()

    def _answered(self, chosen: RefusedReport, discard: bool) -> None:
        self.confirm = None
        outbox = self.outbox
        if not discard:
            self.table.setFocus()
            return
        key = chosen.item.idempotency_key

        def done(_gone: int) -> None:
            self.refresh(said=f"The report for {chosen.victim} was discarded.")
            self.table.setFocus()

        def failed(failure: OperationFailure) -> None:
            self._say(f"The report could not be discarded: {failure.message} It is still here.")

        self.runner.run(
            "incidents.attention.discard",
            lambda: outbox.forget_attention(key, discarded=True),
            on_success=done,
            on_failure=failed,
        )

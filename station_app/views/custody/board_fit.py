"""The custody board fits its window: every column as wide as what it says and the name
taking the rest, and where the window is too narrow for all of them (a 1366x768 screen at
150%, a board docked beside the record), the columns a sergeant needs least at a glance give
way one by one, never the name, the deadlines or the status. What a hidden column says is
still in the name's tooltip and accessible text (`BoardModel.set_hidden_columns`) and in the
record itself. No sideways scrolling, no elided names."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QHeaderView, QTableView

from station_app.views.custody.board_model import BoardModel

GROW = (8, 10, 3, 9, 2)
"""Columns given room beyond their sample, first to last, while there is room to spare:
status, flags, offences, risk, age (the name takes what is left)."""

GIVE_WAY = (4, 3, 2, 9, 10)
"""Columns hidden first to last when the board is narrow: in custody, offences, age (the
juvenile shows in the flags as "Appropriate adult needed"), risk, flags."""

NAME = 1
NAME_SAMPLE = "OKONKWO-BRIGHT, Tamsin"
"""A long name of the demo data, the least the name column is given before others go."""


class BoardFit(QObject):
    """Sizes `board`'s columns from `samples` (one text per column, "" for the name) and
    hides the `GIVE_WAY` columns, in order, while the rest would not fit its viewport."""

    def __init__(self, board: QTableView, model: BoardModel, samples: Sequence[str]) -> None:
        super().__init__(board)
        self._board, self._model = board, model
        metrics = board.fontMetrics()
        pad = metrics.horizontalAdvance("M")  # the cell's margins, with a little to spare
        header = board.horizontalHeader()
        header.setStretchLastSection(False)
        self.widths: dict[int, int] = {}
        for column, sample in enumerate(samples):
            if column == NAME:
                continue
            # The title as the header draws it: in bold (a selected row's columns are
            # highlighted), with the style's margins and room for the sort arrow. Measured in
            # the board's font it came out narrower: "Detention limit" was cut at 150%.
            title = header.sectionSizeHint(column)
            self.widths[column] = max(metrics.horizontalAdvance(sample) + pad, title)
            header.resizeSection(column, self.widths[column])
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        self.name_least = metrics.horizontalAdvance(NAME_SAMPLE) + pad
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self._pending = False
        board.viewport().installEventFilter(self)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._soon)
        model.dataChanged.connect(self._soon)
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def _soon(self, *_args: object) -> None:
        """Once per turn of the event loop, however many changes came (a refresh)."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self._fit_pending)

    def _fit_pending(self) -> None:
        self._pending = False
        self.fit()

    def fit(self) -> None:
        board = self._board
        room = board.viewport().width()
        hidden: set[int] = set()
        shown = dict(self.widths)
        for column in GIVE_WAY:
            if sum(shown.values()) + self.name_least <= room:
                break
            shown.pop(column, None)
            hidden.add(column)
        # Room to spare: the columns whose words are longer than their sample get it first.
        spare = room - sum(shown.values()) - self.name_least
        for column in GROW:
            if spare <= 0:
                break
            if column in shown and self._model.rowCount():
                wanted = board.sizeHintForColumn(column) - shown[column]
                if wanted > 0:
                    shown[column] += min(wanted, spare)
                    spare -= min(wanted, spare)
        header = board.horizontalHeader()
        for column in self.widths:
            board.setColumnHidden(column, column in hidden)
            if column in shown and header.sectionSize(column) != shown[column]:
                header.resizeSection(column, shown[column])
        self._model.set_hidden_columns(frozenset(hidden))
        self._board.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAsNeeded
            if sum(shown.values()) + self.name_least > room
            else Qt.ScrollBarPolicy.ScrollBarAlwaysOff
        )

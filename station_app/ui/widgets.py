"""Widgets every tab builds the same way, so they behave the same way everywhere: a list of
records (keyboard-first, Tab moves on, Enter opens) and a box of free text (Tab moves on)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def scrolling(body: QWidget, name: str = "") -> QScrollArea:
    """`body` in a frameless scroll area that gives it all its room when there is enough and
    scrolls when there is not (a 1366x768 screen at 150% or 200%): a pane of many controls
    then asks the window for little height. Tab keeps the focused control in view
    (QScrollArea scrolls to it)."""
    area = QScrollArea()
    if name:
        area.setObjectName(name)
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(body)
    return area


def record_table(
    model: QAbstractItemModel,
    name: str,
    accessible_name: str,
    *,
    widths: Sequence[tuple[int, int]] = (),
    wrap: bool = False,
    editable: bool = False,
) -> QTableView:
    """A table of records, one row each. Up/Down move between rows, Enter (`activated`)
    opens one, and Tab leaves the table for the next control: a table never keeps the
    keyboard (ui.md, "Keyboard")."""
    table = QTableView()
    table.setObjectName(name)
    table.setAccessibleName(accessible_name)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    if editable:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    else:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setTabKeyNavigation(False)
    table.verticalHeader().hide()
    table.setWordWrap(wrap)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    for column, width in widths:
        header.resizeSection(column, width)
    return table


def text_box(name: str, accessible_name: str, *, placeholder: str = "") -> QPlainTextEdit:
    """Free text over several lines; Enter is a new line, Tab moves on to the next field."""
    box = QPlainTextEdit()
    box.setObjectName(name)
    box.setAccessibleName(accessible_name)
    box.setTabChangesFocus(True)
    if placeholder:
        box.setPlaceholderText(placeholder)
    return box


def caption(text: str, widget: QWidget) -> QLabel:
    """A label tied to `widget` (its buddy): screen readers read it, Alt+letter (when the
    text has an &) moves there, and the widget's accessible name is the label's words."""
    label = QLabel(text)
    label.setBuddy(widget)
    if not widget.accessibleName():
        widget.setAccessibleName(text.replace("&", "").rstrip(":"))
    return label


def labelled(text: str, widget: QWidget) -> QWidget:
    """`widget` with its label above it (filter bars, small panels)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(caption(text, widget))
    layout.addWidget(widget)
    return box


class ElidingLabel(QLabel):
    """One line of text that gives way when the window is narrow (a status bar alert beside
    the user's name on a 1366x768 desk at 150%): it shortens its words with an ellipsis
    instead of widening the window, and the whole sentence stays in its tooltip and its
    accessible description, so nothing is lost to a screen reader or a hover."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setProperty("elides", True)  # tests.fixtures.layout: meant to shorten
        self._described(text)

    def minimumSizeHint(self) -> QSize:
        """As narrow as eight letters: the rest of the sentence gives way to the window."""
        hint = super().minimumSizeHint()
        margins = self.contentsMargins()
        narrowest = self.fontMetrics().horizontalAdvance("M") * 8 + margins.left() + margins.right()
        return QSize(min(hint.width(), narrowest), hint.height())

    def setText(self, text: str) -> None:
        super().setText(text)
        self._described(text)

    def _described(self, text: str) -> None:
        self.setToolTip(text)
        self.setAccessibleDescription(text)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        room = self.contentsRect()
        elide = Qt.TextElideMode.ElideRight
        shown = self.fontMetrics().elidedText(self.text(), elide, room.width())
        self.style().drawItemText(
            painter,
            room,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            shown,
            self.foregroundRole(),
        )


class ReflowingGrid(QWidget):
    """Fields laid in as many columns as the room allows (filter bars): `wide` columns
    when they fit, else `narrow`, so a filter bar that fills one or two rows on a wide
    desk takes three at 150% on a 1366x768 one instead of widening the window. Each cell
    is (widget, columns it spans); cells flow left to right in the order given, which is
    also the order Tab walks them."""

    def __init__(self, cells: Sequence[tuple[QWidget, int]], *, wide: int, narrow: int) -> None:
        super().__init__()
        self._cells = list(cells)
        self._choices = (wide, narrow)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self.columns = 0
        self._place(wide)

    def _rows(self, columns: int) -> list[list[tuple[QWidget, int]]]:
        rows: list[list[tuple[QWidget, int]]] = [[]]
        used = 0
        for widget, span in self._cells:
            if used + span > columns:
                rows.append([])
                used = 0
            rows[-1].append((widget, span))
            used += span
        return rows

    def _need(self, columns: int) -> int:
        """The narrowest the cells can be in `columns` columns without cutting a word:
        each column as wide as its widest single cell, widened where a spanning cell
        needs more than the columns it spans."""
        spacing = max(self._grid.horizontalSpacing(), 0)
        widths = [0] * columns
        spanning: list[tuple[int, int, int]] = []
        for row in self._rows(columns):
            at = 0
            for widget, span in row:
                hint = widget.minimumSizeHint().expandedTo(widget.minimumSize()).width()
                if span == 1:
                    widths[at] = max(widths[at], hint)
                else:
                    spanning.append((at, span, hint))
                at += span
        for at, span, hint in spanning:
            short = hint - (sum(widths[at : at + span]) + spacing * (span - 1))
            for column in range(at, at + span):
                widths[column] += max(short, 0) // span + 1 if short > 0 else 0
        return sum(widths) + spacing * (columns - 1)

    def _place(self, columns: int) -> None:
        if columns == self.columns:
            return
        for widget, _span in self._cells:
            self._grid.removeWidget(widget)
        for column in range(max(self._choices)):
            self._grid.setColumnStretch(column, 1 if column < columns else 0)
        for row, cells in enumerate(self._rows(columns)):
            at = 0
            for widget, span in cells:
                self._grid.addWidget(widget, row, at, 1, span)
                at += span
        self.columns = columns
        self.updateGeometry()

    def minimumSizeHint(self) -> QSize:
        narrow = self._choices[1]
        height = super().minimumSizeHint().height()
        return QSize(self._need(narrow), height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        wide, narrow = self._choices
        self._place(wide if event.size().width() >= self._need(wide) else narrow)
        super().resizeEvent(event)

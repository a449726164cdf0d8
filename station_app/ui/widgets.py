"""Widgets every tab builds the same way, so they behave the same way everywhere: a list of
records (keyboard-first, Tab moves on, Enter opens) and a box of free text (Tab moves on)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)


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

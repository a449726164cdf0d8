"""Warning markers as a form field (issue 10): every marker of `domain.people.WarningMarker`
as a checkbox with its title, in two columns, to tick what was seen or said (booking in).

The markers a known person already holds (`hold`) are ticked and cannot be unticked here:
no form takes a marker away. The field's value, which drafts keep, is the ticked codes and
those held; `ticked` is what the form sends.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from station_app.domain.people import MARKER_TITLES, WarningMarker

__all__ = ["HELD_NOTE", "WarningMarkersField"]

HELD_NOTE = "Ticked already: held for this person. A marker is never removed at booking in."
COLUMNS = 2


class WarningMarkersField(QWidget):
    """Checkboxes for every warning marker, keyboard-first (Tab moves, Space ticks)."""

    edited = Signal()
    """The officer ticked or unticked a marker, or the held ones changed (drafts listen)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._chosen: set[str] = set()
        self._held: set[str] = set()
        self._setting = False
        self._boxes: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        rows = -(-len(MARKER_TITLES) // COLUMNS)
        # Down the first column, then the second: the order they are read in, and Tab's.
        for index, (marker, title) in enumerate(MARKER_TITLES.items()):
            box = QCheckBox(title)
            box.setObjectName(f"marker_{marker.value}")
            box.setAccessibleName(title)
            box.toggled.connect(lambda ticked, code=marker.value: self._toggled(code, ticked))
            grid.addWidget(box, index % rows, index // rows)
            self._boxes[marker.value] = box
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        self.held_note = QLabel(HELD_NOTE)
        self.held_note.setObjectName("markersHeldNote")
        self.held_note.setWordWrap(True)
        self.held_note.setAccessibleName("Warning markers held")
        self.held_note.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(grid)
        layout.addWidget(self.held_note)
        self._refocus()

    # --- what the form reads ----------------------------------------------------------------
    def box(self, code: str) -> QCheckBox:
        return self._boxes[code]

    def boxes(self) -> list[QCheckBox]:
        return list(self._boxes.values())

    def ticked(self) -> list[str]:
        """Every marker ticked, held ones among them, in the list's order (what is sent)."""
        return [code for code, box in self._boxes.items() if box.isChecked()]

    def held(self) -> list[str]:
        return [code for code in self._boxes if code in self._held]

    def field_value(self) -> dict[str, list[str]]:
        return {"ticked": self.ticked(), "held": self.held()}

    def set_field_value(self, value: Any) -> None:
        """A draft read back (`{"ticked", "held"}`, or a list of ticked codes)."""
        if isinstance(value, dict):
            ticked, held = value.get("ticked") or [], value.get("held") or []
        else:
            ticked, held = value or [], []
        self._held = {str(code) for code in held if code in self._boxes}
        self._chosen = {str(code) for code in ticked if code in self._boxes} - self._held
        self._show()

    # --- a known person's markers -----------------------------------------------------------
    def hold(self, codes: Iterable[str]) -> None:
        """The markers the person linked holds: ticked, and not to be unticked here (none
        when the link is taken off: what the officer ticked stays ticked)."""
        held = {str(code) for code in codes if code in self._boxes}
        if held == self._held:
            return
        self._held = held
        self._show()
        self.edited.emit()

    # --- behaviour ----------------------------------------------------------------------------
    def _toggled(self, code: str, ticked: bool) -> None:
        if self._setting or code in self._held:
            return
        if ticked:
            self._chosen.add(code)
        else:
            self._chosen.discard(code)
        self.edited.emit()

    def _show(self) -> None:
        self._setting = True
        try:
            for code, box in self._boxes.items():
                held = code in self._held
                box.setChecked(held or code in self._chosen)
                box.setEnabled(not held)
                title = MARKER_TITLES[WarningMarker(code)]
                box.setToolTip(f"{title}: held for this person, never removed here" if held else "")
                box.setAccessibleDescription(
                    "Held for this person; a marker is never removed at booking in." if held else ""
                )
        finally:
            self._setting = False
        self.held_note.setVisible(bool(self._held))
        self._refocus()

    def _refocus(self) -> None:
        """The field takes the cursor at its first marker that can be ticked."""
        first = next((box for box in self._boxes.values() if box.isEnabled()), None)
        if first is not None:  # every marker held: nothing here takes the cursor
            self.setFocusProxy(first)

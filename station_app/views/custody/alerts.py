"""Sound-free alerts of the Custody tab: a line above the board naming every overdue
deadline, and a message in the window's status bar when a deadline falls due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QLabel

from station_app.services.custody import BoardRow
from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.views.custody.board_model import row_state

Notify = Callable[[str, str], None]
"""Shows a line in the window's status bar: text, state ("overdue", "info")."""


class DeadlineAlerts:
    def __init__(self, line: QLabel, notify: Notify) -> None:
        self._line = line
        self._notify = notify
        self._known: set[tuple[int, str]] | None = None

    def forget(self) -> None:
        self._known = None
        self._line.clear()

    def check(self, rows: Sequence[BoardRow], now: dt.datetime) -> None:
        overdue: dict[tuple[int, str], str] = {}
        for row in rows:
            state, deadlines = row_state(row, now)
            for deadline in deadlines if state == "overdue" else ():
                who = f"{row.cell or 'no cell'} {row.name}"
                if deadline.key == "roused":  # Code C Annex H: before anything else
                    overdue[(row.record_id, deadline.key)] = (
                        f"EMERGENCY: {who} could not be roused (Code C Annex H)"
                    )
                    continue
                what = deadline.label.removesuffix(" due")
                overdue[(row.record_id, deadline.key)] = f"{what} overdue: {who}"
        known = self._known or set()
        fresh = [text for key, text in overdue.items() if key not in known]
        first_look = self._known is None
        self._known = set(overdue)
        if overdue:
            ordered = sorted(overdue.values(), key=lambda text: (not text.startswith("EMER"), text))
            self._line.setText("Overdue: " + "; ".join(ordered))
            set_state(self._line, "overdue")
        else:
            self._line.setText("")
        if fresh and not first_look:
            self.status(f"{local_time_text(now)} · " + "; ".join(fresh))
        elif fresh:
            count = (
                "1 custody deadline is"
                if len(fresh) == 1
                else f"{len(fresh)} custody deadlines are"
            )
            self.status(f"{count} overdue at this station: " + "; ".join(fresh) + ".")

    def status(self, text: str) -> None:
        """Show `text` in the window's status bar (it stays until the next alert)."""
        urgent = "overdue" in text.lower() or "emergency" in text.lower()
        self._notify(text, "overdue" if urgent else "info")

"""The status bar, always visible: who is signed in, the connection, reference sync, demo data.

Colour is never the only signal: every state is also a word.
"""

from __future__ import annotations

import datetime as dt
from enum import Enum

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QProgressBar, QStatusBar, QWidget

from station_app.ui.theme import set_state
from station_app.ui.timefmt import local_time_text
from station_app.ui.widgets import ElidingLabel


class Connection(Enum):
    CONNECTING = "Connecting…"
    ONLINE = "Online"
    OFFLINE = "Offline"
    SERVER_ERROR = "Server error"


_CONNECTION_TIPS = {
    Connection.CONNECTING: "Station is contacting the core system.",
    Connection.ONLINE: "The core system is answering.",
    Connection.OFFLINE: "The core system can't be reached. Station keeps working from its "
    "saved reference data and tries again automatically.",
    Connection.SERVER_ERROR: "The core system answered with an error. Station tries again "
    "automatically; tell the IT service desk if this lasts.",
}


def _section(text: str, name: str, description: str, *, elides: bool = False) -> QLabel:
    label = ElidingLabel(text) if elides else QLabel(text)
    label.setObjectName(name)
    label.setAccessibleName(description)
    label.setContentsMargins(6, 0, 6, 0)
    return label


class StationStatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stationStatusBar")
        self.user_label = _section("Not signed in", "statusUser", "Signed-in user", elides=True)
        self.connection_label = _section("", "statusConnection", "Connection to the core system")
        self.sync_label = _section(
            "Reference data not synced yet", "statusSync", "Reference data sync"
        )
        self.demo_label = _section("Demo data", "statusDemo", "Demo data marker")
        self.demo_label.setToolTip(
            "Station is running on its own demo server with invented people and places."
        )
        self.demo_label.hide()
        self.alert_label = _section("", "statusAlert", "Alert", elides=True)
        self.alert_label.hide()
        self.progress_bar = QProgressBar()
        self.progress_bar.setObjectName("statusProgress")
        self.progress_bar.setAccessibleName("Work in progress")
        self.progress_bar.setMaximumWidth(160)
        self.progress_bar.setTextVisible(False)
        self.progress_bar.hide()
        # Permanent: the passing messages of work in progress never hide an alert.
        self.addPermanentWidget(self.alert_label, 1)
        self.addPermanentWidget(self.progress_bar)
        self.addPermanentWidget(self.user_label)
        self.addPermanentWidget(self.connection_label)
        self.addPermanentWidget(self.sync_label)
        self.addPermanentWidget(self.demo_label)
        self.connection: Connection | None = None
        self.waiting = 0
        self.set_connection(Connection.CONNECTING)

    def set_user(self, text: str) -> None:
        self.user_label.setText(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """An alert is read before the user's name: where the bar is too narrow for both
        (a 1366x768 desk at 150%), the name gives way first, down to a few letters (its
        whole text stays in its tooltip), and only then the alert."""
        unlimited = 16_777_215  # QWIDGETSIZE_MAX
        if self.alert_label.isHidden() or not self.alert_label.text():
            self.user_label.setMaximumWidth(unlimited)
            return
        others = [self.progress_bar, self.connection_label, self.sync_label, self.demo_label]
        taken = sum(w.sizeHint().width() for w in others if not w.isHidden())
        shown = [w for w in (*others, self.alert_label, self.user_label) if not w.isHidden()]
        margins = self.contentsMargins()
        # A permanent widget's gap and the size grip's corner, as QStatusBar lays them out.
        spacing = 6 * (len(shown) + 1) + margins.left() + margins.right() + 16
        room = self.width() - taken - spacing - self.alert_label.sizeHint().width()
        whole = self.user_label.sizeHint().width()
        narrowest = self.user_label.minimumSizeHint().width()
        self.user_label.setMaximumWidth(unlimited if room >= whole else max(narrowest, room))

    def set_connection(self, state: Connection, waiting: int | None = None) -> None:
        """The connection, and (when given) how many reports wait to be sent: the count
        stays shown, online or not, until it changes."""
        self.connection = state
        if waiting is not None:
            self.waiting = waiting
        text = state.value
        if self.waiting:
            text = f"{state.value} — {self.waiting} waiting to send"
        self.connection_label.setText(text)
        self.connection_label.setToolTip(_CONNECTION_TIPS[state])
        set_state(self.connection_label, state.name.lower())
        self._fit()

    def set_synced(self, when: dt.datetime | None) -> None:
        if when is None:
            self.sync_label.setText("Reference data not synced yet")
        else:
            self.sync_label.setText(f"Reference data synced {local_time_text(when)}")
        self._fit()

    def show_alert(self, text: str, state: str = "info") -> None:
        """A message a tab needs the officer to see (a custody deadline falling due); it
        stays until the next one or `clear_alert`, unlike the passing messages of work
        in progress."""
        self.alert_label.setText(text)
        set_state(self.alert_label, state)
        self.alert_label.setVisible(bool(text))
        self._fit()

    def clear_alert(self) -> None:
        self.alert_label.clear()
        self.alert_label.hide()
        self._fit()

    def set_demo(self, demo: bool) -> None:
        self.demo_label.setVisible(demo)

    def set_busy(self, text: str, done: int = 0, total: int = 0) -> None:
        """Show the progress bar: a busy indicator when `total` is 0, else done/total."""
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(done)
        self.progress_bar.setToolTip(text)
        self.progress_bar.setAccessibleDescription(text)
        self.progress_bar.show()
        if text:
            self.showMessage(text)

    def clear_busy(self) -> None:
        self.progress_bar.hide()
        self.clearMessage()

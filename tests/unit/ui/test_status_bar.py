"""The status bar on a narrow desk (issue 13): a custody alert is read before the signed-in
user's name, so where the bar is too narrow for both (1366x768 at 150%: 910 logical pixels),
the name gives way first and the alert is shortened only once the name is down to a few
letters. Nothing is lost: each keeps its whole text in its tooltip."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QMainWindow

from station_app.ui.status_bar import Connection, StationStatusBar

USER = "Tom Brennan (PS 210044) · Southwark Wharf Police Station"
ALERT = "1 custody deadline is overdue at this station: Visit overdue: SW-C04 OKONKWO-BRIGHT, T."


def _bar(qtbot, width: int) -> tuple[QMainWindow, StationStatusBar]:
    window = QMainWindow()
    qtbot.addWidget(window)
    bar = StationStatusBar(window)
    window.setStatusBar(bar)
    bar.set_user(USER)
    bar.set_connection(Connection.ONLINE)
    bar.set_synced(dt.datetime(2026, 12, 2, 15, 23, tzinfo=dt.UTC))
    bar.show_alert(ALERT, "overdue")
    window.resize(width, 300)
    window.show()
    qtbot.waitExposed(window)
    qtbot.wait(20)
    return window, bar


def _whole(label) -> bool:
    return label.width() >= label.sizeHint().width()


def test_on_a_narrow_desk_the_name_gives_way_before_the_alert(qtbot):
    _window, bar = _bar(qtbot, 910)
    alert, user = bar.alert_label, bar.user_label
    assert not _whole(user)  # too narrow for both whole
    assert user.toolTip() == USER and alert.toolTip() == ALERT
    # Before, the alert was cut to "1 custody deadline is overdue at t…" beside the whole name.
    assert _whole(alert) or user.width() <= user.minimumSizeHint().width() + 2
    assert alert.width() > user.width()

    bar.clear_alert()
    qtbot.wait(20)
    assert _whole(user)  # no alert: the name has its room back


def test_on_a_wide_desk_both_are_whole(qtbot):
    _window, bar = _bar(qtbot, 1600)
    assert _whole(bar.alert_label) and _whole(bar.user_label)

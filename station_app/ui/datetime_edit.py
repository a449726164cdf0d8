"""Date-and-time fields the officer types on the Europe/London wall clock (ui.md, formats.md),
shared by the tabs: booking-in and custody entries, court hearings and results."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit

from station_app.domain.clock import london

DATE_TIME_FORMAT = "ddd d MMM yyyy HH:mm"


def to_qdatetime(when: dt.datetime) -> QDateTime:
    """A QDateTime showing `when` on the London wall clock (for a QDateTimeEdit)."""
    local = when.astimezone(london())
    return QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second)
    )


def from_qdatetime(value: QDateTime) -> dt.datetime:
    """The aware UTC time of a London wall-clock time typed by the officer. In the hour the
    clocks go back, the first (BST) occurrence is meant; the form shows the zone."""
    date, time = value.date(), value.time()
    local = dt.datetime(
        date.year(), date.month(), date.day(), time.hour(), time.minute(), tzinfo=london()
    )
    return local.astimezone(dt.UTC)


def datetime_edit(when: dt.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qdatetime(when))
    edit.setDisplayFormat(DATE_TIME_FORMAT)
    edit.setCalendarPopup(True)
    return edit

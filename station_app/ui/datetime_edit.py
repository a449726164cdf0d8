"""Date-and-time fields the officer types on the Europe/London wall clock (ui.md, formats.md),
shared by the tabs: booking-in and custody entries, court hearings and results."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit

from station_app.domain.clock import london
from station_app.domain.typed_input import london_time

DATE_TIME_FORMAT = "ddd d MMM yyyy HH:mm"


def to_qdatetime(when: dt.datetime) -> QDateTime:
    """A QDateTime showing `when` on the London wall clock (for a QDateTimeEdit)."""
    local = when.astimezone(london())
    return QDateTime(
        QDate(local.year, local.month, local.day), QTime(local.hour, local.minute, local.second)
    )


def wall_time(value: QDateTime) -> dt.datetime:
    """The naive London wall-clock time shown in a QDateTimeEdit."""
    date, time = value.date(), value.time()
    return dt.datetime(date.year(), date.month(), date.day(), time.hour(), time.minute())


def from_qdatetime(value: QDateTime, occurrence: int | None = None) -> dt.datetime:
    """The aware UTC time of a London wall-clock time typed by the officer. A time the
    clocks skip, or one they pass twice without `occurrence` saying which, raises
    `LocalTimeError` with a sentence (domain.typed_input.london_time): never guessed."""
    return london_time(wall_time(value), occurrence)


def datetime_edit(when: dt.datetime) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qdatetime(when))
    edit.setDisplayFormat(DATE_TIME_FORMAT)
    edit.setCalendarPopup(True)
    return edit

"""How the Custody tab words times: countdowns ("in 25 min", "overdue 5 min"), ages, and
times typed by the officer, which are Europe/London wall-clock times (ui.md, formats.md)."""

from __future__ import annotations

import datetime as dt

from station_app.domain import pace
from station_app.ui.datetime_edit import from_qdatetime, to_qdatetime, wall_time
from station_app.ui.timefmt import local_time_text, london

__all__ = [
    "age_text",
    "countdown_text",
    "due_text",
    "duration_text",
    "from_qdatetime",
    "to_qdatetime",
    "wall_time",
    "zone_name",
]


def duration_text(span: dt.timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def countdown_text(due: dt.datetime | None, now: dt.datetime) -> str:
    """'in 25 min', 'in 3 h 05 min', 'overdue 5 min'; '' when there is no deadline."""
    if due is None:
        return ""
    if now > due:
        return f"overdue {duration_text(now - due)}"
    return f"in {duration_text(due - now + dt.timedelta(seconds=59))}"


def due_text(due: dt.datetime | None, now: dt.datetime) -> str:
    """'14:02 (in 25 min)': the wall-clock time and the countdown."""
    if due is None:
        return "—"
    return f"{local_time_text(due, now=now)} ({countdown_text(due, now)})"


def age_text(born: dt.date | None, now: dt.datetime) -> str:
    if born is None:
        return "Age not known"
    try:
        return str(pace.age_on(born, now))
    except ValueError:
        return "Age not known"


def zone_name(when: dt.datetime) -> str:
    return when.astimezone(london()).tzname() or ""

"""Times as people at the station read them: 24-hour Europe/London time, the date when not today."""

from __future__ import annotations

import datetime as dt

from station_app.domain.clock import london

__all__ = ["local_time_text", "london"]


def local_time_text(when: dt.datetime, *, now: dt.datetime | None = None) -> str:
    """'14:02' today, 'Tue 14 Oct 09:40' on another day (UTC in, London wall clock out)."""
    if when.tzinfo is None:  # the cache and server speak UTC; a naive time is UTC
        when = when.replace(tzinfo=dt.UTC)
    local = when.astimezone(london())
    today = (now or dt.datetime.now(dt.UTC)).astimezone(london()).date()
    if local.date() == today:
        return local.strftime("%H:%M")
    return f"{local:%a} {local.day} {local:%b %H:%M}"

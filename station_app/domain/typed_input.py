"""What officers type at the counter, read forgivingly: dates, times and money.

"25/11/2026 14:30", "25/11 1430", "today 9:05", "yesterday 22:00" and "14:30" are all
times; "25/11/2026", "25.11.26" and "2026-11-25" are all dates; "£1,250.50" and "1250.5" are
both money. Every field where an officer types a date or a time reads it here; what comes
over the wire is read by `domain.wire`. Standard library only.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

__all__ = ["parse_date", "parse_local_datetime", "parse_pounds"]

_DATE = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{2}|\d{4}))?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{1,2})(?::|\.)?(\d{2})?$")
DATE_HELP = "Type a date as day/month/year, for example 25/11/2026."
TIME_HELP = "Type a date and time such as 25/11/2026 14:30, 'today 9:05' or 'yesterday 22:00'."


def _year(text: str | None, today: date) -> int:
    if text is None:
        return today.year
    if len(text) == 2:  # a two-digit year is this century unless that is in the future
        year = 2000 + int(text)
        return year if year <= today.year else year - 100
    return int(text)


def parse_date(text: str, today: date) -> date:
    """A typed day/month/year; raises ValueError with a sentence for the officer."""
    words = text.strip().casefold()
    if words == "today":
        return today
    if words == "yesterday":
        return today - timedelta(days=1)
    iso = _ISO_DATE.match(words)
    match = _DATE.match(words)
    if iso is not None:
        year, month, day = iso.groups()
    elif match is not None:
        day, month, year = match.groups()
    else:
        raise ValueError(f"'{text.strip()}' is not a date. {DATE_HELP}")
    try:
        return date(_year(year, today), int(month), int(day))
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a real date. {DATE_HELP}") from None


def _parse_time(text: str) -> time:
    match = _TIME.match(text)
    if match is None:
        raise ValueError
    hours, minutes = match.groups()
    if minutes is None and len(hours) > 2:
        raise ValueError
    return time(int(hours), int(minutes or 0))


def parse_local_datetime(text: str, now: datetime) -> datetime:
    """A typed local date and time (naive, the station's wall clock); ValueError if not."""
    parts = text.strip().split()
    if not parts:
        raise ValueError(TIME_HELP)
    try:
        only_time = len(parts) == 1 and (
            ":" in parts[0] or (len(parts[0]) == 4 and parts[0].isdigit())
        )
        if only_time:
            return datetime.combine(now.date(), _parse_time(parts[0]))
        day = parse_date(parts[0], now.date())
        at = _parse_time(parts[1]) if len(parts) == 2 else time(0, 0)
        if len(parts) > 2:
            raise ValueError
        return datetime.combine(day, at)
    except ValueError:
        raise ValueError(f"'{text.strip()}' is not a date and time. {TIME_HELP}") from None


def parse_pounds(text: str) -> int:
    """Pence from '£1,250.50', '1250.5' or '250'; ValueError if it is not money."""
    cleaned = text.strip().replace("£", "").replace(",", "").strip()
    if not re.fullmatch(r"\d+(?:\.\d{1,2})?", cleaned):
        raise ValueError(f"'{text.strip()}' is not an amount of money, such as £250 or £12.50.")
    pounds, _, pence = cleaned.partition(".")
    return int(pounds) * 100 + int((pence + "00")[:2])

"""What officers type at the counter, read forgivingly: dates, times and money.

A typed time is a Europe/London wall-clock time. Twice a year the wall clock does something
a guess would get wrong: 01:30 on the last Sunday of March never happens (the clocks go
forward from 01:00 GMT to 02:00 BST) and 01:30 on the last Sunday of October happens twice
(BST, then GMT). `london_time` never guesses: it raises `NonexistentLocalTimeError` or
`AmbiguousLocalTimeError` with a sentence for the officer, and the form asks.

"25/11/2026 14:30", "25/11 1430", "today 9:05", "yesterday 22:00" and "14:30" are all
times; "25/11/2026", "25.11.26" and "2026-11-25" are all dates; "£1,250.50" and "1250.5" are
both money. Every field where an officer types a date or a time reads it here; what comes
over the wire is read by `domain.wire`. Standard library only.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from station_app.domain.clock import london

__all__ = [
    "FIRST",
    "SECOND",
    "AmbiguousLocalTimeError",
    "LocalTimeError",
    "NonexistentLocalTimeError",
    "london_time",
    "parse_date",
    "parse_local_datetime",
    "parse_london_datetime",
    "parse_pounds",
]

FIRST, SECOND = 1, 2
"""Which of a time that happens twice: the first (BST) or the second (GMT)."""

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


class LocalTimeError(ValueError):
    """A typed London time that cannot be turned into one moment without asking."""


class NonexistentLocalTimeError(LocalTimeError):
    """The clocks went forward over this time: it never happened on the station clock."""


class AmbiguousLocalTimeError(LocalTimeError):
    """The clocks went back over this time: it happened twice; `choices` are both moments
    (UTC), the first (BST) then the second (GMT)."""

    def __init__(self, message: str, choices: tuple[datetime, datetime]) -> None:
        super().__init__(message)
        self.choices = choices


def _wall(local: datetime) -> str:
    return f"{local:%H:%M} on {local:%a} {local.day} {local:%b %Y}"


def london_time(local: datetime, occurrence: int | None = None) -> datetime:
    """The moment (aware, UTC) of a naive London wall-clock time the officer typed.

    A time the clocks skip raises `NonexistentLocalTimeError`; a time they pass twice raises
    `AmbiguousLocalTimeError` unless `occurrence` is `FIRST` (BST) or `SECOND` (GMT)."""
    if local.tzinfo is not None:
        raise ValueError("A typed wall-clock time has no zone of its own.")
    zone = london()
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first.astimezone(UTC)
    first_utc, second_utc = first.astimezone(UTC), second.astimezone(UTC)
    if first_utc.astimezone(zone).replace(tzinfo=None) != local:
        # In the gap: neither reading comes back to the wall time typed.
        before = (local - timedelta(hours=1)).replace(tzinfo=zone)
        after = (local + timedelta(hours=1)).replace(tzinfo=zone)
        raise NonexistentLocalTimeError(
            f"{_wall(local)} did not happen on the station clock: the clocks went forward "
            f"an hour at 01:00 GMT that night. Check the time: perhaps {before:%H:%M} "
            f"{before.tzname()} or {after:%H:%M} {after.tzname()}."
        )
    if occurrence == FIRST:
        return first_utc
    if occurrence == SECOND:
        return second_utc
    raise AmbiguousLocalTimeError(
        f"{_wall(local)} happened twice: the clocks went back an hour at 02:00 BST that "
        f"night. Say which: the first (BST, {first_utc:%H:%M} UTC) or the second (GMT, "
        f"{second_utc:%H:%M} UTC).",
        (first_utc, second_utc),
    )


_ZONE_WORD = {"bst": FIRST, "gmt": SECOND}


def parse_london_datetime(text: str, now: datetime) -> datetime:
    """A typed London date and time as a moment (aware, UTC); `now` is aware. In the hour
    that happens twice, a trailing "BST" or "GMT" says which ("25/10/2026 01:30 GMT");
    without it, or for a time that never happened, `LocalTimeError` says what to do."""
    words = text.strip().split()
    occurrence = _ZONE_WORD.get(words[-1].casefold()) if words else None
    if occurrence is not None:
        words = words[:-1]
    local_now = now.astimezone(london()).replace(tzinfo=None)
    local = parse_local_datetime(" ".join(words), local_now)
    try:
        return london_time(local, occurrence)
    except AmbiguousLocalTimeError as problem:
        raise AmbiguousLocalTimeError(
            f"{problem} Add BST or GMT after the time, for example '{local:%d/%m/%Y %H:%M} GMT'.",
            problem.choices,
        ) from None


def parse_pounds(text: str) -> int:
    """Pence from '£1,250.50', '1250.5' or '250'; ValueError if it is not money."""
    cleaned = text.strip().replace("£", "").replace(",", "").strip()
    if not re.fullmatch(r"\d+(?:\.\d{1,2})?", cleaned):
        raise ValueError(f"'{text.strip()}' is not an amount of money, such as £250 or £12.50.")
    pounds, _, pence = cleaned.partition(".")
    return int(pounds) * 100 + int((pence + "00")[:2])

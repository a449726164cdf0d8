"""The field types request bodies and parameters are built from: text Station can store, and
times and dates that can be true (issue 12, #4 #5 #16).

Every feature's schemas use these instead of a bare `str`, `datetime` or `date`, so the
OpenAPI document says what is accepted and a refusal names the field in the officer's
words. What no schema can say (a lone surrogate, text inside a free-form `data` object) is
refused before validation by the edge check (core/edge.py), with the same rules from here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, StringConstraints
from pydantic_core import PydanticCustomError

# --- text ---------------------------------------------------------------------------------------

ONE_LINE_PATTERN = r"^[^\x00-\x1f\x7f]*$"
"""Names, references, codes, one-line text: no control characters at all."""

FREE_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
"""Free text: new lines, carriage returns and tabs, never another control character."""

_NOT_FREE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# A lone half of a UTF-16 pair: Python keeps it in a str (JSON "\ud800" makes one), but no
# UTF-8 text can hold it, so an answer naming it could never be written (issue 12, #4).
_SURROGATE = re.compile(r"[\ud800-\udfff]")

OneLine = Annotated[str, StringConstraints(pattern=ONE_LINE_PATTERN)]
FreeText = Annotated[str, StringConstraints(pattern=FREE_TEXT_PATTERN)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=60, pattern=r"^[A-Za-z0-9_-]+$")]
"""A code from the reference data or a workflow (offence, station, court, form)."""


def storable_free_text(text: str) -> bool:
    """True if the databases can keep `text` and give it back in an answer: no lone
    surrogate, and no NUL or other control character except new line, return and tab
    (PostgreSQL refuses NUL in text; issue 12, #5)."""
    return not (_SURROGATE.search(text) or _NOT_FREE_TEXT.search(text))


def storable_one_line(text: str) -> bool:
    """As `storable_free_text`, and no new line, tab or other control character (C0, DEL or
    C1): for paths, queries and headers, which are never free text."""
    return not (_SURROGATE.search(text) or _NOT_ONE_LINE.search(text))


# --- numbers ------------------------------------------------------------------------------------

INT32_MAX = 2**31 - 1
"""The largest id, version, offset or count a path or query may name: PostgreSQL's `integer`,
the narrowest column any of them is compared with. A larger one is a 422, not an overflow in
the database (issue 12, #6)."""

# --- times and dates ---------------------------------------------------------------------------

EARLIEST = datetime(1900, 1, 1, tzinfo=UTC)
LATEST = datetime(2100, 1, 1, tzinfo=UTC)
"""No event Station records falls outside these (a year 125 or 6593 is a typing slip)."""

# RFC 3339 as the API writes times: a date, a time and a zone ("Z" or "+01:00").
_ZONED_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})$"
)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def station_error(template: str) -> PydanticCustomError:
    """A validation error whose sentence `plain_message` (core/problems.py) finishes with the
    field's name: `template` holds `{subject}`."""
    return PydanticCustomError("station_field", "{template}", {"template": template})


def _zoned_time_text(value: Any) -> Any:
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value  # built in code, not read from a request
    if isinstance(value, str) and _ZONED_TIME.match(value.strip()):
        return value.strip()
    raise station_error(
        "{subject} must be a date and time with its time zone, for example 2026-11-26T09:40:00Z."
    )


def _time_in_range(value: datetime) -> datetime:
    if not EARLIEST <= value < LATEST:
        raise station_error("{subject} must be between 1900 and 2100. Check the year.")
    return value


def _date_text(value: Any) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        return value.strip()
    raise station_error("{subject} must be a date written as YYYY-MM-DD, for example 1990-03-12.")


def _date_in_range(value: date) -> date:
    if not EARLIEST.date() <= value < LATEST.date():
        raise station_error("{subject} must be between 1900 and 2100. Check the year.")
    return value


def _plausible_birth(value: date) -> date:
    # A day's slack: London's date runs up to an hour ahead of the server's UTC date.
    latest = datetime.now(UTC).date() + timedelta(days=1)
    if not EARLIEST.date() <= value <= latest:
        raise station_error("{subject} must be between 1900-01-01 and today. Check the year.")
    return value


ZonedTime = Annotated[
    AwareDatetime, BeforeValidator(_zoned_time_text), AfterValidator(_time_in_range)
]
"""A moment: ISO 8601 with its zone (docs/api.md), between 1900 and 2100."""

CalendarDate = Annotated[date, BeforeValidator(_date_text), AfterValidator(_date_in_range)]
"""A day (a hearing date): YYYY-MM-DD, between 1900 and 2100."""

BirthDate = Annotated[date, BeforeValidator(_date_text), AfterValidator(_plausible_birth)]
"""A date of birth: YYYY-MM-DD, not before 1900 and not in the future."""

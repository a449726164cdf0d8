"""What client and server agree on the wire (docs/api.md): the API's path prefix, times in
ISO 8601 UTC, and record versions carried in ETag / If-Match. Standard library only."""

from __future__ import annotations

from datetime import UTC, date, datetime

__all__ = [
    "API_PREFIX",
    "IDEMPOTENCY_KEY_FIELD",
    "REQUEST_ID_HEADER",
    "aware_time_or_none",
    "date_or_none",
    "etag",
    "parse_iso_date",
    "parse_utc",
    "utc_text",
    "utc_z_text",
    "version_from_if_match",
]

API_PREFIX = "/api/v1"
# The field a 422 names when an Idempotency-Key was already used for another request.
IDEMPOTENCY_KEY_FIELD = "header.idempotency-key"
REQUEST_ID_HEADER = "X-Request-ID"
"""Sent by the workstation with every call (a fresh id each), given back and logged by the
server, so one report can be followed from a workstation's log to the server's."""


def _parse_iso_time(text: str) -> datetime:
    """ISO 8601 text as the API writes it, "Z" read as UTC; aware or naive as written.
    ValueError if it is not a time. The one time parser: every helper below goes through it."""
    return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))


def parse_utc(text: str) -> datetime:
    """An aware UTC datetime from ISO 8601 as the API writes it ("...Z" or "+00:00").

    A time without a zone is taken as UTC (the API's rule); ValueError if it is not a time.
    """
    parsed = _parse_iso_time(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def aware_time_or_none(value: object) -> datetime | None:
    """An aware datetime as given, or read from ISO 8601 text with its zone ("Z", "+01:00"),
    kept in that zone; None for anything else. Unlike parse_utc, a time without a zone is
    None, not taken as UTC: for stored event data, where the zone was required when it was
    written, a guess would hide a fault."""
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = _parse_iso_time(value)
        except ValueError:
            return None
    else:
        return None
    return parsed if parsed.tzinfo is not None else None


def utc_text(moment: datetime) -> str:
    """The API's form of an aware time: ISO 8601 in UTC."""
    if moment.tzinfo is None:
        raise ValueError("Station sends timezone-aware times only.")
    return moment.astimezone(UTC).isoformat()


def utc_z_text(moment: datetime) -> str:
    """utc_text with "Z" for the zone ("2026-11-26T09:40:00.123456Z"), as the CPS exchange
    manifest writes its times (docs/cps-exchange.md)."""
    return utc_text(moment).replace("+00:00", "Z")


def parse_iso_date(text: str) -> date:
    """A date as the API writes it (YYYY-MM-DD); ValueError if it is not one."""
    return date.fromisoformat(text.strip())


def date_or_none(value: object) -> date | None:
    """A date as given, or read from YYYY-MM-DD text; None when empty or not a date. For
    dates read back from a stored record (a date of birth in a report's JSON), where one
    that cannot be read is shown as not known rather than refused."""
    if isinstance(value, date):
        return value
    if not value:
        return None
    try:
        return parse_iso_date(str(value))
    except ValueError:
        return None


def etag(version: int) -> str:
    """The ETag header of a record at `version`."""
    return f'"{version}"'


def version_from_if_match(header: str | None) -> int | None:
    """The record version an If-Match header names (`"3"`, `W/"3"` or `3`); None when the
    header is missing or names no version."""
    if header is None:
        return None
    text = header.strip().removeprefix("W/").strip().strip('"').strip()
    return int(text) if text.isdigit() and len(text) <= 18 else None

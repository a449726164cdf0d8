"""What client and server agree on the wire (docs/api.md): the API's path prefix, times in
ISO 8601 UTC, and record versions carried in ETag / If-Match. Standard library only."""

from __future__ import annotations

from datetime import UTC, date, datetime

__all__ = [
    "API_PREFIX",
    "IDEMPOTENCY_KEY_FIELD",
    "REQUEST_ID_HEADER",
    "etag",
    "parse_iso_date",
    "parse_utc",
    "utc_text",
    "version_from_if_match",
]

API_PREFIX = "/api/v1"
# The field a 422 names when an Idempotency-Key was already used for another request.
IDEMPOTENCY_KEY_FIELD = "header.idempotency-key"
REQUEST_ID_HEADER = "X-Request-ID"
"""Sent by the workstation with every call (a fresh id each), given back and logged by the
server, so one report can be followed from a workstation's log to the server's."""


def parse_utc(text: str) -> datetime:
    """An aware UTC datetime from ISO 8601 as the API writes it ("...Z" or "+00:00").

    A time without a zone is taken as UTC (the API's rule); ValueError if it is not a time.
    """
    parsed = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def utc_text(moment: datetime) -> str:
    """The API's form of an aware time: ISO 8601 in UTC."""
    if moment.tzinfo is None:
        raise ValueError("Station sends timezone-aware times only.")
    return moment.astimezone(UTC).isoformat()


def parse_iso_date(text: str) -> date:
    """A date as the API writes it (YYYY-MM-DD); ValueError if it is not one."""
    return date.fromisoformat(text.strip())


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

"""The clock Station reads "now" from, passed in rather than called, so the rules and
screens that depend on the time can be tested at any moment without waiting for it; and the
station's wall clock, Europe/London (formats.md: times are stored in UTC and shown and typed
in London time)."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

__all__ = ["Clock", "SystemClock", "london"]


@cache
def london() -> ZoneInfo:
    """Europe/London (loaded on first use: zoneinfo is slow to import at start-up)."""
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware, in UTC."""
        ...


class SystemClock:
    """The computer's own clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)

"""Expected failures of client-side work, each carrying a sentence the UI shows as it is.

Bugs are not here: they reach the crash handler. These are the things that happen on
a normal day (offline, signed out, someone else changed the record) and each one says
in the station's words what happened and what to do. `detail` is for the log only.
"""

from __future__ import annotations

__all__ = [
    "AccountLockedError",
    "ConflictError",
    "ForbiddenError",
    "NotFoundError",
    "OfflineError",
    "ServerError",
    "ServerTimeoutError",
    "SignedOutError",
    "StationError",
    "ValidationProblem",
]


class StationError(Exception):
    """An expected failure with a message for staff and, optionally, detail for the log."""

    default_message = (
        "Something went wrong. Try again; if it keeps happening, call the service desk."
    )

    def __init__(
        self,
        message: str | None = None,
        *,
        status: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.message: str = message or self.default_message
        self.status = status
        self.detail = detail
        super().__init__(self.message)


class OfflineError(StationError):
    """The core system could not be reached at all."""

    default_message = (
        "The core system can't be reached. Check the network cable or Wi-Fi, "
        "or try again in a minute."
    )


class ServerTimeoutError(OfflineError):
    """The core system was reached but did not answer in time."""

    default_message = (
        "The core system is taking too long to answer. Check the network, or try again in a minute."
    )


class SignedOutError(StationError):
    """401: no token, or the token has expired or been revoked."""

    default_message = "You have been signed out. Sign in again to carry on."


class ForbiddenError(StationError):
    """403: the user's role does not allow this."""

    default_message = "Your role does not allow this. Ask a supervisor if you need it."


class NotFoundError(StationError):
    """404: the record is not there (or no longer)."""

    default_message = "That record could not be found. It may have been removed."


class ConflictError(StationError):
    """409 or 412: someone else changed the record first."""

    default_message = (
        "Someone else changed this record while you were working on it. "
        "Reload it and make your change again."
    )


class ValidationProblem(StationError):  # noqa: N818 - the UI's name for it
    """400 or 422: what was sent is not acceptable; `field_errors` says which field and why."""

    default_message = "Some details need correcting. Check the highlighted fields."

    def __init__(
        self,
        message: str | None = None,
        field_errors: dict[str, str] | None = None,
        *,
        status: int | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message, status=status, detail=detail)
        self.field_errors: dict[str, str] = dict(field_errors or {})


class AccountLockedError(StationError):
    """423 or 429: too many attempts; `retry_after_seconds` when the server said."""

    default_message = (
        "This account is locked after too many attempts. "
        "Wait a few minutes or ask a supervisor to unlock it."
    )

    def __init__(
        self,
        message: str | None = None,
        retry_after_seconds: int | None = None,
        *,
        status: int | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message, status=status, detail=detail)
        self.retry_after_seconds = retry_after_seconds


class ServerError(StationError):
    """5xx or an answer we did not expect: a generic sentence, never the server's words."""

    default_message = (
        "The core system had a problem and could not finish this. "
        "Try again; if it keeps happening, call the service desk."
    )

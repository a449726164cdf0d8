"""The audit trail: who read or changed which record, when, from which workstation.

Rows are only ever added; the database refuses UPDATE and DELETE (migration 0001).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from station_app.server.deps import CurrentUser
from station_app.server.models import AuditEvent, utc_now


class AuditAction(StrEnum):
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGOUT = "logout"


def record_audit(
    session: Session,
    user: CurrentUser | str | None,
    action: AuditAction,
    record_type: str,
    record_id: str,
    detail: str = "",
    workstation: str | None = None,
) -> AuditEvent:
    """Add one audit row to the session; it commits with the work it records."""
    username = user.username if isinstance(user, CurrentUser) else user
    event = AuditEvent(
        at=utc_now(),
        username=username[:150] if username else None,
        workstation=workstation[:100] if workstation else None,
        action=action.value,
        record_type=record_type,
        record_id=record_id[:200],
        detail=detail,
    )
    session.add(event)
    return event

"""The audit trail, for administrators and supervisors: newest first, filtered."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.audit.mapping import events_out
from station_app.server.audit.schemas import AuditEvents
from station_app.server.audit.store import AuditFilter, find_events
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.deps import (
    NO_CONTROL_CHARACTERS,
    current_user,
    get_session,
    require_roles,
)
from station_app.server.core.identity import USERNAME_LENGTH, CurrentUser
from station_app.server.core.problems import problem_responses

router = APIRouter(prefix="/audit", tags=["audit"])


@router.get(
    "",
    dependencies=[require_roles(Role.ADMIN, Role.SUPERVISOR, action="read the audit trail")],
    summary="Read the audit trail",
    responses=problem_responses(401, 403, 422),
)
def read_audit(
    user: Annotated[CurrentUser, Depends(current_user)],
    session: Annotated[Session, Depends(get_session)],
    record_type: Annotated[str | None, Query(max_length=60, pattern=NO_CONTROL_CHARACTERS)] = None,
    record_id: Annotated[str | None, Query(max_length=200, pattern=NO_CONTROL_CHARACTERS)] = None,
    username: Annotated[
        str | None, Query(max_length=USERNAME_LENGTH, pattern=NO_CONTROL_CHARACTERS)
    ] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> AuditEvents:
    filters = AuditFilter(record_type, record_id, username, limit)
    found = events_out(find_events(session, filters))
    # The trail names people, so reading it is itself audited.
    record_audit(
        session,
        user,
        AuditAction.READ,
        "audit",
        "events",
        filters.describe() or "no filter",
        user.workstation,
    )
    session.commit()
    return found

"""The audit trail, for administrators and supervisors: newest first, filtered."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.audit import AuditAction, record_audit
from station_app.server.deps import (
    NO_CONTROL_CHARACTERS,
    CurrentUser,
    current_user,
    get_session,
    require_roles,
)
from station_app.server.models import USERNAME_LENGTH, AuditEvent
from station_app.server.problems import problem_responses

router = APIRouter(prefix="/audit", tags=["audit"])


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    username: str | None
    workstation: str | None
    action: str
    record_type: str
    record_id: str
    detail: str


class AuditEvents(BaseModel):
    events: list[AuditEventOut]


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
    query = select(AuditEvent)
    if record_type is not None:
        query = query.where(AuditEvent.record_type == record_type)
    if record_id is not None:
        query = query.where(AuditEvent.record_id == record_id)
    if username is not None:
        query = query.where(AuditEvent.username == username)
    events = session.scalars(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
    found = [AuditEventOut.model_validate(event, from_attributes=True) for event in events]
    # The trail names people, so reading it is itself audited.
    filters = ", ".join(
        f"{key}={value}"
        for key, value in (
            ("record_type", record_type),
            ("record_id", record_id),
            ("username", username),
        )
        if value is not None
    )
    record_audit(
        session, user, AuditAction.READ, "audit", "events", filters or "no filter", user.workstation
    )
    session.commit()
    return AuditEvents(events=found)

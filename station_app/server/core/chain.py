"""The crime view (issue 10): from any record, the chain of records linked to it through
the core's link mechanism (core/links.py): the report, the arrests and custody records, the
case files and their hearings. Each record shows what the user's role and stations may see
of it; the others are named with the reason they are not shown. Every record shown is
audited as read (it names people)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi import Path as PathParam
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.deps import Links, current_user, get_session, require_roles
from station_app.server.core.identity import CurrentUser
from station_app.server.core.problems import ProblemError, problem_responses
from station_app.server.core.stations import Scope, act_at, station_text

router = APIRouter(prefix="/links", tags=["links"])

READ = require_roles(*Role, action="see how records are linked")


class ChainRecord(BaseModel):
    record_type: str
    reference: str
    title: str = Field(description='How a sentence names the record type: "custody record".')
    relation: str = Field(description='How it is linked to the record before it: "arrest".')
    depth: int = Field(description="0: the record asked for; 1: linked to it; and so on.")
    shown: bool
    heading: str = ""
    lines: list[str] = Field(default_factory=list)
    at: datetime | None = None
    station_code: str = ""
    reason: str = Field("", description="Why the record is not shown, when it is not.")


class Chain(BaseModel):
    record_type: str
    reference: str
    records: list[ChainRecord]


@router.get(
    "/{record_type}/{reference}/chain",
    dependencies=[READ],
    response_model=Chain,
    responses=problem_responses(401, 403, 404, 422),
    summary="The chain of records linked to a record (the crime view)",
)
def chain(
    record_type: Annotated[str, PathParam(pattern=r"^[a-z_]{1,40}$", max_length=40)],
    reference: Annotated[str, PathParam(pattern=r"^[A-Za-z0-9/-]{1,60}$", max_length=60)],
    session: Annotated[Session, Depends(get_session)],
    user: Annotated[CurrentUser, Depends(current_user)],
    scope: Scope,
    links: Links,
) -> Chain:
    title = links.title_of(record_type)
    (link,) = links.resolve(session, record_type, [reference])
    if title is None or not link.found:
        raise ProblemError(
            404, f"There is no {title or 'record'} {reference} on this server. Check the reference."
        )
    start = links.summary_of(session, record_type, reference)
    act_at(
        session,
        scope,
        start.station_code if start else "",
        record=f"This {title} belongs to {{there}}",
        action="see its links",
        record_type=record_type,
        record_id=reference,
    )
    found = links.chain(session, record_type, reference, user.roles)
    if found[0].summary is None:
        raise ProblemError(403, f"Your role cannot open a {title}, so it cannot show its links.")
    records = []
    for item in found:
        summary = item.summary
        reason = ""
        if summary is None:
            reason = (
                f"There is no {item.title} {item.reference} on this server."
                if item.readable
                else f"Your role does not open {item.title}s."
            )
        if summary is not None and scope.reason(summary.station_code) is None:
            reason = f"It belongs to {station_text(session, summary.station_code)}."
            summary = None
        if summary is not None:
            record_audit(
                session,
                user,
                AuditAction.READ,
                item.record_type,
                item.reference,
                f"crime view from {record_type} {reference}",
                user.workstation,
            )
        records.append(
            ChainRecord(
                record_type=item.record_type,
                reference=item.reference,
                title=item.title,
                relation=item.relation,
                depth=item.depth,
                shown=summary is not None,
                heading=summary.heading if summary else "",
                lines=list(summary.lines) if summary else [],
                at=summary.at if summary else None,
                station_code=summary.station_code if summary else "",
                reason=reason,
            )
        )
    session.commit()
    return Chain(record_type=record_type, reference=reference, records=records)

"""Routes of walk-in crime reports (docs/api.md, "Incidents"): create (idempotent), read,
list, edit (If-Match), notes and status changes. Every read is audited."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as PathParam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_app.domain.incidents import (
    NOTE_ROLES,
    READ_ROLES,
    STATUS_ROLES,
    STATUS_WORDS,
    WRITE_ROLES,
    Flag,
    IncidentStatus,
    allowed_next,
)
from station_app.domain.roles import ROLE_TITLES, Role
from station_app.domain.wire import etag
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.deps import IdempotencyKey, IfMatch, Links, get_session, require_roles
from station_app.server.core.fields import ZonedTime
from station_app.server.core.idempotency import KeyedRequest
from station_app.server.core.identity import CurrentUser
from station_app.server.core.problems import ProblemError, field_problem, problem_responses
from station_app.server.core.stations import Scope, act_at, audit_shown, list_stations
from station_app.server.incidents import store
from station_app.server.incidents.mapping import incident_out, incident_summary
from station_app.server.incidents.models import Incident
from station_app.server.incidents.rules import check_report
from station_app.server.incidents.schemas import (
    PLAIN,
    IncidentIn,
    IncidentOut,
    IncidentPage,
    NoteIn,
    StatusIn,
)
from station_app.server.incidents.store import INCIDENT_VERSION

router = APIRouter(prefix="/incidents", tags=["incidents"])

READ = require_roles(*READ_ROLES, action="read crime reports")
WRITE = require_roles(*WRITE_ROLES, action="take or edit crime reports")
NOTE = require_roles(*NOTE_ROLES, action="add notes to crime reports")
# The guard lets in anyone who may make at least one status change; the rule for each
# change is checked against domain.incidents.STATUS_ROLES below.
STATUS = require_roles(
    *{role for roles in STATUS_ROLES.values() for role in roles},
    action="change the status of crime reports",
)

Reference = Annotated[
    str,
    PathParam(max_length=40, pattern=r"^[A-Za-z0-9-]+$", description="The crime reference number."),
]
UserDep = Annotated[CurrentUser, Depends(READ.dependency)]
Db = Annotated[Session, Depends(get_session)]
REPORT_AT = "This report belongs to {there}"


class IncidentInScope:
    """The report of the path, if the user may act on its station's reports
    (core/stations.py); checked before the body is read."""

    def __init__(self, action: str) -> None:
        self.action = action

    def __call__(self, reference: Reference, session: Db, scope: Scope) -> Incident:
        incident = store.get_incident(session, reference)
        self.check(session, scope, incident)
        return incident

    def check(self, session: Session, scope: Scope, incident: Incident) -> None:
        """Refuse (403), or add the cross-station audit row to the session (again, after a
        rollback)."""
        act_at(
            session,
            scope,
            incident.station_code,
            record=REPORT_AT,
            action=self.action,
            record_type="incident",
            record_id=incident.reference,
        )


NOTE_ON_REPORT = IncidentInScope("add notes to it")


def _take_at(session: Session, scope: Scope, station_code: str, reference: str) -> None:
    """A report is taken (or moved) only for a station the user may act at."""
    act_at(
        session,
        scope,
        station_code,
        record="The report is for {there}",
        action="take or move reports there",
        record_type="incident",
        record_id=reference,
    )


def _audit_read(session: Session, user: CurrentUser, record_id: str, detail: str) -> None:
    # architecture.md "Server patterns": every read of a record naming a person is audited.
    record_audit(session, user, AuditAction.READ, "incident", record_id, detail, user.workstation)


@router.post(
    "",
    response_model=IncidentOut,
    status_code=201,
    dependencies=[WRITE],
    summary="Take a walk-in crime report (idempotent with Idempotency-Key)",
    responses=problem_responses(401, 403, 422),
)
def create_incident(
    report: IncidentIn,
    request: Request,
    response: Response,
    user: Annotated[CurrentUser, Depends(WRITE.dependency)],
    session: Annotated[Session, Depends(get_session)],
    scope: Scope,
    links: Links,
    idempotency_key: IdempotencyKey = None,
) -> IncidentOut:
    actor = store.load_actor(session, user.id, user.roles)
    _take_at(session, scope, report.station_code or actor.station_code, "new")
    keyed = KeyedRequest(
        user.username,
        idempotency_key,
        "incident",
        "POST /incidents",
        report.model_dump(),
        "report",
    )
    checked, errors = check_report(report)
    incident, created = store.create_incident(session, actor, checked, errors, keyed)
    if created:
        links.note_people(session, "incident", incident.reference, user.username)
        record_audit(
            session,
            user,
            AuditAction.CREATE,
            "incident",
            incident.reference,
            f"offence {incident.offence_code}",
            user.workstation,
        )
    else:
        response.status_code = 200  # the same key again: the same report, nothing new
        _audit_read(session, user, incident.reference, "the same report sent again")
    session.commit()
    response.headers["ETag"] = etag(incident.version)
    response.headers["Location"] = f"{request.url.path}/{incident.reference}"
    out = incident_out(session, incident, user.roles)
    out.warnings = store.possible_duplicates(session, incident)
    return out


@router.get(
    "",
    response_model=IncidentPage,
    dependencies=[READ],
    summary="List crime reports, filtered, sorted and paged",
    responses=problem_responses(401, 403, 422),
)
def list_incidents(
    user: UserDep,
    scope: Scope,
    session: Annotated[Session, Depends(get_session)],
    reported_from: Annotated[ZonedTime | None, Query(description="Reported at or after.")] = None,
    reported_to: Annotated[ZonedTime | None, Query(description="Reported before.")] = None,
    status: Annotated[list[IncidentStatus] | None, Query()] = None,
    station: Annotated[str | None, Query(max_length=50, pattern=PLAIN)] = None,
    offence: Annotated[str | None, Query(max_length=60, pattern=PLAIN)] = None,
    flag: Annotated[Flag | None, Query()] = None,
    q: Annotated[
        str,
        Query(
            max_length=200,
            pattern=PLAIN,
            description="Words in names, places, account or reference.",
        ),
    ] = "",
    decision_overdue: Annotated[
        bool, Query(description="Only reports waiting over 24 hours for a recording decision.")
    ] = False,
    sort: Annotated[
        str, Query(pattern=r"^-?(reported_at|reference|status|offence)$")
    ] = "-reported_at",
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> IncidentPage:
    # core/stations.py: the user's own and covered stations unless another is asked for.
    stations = list_stations(
        session,
        scope,
        station,
        record="The reports asked for belong to {there}",
        action="list them",
        record_type="incident",
    )
    filters = store.ListFilter(
        reported_from=reported_from,
        reported_to=reported_to,
        statuses=[s.value for s in status or []],
        stations=stations,
        offence=offence,
        flag=flag.value if flag else None,
        text=q,
        decision_overdue=decision_overdue,
        sort=sort,
        offset=offset,
        limit=limit,
    )
    rows, has_more = store.list_incidents(session, filters)
    audit_shown(
        session,
        scope,
        {row.station_code for row in rows},
        action="list reports",
        record_type="incident",
    )
    now = datetime.now(UTC)
    _audit_read(
        session,
        user,
        "list",
        f"{len(rows)} rows from {offset}; filters: "
        + ", ".join(f"{k}={v}" for k, v in vars(filters).items() if v not in (None, "", [], False)),
    )
    session.commit()
    return IncidentPage(
        items=[incident_summary(row, now) for row in rows],
        offset=offset,
        limit=limit,
        has_more=has_more,
    )


@router.get(
    "/{reference}",
    response_model=IncidentOut,
    dependencies=[READ],
    summary="Read one crime report with its timeline",
    responses=problem_responses(401, 403, 404),
)
def read_incident(
    incident: Annotated[Incident, Depends(IncidentInScope("read it"))],
    response: Response,
    user: UserDep,
    session: Annotated[Session, Depends(get_session)],
) -> IncidentOut:
    _audit_read(session, user, incident.reference, f"version {incident.version}")
    session.commit()
    response.headers["ETag"] = etag(incident.version)
    return incident_out(session, incident, user.roles)


@router.put(
    "/{reference}",
    response_model=IncidentOut,
    dependencies=[WRITE],
    summary="Correct a crime report (If-Match with its version)",
    responses=problem_responses(401, 403, 404, 409, 422, 428),
)
def update_incident(
    incident: Annotated[Incident, Depends(IncidentInScope("correct it"))],
    report: IncidentIn,
    response: Response,
    user: Annotated[CurrentUser, Depends(WRITE.dependency)],
    session: Annotated[Session, Depends(get_session)],
    scope: Scope,
    links: Links,
    if_match: IfMatch = None,
) -> IncidentOut:
    actor = store.load_actor(session, user.id, user.roles)
    INCIDENT_VERSION.check(if_match, incident.version, reference=incident.reference)
    if report.station_code and report.station_code != incident.station_code:
        _take_at(session, scope, report.station_code, incident.reference)
    checked, errors = check_report(report)
    store.apply_report(session, incident, checked, errors)
    if errors:
        session.rollback()
        store.raise_field_errors(errors)
    links.note_people(session, "incident", incident.reference, user.username)
    incident.search_text = f"{incident.reference.casefold()} {incident.search_text}"
    _bump(incident)
    store.add_event(session, incident, actor, "edit", "Report details corrected.")
    record_audit(
        session,
        user,
        AuditAction.UPDATE,
        "incident",
        incident.reference,
        f"version {incident.version}",
        user.workstation,
    )
    session.commit()
    response.headers["ETag"] = etag(incident.version)
    return incident_out(session, incident, user.roles)


def _bump(incident: Incident) -> None:
    incident.version += 1
    incident.updated_at = datetime.now(UTC)


@router.post(
    "/{reference}/notes",
    response_model=IncidentOut,
    status_code=201,
    dependencies=[NOTE],
    summary="Add a note to the timeline (idempotent with Idempotency-Key)",
    responses=problem_responses(401, 403, 404, 422),
)
def add_note(
    incident: Annotated[Incident, Depends(NOTE_ON_REPORT)],
    note: NoteIn,
    response: Response,
    user: Annotated[CurrentUser, Depends(NOTE.dependency)],
    session: Annotated[Session, Depends(get_session)],
    scope: Scope,
    idempotency_key: IdempotencyKey = None,
) -> IncidentOut:
    actor = store.load_actor(session, user.id, user.roles)
    reference = incident.reference
    keyed = KeyedRequest(
        user.username,
        idempotency_key,
        "incident_note",
        f"POST /incidents/{reference}/notes",
        note.model_dump(),
        "note",
    )
    # A note adds to the timeline and changes no detail, so it needs no version.
    try:
        created = store.add_note(session, incident, actor, note.text.strip(), keyed)
    except IntegrityError:  # the same key twice at once: the first one's note stands
        session.rollback()
        incident = store.get_incident(session, reference)
        NOTE_ON_REPORT.check(session, scope, incident)  # its audit row went with the rollback
        created = store.add_note(session, incident, actor, note.text.strip(), keyed)
    if created:
        record_audit(
            session,
            user,
            AuditAction.UPDATE,
            "incident",
            reference,
            "note added",
            user.workstation,
        )
    else:
        response.status_code = 200  # the same key again: the note is there, nothing new
        _audit_read(session, user, reference, "the same note sent again")
    session.commit()
    response.headers["ETag"] = etag(incident.version)
    return incident_out(session, incident, user.roles)


@router.post(
    "/{reference}/status",
    response_model=IncidentOut,
    dependencies=[STATUS],
    summary="Move a report along reported → recorded / no crime / transferred → closed",
    responses=problem_responses(401, 403, 404, 409, 422, 428),
)
def change_status(
    incident: Annotated[Incident, Depends(IncidentInScope("change its status"))],
    change: StatusIn,
    response: Response,
    user: Annotated[CurrentUser, Depends(STATUS.dependency)],
    session: Annotated[Session, Depends(get_session)],
    if_match: IfMatch = None,
) -> IncidentOut:
    actor = store.load_actor(session, user.id, user.roles)
    INCIDENT_VERSION.check(if_match, incident.version, reference=incident.reference)
    current = IncidentStatus(incident.status)
    target = change.status
    if target not in allowed_next(current, {r.value for r in Role}):
        raise ProblemError(
            409,
            f"A report that is '{STATUS_WORDS[current]}' cannot be moved to "
            f"'{STATUS_WORDS[target]}'.",
        )
    if target not in allowed_next(current, set(user.roles)):
        allowed = ", ".join(ROLE_TITLES[r] for r in sorted(STATUS_ROLES[target]))
        raise ProblemError(
            403,
            f"Your role cannot move a report to '{STATUS_WORDS[target]}'. Only these roles "
            f"can: {allowed}.",
        )
    if target is IncidentStatus.NO_CRIME and not change.reason.strip():
        # HOCR: a no-crime decision records the additional verifiable information.
        raise field_problem({"reason": "Give the reason for the no-crime decision."})
    now = datetime.now(UTC)
    incident.status = target.value
    if target is IncidentStatus.RECORDED:
        incident.recorded_at = now  # NCRS: keep the recording time beside the report time
    _bump(incident)
    text = f"Status changed to {STATUS_WORDS[target]}."
    if change.reason.strip():
        text += f" {change.reason.strip()}"
    store.add_event(
        session, incident, actor, "status", text, from_status=current.value, to_status=target.value
    )
    record_audit(
        session,
        user,
        AuditAction.UPDATE,
        "incident",
        incident.reference,
        f"status {current.value} -> {target.value}",
        user.workstation,
    )
    session.commit()
    response.headers["ETag"] = etag(incident.version)
    return incident_out(session, incident, user.roles)

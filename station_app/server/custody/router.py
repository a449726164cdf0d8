"""Routes of the custody suite (docs/api.md, "Custody"): book in, read a record, add an
entry, move cell or observation level (If-Match), the station's board (ETag), and the
search for people booked in before.

Every read of a record or the board is audited; each entry is checked against the rules
of PACE and Code C (station_app.domain.custody_record) and refused with the rule cited.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Response
from fastapi import Path as PathParam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_app.domain.custody_rules import INSPECTOR_OR_ABOVE, READERS, WRITERS
from station_app.domain.roles import Role
from station_app.domain.wire import API_PREFIX, etag
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.deps import (
    IdempotencyKey,
    IfMatch,
    Links,
    current_user,
    get_session,
    require_roles,
)
from station_app.server.core.fields import INT32_MAX
from station_app.server.core.idempotency import KeyedRequest
from station_app.server.core.identity import CurrentUser
from station_app.server.core.problems import problem_responses
from station_app.server.core.stations import Scope, act_at
from station_app.server.core.versions import etag_matches
from station_app.server.custody import journey, store
from station_app.server.custody.mapping import event_out, record_out
from station_app.server.custody.models import IN_CUSTODY, CustodyEventRow, CustodyRecord
from station_app.server.custody.schemas import (
    BailsToAnswer,
    BailToAnswerOut,
    Board,
    BookingIn,
    EventIn,
    EventOut,
    PlacementIn,
    RecordCompliance,
    RecordOut,
    SuiteComplianceOut,
)
from station_app.server.custody.store import PLACEMENT_VERSION

router = APIRouter(prefix="/custody", tags=["custody"])

READ = require_roles(*(Role(r) for r in READERS), action="read custody records")
LOOK_UP_BAIL = require_roles(Role.CUSTODY_OFFICER, action="look up bail to answer")
SUPERVISE = require_roles(
    *(Role(r) for r in INSPECTOR_OR_ABOVE), action="see the compliance of a custody suite"
)
BOOK = require_roles(Role.CUSTODY_OFFICER, action="book detainees in")
WRITE = require_roles(*(Role(r) for r in WRITERS), action="add to custody records")
PLACE = require_roles(Role.CUSTODY_OFFICER, action="move detainees between cells")

RecordId = Annotated[int, PathParam(ge=1, le=INT32_MAX, description="The custody record's id.")]
User = Annotated[CurrentUser, Depends(current_user)]
Db = Annotated[Session, Depends(get_session)]
StationQuery = Annotated[
    str | None, Query(min_length=1, max_length=50, pattern=r"^[A-Za-z0-9_-]+$")
]
"""The suite asked for (the board, the compliance list); none: the officer's own."""


def now_utc() -> datetime:
    return datetime.now(UTC)


class RecordInScope:
    """The custody record of the path, if the user may act at its station's custody suite
    (core/stations.py); checked before the body is read."""

    def __init__(self, action: str) -> None:
        self.action = action

    def __call__(self, record_id: RecordId, session: Db, scope: Scope) -> CustodyRecord:
        record = store.get_record(session, record_id)
        self.check(session, scope, record)
        return record

    def check(self, session: Session, scope: Scope, record: CustodyRecord) -> None:
        """Refuse (403), or add the cross-station audit row to the session (again, after a
        rollback)."""
        held = "is in custody" if record.status == IN_CUSTODY else "was in custody"
        act_at(
            session,
            scope,
            record.station_code,
            record=f"This detainee {held} at {{there}}",
            action=self.action,
            record_type="custody_record",
            record_id=record.custody_number,
        )


READ_RECORD = RecordInScope("read their record")
ADD_TO_RECORD = RecordInScope("add to their record")
MOVE = RecordInScope("move them")


@router.post(
    "/records",
    status_code=201,
    dependencies=[BOOK],
    summary="Book a detainee in: opens a custody record (idempotent with Idempotency-Key)",
    responses=problem_responses(401, 403, 422),
)
def book_in(
    body: BookingIn,
    user: User,
    session: Db,
    scope: Scope,
    response: Response,
    links: Links,
    idempotency_key: IdempotencyKey = None,
) -> RecordOut:
    officer = store.officer_of(session, user)

    def book_at_station() -> None:
        act_at(
            session,
            scope,
            body.station_code or officer.station_code,
            record="The booking is for the custody suite at {there}",
            action="book detainees in there",
            record_type="custody_record",
            record_id="new",
        )

    booking = store.Booking(
        station_code=body.station_code or officer.station_code,
        person=body.person.model_dump(mode="json"),
        offence_codes=body.offences,
        arrested_at=body.arrested_at,
        arrived_at=body.arrived_at,
        voluntary_attender=body.voluntary_attender,
        relevant_time_override=body.relevant_time_override,
        override_reason=body.override_reason,
        circumstances=body.circumstances,
        arresting_officer=body.arresting_officer,
        cell=body.cell,
        terrorism=body.terrorism,
        answering_bail=body.answering_bail or "",
    )
    keyed = KeyedRequest(
        user.username,
        idempotency_key,
        "custody_record",
        "POST /custody/records",
        body.model_dump(),
        "booking",
    )
    # Two first bookings of a year at once, or the same key twice at once: one retries.
    for attempt in range(3):
        try:
            book_at_station()  # before each try: a rollback takes its audit row away
            journey.check_incident(session, links, body.incident_reference)
            record, created = store.book_in(session, officer, booking, now_utc(), keyed)
            if created:
                links.note_people(session, "custody_record", record.custody_number, user.username)
                if body.incident_reference:  # Arrest and book in, from the report's suspect
                    journey.arrested_for(
                        session, links, record, body.incident_reference, booking, user.username
                    )
                    record_audit(
                        session,
                        user,
                        AuditAction.UPDATE,
                        "incident",
                        body.incident_reference,
                        f"arrest noted: custody record {record.custody_number}",
                        user.workstation,
                    )
                record_audit(
                    session,
                    user,
                    AuditAction.CREATE,
                    "custody_record",
                    record.custody_number,
                    "booked in",
                    user.workstation,
                )
            session.commit()
            break
        except IntegrityError:
            session.rollback()
            if attempt == 2:
                raise
    if not created:
        response.status_code = 200
    response.headers["Location"] = f"{API_PREFIX}{router.prefix}/records/{record.id}"
    response.headers["ETag"] = etag(record.version)
    return record_out(session, record, links)


@router.get(
    "/board",
    dependencies=[READ],
    summary="Everyone in custody at a station, with their clock (ETag: poll freely)",
    response_model=Board,
    responses={304: {"description": "Not modified."}, **problem_responses(401, 403, 422)},
)
def board(
    user: User,
    session: Db,
    scope: Scope,
    station: StationQuery = None,
    if_none_match: Annotated[str | None, Header(max_length=200)] = None,
) -> Any:
    station_code = station or store.officer_of(session, user).station_code
    act_at(
        session,
        scope,
        station_code,
        record="The custody board asked for is at {there}",
        action="see who is in custody there",
        record_type="custody_board",
        record_id=station_code,
    )
    board_tag = store.board_etag(session, station_code)
    if etag_matches(if_none_match, board_tag):
        return Response(status_code=304, headers={"ETag": board_tag})
    body, count = store.board_json(session, station_code)
    record_audit(
        session,
        user,
        AuditAction.READ,
        "custody_board",
        station_code,
        f"{count} in custody",
        user.workstation,
    )
    session.commit()
    return Response(body, media_type="application/json", headers={"ETag": board_tag})


@router.get(
    "/bail-to-answer",
    dependencies=[LOOK_UP_BAIL],
    summary="A person's records that ended in pre-charge bail, with the time each used "
    "(PACE s.47(6)), for booking in someone answering bail",
    responses=problem_responses(401, 403, 422),
)
def bail_to_answer(
    user: User,
    session: Db,
    surname: Annotated[str, Query(min_length=1, max_length=100, pattern=r"^[^\x00-\x1f\x7f]+$")],
    forenames: Annotated[str, Query(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")],
    date_of_birth: Annotated[
        str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")
    ] = None,
) -> BailsToAnswer:
    person = {"surname": surname, "forenames": forenames, "date_of_birth": date_of_birth}
    found = store.bail_to_answer(session, person)
    # Every read of a record naming a person is audited: who looked, and what was shown.
    record_audit(
        session,
        user,
        AuditAction.READ,
        "custody_bail_to_answer",
        ",".join(b.record.custody_number for b in found)[:200] or "none",
        f"bail to answer for {surname}, {forenames}: {len(found)} shown",
        user.workstation,
    )
    session.commit()
    return BailsToAnswer(bails=[BailToAnswerOut.model_validate(b.as_json()) for b in found])


@router.get(
    "/compliance",
    dependencies=[SUPERVISE],
    summary="The compliance replay of every record of a custody suite (in custody, or left in "
    "the last 24 hours): late visits and reviews, rest, meals, limits, each with its rule",
    responses=problem_responses(401, 403, 422),
)
def suite_compliance(
    user: User,
    session: Db,
    scope: Scope,
    station: StationQuery = None,
) -> SuiteComplianceOut:
    station_code = station or store.officer_of(session, user).station_code
    act_at(
        session,
        scope,
        station_code,
        record="The custody suite asked for is at {there}",
        action="see the compliance of its custody suite",
        record_type="custody_compliance",
        record_id=station_code,
    )
    rows = store.suite_compliance(session, station_code, now_utc())
    record_audit(
        session,
        user,
        AuditAction.READ,
        "custody_compliance",
        station_code,
        f"{len(rows)} records: " + ", ".join(r.record.custody_number for r in rows)[:180],
        user.workstation,
    )
    session.commit()
    return SuiteComplianceOut(
        station_code=station_code,
        records=[
            RecordCompliance(
                record_id=r.record.id,
                custody_number=r.record.custody_number,
                surname=str(r.state.person.get("surname", "")),
                forenames=str(r.state.person.get("forenames", "")),
                status=r.record.status,
                breaches=[
                    {
                        "what": b.what,
                        "due_at": b.due_at,
                        "done_at": b.done_at,
                        "detail": b.detail,
                        "rule": b.rule,
                        "sentence": b.sentence(),
                    }
                    for b in r.found
                ],
            )
            for r in rows
        ],
    )


@router.get(
    "/records/{record_id}",
    dependencies=[READ],
    summary="A custody record with every entry",
    responses=problem_responses(401, 403, 404, 422),
)
def read_record(
    record: Annotated[CustodyRecord, Depends(READ_RECORD)],
    user: User,
    session: Db,
    response: Response,
    links: Links,
) -> RecordOut:
    out = record_out(session, record, links)
    record_audit(
        session,
        user,
        AuditAction.READ,
        "custody_record",
        record.custody_number,
        f"{len(out.events)} entries",
        user.workstation,
    )
    session.commit()
    response.headers["ETag"] = etag(record.version)
    return out


@router.post(
    "/records/{record_id}/events",
    status_code=201,
    dependencies=[WRITE],
    summary="Add an entry to a custody record (refused, citing the rule, when not allowed)",
    responses=problem_responses(401, 403, 404, 422),
)
def add_event(
    record: Annotated[CustodyRecord, Depends(ADD_TO_RECORD)],
    body: EventIn,
    user: User,
    session: Db,
    scope: Scope,
    response: Response,
    links: Links,
    idempotency_key: IdempotencyKey = None,
) -> EventOut:
    officer = store.officer_of(session, user)
    record_id = record.id
    keyed = KeyedRequest(
        user.username,
        idempotency_key,
        "custody_entry",
        f"POST /custody/records/{record_id}/events",
        body.model_dump(),
        "entry",
    )

    def append() -> tuple[CustodyEventRow, CustodyRecord, bool]:
        return store.append_event(
            session,
            record_id,
            officer,
            body.kind,
            body.occurred_at,
            body.data,
            now_utc(),
            keyed,
        )

    try:
        row, record, created = append()
    except IntegrityError:  # the same Idempotency-Key twice at once: give the first back
        session.rollback()
        ADD_TO_RECORD.check(session, scope, store.get_record(session, record_id))
        row, record, created = append()
    if created:
        record_audit(
            session,
            user,
            AuditAction.CREATE,
            "custody_record",
            record.custody_number,
            f"entry {row.sequence}: {row.kind}",
            user.workstation,
        )
        if row.kind == "charge":  # opens the case file, or adds to the crime's open one
            case_reference = journey.charged(session, links, record, row, user.username)
            if case_reference:
                record_audit(
                    session,
                    user,
                    AuditAction.UPDATE,
                    "casefile",
                    case_reference,
                    f"charge from custody record {record.custody_number}",
                    user.workstation,
                )
            for incident in journey.linked(session, links, record.custody_number, "incident"):
                record_audit(
                    session,
                    user,
                    AuditAction.UPDATE,
                    "incident",
                    incident,
                    f"charge noted: custody record {record.custody_number}",
                    user.workstation,
                )
    session.commit()
    if not created:
        response.status_code = 200
    response.headers["ETag"] = etag(record.version)
    return event_out(row)


@router.put(
    "/records/{record_id}/placement",
    dependencies=[PLACE],
    summary="Change cell and/or observation level (If-Match with the record's version)",
    responses=problem_responses(401, 403, 404, 409, 422, 428),
)
def change_placement(
    in_scope: Annotated[CustodyRecord, Depends(MOVE)],
    body: PlacementIn,
    user: User,
    session: Db,
    response: Response,
    links: Links,
    if_match: IfMatch = None,
) -> RecordOut:
    officer = store.officer_of(session, user)
    version = PLACEMENT_VERSION.asked(if_match)  # 428 without If-Match
    record = store.change_placement(
        session, in_scope.id, officer, version, body.model_dump(), now_utc()
    )
    record_audit(
        session,
        user,
        AuditAction.UPDATE,
        "custody_record",
        record.custody_number,
        f"placement: {body.model_dump(exclude_none=True)}",
        user.workstation,
    )
    session.commit()
    response.headers["ETag"] = etag(record.version)
    return record_out(session, record, links)

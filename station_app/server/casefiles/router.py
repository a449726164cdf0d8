"""Case file routes (docs/api.md, "Case files"): the review workflow and the CPS exchange,
then cases, completeness, and court hearings with their results (a case's forms and
attachments: documents.py). Detectives edit; supervisors read, review and send; every read
is audited (architecture.md, "Server patterns")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi import Path as PathParam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_app.domain.file_standard import (
    FileStandard,
)
from station_app.domain.wire import etag
from station_app.server.casefiles import hearings, journey, schemas, store, workflow
from station_app.server.casefiles.access import (
    CHANGES,
    EDIT,
    PROBLEMS,
    READ,
    RECORD,
    REVIEW,
    Db,
    Rules,
    ScopedCase,
    Settings,
    SignedIn,
    audit_case,
)
from station_app.server.casefiles.cps_exchange import FileDropAdapter
from station_app.server.casefiles.mapping import (
    acknowledgements_out,
    case_detail,
    case_list_out,
    completeness_out,
)
from station_app.server.casefiles.models import CaseFile
from station_app.server.casefiles.rules import publish_rules
from station_app.server.casefiles.store import CASE_VERSION
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.deps import (
    IdempotencyKey,
    IfMatch,
    Links,
)
from station_app.server.core.fields import INT32_MAX
from station_app.server.core.idempotency import KeyedRequest
from station_app.server.core.identity import User
from station_app.server.core.links import LinkRegistry
from station_app.server.core.problems import ProblemError
from station_app.server.core.stations import Scope, audit_shown, list_stations

router = APIRouter(prefix="/casefiles", tags=["case files"])


def answer(
    db: Session, case: CaseFile, standard: FileStandard, links: LinkRegistry, response: Response
) -> schemas.CaseDetail:
    db.commit()
    response.headers["ETag"] = etag(case.version)
    return case_detail(db, case, standard, links)


# --- the workflow and the CPS exchange ---------------------------------------------------------
# Declared first, as they always were, so /casefiles/cps/... is never taken for a reference.


@router.post(
    "/{reference}/submit",
    dependencies=[EDIT],
    response_model=schemas.CaseDetail,
    responses=CHANGES,
    summary="Submit the file for supervisor review",
)
def submit(
    case: ScopedCase,
    db: Db,
    user: SignedIn,
    standard: Rules,
    links: Links,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    CASE_VERSION.check(if_match, case.version)
    workflow.move(case, "submit", user.username)
    audit_case(db, user, AuditAction.UPDATE, case.reference, "submitted")
    return answer(db, case, standard, links, response)


@router.post(
    "/{reference}/return",
    dependencies=[REVIEW],
    response_model=schemas.CaseDetail,
    responses=CHANGES,
    summary="Return the file to the officer with comments",
)
def return_file(
    case: ScopedCase,
    body: schemas.CommentIn,
    db: Db,
    user: SignedIn,
    standard: Rules,
    links: Links,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    CASE_VERSION.check(if_match, case.version)
    workflow.move(case, "return", user.username, body.comment.strip())
    audit_case(db, user, AuditAction.UPDATE, case.reference, "returned")
    return answer(db, case, standard, links, response)


@router.post(
    "/{reference}/approve",
    dependencies=[REVIEW],
    response_model=schemas.CaseDetail,
    responses=CHANGES,
    summary="Approve the file (complete, or with an override reason)",
)
def approve(
    case: ScopedCase,
    body: schemas.ApproveIn,
    db: Db,
    user: SignedIn,
    standard: Rules,
    links: Links,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    CASE_VERSION.check(if_match, case.version)
    workflow.approve(db, case, standard, user.username, body.override_reason)
    audit_case(db, user, AuditAction.UPDATE, case.reference, "approved")
    return answer(db, case, standard, links, response)


@router.post(
    "/{reference}/send",
    dependencies=[REVIEW],
    response_model=schemas.CaseDetail,
    responses=CHANGES,
    summary="Send the approved file's bundle to the CPS",
)
def send(
    case: ScopedCase,
    body: schemas.SendIn,
    db: Db,
    user: SignedIn,
    standard: Rules,
    links: Links,
    settings: Settings,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    CASE_VERSION.check(if_match, case.version)
    submission = workflow.send(
        db, case, standard, user.username, body.bundle_base64, settings.cps_exchange_dir
    )
    audit_case(db, user, AuditAction.UPDATE, case.reference, f"sent {submission.submission_id}")
    return answer(db, case, standard, links, response)


@router.post(
    "/cps/acknowledgements",
    dependencies=[REVIEW],
    response_model=schemas.AcknowledgementList,
    responses=PROBLEMS,
    summary="Apply the CPS's answers waiting in the exchange",
)
def collect(db: Db, user: SignedIn, settings: Settings) -> schemas.AcknowledgementList:
    applied, acks = workflow.collect_acknowledgements(db, settings.cps_exchange_dir)
    for _submission, case in applied:
        audit_case(db, user, AuditAction.UPDATE, case.reference, "CPS acknowledgement")
    db.commit()
    if settings.cps_exchange_dir:
        adapter = FileDropAdapter(Path(settings.cps_exchange_dir))
        for ack in acks:  # moved only once the outcome is safely stored
            adapter.applied(ack)
    return acknowledgements_out(applied)


# --- cases, forms and attachments -------------------------------------------------------------


@router.get(
    "",
    dependencies=[READ],
    response_model=schemas.CaseList,
    responses=PROBLEMS,
    summary="List case files",
)
def list_cases(
    db: Db,
    user: SignedIn,
    scope: Scope,
    standard: Rules,
    mine: bool = Query(default=False, description="Only the signed-in officer's cases."),
    station: str | None = Query(
        default=None,
        max_length=50,
        pattern=r"^[A-Za-z0-9_-]+$",
        description="Only this station's cases (default: the user's own and covered ones).",
    ),
    status: str | None = Query(default=None, max_length=200, pattern=r"^[a-z_,]+$"),
    offset: int = Query(default=0, ge=0, le=1_000_000),
    limit: int = Query(default=100, ge=1, le=500),
) -> schemas.CaseList:
    publish_rules(db)
    # core/stations.py: the user's own and covered stations' cases (every station's for a
    # force-wide role).
    stations = list_stations(
        db,
        scope,
        station,
        record="The case files asked for belong to {there}",
        action="list them",
        record_type=RECORD,
    )
    page, total = store.list_cases(
        db, standard, user.username if mine else None, status, offset, limit, stations
    )
    result = case_list_out(page, total)
    audit_shown(
        db, scope, {c.station_code for c, _ in page}, action="list case files", record_type=RECORD
    )
    audit_case(
        db, user, AuditAction.READ, "list", f"mine={mine} status={status or ''} offset={offset}"
    )
    db.commit()
    return result


@router.post(
    "",
    dependencies=[EDIT],
    status_code=201,
    response_model=schemas.CaseDetail,
    responses=PROBLEMS,
    summary="Open a case file (idempotent with Idempotency-Key)",
)
def create_case(
    body: schemas.CaseCreate,
    db: Db,
    user: SignedIn,
    standard: Rules,
    links: Links,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> schemas.CaseDetail:
    keyed = KeyedRequest(
        user.username,
        idempotency_key,
        "casefile",
        "POST /casefiles",
        body.model_dump(),
        "case file",
    )

    def sent_again(reference: str) -> schemas.CaseDetail:
        """The same key and case again: the case it opened, nothing new (docs/api.md)."""
        case = store.get_case(db, reference)
        response.status_code = 200
        audit_case(db, user, AuditAction.READ, case.reference, "the same case file sent again")
        return answer(db, case, standard, links, response)

    earlier = keyed.earlier(db)
    if earlier is not None:
        return sent_again(earlier)
    store.check_file_type(standard, body)
    officer = db.get(User, user.id)
    case = CaseFile(
        reference=body.reference.upper(),
        status="draft",
        officer_username=user.username,
        officer_name=officer.display_name if officer else user.username,
        # The officer's own station: a case opened is always theirs (core/stations.py);
        # it may link reports and custody records of any station.
        station_code=user.station_code,
        override_reason="",
    )
    store.apply_fields(case, body)
    db.add(case)
    try:
        db.flush()
        keyed.remember(db, case.reference, f"case file {case.reference}")
    except IntegrityError:
        db.rollback()
        earlier = keyed.earlier(db)  # the same key at once: the first one opened it
        if earlier is not None:
            return sent_again(earlier)
        raise ProblemError(
            409, f"A case file {body.reference.upper()} already exists. Open it from My cases."
        ) from None
    links.note_people(db, RECORD, case.reference, user.username)
    # Issue 10: the reports and custody records it names, linked as a charge links them.
    journey.relate_named_records(db, links, case, user.username)
    audit_case(db, user, AuditAction.CREATE, case.reference)
    return answer(db, case, standard, links, response)


@router.get(
    "/{reference}",
    dependencies=[READ],
    response_model=schemas.CaseDetail,
    responses=PROBLEMS,
    summary="Read a case file",
)
def read_case(
    case: ScopedCase, db: Db, user: SignedIn, standard: Rules, links: Links, response: Response
) -> schemas.CaseDetail:
    audit_case(db, user, AuditAction.READ, case.reference)
    return answer(db, case, standard, links, response)


@router.put(
    "/{reference}",
    dependencies=[EDIT],
    response_model=schemas.CaseDetail,
    responses=CHANGES,
    summary="Change a case file's details",
)
def update_case(
    case: ScopedCase,
    body: schemas.CaseFields,
    db: Db,
    user: SignedIn,
    standard: Rules,
    links: Links,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    CASE_VERSION.check(if_match, case.version)
    store.check_editable(case)
    store.check_file_type(standard, body)
    store.apply_fields(case, body)
    store.bump(case)
    links.note_people(db, RECORD, case.reference, user.username)
    journey.relate_named_records(db, links, case, user.username)
    audit_case(db, user, AuditAction.UPDATE, case.reference)
    return answer(db, case, standard, links, response)


@router.get(
    "/{reference}/completeness",
    dependencies=[READ],
    response_model=schemas.CompletenessOut,
    responses=PROBLEMS,
    summary="What the file standard still needs",
)
def read_completeness(
    case: ScopedCase, db: Db, user: SignedIn, standard: Rules
) -> schemas.CompletenessOut:
    result = completeness_out(case, store.completeness(db, case, standard))
    audit_case(db, user, AuditAction.READ, case.reference, "completeness")
    db.commit()
    return result


# --- court hearings and results (issue 10) ---------------------------------------------------

HearingId = Annotated[int, PathParam(ge=1, le=INT32_MAX, description="The hearing's id.")]


@router.post(
    "/{reference}/hearings",
    dependencies=[EDIT],
    status_code=201,
    response_model=schemas.HearingOut,
    responses=PROBLEMS,
    summary="List a court hearing for the case",
)
def add_hearing(
    case: ScopedCase, body: schemas.HearingIn, db: Db, user: SignedIn, links: Links
) -> schemas.HearingOut:
    hearing = hearings.add_hearing(db, case, body, user.username)
    reference = hearings.hearing_reference(case, hearing)
    links.note_people(db, hearings.RECORD, reference, user.username)
    audit_case(db, user, AuditAction.CREATE, case.reference, f"hearing {hearing.sequence}")
    db.commit()
    return hearings.hearing_out(db, case, hearing)


@router.put(
    "/{reference}/hearings/{hearing_id}/results",
    dependencies=[EDIT],
    response_model=schemas.HearingOut,
    responses=CHANGES,
    summary="Record the court's result on each charge (updates the case and its reports)",
)
def record_results(
    case: ScopedCase,
    hearing_id: HearingId,
    body: schemas.ResultsIn,
    db: Db,
    user: SignedIn,
    links: Links,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.HearingOut:
    hearing = hearings.get_hearing(case, hearing_id)
    hearings.HEARING_VERSION.check(if_match, hearing.version)
    hearings.record_results(db, links, case, hearing, body, user.username)
    audit_case(db, user, AuditAction.UPDATE, case.reference, f"hearing {hearing.sequence} result")
    for incident in case.incident_refs:
        record_audit(
            db,
            user,
            AuditAction.UPDATE,
            "incident",
            incident,
            "court result",
            workstation=user.workstation,
        )
    db.commit()
    response.headers["ETag"] = etag(hearing.version)
    return hearings.hearing_out(db, case, hearing)

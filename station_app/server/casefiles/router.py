"""Case file routes (docs/api.md, "Case files"): the review workflow and the CPS exchange,
then cases, forms, attachments and completeness. Detectives edit; supervisors read, review
and send; every read is audited (architecture.md, "Server patterns")."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import Path as PathParam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_app.domain.file_standard import (
    CASEFILE_EDIT_ROLES,
    CASEFILE_READ_ROLES,
    CASEFILE_REVIEW_ROLES,
    FileStandard,
)
from station_app.domain.wire import etag
from station_app.server.casefiles import hearings, schemas, store, workflow
from station_app.server.casefiles.attachments import download_headers
from station_app.server.casefiles.cps_exchange import FileDropAdapter
from station_app.server.casefiles.mapping import (
    acknowledgements_out,
    case_detail,
    case_list_out,
    completeness_out,
    document_summary,
)
from station_app.server.casefiles.models import CaseFile
from station_app.server.casefiles.rules import file_standard, publish_rules
from station_app.server.casefiles.store import CASE_VERSION, FORM_VERSION
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.config import ServerSettings
from station_app.server.core.deps import (
    IfMatch,
    Links,
    current_user,
    get_session,
    get_settings,
    require_roles,
)
from station_app.server.core.fields import INT32_MAX
from station_app.server.core.identity import CurrentUser, User
from station_app.server.core.links import LinkRegistry
from station_app.server.core.problems import ProblemError, problem_responses
from station_app.server.core.stations import Scope, act_at, audit_shown, list_stations

router = APIRouter(prefix="/casefiles", tags=["case files"])

READ = require_roles(*CASEFILE_READ_ROLES, action="read case files")
EDIT = require_roles(*CASEFILE_EDIT_ROLES, action="prepare case files")
REVIEW = require_roles(*CASEFILE_REVIEW_ROLES, action="review or send case files")

Db = Annotated[Session, Depends(get_session)]
Settings = Annotated[ServerSettings, Depends(get_settings)]
# The guard sits in `dependencies=[...]` (the route walk finds it there); the user comes
# from the same cached dependency.
SignedIn = Annotated[CurrentUser, Depends(current_user)]
PROBLEMS = problem_responses(401, 403, 404, 409, 422)
CHANGES = problem_responses(401, 403, 404, 409, 422, 428)  # If-Match needed (store.py)
RECORD = "casefile"


def rules() -> FileStandard:
    return file_standard()


Rules = Annotated[FileStandard, Depends(rules)]
# Bounded, so a huge id is a 422 and not an overflow in the database (issue 12, #6).
DocumentId = Annotated[int, PathParam(ge=1, le=INT32_MAX, description="The document's id.")]


def case_in_scope(reference: str, request: Request, db: Db, scope: Scope) -> CaseFile:
    """The case of the path, if the user may work on its station's cases (core/stations.py);
    checked before the body is read, so a refusal says nothing of the body."""
    case = store.get_case(db, reference)
    act_at(
        db,
        scope,
        case.station_code,
        record="This case file belongs to {there}",
        action="open it" if request.method == "GET" else "change it",
        record_type=RECORD,
        record_id=case.reference,
    )
    return case


ScopedCase = Annotated[CaseFile, Depends(case_in_scope)]


def audit_case(
    db: Session, user: CurrentUser, action: AuditAction, ref: str, detail: str = ""
) -> None:
    record_audit(db, user, action, RECORD, ref, detail, workstation=user.workstation)


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
    summary="Open a case file",
)
def create_case(
    body: schemas.CaseCreate,
    db: Db,
    user: SignedIn,
    standard: Rules,
    links: Links,
    response: Response,
) -> schemas.CaseDetail:
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
    except IntegrityError:
        db.rollback()
        raise ProblemError(
            409, f"A case file {body.reference.upper()} already exists. Open it from My cases."
        ) from None
    links.note_people(db, RECORD, case.reference, user.username)
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


@router.post(
    "/{reference}/documents",
    dependencies=[EDIT],
    status_code=201,
    response_model=schemas.DocumentSummary,
    responses=PROBLEMS,
    summary="Add a structured MG form",
)
def add_form(
    case: ScopedCase, body: schemas.FormIn, db: Db, user: SignedIn, links: Links
) -> schemas.DocumentSummary:
    store.check_editable(case)
    doc = store.save_form(db, case, body, user.username)
    links.note_people(db, RECORD, case.reference, user.username)
    audit_case(db, user, AuditAction.CREATE, case.reference, f"{doc.form} document {doc.id}")
    db.commit()
    return document_summary(doc)


@router.put(
    "/{reference}/documents/{document_id}",
    dependencies=[EDIT],
    response_model=schemas.DocumentSummary,
    responses=CHANGES,
    summary="Change a structured MG form",
)
def update_form(
    case: ScopedCase,
    document_id: DocumentId,
    body: schemas.FormIn,
    db: Db,
    user: SignedIn,
    links: Links,
    if_match: IfMatch = None,
) -> schemas.DocumentSummary:
    doc = store.get_document(db, case, document_id)
    FORM_VERSION.check(if_match, doc.version)
    store.check_editable(case)
    store.save_form(db, case, body, user.username, doc)
    links.note_people(db, RECORD, case.reference, user.username)
    audit_case(db, user, AuditAction.UPDATE, case.reference, f"{doc.form} document {doc.id}")
    db.commit()
    return document_summary(doc)


@router.post(
    "/{reference}/attachments",
    dependencies=[EDIT],
    status_code=201,
    response_model=schemas.DocumentSummary,
    responses=PROBLEMS,
    summary="Attach a PDF as an exhibit, unused material or a form",
)
def add_attachment(
    case: ScopedCase, body: schemas.AttachmentIn, db: Db, user: SignedIn, settings: Settings
) -> schemas.DocumentSummary:
    store.check_editable(case)
    doc = store.add_attachment(db, case, body, user.username, settings.attachment_max_bytes)
    audit_case(db, user, AuditAction.CREATE, case.reference, f"{doc.form} attachment {doc.id}")
    db.commit()
    return document_summary(doc)


@router.get(
    "/{reference}/documents/{document_id}/content",
    dependencies=[READ],
    responses={
        **PROBLEMS,
        200: {"content": {"application/pdf": {}}, "description": "The attached PDF."},
    },
    summary="Read an attached PDF",
    response_class=Response,
)
def read_attachment(case: ScopedCase, document_id: DocumentId, db: Db, user: SignedIn) -> Response:
    doc = store.get_document(db, case, document_id)
    if doc.content is None:
        raise ProblemError(404, f"Document {document_id} is a form, not an attached PDF.")
    audit_case(db, user, AuditAction.READ, case.reference, f"attachment {doc.id}")
    db.commit()
    return Response(
        doc.content,
        media_type="application/pdf",
        headers=download_headers(case.reference, doc.id),
    )


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

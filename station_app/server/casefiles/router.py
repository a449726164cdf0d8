"""Case file routes: cases, forms, attachments and completeness. Detectives edit;
supervisors read; every read is audited (architecture.md, "Server patterns"). The review
workflow and the CPS exchange are in `workflow_routes`, included here."""

from __future__ import annotations

from fastapi import APIRouter, Query, Response
from sqlalchemy.exc import IntegrityError

from station_app.server.audit import AuditAction
from station_app.server.casefiles import schemas, store
from station_app.server.casefiles.models import CaseFile
from station_app.server.casefiles.routes_common import (
    EDIT,
    PROBLEMS,
    READ,
    Db,
    Rules,
    SignedIn,
    answer,
    audit_case,
    publish_rules,
)
from station_app.server.casefiles.workflow_routes import router as workflow_router
from station_app.server.deps import IfMatch
from station_app.server.models import User
from station_app.server.problems import ProblemError

router = APIRouter(prefix="/casefiles", tags=["case files"])
# Before the /{reference} routes, so /casefiles/cps/... is never taken for a reference.
router.include_router(workflow_router)


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
    standard: Rules,
    mine: bool = Query(default=False, description="Only the signed-in officer's cases."),
    status: str | None = Query(default=None, max_length=200, pattern=r"^[a-z_,]+$"),
    offset: int = Query(default=0, ge=0, le=1_000_000),
    limit: int = Query(default=100, ge=1, le=500),
) -> schemas.CaseList:
    publish_rules(db)
    result = store.list_cases(db, standard, user.username if mine else None, status, offset, limit)
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
    body: schemas.CaseCreate, db: Db, user: SignedIn, standard: Rules, response: Response
) -> schemas.CaseDetail:
    store.check_file_type(standard, body)
    officer = db.get(User, user.id)
    case = CaseFile(
        reference=body.reference.upper(),
        status="draft",
        officer_username=user.username,
        officer_name=officer.display_name if officer else user.username,
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
    audit_case(db, user, AuditAction.CREATE, case.reference)
    return answer(db, case, standard, response)


@router.get(
    "/{reference}",
    dependencies=[READ],
    response_model=schemas.CaseDetail,
    responses=PROBLEMS,
    summary="Read a case file",
)
def read_case(
    reference: str, db: Db, user: SignedIn, standard: Rules, response: Response
) -> schemas.CaseDetail:
    case = store.get_case(db, reference)
    audit_case(db, user, AuditAction.READ, case.reference)
    return answer(db, case, standard, response)


@router.put(
    "/{reference}",
    dependencies=[EDIT],
    response_model=schemas.CaseDetail,
    responses=PROBLEMS,
    summary="Change a case file's details",
)
def update_case(
    reference: str,
    body: schemas.CaseFields,
    db: Db,
    user: SignedIn,
    standard: Rules,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    case = store.get_case(db, reference)
    store.check_version(if_match, case.version)
    store.check_editable(case)
    store.check_file_type(standard, body)
    store.apply_fields(case, body)
    store.bump(case)
    audit_case(db, user, AuditAction.UPDATE, case.reference)
    return answer(db, case, standard, response)


@router.get(
    "/{reference}/completeness",
    dependencies=[READ],
    response_model=schemas.CompletenessOut,
    responses=PROBLEMS,
    summary="What the file standard still needs",
)
def read_completeness(
    reference: str, db: Db, user: SignedIn, standard: Rules
) -> schemas.CompletenessOut:
    case = store.get_case(db, reference)
    result = store.completeness_out(case, store.completeness(db, case, standard))
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
    reference: str, body: schemas.FormIn, db: Db, user: SignedIn
) -> schemas.DocumentSummary:
    case = store.get_case(db, reference)
    store.check_editable(case)
    doc = store.save_form(db, case, body, user.username)
    audit_case(db, user, AuditAction.CREATE, case.reference, f"{doc.form} document {doc.id}")
    db.commit()
    return store.document_summary(doc)


@router.put(
    "/{reference}/documents/{document_id}",
    dependencies=[EDIT],
    response_model=schemas.DocumentSummary,
    responses=PROBLEMS,
    summary="Change a structured MG form",
)
def update_form(
    reference: str,
    document_id: int,
    body: schemas.FormIn,
    db: Db,
    user: SignedIn,
    if_match: IfMatch = None,
) -> schemas.DocumentSummary:
    case = store.get_case(db, reference)
    doc = store.get_document(db, case, document_id)
    store.check_version(if_match, doc.version, "form")
    store.check_editable(case)
    store.save_form(db, case, body, user.username, doc)
    audit_case(db, user, AuditAction.UPDATE, case.reference, f"{doc.form} document {doc.id}")
    db.commit()
    return store.document_summary(doc)


@router.post(
    "/{reference}/attachments",
    dependencies=[EDIT],
    status_code=201,
    response_model=schemas.DocumentSummary,
    responses=PROBLEMS,
    summary="Attach a PDF as an exhibit, unused material or a form",
)
def add_attachment(
    reference: str, body: schemas.AttachmentIn, db: Db, user: SignedIn
) -> schemas.DocumentSummary:
    case = store.get_case(db, reference)
    store.check_editable(case)
    doc = store.add_attachment(db, case, body, user.username)
    audit_case(db, user, AuditAction.CREATE, case.reference, f"{doc.form} attachment {doc.id}")
    db.commit()
    return store.document_summary(doc)


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
def read_attachment(reference: str, document_id: int, db: Db, user: SignedIn) -> Response:
    case = store.get_case(db, reference)
    doc = store.get_document(db, case, document_id)
    if doc.content is None:
        raise ProblemError(404, f"Document {document_id} is a form, not an attached PDF.")
    audit_case(db, user, AuditAction.READ, case.reference, f"attachment {doc.id}")
    db.commit()
    return Response(doc.content, media_type="application/pdf")

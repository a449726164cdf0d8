"""Case file document routes (docs/api.md, "Case files"): structured MG forms and attached
PDFs, added (idempotent with Idempotency-Key), changed (If-Match) and read back (audited)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from fastapi import APIRouter, Response
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_app.server.casefiles import schemas, store
from station_app.server.casefiles.access import (
    CHANGES,
    EDIT,
    PROBLEMS,
    READ,
    RECORD,
    Db,
    DocumentId,
    ScopedCase,
    Settings,
    SignedIn,
    audit_case,
    check_scope,
)
from station_app.server.casefiles.attachments import download_headers
from station_app.server.casefiles.mapping import document_summary
from station_app.server.casefiles.models import CaseDocument, CaseFile
from station_app.server.casefiles.store import FORM_VERSION
from station_app.server.core.audit import AuditAction
from station_app.server.core.deps import IdempotencyKey, IfMatch, Links
from station_app.server.core.idempotency import KeyedRequest
from station_app.server.core.identity import CurrentUser
from station_app.server.core.problems import ProblemError
from station_app.server.core.stations import Scope

router = APIRouter(prefix="/casefiles", tags=["case files"])


@router.post(
    "/{reference}/documents",
    dependencies=[EDIT],
    status_code=201,
    response_model=schemas.DocumentSummary,
    responses=PROBLEMS,
    summary="Add a structured MG form (idempotent with Idempotency-Key)",
)
def add_form(
    case: ScopedCase,
    body: schemas.FormIn,
    db: Db,
    user: SignedIn,
    links: Links,
    scope: Scope,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> schemas.DocumentSummary:
    keyed = document_key(user, idempotency_key, case, "documents", body.model_dump(), "form")

    def save() -> tuple[CaseDocument, bool]:
        return store.save_new_form(db, case, body, user.username, keyed)

    doc, created = keyed_save(db, scope, case, save)
    if created:
        links.note_people(db, RECORD, case.reference, user.username)
        audit_case(db, user, AuditAction.CREATE, case.reference, f"{doc.form} document {doc.id}")
    return keyed_answer(db, user, case, doc, created, response)


def document_key(
    user: CurrentUser,
    key: str | None,
    case: CaseFile,
    route: str,
    body: dict[str, object],
    thing: str,
) -> KeyedRequest:
    """The request a new document's Idempotency-Key stands for (core/idempotency.py): this
    user's key, this case, this body."""
    request = f"POST /casefiles/{case.reference}/{route}"
    return KeyedRequest(user.username, key, "casefile_document", request, body, thing)


def keyed_save(
    db: Session,
    scope: Scope,
    case: CaseFile,
    save: Callable[[], tuple[CaseDocument, bool]],
) -> tuple[CaseDocument, bool]:
    """(document, created). The same key twice at once: the second request's key clashes
    with the first's (IntegrityError); it starts again and is answered with the first's
    document."""
    try:
        return save()
    except IntegrityError:
        db.rollback()
        check_scope(db, scope, case, "change it")  # its audit row went with the rollback
        return save()


def keyed_answer(
    db: Session,
    user: CurrentUser,
    case: CaseFile,
    doc: CaseDocument,
    created: bool,
    response: Response,
) -> schemas.DocumentSummary:
    if not created:  # the same key again: the first answer, nothing new (docs/api.md)
        response.status_code = 200
        detail = f"{doc.form} document {doc.id}: the same sent again"
        audit_case(db, user, AuditAction.READ, case.reference, detail)
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
    summary="Attach a PDF as an exhibit, unused material or a form (idempotent with "
    "Idempotency-Key)",
)
def add_attachment(
    case: ScopedCase,
    body: schemas.AttachmentIn,
    db: Db,
    user: SignedIn,
    settings: Settings,
    scope: Scope,
    response: Response,
    idempotency_key: IdempotencyKey = None,
) -> schemas.DocumentSummary:
    # The PDF goes into the key's hash as its SHA-256: the same request, a tenth of the time
    # of putting megabytes of base64 through JSON (bench/casefiles_keys.py).
    content = hashlib.sha256(body.content_base64.encode("utf-8", "surrogatepass")).hexdigest()
    request = {**body.model_dump(exclude={"content_base64"}), "content_sha256": content}
    keyed = document_key(user, idempotency_key, case, "attachments", request, "attachment")

    def save() -> tuple[CaseDocument, bool]:
        return store.add_attachment(
            db, case, body, user.username, settings.attachment_max_bytes, keyed
        )

    doc, created = keyed_save(db, scope, case, save)
    if created:
        detail = f"{doc.form} attachment {doc.id}"
        audit_case(db, user, AuditAction.CREATE, case.reference, detail)
    return keyed_answer(db, user, case, doc, created, response)


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

"""Case file workflow routes: submit, return with comments, approve (complete, or with an
override reason), send to the CPS through the file drop, and collect the CPS's answers."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Response

from station_app.server.audit import AuditAction
from station_app.server.casefiles import schemas, store, workflow
from station_app.server.casefiles.cps_exchange import FileDropAdapter
from station_app.server.casefiles.routes_common import (
    EDIT,
    PROBLEMS,
    REVIEW,
    Db,
    Rules,
    Settings,
    SignedIn,
    answer,
    audit_case,
)
from station_app.server.deps import IfMatch

router = APIRouter()


@router.post(
    "/{reference}/submit",
    dependencies=[EDIT],
    response_model=schemas.CaseDetail,
    responses=PROBLEMS,
    summary="Submit the file for supervisor review",
)
def submit(
    reference: str,
    db: Db,
    user: SignedIn,
    standard: Rules,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    case = store.get_case(db, reference)
    store.check_version(if_match, case.version)
    workflow.move(case, "submit", user.username)
    audit_case(db, user, AuditAction.UPDATE, case.reference, "submitted")
    return answer(db, case, standard, response)


@router.post(
    "/{reference}/return",
    dependencies=[REVIEW],
    response_model=schemas.CaseDetail,
    responses=PROBLEMS,
    summary="Return the file to the officer with comments",
)
def return_file(
    reference: str,
    body: schemas.CommentIn,
    db: Db,
    user: SignedIn,
    standard: Rules,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    case = store.get_case(db, reference)
    store.check_version(if_match, case.version)
    workflow.move(case, "return", user.username, body.comment.strip())
    audit_case(db, user, AuditAction.UPDATE, case.reference, "returned")
    return answer(db, case, standard, response)


@router.post(
    "/{reference}/approve",
    dependencies=[REVIEW],
    response_model=schemas.CaseDetail,
    responses=PROBLEMS,
    summary="Approve the file (complete, or with an override reason)",
)
def approve(
    reference: str,
    body: schemas.ApproveIn,
    db: Db,
    user: SignedIn,
    standard: Rules,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    case = store.get_case(db, reference)
    store.check_version(if_match, case.version)
    workflow.approve(db, case, standard, user.username, body.override_reason)
    audit_case(db, user, AuditAction.UPDATE, case.reference, "approved")
    return answer(db, case, standard, response)


@router.post(
    "/{reference}/send",
    dependencies=[REVIEW],
    response_model=schemas.CaseDetail,
    responses=PROBLEMS,
    summary="Send the approved file's bundle to the CPS",
)
def send(
    reference: str,
    body: schemas.SendIn,
    db: Db,
    user: SignedIn,
    standard: Rules,
    settings: Settings,
    response: Response,
    if_match: IfMatch = None,
) -> schemas.CaseDetail:
    case = store.get_case(db, reference)
    store.check_version(if_match, case.version)
    submission = workflow.send(
        db, case, standard, user.username, body.bundle_base64, settings.cps_exchange_dir
    )
    audit_case(db, user, AuditAction.UPDATE, case.reference, f"sent {submission.submission_id}")
    return answer(db, case, standard, response)


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
    return schemas.AcknowledgementList(
        applied=[
            schemas.AcknowledgementOut(
                submission_id=s.submission_id,
                reference=c.reference,
                outcome=s.outcome,
                reasons=s.reasons,
            )
            for s, c in applied
        ]
    )

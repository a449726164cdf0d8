"""What the case file routes share: role guards, the signed-in user, the rules in force,
the audit helper and the case detail answer."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Response
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from station_app.domain.file_standard import FileStandard
from station_app.domain.roles import Role
from station_app.server.audit import AuditAction, record_audit
from station_app.server.casefiles import links, schemas, store
from station_app.server.casefiles.models import CaseFile, CpsSubmission
from station_app.server.casefiles.rules import file_standard, import_file_standard, rules_path
from station_app.server.config import ServerSettings
from station_app.server.deps import (
    CurrentUser,
    current_user,
    get_session,
    get_settings,
    require_roles,
)
from station_app.server.problems import problem_responses

READ = require_roles(Role.DETECTIVE, Role.SUPERVISOR, action="read case files")
EDIT = require_roles(Role.DETECTIVE, action="prepare case files")
REVIEW = require_roles(Role.SUPERVISOR, action="review or send case files")

Db = Annotated[Session, Depends(get_session)]
Settings = Annotated[ServerSettings, Depends(get_settings)]
PROBLEMS = problem_responses(401, 403, 404, 409, 422)
RECORD = "casefile"


# The guard sits in `dependencies=[...]` (the route walk finds it there); the user comes
# from the same cached dependency.
SignedIn = Annotated[CurrentUser, Depends(current_user)]


def rules() -> FileStandard:
    return file_standard()


# (database, rules file version on disk) pairs already published as the dataset.
_published: set[tuple[str, int]] = set()


def publish_rules(db: Session) -> None:
    """Keep the `file_standard` reference dataset in step with the rules file, so clients
    that sync reference data hold the rules in force (checked once per rules file change)."""
    key = (str(db.get_bind().engine.url), rules_path().stat().st_mtime_ns)
    if key in _published:
        return
    try:
        if import_file_standard(db) is not None:
            db.commit()
    except IntegrityError:  # another request published it at the same moment
        db.rollback()
    _published.add(key)


Rules = Annotated[FileStandard, Depends(rules)]


def audit_case(
    db: Session, user: CurrentUser, action: AuditAction, ref: str, detail: str = ""
) -> None:
    record_audit(db, user, action, RECORD, ref, detail, workstation=user.workstation)


def detail_of(db: Session, case: CaseFile, standard: FileStandard) -> schemas.CaseDetail:
    submissions = db.scalars(
        select(CpsSubmission).where(CpsSubmission.case_id == case.id).order_by(CpsSubmission.id)
    )
    return schemas.CaseDetail(
        reference=case.reference,
        file_type=case.file_type,
        status=case.status,
        conditions=case.conditions,
        incident_refs=case.incident_refs,
        custody_refs=case.custody_refs,
        suspects=[schemas.Suspect.model_validate(s) for s in case.suspects],
        hearing_date=case.hearing_date,
        court_code=case.court_code,
        officer_username=case.officer_username,
        officer_name=case.officer_name,
        override_reason=case.override_reason,
        version=case.version,
        created_at=case.created_at,
        updated_at=case.updated_at,
        documents=[store.document_summary(d) for d in case.documents],
        events=[
            schemas.CaseEventOut(at=e.at, username=e.username, action=e.action, comment=e.comment)
            for e in case.events
        ],
        submissions=[
            schemas.SubmissionOut(
                submission_id=s.submission_id,
                sent_at=s.sent_at,
                sent_by=s.sent_by,
                outcome=s.outcome,
                reasons=s.reasons,
            )
            for s in submissions
        ],
        incidents=links.resolve_links(db, case.incident_refs, links.INCIDENT_TABLES),
        custody_records=links.resolve_links(db, case.custody_refs, links.CUSTODY_TABLES),
        completeness=store.completeness_out(case, store.completeness(db, case, standard)),
    )


def answer(
    db: Session, case: CaseFile, standard: FileStandard, response: Response
) -> schemas.CaseDetail:
    db.commit()
    response.headers["ETag"] = f'"{case.version}"'
    return detail_of(db, case, standard)

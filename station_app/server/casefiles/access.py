"""What every case file route shares: the role guards, the case of the path (if the user
may work on its station's cases), the audit row, and the answers documented."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi import Path as PathParam
from sqlalchemy.orm import Session

from station_app.domain.file_standard import (
    CASEFILE_EDIT_ROLES,
    CASEFILE_READ_ROLES,
    CASEFILE_REVIEW_ROLES,
    FileStandard,
)
from station_app.server.casefiles import store
from station_app.server.casefiles.models import CaseFile
from station_app.server.casefiles.rules import file_standard
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.config import ServerSettings
from station_app.server.core.deps import current_user, get_session, get_settings, require_roles
from station_app.server.core.fields import INT32_MAX
from station_app.server.core.identity import CurrentUser
from station_app.server.core.problems import problem_responses
from station_app.server.core.stations import Scope, act_at

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
    check_scope(db, scope, case, "open it" if request.method == "GET" else "change it")
    return case


def check_scope(db: Session, scope: Scope, case: CaseFile, action: str) -> None:
    """Refuse (403), or add the cross-station audit row to the session (again, after a
    rollback)."""
    act_at(
        db,
        scope,
        case.station_code,
        record="This case file belongs to {there}",
        action=action,
        record_type=RECORD,
        record_id=case.reference,
    )


ScopedCase = Annotated[CaseFile, Depends(case_in_scope)]


def audit_case(
    db: Session, user: CurrentUser, action: AuditAction, ref: str, detail: str = ""
) -> None:
    record_audit(db, user, action, RECORD, ref, detail, workstation=user.workstation)

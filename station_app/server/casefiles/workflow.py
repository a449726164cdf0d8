"""The review workflow of a case file, and sending it to the CPS.

draft -> submitted -> returned (with comments) | approved -> sent -> accepted | rejected
(with reasons); a returned or rejected file is fixed by the officer and submitted again,
and a file approved after a rejection is resent. Only a complete file can be approved,
unless a supervisor records why it may go without the missing items
(shared/domain/case-files.md: the supervisor reviews before a file is sent).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.domain.file_standard import FileStandard
from station_app.domain.wire import utc_z_text
from station_app.server.casefiles.cps_exchange import (
    FORMAT,
    FORMAT_VERSION,
    Acknowledgement,
    FileDropAdapter,
)
from station_app.server.casefiles.models import CaseDocument, CaseEvent, CaseFile, CpsSubmission
from station_app.server.casefiles.store import bump, completeness
from station_app.server.core.models import utc_now
from station_app.server.core.problems import ProblemError

# Which action may move a file from which states, and where to.
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft", "returned", "rejected"}), "submitted"),
    "return": (frozenset({"submitted", "approved"}), "returned"),
    "approve": (frozenset({"submitted"}), "approved"),
    "send": (frozenset({"approved"}), "sent"),
}

_WORDS = {
    "submit": "submitted for review",
    "return": "returned to the officer",
    "approve": "approved",
    "send": "sent to the CPS",
}


def move(case: CaseFile, action: str, username: str, comment: str = "") -> None:
    allowed, target = TRANSITIONS[action]
    if case.status not in allowed:
        raise ProblemError(
            409,
            f"Case file {case.reference} is {case.status.replace('_', ' ')}, so it cannot be "
            f"{_WORDS[action]} now. Reload it to see where it has got to.",
        )
    case.status = target
    bump(case)
    case.events.append(CaseEvent(username=username, action=action, comment=comment, at=utc_now()))


def approve(
    session: Session, case: CaseFile, standard: FileStandard, username: str, override: str
) -> None:
    result = completeness(session, case, standard)
    override = override.strip()
    if not result.complete and not override:
        count = len(result.missing)
        raise ProblemError(
            409,
            f"Case file {case.reference} is missing {count} item{'s' if count != 1 else ''} "
            f"of the file standard (first: {result.missing[0].title}). Return it to the officer, "
            "or record why it may go without them.",
            title="File not complete",
        )
    move(case, "approve", username, override and f"Approved incomplete: {override}")
    case.override_reason = override if not result.complete else ""


def submission_id(session: Session, case: CaseFile) -> str:
    count = session.scalar(
        select(func.count()).select_from(CpsSubmission).where(CpsSubmission.case_id == case.id)
    )
    safe = re.sub(r"[^A-Za-z0-9-]", "-", case.reference)
    return f"{safe}-S{int(count or 0) + 1}"


def manifest(
    session: Session, case: CaseFile, standard: FileStandard, sid: str, bundle: bytes, username: str
) -> dict[str, Any]:
    documents = session.scalars(
        select(CaseDocument).where(CaseDocument.case_id == case.id).order_by(CaseDocument.sequence)
    )
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "submission_id": sid,
        "sent_at": utc_z_text(utc_now()),
        "sent_by": username,
        "case": {
            "reference": case.reference,
            "file_type": case.file_type,
            "rules_version": standard.version,
            "officer_in_case": case.officer_name,
            "first_hearing": {
                "date": case.hearing_date.isoformat() if case.hearing_date else None,
                "court_code": case.court_code,
            },
            "suspects": case.suspects,
            "incident_refs": case.incident_refs,
            "custody_refs": case.custody_refs,
            "approval_override": case.override_reason,
        },
        "bundle": {
            "file": f"{sid}.pdf",
            "sha256": hashlib.sha256(bundle).hexdigest(),
            "bytes": len(bundle),
        },
        "documents": [
            {"id": d.id, "form": d.form, "title": d.title, "key": d.key, "sha256": d.sha256}
            for d in documents
        ],
    }


def send(
    session: Session,
    case: CaseFile,
    standard: FileStandard,
    username: str,
    bundle_base64: str,
    exchange: str | None,
) -> CpsSubmission:
    if not exchange:
        raise ProblemError(
            409,
            "Sending to the CPS is not set up on this server. Ask the administrator to set "
            "the CPS exchange folder.",
        )
    try:
        bundle = base64.b64decode(bundle_base64, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ProblemError(
            422, "The bundle could not be read. Build it again and resend."
        ) from error
    if not bundle.startswith(b"%PDF-"):
        raise ProblemError(422, "The bundle is not a PDF. Build it again and resend.")
    earlier = case.status == "approved" and any(e.action == "send" for e in case.events)
    move(case, "send", username, "resent" if earlier else "")
    sid = submission_id(session, case)
    body = manifest(session, case, standard, sid, bundle, username)
    submission = CpsSubmission(
        case_id=case.id,
        submission_id=sid,
        sent_by=username,
        bundle_sha256=body["bundle"]["sha256"],
        outcome="awaiting",
        reasons=[],
    )
    session.add(submission)
    session.flush()  # a clash in the database stops us before anything leaves
    try:
        FileDropAdapter(Path(exchange)).send(sid, bundle, body)
    except OSError as error:
        raise ProblemError(
            409,
            "The CPS exchange folder cannot be written to, so nothing was sent. "
            "Ask the administrator to check the folder, then send again.",
        ) from error
    return submission


def collect_acknowledgements(
    session: Session, exchange: str | None
) -> tuple[list[tuple[CpsSubmission, CaseFile]], list[Acknowledgement]]:
    """Apply every acknowledgement waiting in the exchange folder to the database.

    Returns what was applied and the acknowledgement files to move aside once the caller
    has committed (so an answer is never lost between the folder and the database).
    """
    if not exchange:
        return [], []
    adapter = FileDropAdapter(Path(exchange))
    applied: list[tuple[CpsSubmission, CaseFile]] = []
    done: list[Acknowledgement] = []
    for ack in adapter.acknowledgements():
        submission = session.scalars(
            select(CpsSubmission).where(CpsSubmission.submission_id == ack.submission_id)
        ).first()
        if submission is None or submission.outcome != "awaiting":
            done.append(ack)  # not ours, or already applied: kept, out of the way
            continue
        case = session.get(CaseFile, submission.case_id)
        assert case is not None
        submission.outcome = ack.outcome
        submission.reasons = list(ack.reasons)
        submission.acknowledged_at = utc_now()
        if case.status == "sent":
            case.status = ack.outcome
            bump(case)
            case.events.append(
                CaseEvent(
                    username="CPS", action=ack.outcome, comment="\n".join(ack.reasons), at=utc_now()
                )
            )
        applied.append((submission, case))
        session.flush()
        done.append(ack)
    return applied, done

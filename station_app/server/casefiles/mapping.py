"""Turning case files, their documents and their checklist into the case file routes' JSON
answers. The crime reports and custody records a case names are resolved through the
core's link registry (core/links.py), never through those features' tables."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.file_standard import ATTACHMENT_KINDS, Completeness, FileStandard
from station_app.server.casefiles import schemas, store
from station_app.server.casefiles.hearings import hearing_out
from station_app.server.casefiles.models import CaseDocument, CaseFile, CpsSubmission
from station_app.server.core.links import LinkRegistry

# The record types (core/links.py) behind a case's incident_refs and custody_refs.
INCIDENT = "incident"
CUSTODY_RECORD = "custody_record"


def document_summary(doc: CaseDocument) -> schemas.DocumentSummary:
    return schemas.DocumentSummary(
        id=doc.id,
        sequence=doc.sequence,
        form=doc.form,
        title=doc.title,
        key=doc.key,
        version=doc.version,
        is_attachment=doc.form in ATTACHMENT_KINDS,
        sha256=doc.sha256,
        updated_at=doc.updated_at,
        data=doc.data,
    )


def completeness_out(case: CaseFile, result: Completeness) -> schemas.CompletenessOut:
    return schemas.CompletenessOut(
        reference=case.reference,
        rules_version=result.rules_version,
        file_type=result.file_type,
        complete=result.complete,
        missing_count=len(result.missing),
        items=[
            schemas.ChecklistItem(
                id=i.id, title=i.title, form=i.form, status=i.status.value, sentence=i.sentence
            )
            for i in result.items
        ],
    )


def case_list_out(page: Sequence[tuple[CaseFile, int]], total: int) -> schemas.CaseList:
    return schemas.CaseList(
        cases=[
            schemas.CaseSummary(
                reference=case.reference,
                file_type=case.file_type,
                status=case.status,
                officer_username=case.officer_username,
                officer_name=case.officer_name,
                station_code=case.station_code,
                suspects=[str(s.get("name", "")) for s in case.suspects],
                hearing_date=case.hearing_date,
                court_code=case.court_code,
                days_left=store.days_left(case.hearing_date),
                missing_count=missing,
                version=case.version,
            )
            for case, missing in page
        ],
        total=total,
    )


def links_out(
    db: Session, links: LinkRegistry, record_type: str, references: Sequence[str]
) -> list[schemas.LinkOut]:
    return [
        schemas.LinkOut(reference=link.reference, found=link.found)
        for link in links.resolve(db, record_type, references)
    ]


def case_detail(
    db: Session, case: CaseFile, standard: FileStandard, links: LinkRegistry
) -> schemas.CaseDetail:
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
        suspects=[schemas.SuspectOut.model_validate(s) for s in case.suspects],
        hearing_date=case.hearing_date,
        court_code=case.court_code,
        officer_username=case.officer_username,
        officer_name=case.officer_name,
        station_code=case.station_code,
        override_reason=case.override_reason,
        version=case.version,
        created_at=case.created_at,
        updated_at=case.updated_at,
        documents=[document_summary(d) for d in case.documents],
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
        incidents=links_out(db, links, INCIDENT, case.incident_refs),
        custody_records=links_out(db, links, CUSTODY_RECORD, case.custody_refs),
        completeness=completeness_out(case, store.completeness(db, case, standard)),
        schedule_numbers=dict(case.schedule_numbers or {}),
        people=[schemas.CasePersonOut.model_validate(p) for p in case.people or []],
        hearings=[hearing_out(db, case, hearing) for hearing in case.hearings],
    )


def acknowledgements_out(
    applied: Sequence[tuple[CpsSubmission, CaseFile]],
) -> schemas.AcknowledgementList:
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

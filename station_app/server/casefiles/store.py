"""Reading and writing case files and their documents; completeness against the rules.

Routes stay thin: they check roles and audit, this module does the work. Nothing here
commits; the route commits once, with its audit row.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from station_app.domain.casefile_forms import validate_form
from station_app.domain.disclosure import SCHEDULE_FORMS, ScheduleItem, nil_mg6d_problem
from station_app.domain.file_standard import (
    ATTACHMENT_KINDS,
    STRUCTURED_FORMS,
    CaseFacts,
    Completeness,
    DocumentFacts,
    FileStandard,
    RulesError,
    condition_problems,
    evaluate,
)
from station_app.server.casefiles import attachments, schedules, schemas
from station_app.server.casefiles.models import CaseDocument, CaseFile
from station_app.server.core.idempotency import KeyedRequest
from station_app.server.core.models import utc_now
from station_app.server.core.problems import ProblemError, field_problem
from station_app.server.core.versions import IfMatchRule

# docs/api.md, "Headers": every change to a case file or one of its forms names the version
# it is based on (If-Match); without one it is refused (428), as for incidents and custody,
# so two detectives can never overwrite one another's work unseen (issue 12 #8).
CASE_VERSION = IfMatchRule(
    stale="Someone else changed this case file since you opened it. "
    "Reload it, check their changes, then make yours again.",
    missing="Station did not say which version of the case file this change is based on, so "
    "it was not made. Reload the case file and make your change again.",
)
FORM_VERSION = IfMatchRule(
    stale="Someone else changed this form since you opened it. "
    "Reload it, check their changes, then make yours again.",
    missing="Station did not say which version of the form this change is based on, so it "
    "was not made. Reload the case file and make your change again.",
)

# Workflow states in which the officer may still change the file.
EDITABLE = frozenset({"draft", "returned", "rejected"})
# Listed after every case still in progress.
FINISHED = frozenset({"accepted"})


def today() -> date:
    return datetime.now(UTC).date()


def get_case(session: Session, reference: str) -> CaseFile:
    case = session.scalars(select(CaseFile).where(CaseFile.reference == reference)).first()
    if case is None:
        raise ProblemError(
            404, f"There is no case file {reference}. Check the reference and try again."
        )
    return case


def existing_references(session: Session, references: Sequence[str]) -> set[str]:
    """Which of these references name a case file (the "casefile" record type, core/links.py)."""
    query = select(CaseFile.reference).where(CaseFile.reference.in_(list(references)))
    return set(session.scalars(query))


def check_editable(case: CaseFile) -> None:
    if case.status not in EDITABLE:
        raise ProblemError(
            409,
            f"Case file {case.reference} is {case.status.replace('_', ' ')} and cannot be "
            "changed now. Ask the supervisor to return it if something must change.",
        )


def check_file_type(standard: FileStandard, fields: schemas.CaseFields) -> None:
    errors: list[dict[str, str]] = []
    if fields.file_type not in standard.file_types:
        known = ", ".join(standard.file_types)
        errors.append({"field": "file_type", "message": f"Choose a file type: {known}."})
    # Unknown questions, and the Streamlined Disclosure Certificate only as agreed locally.
    problems = condition_problems(standard, fields.file_type, fields.conditions)
    if problems:
        errors.append({"field": "conditions", "message": problems[0]})
    if errors:
        raise ProblemError(422, errors[0]["message"], errors=errors)


def bump(case: CaseFile) -> None:
    case.version += 1
    case.updated_at = utc_now()


def apply_fields(case: CaseFile, fields: schemas.CaseFields) -> None:
    case.file_type = fields.file_type
    case.conditions = sorted(set(fields.conditions))
    case.incident_refs = [r.strip() for r in fields.incident_refs if r.strip()]
    case.custody_refs = [r.strip() for r in fields.custody_refs if r.strip()]
    case.suspects = _keep_charge_facts(case.suspects or [], fields.suspects)
    case.hearing_date = fields.hearing_date
    case.court_code = fields.court_code


# What a charge in custody wrote on a suspect (casefiles/journey.py): an edit of the file's
# details does not send them, and keeps them.
CHARGE_FACTS = (
    "address",
    "postcode",
    "custody_number",
    "arrested_at",
    "arrived_at",
    "charged_at",
    "charged_by",
    "investigation_began_at",
    "after_charge",
    "bail_conditions",
)


def _keep_charge_facts(
    before: Sequence[dict[str, Any]], suspects: Sequence[schemas.Suspect]
) -> list[dict[str, Any]]:
    kept = []
    for suspect in suspects:
        row = suspect.model_dump(mode="json")
        earlier = next(
            (
                old
                for old in before
                if (row["person_id"] and old.get("person_id") == row["person_id"])
                or (
                    old.get("name") == row["name"]
                    and old.get("date_of_birth") == row["date_of_birth"]
                )
            ),
            None,
        )
        if earlier is not None:
            row.update({k: earlier[k] for k in CHARGE_FACTS if k in earlier})
        kept.append(row)
    return kept


def completeness(session: Session, case: CaseFile, standard: FileStandard) -> Completeness:
    rows = session.execute(
        select(CaseDocument.form, CaseDocument.key).where(CaseDocument.case_id == case.id)
    ).all()
    facts = CaseFacts(
        case.file_type, frozenset(case.conditions), [DocumentFacts(f, k) for f, k in rows]
    )
    return evaluate(standard, facts)


def days_left(hearing: date | None) -> int | None:
    return None if hearing is None else (hearing - today()).days


def list_cases(
    session: Session,
    standard: FileStandard,
    officer: str | None,
    status: str | None,
    offset: int,
    limit: int,
    stations: frozenset[str] | None = None,
) -> tuple[list[tuple[CaseFile, int]], int]:
    """One page of (case, missing item count), sorted by urgency, and the total: the
    nearest hearing first (past ones first of all), then the most missing items; cases
    with no hearing date last, finished ones at the end. Only cases of `stations`, unless
    None (core/stations.py).

    Two reads: the keys of every matching case (status, hearing date, reference: narrow
    columns, no documents), sorted; then whole cases and their documents only for the
    hearing dates the page reaches, where the missing items break ties. A force-wide list of
    100,000 cases reads 100,000 small key rows, not 100,000 cases and their documents."""
    keys_query = select(CaseFile.id, CaseFile.status, CaseFile.hearing_date, CaseFile.reference)
    if stations is not None:
        keys_query = keys_query.where(CaseFile.station_code.in_(sorted(stations)))
    if officer:
        keys_query = keys_query.where(CaseFile.officer_username == officer)
    if status:
        keys_query = keys_query.where(CaseFile.status.in_(status.split(",")))
    keys = list(session.execute(keys_query))

    def group(key: Any) -> tuple[bool, bool, int]:
        left = days_left(key.hearing_date)
        return (key.status in FINISHED, left is None, left or 0)

    keys.sort(key=lambda key: (group(key), key.reference))
    window = keys[offset : offset + limit]
    if not window:
        return [], len(keys)
    # Every case sharing a hearing date with the page's first or last is in play: the
    # missing items order them, and may move one of them onto or off the page.
    first, last = group(window[0]), group(window[-1])
    wanted = [key.id for key in keys if first <= group(key) <= last]
    cases = list(session.scalars(select(CaseFile).where(CaseFile.id.in_(wanted))))
    documents: dict[int, list[DocumentFacts]] = defaultdict(list)
    rows = session.execute(
        select(CaseDocument.case_id, CaseDocument.form, CaseDocument.key).where(
            CaseDocument.case_id.in_(wanted)
        )
    )
    for case_id, form, key in rows:
        documents[case_id].append(DocumentFacts(form, key))
    counted: list[tuple[CaseFile, int]] = []
    for case in cases:
        try:
            missing = len(
                evaluate(
                    standard,
                    CaseFacts(case.file_type, frozenset(case.conditions), documents[case.id]),
                ).missing
            )
        except RulesError:
            missing = 0  # a file type the current rules no longer know
        counted.append((case, missing))

    def urgency(entry: tuple[CaseFile, int]) -> tuple[tuple[bool, bool, int], int, str]:
        case, missing = entry
        return (group(case), -missing, case.reference)

    counted.sort(key=urgency)
    before = sum(1 for key in keys if group(key) < first)
    start = offset - before
    return counted[start : start + limit], len(keys)


def next_sequence(session: Session, case: CaseFile) -> int:
    top = session.scalar(
        select(func.max(CaseDocument.sequence)).where(CaseDocument.case_id == case.id)
    )
    return int(top or 0) + 1


def data_hash(data: dict[str, Any]) -> str:
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _schedule_items(form_in: schemas.FormIn) -> list[ScheduleItem]:
    return [ScheduleItem(i.description, i.number, i.location, i.remarks) for i in form_in.items]


def save_form(
    session: Session,
    case: CaseFile,
    form_in: schemas.FormIn,
    username: str,
    doc: CaseDocument | None = None,
) -> CaseDocument:
    """Validate a structured form and store it; schedules get their running numbers."""
    if form_in.form not in STRUCTURED_FORMS:
        raise ProblemError(
            422,
            f"{form_in.form} is not a form Station holds. Attach it as a PDF instead.",
            errors=[{"field": "form", "message": "Choose one of the MG forms Station holds."}],
        )
    if doc is not None and doc.form != form_in.form:
        raise ProblemError(
            422, f"This document is an {doc.form}; it cannot become an {form_in.form}."
        )
    errors = validate_form(form_in.form, form_in.data, today())
    if errors:
        raise field_problem({f"data.{name}": text for name, text in errors.items()})
    data = dict(form_in.data)
    items = _schedule_items(form_in)
    if form_in.form == "MG6D":
        problem = nil_mg6d_problem(bool(data.get("nil")), items, str(data.get("signed_by") or ""))
        if problem:  # CPS Disclosure Manual ch.8: nil MG6D signed, or a list of items
            raise field_problem({"items": problem})
        schedules.check_mg6d_beside_others(
            session, case, doc.id if doc else None, bool(data.get("nil"))
        )
    if form_in.form == "MG6C" and not items:
        raise ProblemError(422, "List at least one item on the MG6C schedule.")
    if form_in.form == "MG6E" and data.get("undermining_items"):
        data["undermining_items"] = schedules.checked_mg6e_items(
            session, case, str(data["undermining_items"])
        )
    bump(case)  # takes the case's write lock before numbering (one numbering at a time)
    session.flush()
    if doc is None:
        doc = CaseDocument(
            case_id=case.id,
            sequence=next_sequence(session, case),
            form=form_in.form,
            title=form_in.form,
            created_by=username,
            data={},
            sha256="",
        )
        session.add(doc)
        session.flush()
    else:
        doc.version += 1
        doc.updated_at = utc_now()
    if form_in.form in SCHEDULE_FORMS:
        data["items"] = schedules.number_items(session, case, doc, items)
    doc.title = form_in.title or f"{form_in.form} {STRUCTURED_FORMS[form_in.form]}"
    doc.key = form_in.key
    doc.data = data
    doc.sha256 = data_hash(data)
    return doc


def earlier_document(
    session: Session, case: CaseFile, keyed: KeyedRequest | None
) -> CaseDocument | None:
    """The document this user's key already made with this same request, or None; a key
    used for anything else: 422 (core/idempotency.py)."""
    earlier = keyed.earlier(session) if keyed else None
    if earlier is None:
        return None
    doc = session.get(CaseDocument, int(earlier))
    if doc is None or doc.case_id != case.id:
        assert keyed is not None
        raise keyed.refused("a document no longer in this case file")
    return doc


def _remember(
    session: Session, case: CaseFile, doc: CaseDocument, keyed: KeyedRequest | None
) -> None:
    if keyed:
        keyed.remember(session, str(doc.id), f"{doc.form} (document {doc.id}) in {case.reference}")


def save_new_form(
    session: Session,
    case: CaseFile,
    form_in: schemas.FormIn,
    username: str,
    keyed: KeyedRequest | None,
) -> tuple[CaseDocument, bool]:
    """Add a structured form; (document, created). Not committed. This user's key again, with
    the same form for the same case, gives back the document it made, even once the file
    has gone for review; with anything else, 422."""
    earlier = earlier_document(session, case, keyed)
    if earlier is not None:
        return earlier, False
    check_editable(case)
    doc = save_form(session, case, form_in, username)
    _remember(session, case, doc, keyed)
    return doc, True


def add_attachment(
    session: Session,
    case: CaseFile,
    body: schemas.AttachmentIn,
    username: str,
    max_bytes: int,
    keyed: KeyedRequest | None = None,
) -> tuple[CaseDocument, bool]:
    """Attach a checked PDF; (document, created). Not committed. Keys as `save_new_form`."""
    earlier = earlier_document(session, case, keyed)
    if earlier is not None:
        return earlier, False
    check_editable(case)
    if body.kind not in ATTACHMENT_KINDS:
        known = ", ".join(ATTACHMENT_KINDS)
        raise ProblemError(422, f"Choose what the attachment is: one of {known}.")
    content = attachments.decode(body.content_base64)
    attachments.check_attachment(content, max_bytes)
    bump(case)
    session.flush()
    doc = CaseDocument(
        case_id=case.id,
        sequence=next_sequence(session, case),
        form=body.kind,
        title=body.title,
        key=body.key,
        data={"bytes": len(content)},
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=username,
    )
    session.add(doc)
    session.flush()
    _remember(session, case, doc, keyed)
    return doc, True


def get_document(session: Session, case: CaseFile, document_id: int) -> CaseDocument:
    doc = session.get(CaseDocument, document_id)
    if doc is None or doc.case_id != case.id:
        raise ProblemError(404, f"Case file {case.reference} has no document {document_id}.")
    return doc

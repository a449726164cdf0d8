"""Who a case file names, for person links (core/links.py): each defendant (the file's
suspects) and each witness who made an MG11 statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.people import LinkRole, split_full_name
from station_app.domain.wire import date_or_none
from station_app.server.casefiles.models import CaseDocument, CaseFile
from station_app.server.core.links import PersonAppearance


def _named(name: Any, born: Any, role: LinkRole, slot: str, **more: Any) -> PersonAppearance:
    surname, forenames = split_full_name(str(name or ""))
    return PersonAppearance(
        role=role.value,
        slot=slot[:60],
        surname=surname,
        forenames=forenames,
        date_of_birth=date_or_none(born),
        **more,
    )


def people_named(
    session: Session, references: Sequence[str] | None
) -> dict[str, list[PersonAppearance]]:
    """The people each case file names, as of the file's opening (an MG11 witness: the
    statement's); every file when `references` is None."""
    query = select(
        CaseFile.id, CaseFile.reference, CaseFile.suspects, CaseFile.people, CaseFile.created_at
    ).order_by(CaseFile.id)
    if references is not None:
        query = query.where(CaseFile.reference.in_(list(references)))
    cases = session.execute(query).all()
    found: dict[str, list[PersonAppearance]] = {}
    by_id: dict[int, str] = {}
    for case_id, reference, suspects, people, opened_at in cases:
        by_id[case_id] = reference
        found[reference] = [
            _named(
                suspect.get("name"),
                suspect.get("date_of_birth"),
                LinkRole.DEFENDANT,
                f"defendant {number}",
                person_id=suspect.get("person_id") or None,
                at=opened_at,
            )
            for number, suspect in enumerate(suspects or [], start=1)
        ]
        # Victims and witnesses a charge brought from the linked reports (casefiles/journey.py)
        found[reference] += [
            _named(
                person.get("name"),
                person.get("date_of_birth"),
                LinkRole(person.get("role")),
                str(person.get("slot")),
                person_id=person.get("person_id") or None,
                address=str(person.get("address") or ""),
                postcode=str(person.get("postcode") or ""),
                at=opened_at,
            )
            for person in people or []
            if person.get("role") in (LinkRole.VICTIM, LinkRole.WITNESS)
        ]
    if by_id:
        statements = session.execute(
            select(
                CaseDocument.case_id, CaseDocument.id, CaseDocument.data, CaseDocument.created_at
            )
            .where(CaseDocument.case_id.in_(list(by_id)), CaseDocument.form == "MG11")
            .order_by(CaseDocument.id)
        )
        for case_id, document_id, data, made_at in statements:
            data = data or {}
            found[by_id[case_id]].append(
                _named(
                    data.get("witness_name"),
                    data.get("date_of_birth"),
                    LinkRole.WITNESS,
                    f"MG11 {document_id}",
                    address=" ".join(str(data.get("address") or "").split()),
                    person_id=data.get("person_id") or None,
                    at=made_at,
                )
            )
    return found

"""The disclosure schedules of a case on the server: numbering MG6C and MG6D items, each
kind of schedule on its own (domain.disclosure; CPS Disclosure Manual ch.7), a nil MG6D or
a listed one but never both (ch.8), and the MG6E's references to items (ch.10).

Called by `store.save_form` after the case's write lock is taken (its version is bumped
first), so two saves never number at once.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.disclosure import (
    SCHEDULE_FORMS,
    Schedule,
    ScheduleError,
    ScheduleItem,
    format_item_references,
    mixed_mg6d_problem,
    number_schedule_items,
    parse_item_references,
)
from station_app.server.casefiles.models import CaseDocument, CaseFile
from station_app.server.core.problems import ProblemError, field_problem


def _schedule_documents(
    session: Session, case: CaseFile, forms: tuple[str, ...] = SCHEDULE_FORMS
) -> list[CaseDocument]:
    return list(
        session.scalars(
            select(CaseDocument).where(
                CaseDocument.case_id == case.id, CaseDocument.form.in_(forms)
            )
        )
    )


def _schedule(doc: CaseDocument) -> Schedule:
    items = tuple(
        ScheduleItem(str(i.get("description", "")), i.get("number"))
        for i in doc.data.get("items", [])
    )
    return Schedule(doc.form, doc.sequence, items)


def number_items(
    session: Session, case: CaseFile, doc: CaseDocument, items: list[ScheduleItem]
) -> list[dict[str, Any]]:
    """The items of `doc` with their numbers: kept where given, the next of the schedule's
    own kind where new. The case remembers the highest number given on each kind, so a
    number is never given twice even after its item is taken off."""
    own = {int(i["number"]) for i in doc.data.get("items", []) if i.get("number")}
    stray = [i.number for i in items if i.number is not None and i.number not in own]
    if stray:
        raise ProblemError(
            422,
            f"Item number {stray[0]} does not belong to this schedule. Leave the number "
            "empty for a new item; Station gives it the next number.",
        )
    schedules = [_schedule(d) for d in _schedule_documents(session, case) if d.id != doc.id]
    schedules.append(Schedule(doc.form, doc.sequence, tuple(items)))
    given = dict(case.schedule_numbers or {})
    try:
        numbered = number_schedule_items(schedules, given)
    except ScheduleError as error:
        raise ProblemError(422, str(error)) from error
    mine = next(s for s in numbered if s.sequence == doc.sequence)
    highest = max((i.number or 0 for i in mine.items), default=0)
    if highest > given.get(doc.form, 0):
        case.schedule_numbers = {**given, doc.form: highest}
    return [
        {
            "number": i.number,
            "description": i.description,
            "location": i.location,
            "remarks": i.remarks,
        }
        for i in mine.items
    ]


def check_mg6d_beside_others(
    session: Session, case: CaseFile, doc_id: int | None, nil: bool
) -> None:
    """CPS Disclosure Manual ch.8: a case has a nil MG6D or a listed one, never both."""
    others = [
        bool(d.data.get("nil"))
        for d in _schedule_documents(session, case, ("MG6D",))
        if d.id != doc_id
    ]
    problem = mixed_mg6d_problem(nil, others)
    if problem:
        raise field_problem({"data.nil": problem})


def checked_mg6e_items(session: Session, case: CaseFile, listed: str) -> str:
    """CPS Disclosure Manual ch.10: the MG6E refers to schedule items by schedule and
    number, so each it names must be on a schedule of that kind of this case. Returns the
    references as Station prints them ("MG6C 3, MG6D 1")."""
    try:
        wanted = parse_item_references(listed)
    except ScheduleError as error:
        raise field_problem({"data.undermining_items": str(error)}) from error
    held = {
        (doc.form, int(item["number"]))
        for doc in _schedule_documents(session, case)
        for item in doc.data.get("items", [])
        if item.get("number")
    }
    stray = [reference for reference in wanted if reference not in held]
    if stray:
        form, number = stray[0]
        message = f"There is no item {number} on this case's {form}. Check the schedule's numbers."
        raise field_problem({"data.undermining_items": message})
    return format_item_references(wanted)

"""Court hearings of a case and the court's results per charge (issue 10; domain/court.py).

A result updates the case (its history, its next hearing date, and "finalised" once every
charge has a final result; an adjournment lists the next hearing) and tells each linked
crime report, whose timeline shows it and whose victim's update letter prints it (Victims'
Code: the right to be told the outcome). Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.clock import london
from station_app.domain.court import (
    FINAL_OUTCOMES,
    OUTCOME_TITLES,
    Outcome,
    result_problems,
    result_sentence,
)
from station_app.domain.people import LinkRole, format_person_id, split_full_name
from station_app.domain.wire import parse_utc
from station_app.server.casefiles import schemas
from station_app.server.casefiles.models import CaseEvent, CaseFile, CaseHearing
from station_app.server.casefiles.store import bump
from station_app.server.core.links import (
    LinkRegistry,
    PersonAppearance,
    RecordLink,
    RecordNote,
    RecordSummary,
)
from station_app.server.core.models import utc_now
from station_app.server.core.problems import ProblemError, field_problem
from station_app.server.core.reference_data import reference_row, reference_rows
from station_app.server.core.versions import IfMatchRule

RECORD = "hearing"
HEARING_VERSION = IfMatchRule(
    stale="Someone else recorded this hearing's result since you opened it. Reload the case "
    "and check their result.",
    missing="Station did not say which version of the hearing this result is for, so it was "
    "not recorded. Reload the case file and enter the result again.",
)


def hearing_reference(case: CaseFile, hearing: CaseHearing) -> str:
    """How other records and the audit trail name a hearing: `SW-26-0142/H1`."""
    return f"{case.reference}/H{hearing.sequence}"


def get_hearing(case: CaseFile, hearing_id: int) -> CaseHearing:
    for hearing in case.hearings:
        if hearing.id == hearing_id:
            return hearing
    raise ProblemError(
        404, f"Case file {case.reference} has no hearing {hearing_id}. Reload the case file."
    )


def _court(session: Session, code: str) -> str:
    row = reference_row(session, "courts", code)
    return row.label if row is not None else code


def check_court(session: Session, code: str) -> None:
    if reference_row(session, "courts", code) is None:
        raise field_problem({"court_code": f"There is no court {code}. Choose it from the list."})


def add_hearing(
    session: Session, case: CaseFile, body: schemas.HearingIn, username: str
) -> CaseHearing:
    check_court(session, body.court_code)
    hearing = CaseHearing(
        sequence=max((h.sequence for h in case.hearings), default=0) + 1,
        court_code=body.court_code,
        sitting_at=body.sitting_at,
        results=[],
        result_by="",
        version=1,
        created_by=username,
        created_at=utc_now(),
    )
    case.hearings.append(hearing)
    next_hearing_date(case)
    case.events.append(
        CaseEvent(
            username=username,
            action="hearing",
            comment=f"Hearing listed at {_court(session, body.court_code)}, "
            f"{_local(body.sitting_at)}.",
            at=utc_now(),
        )
    )
    bump(case)
    session.flush()
    return hearing


def _local(when: datetime) -> str:
    return when.astimezone(london()).strftime("%d/%m/%Y %H:%M")


def next_hearing_date(case: CaseFile) -> None:
    """The case's hearing date: the next hearing without a result, if any."""
    waiting = [h.sitting_at for h in case.hearings if not h.results]
    if waiting:
        case.hearing_date = min(waiting).astimezone(london()).date()
        case.court_code = min(
            (h for h in case.hearings if not h.results), key=lambda h: h.sitting_at
        ).court_code


def record_results(
    session: Session,
    links: LinkRegistry,
    case: CaseFile,
    hearing: CaseHearing,
    body: schemas.ResultsIn,
    username: str,
) -> list[str]:
    """Check and store the results; list the next hearings of adjourned charges; update the
    case and tell its crime reports. The sentences written on the case's history."""
    if hearing.results:
        raise ProblemError(
            409,
            f"The result of hearing {hearing.sequence} is already recorded. Add the next "
            "hearing and record its result there.",
        )
    suspects = case.suspects or []
    errors: dict[str, str] = {}
    rows: list[dict[str, Any]] = []
    for index, result in enumerate(body.results):
        data = result.model_dump(mode="json")
        if result.defendant > len(suspects):
            errors[f"results.{index}.defendant"] = (
                f"The file has {len(suspects)} defendant(s); there is no defendant "
                f"{result.defendant}."
            )
            continue
        charged = [c.get("offence_code") for c in suspects[result.defendant - 1].get("charges", [])]
        if result.offence_code not in charged:
            errors[f"results.{index}.offence_code"] = (
                f"{result.offence_code} is not a charge of defendant {result.defendant}. "
                "Choose one of their charges."
            )
        for name, sentence in result_problems(data).items():
            errors[f"results.{index}.{name}"] = sentence
        rows.append({k: v for k, v in data.items() if v not in (None, "")} | {"plea": data["plea"]})
    if errors:
        raise field_problem(errors)
    offences = reference_rows(session, "offences", [r["offence_code"] for r in rows])
    sentences = []
    for row in rows:
        name = str(suspects[row["defendant"] - 1].get("name", ""))
        offence = offences[row["offence_code"]].label if row["offence_code"] in offences else ""
        row["words"] = result_sentence(row, name, offence or row["offence_code"])
        sentences.append(row["words"])
    now = utc_now()
    hearing.results, hearing.result_by, hearing.result_at = rows, username, now
    hearing.version += 1
    for row in rows:  # an adjournment lists the next hearing (once per date and court)
        if row["outcome"] == Outcome.ADJOURNED:
            when = parse_utc(row["next_hearing_at"])
            if not any(h.sitting_at == when and not h.results for h in case.hearings):
                case.hearings.append(
                    CaseHearing(
                        sequence=max(h.sequence for h in case.hearings) + 1,
                        court_code=hearing.court_code,
                        sitting_at=when,
                        results=[],
                        result_by="",
                        version=1,
                        created_by=username,
                        created_at=now,
                    )
                )
    next_hearing_date(case)
    finished = final_outcomes(case)
    if finished and case.status != "finalised":
        case.status = "finalised"
    court = _court(session, hearing.court_code)
    summary = f"Court result, {court}, {_local(hearing.sitting_at)}: " + ". ".join(sentences)
    case.events.append(CaseEvent(username=username, action="result", comment=summary, at=now))
    bump(case)
    session.flush()
    note = RecordNote(
        kind="court_result",
        text=summary + ".",
        source_type=RECORD,
        source_reference=hearing_reference(case, hearing),
        at=hearing.sitting_at,
        data={
            "case_file": case.reference,
            "court_code": hearing.court_code,
            "court": court,
            "sitting_at": hearing.sitting_at.isoformat(),
            "results": [
                {**row, "offence": offences[row["offence_code"]].label}
                if row["offence_code"] in offences
                else dict(row)
                for row in rows
            ],
            "defendants": [str(s.get("name", "")) for s in suspects],
            "finished": finished,
        },
    )
    for incident in case.incident_refs:
        links.relate(session, "casefile", case.reference, "incident", incident, "crime", username)
        links.tell(session, "incident", incident, note, username)
    for listed in case.hearings:  # this one and the next one listed: the defendants at each
        links.note_people(session, RECORD, hearing_reference(case, listed), username)
    return sentences


def final_outcomes(case: CaseFile) -> bool:
    """Every charge of every defendant has a final result (convicted, acquitted, withdrawn)."""
    done: set[tuple[int, str]] = set()
    for hearing in case.hearings:
        for row in hearing.results or []:
            if row.get("outcome") in FINAL_OUTCOMES:
                done.add((int(row["defendant"]), str(row["offence_code"])))
    wanted = {
        (number, str(charge.get("offence_code")))
        for number, suspect in enumerate(case.suspects or [], start=1)
        for charge in suspect.get("charges") or []
    }
    return bool(wanted) and wanted <= done


def hearing_out(session: Session, case: CaseFile, hearing: CaseHearing) -> schemas.HearingOut:
    suspects = case.suspects or []
    codes = [str(r.get("offence_code")) for r in hearing.results or []]
    offences = reference_rows(session, "offences", codes) if codes else {}
    results = []
    for row in hearing.results or []:
        number = int(row.get("defendant", 1))
        code = str(row.get("offence_code", ""))
        results.append(
            schemas.ResultOut(
                defendant=number,
                defendant_name=str(suspects[number - 1].get("name", ""))
                if number <= len(suspects)
                else "",
                offence_code=code,
                offence=offences[code].label if code in offences else code,
                plea=str(row.get("plea") or ""),
                outcome=str(row.get("outcome") or ""),
                remand=str(row.get("remand") or ""),
                next_hearing_at=row.get("next_hearing_at"),
                sentence=str(row.get("sentence") or ""),
                words=str(row.get("words") or OUTCOME_TITLES.get(Outcome(row["outcome"]), "")),
            )
        )
    return schemas.HearingOut(
        id=hearing.id,
        sequence=hearing.sequence,
        court_code=hearing.court_code,
        court=_court(session, hearing.court_code),
        sitting_at=hearing.sitting_at,
        results=results,
        result_by=hearing.result_by,
        result_at=hearing.result_at,
        version=hearing.version,
    )


# --- the "hearing" record type (core/links.py) ------------------------------------------------


def _split(reference: str) -> tuple[str, int] | None:
    case_reference, _, number = reference.rpartition("/H")
    return (case_reference, int(number)) if case_reference and number.isdigit() else None


def _hearings(
    session: Session, references: Sequence[str] | None
) -> list[tuple[str, CaseFile, CaseHearing]]:
    query = select(CaseHearing, CaseFile).join(CaseFile, CaseFile.id == CaseHearing.case_id)
    if references is not None:
        wanted = {parsed for parsed in map(_split, references) if parsed}
        if not wanted:
            return []
        query = query.where(CaseFile.reference.in_({case for case, _ in wanted}))
    else:
        wanted = set()
    found = []
    for hearing, case in session.execute(query.order_by(CaseHearing.id)):
        if references is None or (case.reference, hearing.sequence) in wanted:
            found.append((hearing_reference(case, hearing), case, hearing))
    return found


def existing_hearings(session: Session, references: Sequence[str]) -> set[str]:
    return {reference for reference, _, _ in _hearings(session, references)}


def defendants_at(
    session: Session, references: Sequence[str] | None
) -> dict[str, list[PersonAppearance]]:
    """Who each hearing names: the case's defendants, each as the person the case links
    (never a new person), for person links (core/links.py)."""
    found: dict[str, list[PersonAppearance]] = {}
    for reference, case, _hearing in _hearings(session, references):
        rows = session.execute(
            select(RecordLink.slot, RecordLink.person_id).where(
                RecordLink.record_type == "casefile", RecordLink.reference == case.reference
            )
        )
        linked = {slot: person for slot, person in rows}
        people = []
        for number, suspect in enumerate(case.suspects or [], start=1):
            surname, forenames = split_full_name(str(suspect.get("name") or ""))
            person_id = suspect.get("person_id")
            if not person_id and f"defendant {number}" in linked:
                person_id = format_person_id(linked[f"defendant {number}"])
            people.append(
                PersonAppearance(
                    role=LinkRole.DEFENDANT.value,
                    slot=f"defendant {number}",
                    surname=surname,
                    forenames=forenames,
                    person_id=person_id or None,
                )
            )
        found[reference] = people
    return found


def summarise_hearings(session: Session, references: Sequence[str]) -> dict[str, RecordSummary]:
    found = {}
    for reference, case, hearing in _hearings(session, references):
        lines = [f"{_court(session, hearing.court_code)}, {_local(hearing.sitting_at)}"]
        lines += [str(r.get("words", "")) for r in hearing.results or []] or ["No result yet"]
        found[reference] = RecordSummary(
            heading=f"Hearing {hearing.sequence} of case file {case.reference}",
            lines=tuple(lines),
            at=hearing.sitting_at,
            station_code=case.station_code,
        )
    return found


def hearings_of(session: Session, case_reference: str) -> list[tuple[str, str, str]]:
    """A case's hearings, as parts of the case for the crime view (core/links.py)."""
    case = session.scalars(select(CaseFile).where(CaseFile.reference == case_reference)).first()
    if case is None:
        return []
    return [(RECORD, hearing_reference(case, h), "hearing") for h in case.hearings]

"""Routes of people (shared/docs/people.md; docs/api.md, "People"): the person search, one
person with the timeline of their roles, suggested merges, merge and unmerge. Every read
and search writes an audit row; merges are for supervisors and administrators only."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from fastapi import Path as PathParam
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from starlette.convertors import Convertor, register_url_convertor

from station_app.domain.people import format_person_id
from station_app.domain.roles import Role
from station_app.domain.wire import parse_iso_date
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.deps import Links, get_session, require_roles
from station_app.server.core.edge import CLEANS_ITS_OWN_TEXT
from station_app.server.core.identity import CurrentUser
from station_app.server.core.problems import field_problem, problem_responses
from station_app.server.people import merges, schemas, store
from station_app.server.people.mapping import candidates_out, person_out, suggestions_out
from station_app.server.people.scoring import SearchQuery
from station_app.server.people.search import search_reading


class _PersonIdConvertor(Convertor[str]):
    """Only a person id (`P-000123`, `p-123`) is a person's path, so `/people/search` is the
    search's path alone: a GET there is a 405 naming POST, not a read of person "search"."""

    regex = "[Pp]-[0-9]{1,18}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("person_id", _PersonIdConvertor())

router = APIRouter(prefix="/people", tags=["people"])

# shared/docs/people.md: every role that enters or reads people.
READ = require_roles(*Role, action="search for or read people")
MERGE = require_roles(Role.SUPERVISOR, Role.ADMIN, action="merge people")

Db = Annotated[Session, Depends(get_session)]
Reader = Annotated[CurrentUser, Depends(READ.dependency)]
Merger = Annotated[CurrentUser, Depends(MERGE.dependency)]
PersonId = Annotated[
    str,
    PathParam(
        max_length=40,
        pattern=f"^{_PersonIdConvertor.regex}$",
        description="The person's id, such as P-000123.",
    ),
]

RECORD = "person"
SEARCH_RECORD = "people"  # shared/docs/people.md: the search's audit rows
MAX_TYPED = 200  # what a search reads of each field; longer text is not refused
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]+")  # and lone surrogates
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FORM = "Give the date of birth as YYYY-MM-DD, for example 1984-07-02."
SEARCH_FIELDS = ("surname", "forenames", "date_of_birth", "address", "postcode")
PAGE_FROM = {"minimum": 0, "maximum": 1_000_000}
PAGE_SIZE = {"minimum": 1, "maximum": 200}


def _typed(value: str | None) -> str:
    """What was typed, without control characters, at most MAX_TYPED characters."""
    return " ".join(_CONTROL.sub(" ", value or "").split())[:MAX_TYPED]


def _date_of_birth(text: str) -> dt.date | None:
    if not text:
        return None
    if not _ISO_DATE.match(text):
        raise field_problem({"date_of_birth": DATE_FORM})
    try:
        return parse_iso_date(text)
    except ValueError:
        raise field_problem(
            {"date_of_birth": f"There is no such date as {text}. {DATE_FORM}"}
        ) from None


def _limit(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise field_problem({"limit": "Ask for between 1 and 50 people."})
    try:
        number = int(value)
    except ValueError:
        raise field_problem({"limit": "Ask for between 1 and 50 people."}) from None
    if not 1 <= number <= 50:
        raise field_problem({"limit": "Ask for between 1 and 50 people."})
    return number


def _audit(
    session: Session, user: CurrentUser, action: AuditAction, person_id: str, detail: str
) -> None:
    record_audit(session, user, action, RECORD, person_id, detail, user.workstation)


@router.post(
    "/search",
    response_model=schemas.SearchOut,
    dependencies=[READ],
    summary="Find a person by what you were told: names, date of birth, address, postcode",
    responses=problem_responses(400, 401, 403, 422),
    openapi_extra=CLEANS_ITS_OWN_TEXT,
)
def search_people(body: schemas.SearchIn, user: Reader, session: Db) -> Response:
    typed = {name: _typed(getattr(body, name)) for name in SEARCH_FIELDS}
    limit = _limit(body.limit)
    born = _date_of_birth(typed["date_of_birth"])
    if not (typed["surname"] or typed["forenames"]):
        message = (
            "Give a surname or forenames as well as the date of birth: a date of birth alone "
            "fits too many people."
            if born or typed["address"] or typed["postcode"]
            else "Give a surname or forenames to search for a person."
        )
        raise field_problem({"surname": message})
    query = SearchQuery(
        surname=typed["surname"],
        forenames=typed["forenames"],
        date_of_birth=born,
        address=typed["address"],
        postcode=typed["postcode"],
    )
    candidates = candidates_out(*search_reading(session, query, limit), session)
    # shared/docs/people.md: one row per search; the detail holds only what was typed.
    record_audit(
        session,
        user,
        AuditAction.SEARCH,
        SEARCH_RECORD,
        ",".join(c.person_id for c in candidates) or "none",
        "; ".join(f"{name}={value}" for name, value in typed.items() if value),
        user.workstation,
    )
    session.commit()
    # Built and checked once, here: returned as a model, FastAPI would check it again
    # against the response model and then serialise it, on every search.
    answer = schemas.SearchOut(candidates=candidates)
    return Response(answer.model_dump_json(), media_type="application/json")


@router.get(
    "/duplicates",
    response_model=schemas.SuggestionPage,
    dependencies=[MERGE],
    summary="Suggested merges: people probably entered twice, most likely first",
    responses=problem_responses(401, 403, 422),
)
def list_duplicates(
    user: Merger,
    session: Db,
    offset: Annotated[
        int, Query(description="How many to skip, 0-1,000,000.", json_schema_extra=PAGE_FROM)
    ] = 0,
    limit: Annotated[
        int, Query(description="How many pairs at most, 1-200.", json_schema_extra=PAGE_SIZE)
    ] = 50,
) -> schemas.SuggestionPage:
    # Checked here: the sentences name suggested merges, not the shared words for a limit.
    if not 0 <= offset <= 1_000_000:
        raise field_problem({"query.offset": "Start from a number between 0 and 1,000,000."})
    if not 1 <= limit <= 200:
        raise field_problem({"query.limit": "Ask for between 1 and 200 suggested merges."})
    try:
        merges.check_unchecked(session)
        session.commit()
    except IntegrityError:
        # Another look at the list compared the same people at the same moment: theirs holds.
        session.rollback()
    found, has_more = merges.suggestions(session, limit, offset)
    out = suggestions_out(session, found)
    record_audit(
        session,
        user,
        AuditAction.READ,
        SEARCH_RECORD,
        "duplicates",
        f"{len(out)} suggested merges from {offset}",
        user.workstation,
    )
    session.commit()
    return schemas.SuggestionPage(suggestions=out, offset=offset, limit=limit, has_more=has_more)


@router.get(
    "/{person_id:person_id}",
    response_model=schemas.PersonOut,
    dependencies=[READ],
    summary="One person: names, addresses, markers and the timeline of their roles",
    responses=problem_responses(401, 403, 404, 422),
)
def read_person(person_id: PersonId, user: Reader, session: Db, links: Links) -> schemas.PersonOut:
    person = store.get_person(session, person_id)
    out = person_out(session, person, links, user.roles)
    _audit(session, user, AuditAction.READ, out.person_id, f"{len(out.roles)} roles shown")
    session.commit()
    return out


@router.post(
    "/{person_id:person_id}/merge",
    response_model=schemas.PersonOut,
    dependencies=[MERGE],
    summary="Merge another person into this one (a supervisor's decision; can be undone)",
    responses=problem_responses(400, 401, 403, 404, 409, 422),
)
def merge_people(
    person_id: PersonId, body: schemas.MergeIn, user: Merger, session: Db, links: Links
) -> schemas.PersonOut:
    survivor, other = merges.merge(
        session, person_id, body.other_person_id, body.reason, user.username
    )
    kept, gone = format_person_id(survivor.id), format_person_id(other.id)
    detail = f"{gone} merged into {kept}" + (
        f": {body.reason.strip()}" if body.reason.strip() else ""
    )
    _audit(session, user, AuditAction.MERGE, kept, detail)
    _audit(session, user, AuditAction.MERGE, gone, detail)
    out = person_out(session, survivor, links, user.roles)
    session.commit()
    return out


@router.post(
    "/{person_id:person_id}/unmerge",
    response_model=schemas.PersonOut,
    dependencies=[MERGE],
    summary="Undo the merge of this person into another: both are as they were",
    responses=problem_responses(400, 401, 403, 404, 409, 422),
)
def unmerge_person(
    person_id: PersonId, body: schemas.UnmergeIn, user: Merger, session: Db, links: Links
) -> schemas.PersonOut:
    restored, survivor = merges.unmerge(session, person_id, user.username)
    back, kept = format_person_id(restored.id), format_person_id(survivor.id)
    detail = f"{back} taken out of {kept}" + (
        f": {body.reason.strip()}" if body.reason.strip() else ""
    )
    _audit(session, user, AuditAction.UNMERGE, back, detail)
    _audit(session, user, AuditAction.UNMERGE, kept, detail)
    out = person_out(session, restored, links, user.roles)
    session.commit()
    return out

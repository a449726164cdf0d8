"""Request and response bodies of the people routes (shared/docs/people.md, docs/api.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Reason = Annotated[str, StringConstraints(max_length=1000, pattern=r"^[^\x00]*$")]
PersonIdText = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class SearchIn(BaseModel):
    """A person search: a question, not a record, so nothing is refused for its form but
    the date of birth (shared/docs/people.md). Other fields are ignored."""

    model_config = ConfigDict(extra="ignore")

    surname: str | None = Field(None, description="Free text.")
    forenames: str | None = Field(None, description="Free text, one or more given names.")
    date_of_birth: str | None = Field(
        None, description="ISO date YYYY-MM-DD; the only field checked for its form."
    )
    address: str | None = Field(None, description="Free text, any part of an address.")
    postcode: str | None = Field(
        None, description="Free text: partial, foreign or mistyped postcodes are searched."
    )
    # Checked by the route (its sentence names people, not pydantic's words).
    limit: Any = Field(
        10,
        description="How many people at most, 1-50.",
        json_schema_extra={"type": "integer", "minimum": 1, "maximum": 50},
    )


class Candidate(BaseModel):
    person_id: str
    score: float = Field(description="0..1: higher is more likely the same person.")
    surname: str
    forenames: str
    date_of_birth: date | None
    addresses: list[str]
    refs: list[str]
    reasons: list[str]
    warning_markers: list[str] = Field(default_factory=list)


class SearchOut(BaseModel):
    candidates: list[Candidate]


class AliasOut(BaseModel):
    surname: str
    forenames: str


class AddressOut(BaseModel):
    address: str
    postcode: str
    date_from: date | None
    date_to: date | None
    current: bool


class MarkerOut(BaseModel):
    code: str
    title: str


class RoleOut(BaseModel):
    """One line of the person's timeline: a role in a record."""

    record_type: str
    record_title: str
    reference: str
    role: str
    role_title: str
    found: bool | None = Field(
        description="Whether the record exists here; null when no feature on this server "
        "holds that kind of record."
    )
    linked_at: datetime
    person_id: str = Field(description="The person the link is on (a merged person's own).")


class MergedPerson(BaseModel):
    person_id: str
    surname: str
    forenames: str
    date_of_birth: date | None


class MergeOut(BaseModel):
    survivor_id: str
    merged_id: str
    merged_at: datetime
    merged_by: str
    reason: str
    unmerged_at: datetime | None
    unmerged_by: str | None


class PersonOut(BaseModel):
    person_id: str
    surname: str
    forenames: str
    aliases: list[AliasOut]
    date_of_birth: date | None
    gender: str
    description: str
    pnc_id: str | None
    cro: str | None
    warning_markers: list[MarkerOut]
    addresses: list[AddressOut]
    refs: list[str] = Field(
        description="Every reference naming them, less those of records the role does not read."
    )
    roles: list[RoleOut] = Field(
        description="The timeline, oldest first: the records of types the caller's roles read."
    )
    roles_not_shown: int = Field(
        description="How many more lines are in records the caller's roles do not read."
    )
    merged_into: str | None = Field(description="The person this one was merged into, if so.")
    merged_people: list[MergedPerson]
    merges: list[MergeOut]
    version: int
    created_at: datetime
    updated_at: datetime


class PersonSummary(BaseModel):
    person_id: str
    surname: str
    forenames: str
    date_of_birth: date | None
    addresses: list[str]
    refs: list[str]


class SuggestionOut(BaseModel):
    people: list[PersonSummary]
    score: float
    reasons: list[str]


class SuggestionPage(BaseModel):
    suggestions: list[SuggestionOut]
    offset: int
    limit: int
    has_more: bool


class MergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    other_person_id: PersonIdText = Field(
        description="The person merged into the one in the address (P-000123)."
    )
    reason: Reason = ""


class UnmergeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason = ""

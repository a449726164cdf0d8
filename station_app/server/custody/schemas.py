"""Request and response bodies of the custody routes (docs/api.md, "Custody")."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from station_app.domain.custody_rules import RECORDABLE
from station_app.domain.people import MARKER_TITLES, PERSON_ID, WarningMarker
from station_app.server.core.fields import (
    BirthDate,
    Code,
    FreeText,
    OneLine,
    ZonedTime,
    station_error,
)

Text = Annotated[FreeText, StringConstraints(max_length=4000)]
ShortText = Annotated[OneLine, StringConstraints(max_length=200)]
Name = Annotated[OneLine, StringConstraints(min_length=1, max_length=100)]
Kind = Annotated[str, StringConstraints(pattern="^(" + "|".join(RECORDABLE) + ")$")]

_MARKER_CODES = frozenset(marker.value for marker in WarningMarker)
_SHOWN_CODE = re.compile(r"[A-Za-z0-9_-]{1,40}")


def _listed_markers(codes: list[str]) -> list[str]:
    """Each code one of `domain.people.WarningMarker` (a fixed list), each once, in order."""
    unknown = next((code for code in codes if code not in _MARKER_CODES), None)
    if unknown is not None:
        # The code is shown only when it cannot be mistaken for a template or markup.
        said = (
            f"There is no warning marker “{unknown}”."
            if _SHOWN_CODE.fullmatch(unknown)
            else "A warning marker is not on the list."
        )
        listed = ", ".join(f"{title} ({code.value})" for code, title in MARKER_TITLES.items())
        raise station_error(f"{said} Choose {{label}} from the list: {listed}.")
    return list(dict.fromkeys(codes))


MarkerCodes = Annotated[
    list[Annotated[str, StringConstraints(max_length=60)]],
    Field(max_length=len(WarningMarker) * 2),
    AfterValidator(_listed_markers),
]
"""Warning marker codes (`domain.people.WarningMarker`): an unknown one is a 422 naming the
field, with the list in the sentence."""


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    surname: Name
    forenames: Name
    date_of_birth: BirthDate | None = None
    gender: ShortText = ""
    address: ShortText = ""
    postcode: ShortText = ""
    pnc_id: ShortText = ""
    nationality: ShortText = ""
    vulnerable: bool = Field(False, description="Appears to be a vulnerable adult (Code C 1.4).")
    appears_under_18: bool = Field(
        False,
        description="Appears to be under 18, with no clear evidence otherwise: treated as a "
        "juvenile (Code C 1.5).",
    )
    markers: MarkerCodes = Field(
        default_factory=list,
        description="Warning markers seen or said at booking in (codes of the people "
        "feature's list); the person linked gains those they do not hold, none is removed.",
    )
    person_id: str | None = Field(
        None,
        pattern=PERSON_ID,
        max_length=24,
        description="A known person picked for this role (people search); none: a new person.",
    )


class BookingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    station_code: Code | None = Field(None, description="Default: the officer's own station.")
    person: PersonIn
    offences: list[Code] = Field(min_length=1, max_length=20)
    arrested_at: ZonedTime
    arrived_at: ZonedTime
    voluntary_attender: bool = False
    relevant_time_override: ZonedTime | None = None
    override_reason: Text = ""
    circumstances: Text = ""
    arresting_officer: ShortText = ""
    cell: ShortText = ""
    terrorism: bool = Field(False, description="Terrorism Act detention: Code H, no PACE clock.")
    incident_reference: Annotated[OneLine, StringConstraints(max_length=40)] | None = Field(
        None,
        description="The crime report the detainee was arrested for (Arrest and book in): "
        "the record is linked to it and its timeline shows the arrest.",
    )
    answering_bail: Code | None = Field(
        None,
        description="Answering pre-charge bail: the custody number of the record that released "
        "the person on bail. The server computes the time already used from it (PACE s.47(6)).",
    )


class EventIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    occurred_at: ZonedTime = Field(description="The actual time it happened.")
    data: dict[str, Any] = Field(default_factory=dict, max_length=20)


class PlacementIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cell: ShortText | None = None
    observation_level: int | None = Field(None, ge=1, le=4)
    reason: ShortText = ""


class EventOut(BaseModel):
    id: int
    sequence: int
    kind: str
    title: str
    summary: str
    occurred_at: datetime
    entered_at: datetime
    officer_username: str
    officer_name: str
    officer_staff_number: str
    officer_rank: str
    data: dict[str, Any]


class RecordOut(BaseModel):
    id: int
    custody_number: str
    station_code: str
    status: str
    version: int
    opened_at: datetime
    closed_at: datetime | None
    board: dict[str, Any] = Field(description="The record's board row.")
    events: list[EventOut]
    incidents: list[str] = Field(
        default_factory=list, description="Crime reports the detainee was arrested for."
    )
    case_files: list[str] = Field(
        default_factory=list, description="Case files opened or added to by a charge."
    )


class Board(BaseModel):
    station_code: str
    rows: list[dict[str, Any]]


class BailOffence(BaseModel):
    code: str
    label: str


class BailToAnswerOut(BaseModel):
    """A record that released the person on pre-charge bail (PACE s.47(6))."""

    custody_number: str
    record_id: int
    station_code: str
    released_at: datetime | None
    bail_date: date | None
    bail_to: str
    offences: list[BailOffence]
    detained_before_seconds: int = Field(
        description="Time in police detention already used for the offence, in seconds."
    )


class BailsToAnswer(BaseModel):
    bails: list[BailToAnswerOut]


class BreachOut(BaseModel):
    what: str
    due_at: datetime
    done_at: datetime | None
    detail: str
    rule: str
    sentence: str


class RecordCompliance(BaseModel):
    record_id: int
    custody_number: str
    surname: str
    forenames: str
    status: str
    breaches: list[BreachOut]


class SuiteComplianceOut(BaseModel):
    station_code: str
    records: list[RecordCompliance]

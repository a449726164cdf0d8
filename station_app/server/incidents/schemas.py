"""The JSON shapes of walk-in crime reports (docs/api.md, "Incidents")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from station_app.domain.incidents import Flag, IncidentStatus
from station_app.domain.people import PERSON_ID
from station_app.server.core import fields
from station_app.server.core.fields import BirthDate, OneLine, ZonedTime

PLAIN = fields.ONE_LINE_PATTERN
"""One line of text: no control characters (PostgreSQL refuses NUL in text, too)."""

Code = Annotated[OneLine, Field(max_length=60)]
Short = Annotated[OneLine, Field(max_length=80)]


Line = Annotated[OneLine, Field(max_length=200)]
LongLine = Annotated[OneLine, Field(max_length=500)]
# Free text may hold new lines and tabs, never other control characters (PostgreSQL refuses NUL).
FreeText = Annotated[fields.FreeText, Field(max_length=20_000)]


class PersonIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Line = ""
    date_of_birth: BirthDate | None = None
    address: LongLine = ""
    postcode: Short = ""
    phone: Short = ""
    email: Line = ""
    contact_method: Short = ""
    contact_times: Line = ""
    language: Short = ""
    interpreter: bool = False
    description: LongLine = ""
    person_id: str | None = Field(
        None,
        pattern=PERSON_ID,
        max_length=24,
        description="A known person picked for this role (people search); none: a new person.",
    )


class PropertyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item: Line
    value_pence: Annotated[int, Field(ge=0, le=10_000_000_000)] = 0
    damaged: bool = False


class IncidentIn(BaseModel):
    """A walk-in report as the counter sends it (and as an edit replaces it)."""

    model_config = ConfigDict(extra="forbid")

    reporter: PersonIn
    victim_is_reporter: bool = True
    victim: PersonIn | None = None
    suspects: list[PersonIn] = Field(default_factory=list, max_length=50)
    witnesses: list[PersonIn] = Field(default_factory=list, max_length=50)
    offence_code: Code
    occurred_from: ZonedTime | None = None
    occurred_to: ZonedTime | None = None
    location_address: LongLine = ""
    location_postcode: Short = ""
    location_description: LongLine = ""
    account: FreeText
    cctv: LongLine = ""
    property: list[PropertyIn] = Field(default_factory=list, max_length=100)
    flags: list[Flag] = Field(default_factory=list)
    station_code: Code | None = None


class PersonOut(BaseModel):
    name: str
    date_of_birth: date | None
    address: str
    postcode: str
    phone: str
    email: str
    contact_method: str
    contact_times: str
    language: str
    interpreter: bool
    description: str
    person_id: str | None = Field(
        None, description="The person linked to this role in the report (people), if any."
    )


class PropertyOut(BaseModel):
    item: str
    value_pence: int
    damaged: bool


class StationOut(BaseModel):
    code: str
    name: str
    address: str
    postcode: str
    phone: str


class OffenceOut(BaseModel):
    code: str
    label: str
    wording: str


class TimelineEntry(BaseModel):
    at: datetime
    kind: str
    by_name: str
    text: str
    from_status: str | None
    to_status: str | None
    data: dict[str, Any] = Field(
        default_factory=dict,
        description="What a linked record's note carries: the custody number of an arrest, "
        "the case file of a charge, the court's result.",
    )


class IncidentSummary(BaseModel):
    reference: str
    version: int
    station_code: str
    status: IncidentStatus
    reported_at: datetime
    offence_code: str
    offence_label: str
    victim_name: str
    place: str
    flags: list[str]
    decision_overdue: bool


class PossibleDuplicate(BaseModel):
    reference: str
    reason: str


class IncidentOut(BaseModel):
    reference: str
    version: int
    status: IncidentStatus
    station: StationOut
    offence: OffenceOut
    occurred_from: datetime | None
    occurred_to: datetime | None
    reported_at: datetime
    recorded_at: datetime | None
    decision_overdue: bool
    location_address: str
    location_postcode: str
    location_description: str
    account: str
    cctv: str
    reporter: PersonOut
    victim_is_reporter: bool
    victim: PersonOut
    suspects: list[PersonOut]
    witnesses: list[PersonOut]
    property: list[PropertyOut]
    flags: list[str]
    officer_name: str
    officer_number: str
    timeline: list[TimelineEntry]
    allowed_statuses: list[IncidentStatus]
    warnings: list[PossibleDuplicate] = Field(default_factory=list)


class IncidentPage(BaseModel):
    items: list[IncidentSummary]
    offset: int
    limit: int
    has_more: bool


class NoteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[FreeText, Field(min_length=1, max_length=5_000)]


class StatusIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: IncidentStatus
    reason: Annotated[FreeText, Field(max_length=2_000)] = ""

"""The case file API's request and response bodies (docs/api.md, "Case files")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from station_app.domain.court import Outcome, Plea, Remand
from station_app.domain.people import PERSON_ID
from station_app.server.core.fields import BirthDate, CalendarDate, FreeText, OneLine, ZonedTime

# Text in request bodies is of the core's kinds (core/fields.py): one line for names, codes
# and references, free text (new lines and tabs) for wordings, comments and descriptions.
Line = Annotated[OneLine, Field(max_length=200)]
Name = Annotated[OneLine, Field(min_length=1, max_length=200)]
Reference = Annotated[OneLine, Field(max_length=60)]
Words = Annotated[FreeText, Field(max_length=5000)]


class Charge(BaseModel):
    offence_code: Annotated[OneLine, Field(min_length=1, max_length=60)]
    wording: Annotated[FreeText, Field(max_length=2000)] = ""


class Suspect(BaseModel):
    name: Name
    date_of_birth: BirthDate | None = None
    charges: list[Charge] = Field(default_factory=list, max_length=50)
    person_id: str | None = Field(
        None,
        pattern=PERSON_ID,
        max_length=24,
        description="A known person picked for this role (people search); none: a new person.",
    )


class CaseFields(BaseModel):
    """What a detective sets on a case; the status moves only through the workflow."""

    file_type: Annotated[OneLine, Field(min_length=1, max_length=40)]
    conditions: list[Annotated[OneLine, Field(max_length=60)]] = Field(
        default_factory=list, max_length=20
    )
    incident_refs: list[Reference] = Field(default_factory=list, max_length=20)
    custody_refs: list[Reference] = Field(default_factory=list, max_length=20)
    suspects: list[Suspect] = Field(default_factory=list, max_length=20)
    hearing_date: CalendarDate | None = None
    court_code: Annotated[OneLine, Field(max_length=60)] = ""


class CaseCreate(CaseFields):
    reference: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")


# Answers are built from what is stored, which the rules above did not always guard: they
# carry no input rule, so a record stored before a rule existed can still be read.


class ChargeOut(BaseModel):
    offence_code: str
    wording: str = ""


class SuspectOut(BaseModel):
    name: str
    date_of_birth: date | None = None
    charges: list[ChargeOut] = Field(default_factory=list)
    person_id: str | None = Field(None, description="The person this suspect is (people search).")
    # What a charge in custody brings (issue 10); empty for a suspect typed on the file.
    address: str = ""
    postcode: str = ""
    custody_number: str = ""
    arrested_at: datetime | None = None
    arrived_at: datetime | None = None
    charged_at: datetime | None = None
    charged_by: str = Field("", description="The name of the officer who recorded the charge.")
    investigation_began_at: datetime | None = Field(
        None,
        description="When the investigation of these charges began: the earliest of the "
        "linked crime reports' report times and the arrest.",
    )
    after_charge: str = Field("", description='"bail", "remand" or "" (not decided).')
    bail_conditions: str = ""


class CasePersonOut(BaseModel):
    """A victim or witness of the linked crime reports, with the person they are."""

    role: str
    name: str
    date_of_birth: date | None = None
    address: str = ""
    postcode: str = ""
    person_id: str | None = None
    incident: str = Field("", description="The crime report they come from.")


class CaseFieldsOut(BaseModel):
    file_type: str
    conditions: list[str]
    incident_refs: list[str]
    custody_refs: list[str]
    suspects: list[SuspectOut]
    hearing_date: date | None
    court_code: str


class ChecklistItem(BaseModel):
    id: str
    title: str
    form: str
    status: str
    sentence: str


class CompletenessOut(BaseModel):
    reference: str
    rules_version: str
    file_type: str
    complete: bool
    missing_count: int
    items: list[ChecklistItem]


class DocumentSummary(BaseModel):
    id: int
    sequence: int
    form: str
    title: str
    key: bool
    version: int
    is_attachment: bool
    sha256: str
    updated_at: datetime
    data: dict[str, Any]


class CaseEventOut(BaseModel):
    at: datetime
    username: str
    action: str
    comment: str


class LinkOut(BaseModel):
    reference: str
    # None: that feature is not installed on this server; True/False: found or not.
    found: bool | None


class SubmissionOut(BaseModel):
    submission_id: str
    sent_at: datetime
    sent_by: str
    outcome: str
    reasons: list[str]


class CaseSummary(BaseModel):
    reference: str
    file_type: str
    status: str
    officer_username: str
    officer_name: str
    station_code: str
    suspects: list[str]
    hearing_date: date | None
    court_code: str
    days_left: int | None
    missing_count: int
    version: int


class CaseList(BaseModel):
    cases: list[CaseSummary]
    total: int


class CaseDetail(CaseFieldsOut):
    reference: str
    status: str
    officer_username: str
    officer_name: str
    station_code: str
    override_reason: str
    version: int
    created_at: datetime
    updated_at: datetime
    documents: list[DocumentSummary]
    events: list[CaseEventOut]
    submissions: list[SubmissionOut]
    incidents: list[LinkOut]
    custody_records: list[LinkOut]
    completeness: CompletenessOut
    # The highest item number ever given on each kind of disclosure schedule (never given
    # again): {"MG6C": 4, "MG6D": 1}.
    schedule_numbers: dict[str, int] = Field(default_factory=dict)
    people: list[CasePersonOut] = Field(
        default_factory=list, description="Victims and witnesses from the linked reports."
    )
    hearings: list[HearingOut] = Field(default_factory=list)


# --- court hearings and results (issue 10; domain/court.py) -------------------------------


class HearingIn(BaseModel):
    court_code: Annotated[OneLine, Field(min_length=1, max_length=60)]
    sitting_at: ZonedTime


class ResultIn(BaseModel):
    """The court's decision on one charge of one defendant."""

    defendant: int = Field(ge=1, le=20, description="The defendant's number on the file (1..).")
    offence_code: Annotated[OneLine, Field(min_length=1, max_length=60)]
    plea: Plea = Plea.NONE
    outcome: Outcome
    remand: Remand | None = Field(None, description="Adjourned: bail or custody.")
    next_hearing_at: ZonedTime | None = None
    sentence: Annotated[FreeText, Field(max_length=2000)] = ""


class ResultsIn(BaseModel):
    results: list[ResultIn] = Field(min_length=1, max_length=200)


class ResultOut(BaseModel):
    defendant: int
    defendant_name: str
    offence_code: str
    offence: str
    plea: str
    outcome: str
    remand: str = ""
    next_hearing_at: datetime | None = None
    sentence: str = ""
    words: str = Field(description="The result in one sentence.")


class HearingOut(BaseModel):
    id: int
    sequence: int
    court_code: str
    court: str
    sitting_at: datetime
    results: list[ResultOut]
    result_by: str
    result_at: datetime | None
    version: int


class ScheduleItemIn(BaseModel):
    number: int | None = Field(default=None, ge=1, le=1_000_000)
    description: Annotated[FreeText, Field(min_length=1, max_length=2000)]
    location: Annotated[FreeText, Field(max_length=500)] = ""
    remarks: Annotated[FreeText, Field(max_length=2000)] = ""


class FormIn(BaseModel):
    form: Annotated[OneLine, Field(min_length=2, max_length=30)]
    title: Line = ""
    key: bool = False
    data: dict[str, Any] = Field(default_factory=dict)
    items: list[ScheduleItemIn] = Field(default_factory=list, max_length=2000)


class AttachmentIn(BaseModel):
    kind: Annotated[OneLine, Field(min_length=2, max_length=30)]
    title: Name
    key: bool = False
    content_base64: str = Field(min_length=4, max_length=40_000_000)


class CommentIn(BaseModel):
    comment: Annotated[FreeText, Field(min_length=1, max_length=5000)]


class ApproveIn(BaseModel):
    override_reason: Words = ""


class SendIn(BaseModel):
    bundle_base64: str = Field(min_length=4, max_length=80_000_000)
    override_reason: Words = ""


class AcknowledgementOut(BaseModel):
    submission_id: str
    reference: str
    outcome: str
    reasons: list[str]


class AcknowledgementList(BaseModel):
    applied: list[AcknowledgementOut]


CaseDetail.model_rebuild()  # its hearings are declared after it

"""The case file API's request and response bodies (docs/api.md, "Case files")."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from station_app.server.core.deps import NO_CONTROL_CHARACTERS

Text200 = Field(min_length=1, max_length=200, pattern=NO_CONTROL_CHARACTERS)


class Charge(BaseModel):
    offence_code: str = Field(min_length=1, max_length=60, pattern=NO_CONTROL_CHARACTERS)
    wording: str = Field(default="", max_length=2000)


class Suspect(BaseModel):
    name: str = Text200
    date_of_birth: date | None = None
    charges: list[Charge] = Field(default_factory=list, max_length=50)


class CaseFields(BaseModel):
    """What a detective sets on a case; the status moves only through the workflow."""

    file_type: str = Field(min_length=1, max_length=40)
    conditions: list[str] = Field(default_factory=list, max_length=20)
    incident_refs: list[str] = Field(default_factory=list, max_length=20)
    custody_refs: list[str] = Field(default_factory=list, max_length=20)
    suspects: list[Suspect] = Field(default_factory=list, max_length=20)
    hearing_date: date | None = None
    court_code: str = Field(default="", max_length=60)


class CaseCreate(CaseFields):
    reference: str = Field(min_length=3, max_length=40, pattern=r"^[A-Za-z0-9][A-Za-z0-9-]*$")


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


class CaseDetail(CaseFields):
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


class ScheduleItemIn(BaseModel):
    number: int | None = Field(default=None, ge=1, le=1_000_000)
    description: str = Field(min_length=1, max_length=2000)
    location: str = Field(default="", max_length=500)
    remarks: str = Field(default="", max_length=2000)


class FormIn(BaseModel):
    form: str = Field(min_length=2, max_length=30)
    title: str = Field(default="", max_length=200)
    key: bool = False
    data: dict[str, Any] = Field(default_factory=dict)
    items: list[ScheduleItemIn] = Field(default_factory=list, max_length=2000)


class AttachmentIn(BaseModel):
    kind: str = Field(min_length=2, max_length=30)
    title: str = Text200
    key: bool = False
    content_base64: str = Field(min_length=4, max_length=40_000_000)


class CommentIn(BaseModel):
    comment: str = Field(min_length=1, max_length=5000)


class ApproveIn(BaseModel):
    override_reason: str = Field(default="", max_length=5000)


class SendIn(BaseModel):
    bundle_base64: str = Field(min_length=4, max_length=80_000_000)
    override_reason: str = Field(default="", max_length=5000)


class AcknowledgementOut(BaseModel):
    submission_id: str
    reference: str
    outcome: str
    reasons: list[str]


class AcknowledgementList(BaseModel):
    applied: list[AcknowledgementOut]

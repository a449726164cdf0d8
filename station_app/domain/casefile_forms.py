"""The structured MG forms of a case file: each form's fields and its validation.

One definition serves the server (it refuses a form that does not pass) and the client
(the editors are built from it and validate inline), and the printed bundle lays each form
out from the same fields. Field lists follow the Home Office casefile forms in outline;
confirm exact wording against the current forms before a document leaves the station
(shared/domain/case-files.md).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from station_app.domain.disclosure import ScheduleError, parse_item_references
from station_app.domain.file_standard import STRUCTURED_FORMS
from station_app.domain.people import PERSON_ID
from station_app.domain.wire import parse_iso_date

__all__ = ["FORM_FIELDS", "STATEMENT_OF_TRUTH", "FieldSpec", "validate_form"]

# Criminal Justice Act 1967 s.9 and Magistrates' Courts Act 1980 s.5B: the declaration
# that makes an MG11 admissible as a written statement.
STATEMENT_OF_TRUTH = (
    "This statement is true to the best of my knowledge and belief and I make it knowing "
    "that, if it is tendered in evidence, I shall be liable to prosecution if I have "
    "wilfully stated in it anything which I know to be false, or do not believe to be true."
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    kind: str = "text"  # text, multiline, date, bool, person (a person id, never printed)
    required: bool = False
    max_length: int = 200


def _f(name: str, label: str, kind: str = "text", required: bool = False) -> FieldSpec:
    return FieldSpec(name, label, kind, required, 20000 if kind == "multiline" else 200)


FORM_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "MG1": (
        _f("defendant_name", "Defendant's name", required=True),
        _f("date_of_birth", "Date of birth", "date", required=True),
        _f("charges_summary", "Charges or offences", "multiline", required=True),
        _f("remand_status", "Bail or remand status", required=True),
        _f("officer_in_case", "Officer in the case", required=True),
        _f("supervisor_name", "Supervisor who reviewed the file"),
    ),
    "MG3": (
        _f("offences", "Offences to consider", "multiline", required=True),
        _f("evidence_summary", "Summary of the key evidence", "multiline", required=True),
        _f("decision_requested", "Decision asked for", "multiline", required=True),
        _f("officer_name", "Officer making the report", required=True),
    ),
    "MG4": (
        _f("defendant_name", "Defendant's name", required=True),
        _f("charges", "Charges (one per line)", "multiline", required=True),
        _f("charged_on", "Date charged", "date", required=True),
        _f("charging_officer", "Charging officer", required=True),
    ),
    "MG5": (
        _f("summary", "Case summary", "multiline", required=True),
        _f("interview_summary", "Summary of interview", "multiline"),
        _f("officer_name", "Officer making the report", required=True),
    ),
    # CPS Disclosure Manual ch.6: the MG6 goes with the schedules; it says when the
    # investigation began (which disclosure scheme applies) and carries the disclosure
    # officer's comments on the schedules. Manual of Guidance 2011: background information
    # for the prosecutor, some of it not for the defence.
    "MG6": (
        _f("officer_name", "Officer in the case", required=True),
        _f("investigation_began", "Date the investigation began", "date", required=True),
        _f("information", "Information for the prosecutor", "multiline", required=True),
        _f("schedule_comments", "Comments on the disclosure schedules", "multiline"),
        _f(
            "witness_intimidation", "There is a risk the defendant may intimidate witnesses", "bool"
        ),
    ),
    "MG6C": (_f("disclosure_officer", "Disclosure officer", required=True),),
    "MG6D": (
        _f("disclosure_officer", "Disclosure officer", required=True),
        _f("nil", "Nil return: there is no sensitive material", "bool"),
        _f("signed_by", "Signed by"),
    ),
    "MG6E": (
        _f("disclosure_officer", "Disclosure officer", required=True),
        # CPS Disclosure Manual ch.10: by schedule and item number (each schedule has its
        # own numbers, so the schedule is named with the number).
        _f("undermining_items", "Items that may undermine or assist (e.g. MG6C 3, MG6D 1)"),
        _f("report", "Report", "multiline", required=True),
    ),
    "MG9": (_f("witnesses", "Witnesses (one per line: name, role)", "multiline", required=True),),
    # Manual of Guidance 2011, MG10: every witness's dates to avoid, or that they have none.
    "MG10": (
        _f("officer_name", "Officer completing the form", required=True),
        _f(
            "dates_to_avoid",
            "Dates each witness cannot go to court (one per line: witness, dates, reason; "
            "or the witness's name and 'no dates to avoid')",
            "multiline",
            required=True,
        ),
    ),
    "MG11": (
        _f("witness_name", "Witness's name", required=True),
        _f("over_18", "The witness is over 18", "bool"),
        _f("date_of_birth", "Date of birth (if under 18)", "date"),
        # The witness picked from the people index ("known person?"), linked, not made again.
        _f("person_id", "Known person?", "person"),
        _f("address", "Address", "multiline", required=True),
        _f("phone", "Telephone"),
        _f("occupation", "Occupation"),
        _f("statement", "Statement", "multiline", required=True),
        _f("declaration_made", "The witness made the statement of truth declaration", "bool"),
        _f("signed_by_witness", "Signed by (witness's name as signed)", required=True),
        _f("statement_date", "Date of the statement", "date", required=True),
    ),
    "MG12": (_f("exhibits", "Exhibits (one per line: reference, description)", "multiline", True),),
    # CPS legal guidance, Streamlined Summary Disclosure (2018): two versions of the
    # certificate, nothing disclosable, or material that needs to be disclosed.
    "SDC": (
        _f("disclosure_officer", "Disclosure officer", required=True),
        _f(
            "nothing_to_disclose",
            "There is no material that might undermine the prosecution case or assist the defence",
            "bool",
        ),
        _f(
            "material_to_disclose",
            "Material that might undermine or assist, and where it is",
            "multiline",
        ),
        _f("signed_by", "Signed by", required=True),
        _f("signed_on", "Date signed", "date", required=True),
    ),
}

assert set(FORM_FIELDS) == set(STRUCTURED_FORMS)

_PERSON_ID = re.compile(PERSON_ID)

# No date on an MG form is earlier (a date of birth, a charge, a statement).
EARLIEST_DATE = date(1900, 1, 1)


def _parse_date(text: str) -> date | None:
    try:
        return parse_iso_date(text)
    except ValueError:
        return None


def validate_form(form: str, data: Mapping[str, Any], today: date | None = None) -> dict[str, str]:
    """field name -> what to put right; empty when the form may be saved."""
    fields = FORM_FIELDS.get(form)
    if fields is None:
        return {"form": f"Station has no form called {form}."}
    errors: dict[str, str] = {}
    known = {spec.name for spec in fields}
    for name in data:
        if name not in known:
            errors[name] = f"The {form} has no field called {name}."
    for spec in fields:
        value = data.get(spec.name)
        if spec.kind == "bool":
            if value is not None and not isinstance(value, bool):
                errors[spec.name] = f"{spec.label}: answer yes or no."
            continue
        if value is None or value == "":
            if spec.required:
                errors[spec.name] = f"Enter {spec.label[:1].lower()}{spec.label[1:]}."
            continue
        if not isinstance(value, str):
            errors[spec.name] = f"{spec.label} must be text."
            continue
        if spec.kind == "person":
            if not _PERSON_ID.match(value):
                errors[spec.name] = (
                    f"{value[:40]} is not a person number (such as P-000123). Pick the person "
                    "from the known people, or leave it empty for a new person."
                )
            continue
        if len(value) > spec.max_length:
            errors[spec.name] = f"{spec.label} must be at most {spec.max_length} characters."
        elif spec.kind == "date":
            parsed = _parse_date(value)
            if parsed is None:
                errors[spec.name] = f"{spec.label}: enter a date as YYYY-MM-DD."
            elif today is not None and parsed > today:
                errors[spec.name] = f"{spec.label} cannot be in the future."
            elif parsed < EARLIEST_DATE:  # a year 125 is a typing slip (issue 12, #16)
                errors[spec.name] = (
                    f"{spec.label} must be between 1900-01-01 and today. Check the year."
                )
    errors.update(_cross_checks(form, data))
    return errors


def _cross_checks(form: str, data: Mapping[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if form == "MG11":
        # CJA 1967 s.9(2)(b): without the declaration the statement is not admissible.
        if data.get("declaration_made") is not True:
            errors["declaration_made"] = (
                "The witness must make the statement of truth declaration before the "
                "MG11 can be saved as final."
            )
        if data.get("over_18") is not True and not data.get("date_of_birth"):
            errors["date_of_birth"] = "Enter the witness's date of birth, or tick over 18."
    # CPS Disclosure Manual: a nil MG6D is still signed.
    if form == "MG6D" and data.get("nil") is True and not str(data.get("signed_by") or "").strip():
        errors["signed_by"] = "A nil MG6D must be signed. Enter who signs it."
    if form == "MG6E":
        try:  # CPS Disclosure Manual ch.10: by schedule and item number
            parse_item_references(str(data.get("undermining_items") or ""))
        except ScheduleError as error:
            errors["undermining_items"] = str(error)
    if form == "SDC":
        nothing = data.get("nothing_to_disclose") is True
        described = str(data.get("material_to_disclose") or "").strip()
        if nothing and described:
            errors["material_to_disclose"] = (
                "The certificate says there is nothing to disclose, so leave this empty, or "
                "untick 'no material'."
            )
        elif not nothing and not described:
            errors["material_to_disclose"] = (
                "Describe the material that might undermine the prosecution case or assist "
                "the defence, or tick that there is none."
            )
    return errors

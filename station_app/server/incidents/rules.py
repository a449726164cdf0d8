"""Checks on a walk-in report beyond its JSON shape, each answered in the officer's words
with the field it belongs to (docs/api.md, "Errors": `errors[].field`)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from station_app.domain.validation import normalise_postcode
from station_app.server.incidents.schemas import IncidentIn, PersonIn

# A clock a few minutes fast on a workstation is not the officer's fault.
CLOCK_SLACK = timedelta(minutes=10)


def _postcode(errors: dict[str, str], field: str, text: str) -> str | None:
    if not text.strip():
        return None
    try:
        return normalise_postcode(text)
    except ValueError as error:  # formats.md: "not a UK postcode format"
        errors[field] = str(error)
        return None


def _person(
    errors: dict[str, str], prefix: str, person: PersonIn, who: str, today: date
) -> PersonIn:
    if not person.name.strip():
        errors[f"{prefix}.name"] = f"Enter the {who}'s name."
    if person.date_of_birth is not None and person.date_of_birth > today:
        errors[f"{prefix}.date_of_birth"] = (
            f"The {who}'s date of birth is in the future. Check the year."
        )
    postcode = _postcode(errors, f"{prefix}.postcode", person.postcode)
    return person.model_copy(update={"postcode": postcode or person.postcode.strip()})


def check_report(
    report: IncidentIn, now: datetime | None = None
) -> tuple[IncidentIn, dict[str, str]]:
    """The report with postcodes normalised, and a message per field that needs correcting."""
    now = now or datetime.now(UTC)
    today = now.date()
    errors: dict[str, str] = {}
    reporter = _person(errors, "reporter", report.reporter, "reporting person", today)
    victim = report.victim
    if not report.victim_is_reporter:
        if victim is None:
            errors["victim.name"] = (
                "Enter the victim's name, or tick 'victim is the reporting person'."
            )
        else:
            victim = _person(errors, "victim", victim, "victim", today)
    if not report.offence_code.strip():
        errors["offence_code"] = "Choose the offence from the list."
    if not report.account.strip():
        errors["account"] = "Write down what happened, in the reporting person's words."
    location_postcode = _postcode(errors, "location_postcode", report.location_postcode)
    if not (
        report.location_address.strip()
        or report.location_postcode.strip()
        or report.location_description.strip()
    ):
        errors["location_address"] = (
            "Enter where it happened: an address, a postcode or a description of the place."
        )
    if report.occurred_from is not None and report.occurred_from > now + CLOCK_SLACK:
        errors["occurred_from"] = "The time it happened is in the future. Check the date and time."
    if (
        report.occurred_from is not None
        and report.occurred_to is not None
        and report.occurred_to < report.occurred_from
    ):
        errors["occurred_to"] = "The 'to' time is before the 'from' time. Check both."
    checked = report.model_copy(
        update={
            "reporter": reporter,
            "victim": victim if not report.victim_is_reporter else None,
            "location_postcode": location_postcode or "",
        }
    )
    return checked, errors

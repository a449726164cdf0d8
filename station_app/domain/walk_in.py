"""The checks a walk-in report must pass, written once for both sides: the New walk-in
report form runs them before it sends (so the officer hears at once), the core API runs
them when the report arrives (so nothing else gets past). They work on the report as the
API carries it (docs/api.md, "Incidents"): plain data keyed by the API's field names, dates
as YYYY-MM-DD and times as ISO 8601 text. Each problem is a sentence for the officer,
keyed by the field it belongs to (`victim.date_of_birth`). Standard library only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from station_app.domain.validation import normalise_postcode
from station_app.domain.wire import date_or_none, parse_utc

__all__ = ["CLOCK_SLACK", "check_walk_in"]

# A clock a few minutes fast on a workstation is not the officer's fault.
CLOCK_SLACK = timedelta(minutes=10)


def _text(data: Mapping[str, Any], name: str) -> str:
    value = data.get(name)
    return value.strip() if isinstance(value, str) else ""


def _postcode(errors: dict[str, str], field: str, text: str) -> str:
    """The postcode in its standard form ("SE1 9QX"); as typed (and a problem) if it is not one."""
    if not text.strip():
        return ""
    try:
        return normalise_postcode(text)
    except ValueError as error:  # formats.md: "not a UK postcode format"
        errors[field] = str(error)
        return text.strip()


def _person(
    errors: dict[str, str], prefix: str, person: Mapping[str, Any], who: str, today: date
) -> dict[str, Any]:
    if not _text(person, "name"):
        errors[f"{prefix}.name"] = f"Enter the {who}'s name."
    born = date_or_none(person.get("date_of_birth"))
    if born is not None and born > today:
        errors[f"{prefix}.date_of_birth"] = (
            f"The {who}'s date of birth is in the future. Check the year."
        )
    postcode = _postcode(errors, f"{prefix}.postcode", _text(person, "postcode"))
    return {**person, "postcode": postcode}


def _time(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return parse_utc(value)
        except ValueError:
            return None
    return None


def check_walk_in(
    report: Mapping[str, Any], now: datetime
) -> tuple[dict[str, Any], dict[str, str]]:
    """(the report with its postcodes in standard form, a problem per API field name).

    `now` is aware; the report may carry dates and times as ISO text or as date/datetime
    values (what a JSON body or a parsed model holds)."""
    today = now.date()
    errors: dict[str, str] = {}
    checked: dict[str, Any] = dict(report)
    reporter = report.get("reporter")
    checked["reporter"] = _person(
        errors,
        "reporter",
        reporter if isinstance(reporter, Mapping) else {},
        "reporting person",
        today,
    )
    victim_is_reporter = report.get("victim_is_reporter", True) is not False
    victim = report.get("victim")
    if victim_is_reporter:
        checked["victim"] = None
    elif not isinstance(victim, Mapping):
        errors["victim.name"] = "Enter the victim's name, or tick 'victim is the reporting person'."
    else:
        checked["victim"] = _person(errors, "victim", victim, "victim", today)
    if not _text(report, "offence_code"):
        errors["offence_code"] = "Choose the offence from the list."
    if not _text(report, "account"):
        errors["account"] = "Write down what happened, in the reporting person's words."
    checked["location_postcode"] = _postcode(
        errors, "location_postcode", _text(report, "location_postcode")
    )
    if not any(
        _text(report, name)
        for name in ("location_address", "location_postcode", "location_description")
    ):
        errors["location_address"] = (
            "Enter where it happened: an address, a postcode or a description of the place."
        )
    occurred_from, occurred_to = (
        _time(report.get("occurred_from")),
        _time(report.get("occurred_to")),
    )
    if occurred_from is not None and occurred_from > now + CLOCK_SLACK:
        errors["occurred_from"] = "The time it happened is in the future. Check the date and time."
    if occurred_from is not None and occurred_to is not None and occurred_to < occurred_from:
        errors["occurred_to"] = "The 'to' time is before the 'from' time. Check both."
    return checked, errors

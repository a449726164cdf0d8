"""From the walk-in form's fields to the API's report body, and back from the server's
field names to the form's. The checks before sending are `domain.walk_in`, the very ones
the server makes. No Qt here, so it is quick to test."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from station_app.domain.clock import london
from station_app.domain.incidents import Flag
from station_app.domain.typed_input import (
    AmbiguousLocalTimeError,
    london_time,
    parse_date,
    parse_london_datetime,
    parse_pounds,
)
from station_app.domain.walk_in import check_walk_in
from station_app.domain.wire import parse_iso_date, parse_utc

PERSON_FIELDS = ("name", "dob", "address", "postcode", "phone", "email")
REPORTER_EXTRA = ("contact_method", "contact_times", "language", "interpreter")
FLAG_FIELDS = {f"flag_{flag.value}": flag for flag in Flag}
PROPERTY_HELP = "Write each item on its own line as 'item, £value' (for example 'Bicycle, £250')."


def _text(values: dict[str, Any], name: str) -> str:
    value = values.get(name)
    return str(value).strip() if value else ""


def _person(
    values: dict[str, Any], prefix: str, errors: dict[str, str], today: date
) -> dict[str, Any]:
    person: dict[str, Any] = {
        "name": _text(values, f"{prefix}_name"),
        "address": _text(values, f"{prefix}_address"),
        "postcode": _text(values, f"{prefix}_postcode"),
        "phone": _text(values, f"{prefix}_phone"),
        "email": _text(values, f"{prefix}_email"),
    }
    picked = values.get(f"{prefix}_person")
    if isinstance(picked, dict) and picked.get("person_id"):
        person["person_id"] = str(picked["person_id"])  # "known person?": link, not new
    dob = _text(values, f"{prefix}_dob")
    if dob:
        try:
            person["date_of_birth"] = parse_date(dob, today).isoformat()
        except ValueError as error:
            errors[f"{prefix}_dob"] = str(error)
    return person


def _when(values: dict[str, Any], name: str, errors: dict[str, str], now: datetime) -> str | None:
    text = _text(values, name)
    if not text:
        return None
    try:
        # formats.md: the wall clock is Europe/London; send UTC. A time the clocks skip or
        # pass twice is asked about (add BST or GMT), never guessed.
        return parse_london_datetime(text, now).isoformat()
    except ValueError as error:
        errors[name] = str(error)
        return None


def _lines(values: dict[str, Any], name: str) -> list[str]:
    return [line.strip() for line in str(values.get(name) or "").splitlines() if line.strip()]


def _listed(values: dict[str, Any], name: str, typed_as: str) -> list[dict[str, Any]]:
    """Each line of a list of people: a known person picked for it ("known person?") goes
    with their details and person id, so the report links them; any other line is a new
    person, as typed."""
    known = {
        str(p.get("line")): p for p in values.get(f"{name}_known") or [] if isinstance(p, dict)
    }
    people: list[dict[str, Any]] = []
    for line in _lines(values, name):
        picked = known.get(line)
        if picked is None or not picked.get("person_id"):
            people.append({typed_as: line})
            continue
        person = {
            "name": str(picked.get("name") or line),
            "address": str(picked.get("address") or ""),
            "postcode": str(picked.get("postcode") or ""),
            "person_id": str(picked["person_id"]),
        }
        if picked.get("date_of_birth"):
            person["date_of_birth"] = str(picked["date_of_birth"])
        people.append(person)
    return people


def _property(values: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    items = []
    for line in _lines(values, "property"):
        item, _, value = line.rpartition(",") if "," in line else (line, "", "")
        if not item.strip():
            item, value = line, ""
        try:
            pence = parse_pounds(value) if value.strip() else 0
        except ValueError:
            errors["property"] = PROPERTY_HELP
            continue
        items.append({"item": item.strip(), "value_pence": pence})
    return items


def build_report(
    values: dict[str, Any], now: datetime | None = None
) -> tuple[dict[str, Any], dict[str, str]]:
    """(API body, problems by form field name): what was typed is read here; whether the
    report may go is `domain.walk_in`'s call, the same checks the server makes."""
    now = now or datetime.now(UTC)
    today = now.astimezone(london()).date()
    typing: dict[str, str] = {}  # what could not be read as typed
    reporter = _person(values, "reporter", typing, today)
    for name in REPORTER_EXTRA:
        reporter[name] = (
            values.get(f"reporter_{name}")
            if name == "interpreter"
            else _text(values, f"reporter_{name}")
        )
    reporter["interpreter"] = bool(reporter["interpreter"])
    victim_is_reporter = bool(values.get("victim_is_reporter", True))
    body: dict[str, Any] = {"reporter": reporter, "victim_is_reporter": victim_is_reporter}
    if not victim_is_reporter:
        body["victim"] = _person(values, "victim", typing, today)
    offence = values.get("offence")
    body["offence_code"] = offence["code"] if offence else ""
    body["occurred_from"] = _when(values, "occurred_from", typing, now)
    body["occurred_to"] = _when(values, "occurred_to", typing, now)
    for name in ("location_address", "location_postcode", "location_description", "cctv"):
        body[name] = _text(values, name)
    body["account"] = str(values.get("account") or "").strip()
    named = _person(values, "suspect", typing, today)
    named["description"] = _text(values, "suspect_description")
    named_suspect = [named] if named["name"] or named["description"] else []
    body["suspects"] = named_suspect + _listed(values, "suspects", "description")
    body["witnesses"] = _listed(values, "witnesses", "name")
    body["property"] = _property(values, typing)
    body["flags"] = [flag.value for name, flag in FLAG_FIELDS.items() if values.get(name)]
    checked, problems = check_walk_in(body, now)
    if not checked.get("victim"):
        checked.pop("victim", None)
    return checked, {**form_errors(problems), **typing}


_SERVER_NAMES = {"offence_code": "offence", "date_of_birth": "dob"}


def form_field(server_field: str) -> str:
    """The form's name for a field the server names: `victim.date_of_birth` → `victim_dob`,
    `suspects.0.description` → `suspects`."""
    parts = server_field.split(".")
    if parts[0] in ("suspects", "witnesses", "property"):
        return parts[0]
    parts = [_SERVER_NAMES.get(part, part) for part in parts]
    return "_".join(parts)


def form_errors(field_errors: dict[str, str]) -> dict[str, str]:
    mapped: dict[str, str] = {}
    for name, message in field_errors.items():
        mapped.setdefault(form_field(name), message)
    return mapped


def report_title(values: dict[str, Any]) -> str:
    """A short description for the restore prompt and the outbox: names the offence only."""
    offence = values.get("offence")
    label = offence["label"] if isinstance(offence, dict) else ""
    return f"Walk-in report ({label.lower()})" if label else "Walk-in report"


def _local_text(utc_iso: str | None, with_time: bool) -> str:
    if not utc_iso:
        return ""
    local = parse_utc(utc_iso).astimezone(london())
    if not with_time:
        return local.strftime("%d/%m/%Y")
    text = local.strftime("%d/%m/%Y %H:%M")
    try:
        london_time(local.replace(tzinfo=None))
    except AmbiguousLocalTimeError:  # the hour that happens twice: say which, as typed
        text += f" {local.tzname()}"
    return text


def _person_values(person: dict[str, Any], prefix: str) -> dict[str, Any]:
    born = person.get("date_of_birth")
    values: dict[str, Any] = {
        f"{prefix}_name": person.get("name", ""),
        f"{prefix}_dob": parse_iso_date(born).strftime("%d/%m/%Y") if born else "",
        f"{prefix}_address": person.get("address", ""),
        f"{prefix}_postcode": person.get("postcode", ""),
        f"{prefix}_phone": person.get("phone", ""),
        f"{prefix}_email": person.get("email", ""),
    }
    if person.get("person_id"):  # picked as a known person (a queued report)
        values[f"{prefix}_person"] = {
            "person_id": person["person_id"],
            "label": person.get("name", ""),
        }
    return values


def form_values(incident: dict[str, Any]) -> dict[str, Any]:
    """The form's fields for a report as the server returns it (to correct it)."""
    reporter = incident["reporter"]
    values = _person_values(reporter, "reporter")
    for name in REPORTER_EXTRA:
        values[f"reporter_{name}"] = reporter.get(name, False if name == "interpreter" else "")
    values["victim_is_reporter"] = incident["victim_is_reporter"]
    if not incident["victim_is_reporter"]:
        values.update(_person_values(incident["victim"], "victim"))
    values["offence"] = {"code": incident["offence"]["code"], "label": incident["offence"]["label"]}
    values["occurred_from"] = _local_text(incident.get("occurred_from"), True)
    values["occurred_to"] = _local_text(incident.get("occurred_to"), True)
    for name in (
        "location_address",
        "location_postcode",
        "location_description",
        "account",
        "cctv",
    ):
        values[name] = incident.get(name, "")
    suspects = list(incident["suspects"])
    if suspects and suspects[0].get("name"):  # the named suspect's own fields
        first = suspects.pop(0)
        values.update(_person_values(first, "suspect"))
        values["suspect_description"] = first.get("description", "")
    values["suspects"] = "\n".join(p.get("description") or p.get("name", "") for p in suspects)
    values["witnesses"] = "\n".join(p.get("name", "") for p in incident["witnesses"])
    # People picked as known (a queued report) or linked by the server (a report read back):
    # named ones keep their person; a suspect described, not named, stays a description.
    for name, listed in (("suspects", suspects), ("witnesses", incident["witnesses"])):
        values[f"{name}_known"] = [
            {**p, "line": p.get("description") or p.get("name", "")}
            for p in listed
            if p.get("person_id") and p.get("name")
        ]
    values["property"] = "\n".join(
        f"{item['item']}, £{item['value_pence'] // 100}.{item['value_pence'] % 100:02d}"
        for item in incident["property"]
    )
    for name, flag in FLAG_FIELDS.items():
        values[name] = flag.value in incident["flags"]
    return values


def queued_values(body: dict[str, Any], offence_label: str) -> dict[str, Any]:
    """The form's fields for a report body as it was sent (from the outbox, refused by the
    server): every field comes back, times in London wall-clock as the officer typed them."""
    code = str(body.get("offence_code") or "")
    incident = {
        "suspects": [],
        "witnesses": [],
        "property": [],
        "flags": [],
        **body,
        "victim_is_reporter": bool(body.get("victim_is_reporter", True)),
        "offence": {"code": code, "label": offence_label or code},
    }
    values = form_values(incident)
    if not code:
        values["offence"] = None
    return values

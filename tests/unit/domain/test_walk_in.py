"""The walk-in checks both the form and the core API make (domain.walk_in)."""

from __future__ import annotations

from datetime import UTC, datetime

from station_app.domain.walk_in import check_walk_in

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def report(**changes) -> dict:
    body = {
        "reporter": {
            "name": "Ottoline Barnstaple",
            "date_of_birth": "1971-02-03",
            "postcode": "se17 2zz",
        },
        "victim_is_reporter": True,
        "offence_code": "DMTH003",
        "occurred_from": "2026-11-25T18:00:00Z",
        "occurred_to": "2026-11-26T07:30:00+00:00",
        "location_address": "Larkspur Mews cycle shed",
        "location_postcode": "se1 9qx",
        "account": "The bicycle was gone.",
    }
    body.update(changes)
    return body


def test_a_good_report_passes_with_its_postcodes_tidied() -> None:
    checked, problems = check_walk_in(report(), NOW)
    assert problems == {}
    assert checked["location_postcode"] == "SE1 9QX"
    assert checked["reporter"]["postcode"] == "SE17 2ZZ"
    assert checked["victim"] is None


def test_each_problem_is_named_by_the_api_field_in_the_officers_words() -> None:
    _checked, problems = check_walk_in(
        report(
            reporter={"name": " ", "date_of_birth": "2030-01-01", "postcode": "QQ1 1AA"},
            victim_is_reporter=False,
            victim={"name": "Ada", "date_of_birth": None},
            offence_code="",
            account="",
            location_address="",
            location_postcode="",
            occurred_from="2026-11-26T11:00:00Z",  # an hour ahead: beyond a fast clock
            occurred_to="2026-11-26T10:30:00Z",
        ),
        NOW,
    )
    assert problems == {
        "reporter.name": "Enter the reporting person's name.",
        "reporter.date_of_birth": "The reporting person's date of birth is in the future. "
        "Check the year.",
        "reporter.postcode": problems["reporter.postcode"],
        "offence_code": "Choose the offence from the list.",
        "account": "Write down what happened, in the reporting person's words.",
        "location_address": "Enter where it happened: an address, a postcode or a description "
        "of the place.",
        "occurred_from": "The time it happened is in the future. Check the date and time.",
        "occurred_to": "The 'to' time is before the 'from' time. Check both.",
    }
    assert "not a UK postcode format" in problems["reporter.postcode"]


def test_a_victim_who_is_not_the_reporter_must_be_named() -> None:
    _checked, problems = check_walk_in(report(victim_is_reporter=False, victim=None), NOW)
    assert problems == {
        "victim.name": "Enter the victim's name, or tick 'victim is the reporting person'."
    }


def test_a_workstation_clock_a_few_minutes_fast_is_forgiven() -> None:
    _checked, problems = check_walk_in(
        report(occurred_from="2026-11-26T10:09:00Z", occurred_to=None), NOW
    )
    assert problems == {}

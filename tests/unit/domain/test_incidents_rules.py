"""Domain rules of walk-in reports: the status workflow by role, overdue decisions, and
dates, times and money as officers type them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from station_app.domain.incidents import IncidentStatus, allowed_next, decision_overdue
from station_app.domain.typed_input import parse_date, parse_local_datetime, parse_pounds

NOW = datetime(2026, 11, 26, 10, 0)


@pytest.mark.parametrize(
    ("roles", "status", "expected"),
    [
        ({"front_desk"}, IncidentStatus.REPORTED, ["recorded", "transferred"]),
        ({"supervisor"}, IncidentStatus.REPORTED, ["recorded", "no_crime", "transferred"]),
        ({"detective"}, IncidentStatus.REPORTED, ["recorded"]),
        ({"front_desk"}, IncidentStatus.RECORDED, []),
        ({"detective"}, IncidentStatus.RECORDED, ["closed"]),
        ({"admin"}, IncidentStatus.CLOSED, []),
        ({"custody_officer"}, IncidentStatus.REPORTED, []),
    ],
)
def test_who_may_move_a_report_where(roles, status, expected) -> None:
    assert [s.value for s in allowed_next(status, roles)] == expected


def test_a_decision_is_overdue_after_24_hours_and_only_while_reported() -> None:
    reported = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    later = reported + timedelta(hours=24, minutes=1)
    assert decision_overdue(IncidentStatus.REPORTED, reported, later)
    assert not decision_overdue(IncidentStatus.REPORTED, reported, reported + timedelta(hours=23))
    assert not decision_overdue(IncidentStatus.RECORDED, reported, later)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("25/11/2026 14:30", datetime(2026, 11, 25, 14, 30)),
        ("25/11 1430", datetime(2026, 11, 25, 14, 30)),
        ("25-11-26 9:05", datetime(2026, 11, 25, 9, 5)),
        ("today 9:05", datetime(2026, 11, 26, 9, 5)),
        ("yesterday 22:00", datetime(2026, 11, 25, 22, 0)),
        ("14:30", datetime(2026, 11, 26, 14, 30)),
        ("25/11/2026", datetime(2026, 11, 25, 0, 0)),
    ],
)
def test_typed_times(typed, expected) -> None:
    assert parse_local_datetime(typed, NOW) == expected


@pytest.mark.parametrize("typed", ["31/02/2026 10:00", "25/11/2026 25:00", "soon", "12/13/2020"])
def test_times_that_are_not_times_are_explained(typed) -> None:
    with pytest.raises(ValueError, match="is not a date and time"):
        parse_local_datetime(typed, NOW)


def test_two_digit_years_of_birth_are_not_in_the_future() -> None:
    assert parse_date("07/09/58", date(2026, 1, 1)) == date(1958, 9, 7)
    assert parse_date("07/09/09", date(2026, 1, 1)) == date(2009, 9, 7)


def test_money() -> None:
    assert parse_pounds("£1,250.5") == 125050
    assert parse_pounds("420") == 42000
    with pytest.raises(ValueError, match="not an amount of money"):
        parse_pounds("about 40 quid")

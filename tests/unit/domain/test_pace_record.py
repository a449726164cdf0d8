"""The custody record's state, clock and refusals (station_app.domain.custody_record)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from station_app.domain.custody_record import (
    CustodyEvent,
    action_refusal,
    clock,
    data_refusal,
    fold,
)
from station_app.domain.custody_rules import (
    EVENT_TYPES,
    CareConfig,
    ObservationConfig,
    check_event_data,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)
T0 = datetime(2026, 10, 24, 9, 0, tzinfo=UTC)
INSPECTOR = {"inspector"}
SERGEANT = {"custody_officer"}
SUPT = {"superintendent"}


def booked(mode: str = "either_way", born: str = "1990-05-01", **extra) -> list[CustodyEvent]:
    data = {
        "custody_number": "SW-2026-00001",
        "station_code": "SW",
        "person": {"surname": "Example", "forenames": "Ada", "date_of_birth": born},
        "arrived_at": T0.isoformat(),
        "relevant_time": T0.isoformat(),
        "offences": [{"code": "DMTH001", "label": "Theft", "mode_of_trial": mode}],
        **extra,
    }
    return [
        CustodyEvent("booked_in", T0, data),
        CustodyEvent("detention_authorised", T0 + 10 * M, {"grounds": "To obtain evidence"}),
    ]


def ev(kind: str, at: datetime, **data) -> CustodyEvent:
    return CustodyEvent(kind, at, data)


def test_clock_after_booking_and_authorisation() -> None:
    state = fold(booked())
    value = clock(state, T0 + H)
    assert value.relevant_time == T0
    assert value.detention_limit == T0 + 24 * H
    assert value.next_review_due == T0 + 10 * M + 6 * H
    assert value.next_visit_due == T0 + H  # level 1: hourly from arrival
    assert value.overdue == ()
    assert "visit" in value.due_soon


def test_observation_level_2_means_visits_every_30_minutes_and_overdue_says_so() -> None:
    events = [
        *booked(),
        ev("risk_assessment", T0 + 20 * M, risk_level="medium", observation_level="2"),
    ]
    events.append(ev("visit", T0 + 40 * M, response="comprehensive"))
    state = fold(events)
    assert state.observation_level == 2 and state.risk_level == "medium"
    value = clock(state, T0 + 75 * M)
    assert value.next_visit_due == T0 + 70 * M
    assert "visit" in value.overdue


def test_constant_observation_has_no_visit_deadline() -> None:
    state = fold([*booked(), ev("observation_level_set", T0 + M, observation_level="3")])
    value = clock(state, T0 + H)
    assert value.next_visit_due is None and value.constant_observation


def test_charge_stops_the_detention_limit_and_release_closes_the_clock() -> None:
    events = [*booked(), ev("charge", T0 + 2 * H, offence={"code": "DMTH001"}, wording="x")]
    assert clock(fold(events), T0 + 3 * H).detention_limit is None
    events.append(ev("released", T0 + 4 * H))
    value = clock(fold(events), T0 + 5 * H)
    assert value.deadlines == ()


def test_a_sergeant_may_not_review_an_uncharged_detainee() -> None:
    state = fold(booked())
    refusal = action_refusal(state, "review", SERGEANT, T0 + 5 * H, now=T0 + 5 * H)
    assert refusal is not None and refusal.forbidden
    assert "PACE s.40(1)(b)" in refusal.message
    assert action_refusal(state, "review", INSPECTOR, T0 + 5 * H, now=T0 + 5 * H) is None


def test_the_custody_officer_reviews_once_charged() -> None:
    events = [*booked(), ev("charge", T0 + 2 * H, offence={"code": "X"}, wording="x")]
    assert action_refusal(fold(events), "review", SERGEANT, T0 + 3 * H, now=T0 + 3 * H) is None


def test_extension_refused_before_the_second_review_and_after_24_hours() -> None:
    events = [*booked(), ev("review", T0 + 6 * H)]
    refusal = action_refusal(fold(events), "extension", SUPT, T0 + 7 * H, now=T0 + 7 * H)
    assert refusal is not None and "PACE s.42(4)(b)" in refusal.message
    events.append(ev("review", T0 + 15 * H))
    assert action_refusal(fold(events), "extension", SUPT, T0 + 16 * H, now=T0 + 16 * H) is None
    late = T0 + 24 * H + M
    refusal = action_refusal(fold(events), "extension", SUPT, late, now=late)
    assert refusal is not None and "PACE s.42(4)(a)" in refusal.message


def test_extension_needs_a_superintendent_and_an_indictable_offence() -> None:
    events = [*booked(mode="summary"), ev("review", T0 + 6 * H), ev("review", T0 + 15 * H)]
    refusal = action_refusal(fold(events), "extension", INSPECTOR, T0 + 16 * H, now=T0 + 16 * H)
    assert refusal is not None and refusal.forbidden
    refusal = action_refusal(fold(events), "extension", SUPT, T0 + 16 * H, now=T0 + 16 * H)
    assert refusal is not None and "PACE s.42(1)(b)" in refusal.message


def test_extension_never_past_36_hours() -> None:
    state = fold([*booked(), ev("review", T0 + 6 * H), ev("review", T0 + 15 * H)])
    at = T0 + 16 * H
    ok = data_refusal(state, "extension", {"until": (T0 + 36 * H).isoformat()}, SUPT, at, now=at)
    assert ok is None
    late = {"until": (T0 + 37 * H).isoformat()}
    refusal = data_refusal(state, "extension", late, SUPT, at, now=at)
    assert refusal is not None and "PACE s.42(2)" in refusal.message


def test_warrant_limits() -> None:
    state = fold(booked())
    at = T0 + 30 * H
    issued = T0 + 32 * H
    long = {"issued_at": issued.isoformat(), "expires_at": (issued + 37 * H).isoformat()}
    refusal = data_refusal(state, "warrant", long, SERGEANT, at, now=T0 + 40 * H)
    assert refusal is not None and "s.43(12)" in refusal.message
    issued = T0 + 70 * H
    past = {"issued_at": issued.isoformat(), "expires_at": (issued + 30 * H).isoformat()}
    refusal = data_refusal(state, "warrant", past, SERGEANT, at, now=T0 + 80 * H)
    assert refusal is not None and "96 hours" in refusal.message


def test_visits_in_the_future_and_anything_after_release_are_refused() -> None:
    state = fold(booked())
    refusal = action_refusal(state, "visit", SERGEANT, T0 + H, now=T0 + 30 * M)
    assert refusal is not None and "future" in refusal.message and "Annex H" in refusal.message
    closed = fold([*booked(), ev("released", T0 + H)])
    refusal = action_refusal(closed, "meal", SERGEANT, T0 + 2 * H, now=T0 + 2 * H)
    assert refusal is not None and "after release" in refusal.message


def test_a_juvenile_is_not_interviewed_without_an_appropriate_adult() -> None:
    events = booked(born="2010-01-01")
    state = fold(events)
    assert state.needs_appropriate_adult(T0)
    refusal = action_refusal(state, "interview_started", SERGEANT, T0 + H, now=T0 + H)
    assert refusal is not None and "Code C 11.15" in refusal.message
    events.append(ev("appropriate_adult", T0 + 30 * M, name="A. Parent", reason="juvenile"))
    assert action_refusal(fold(events), "interview_started", SERGEANT, T0 + H, now=T0 + H) is None


def test_delaying_legal_advice_needs_a_superintendent() -> None:
    state = fold(booked())
    data = {"right": "legal_advice", "grounds": "x", "until": (T0 + 5 * H).isoformat()}
    assert action_refusal(state, "rights_delayed", INSPECTOR, T0 + H, now=T0 + H) is None
    refusal = data_refusal(state, "rights_delayed", data, INSPECTOR, T0 + H, now=T0 + H)
    assert refusal is not None and refusal.forbidden and "s.58(6)" in refusal.message


def test_event_data_is_checked_against_the_spec() -> None:
    assert check_event_data("visit", {"response": "comprehensive"}) == {}
    problems = check_event_data("visit", {"response": "maybe", "colour": "red"})
    assert set(problems) == {"response", "colour"}
    problems = check_event_data("extension", {"until": "2026-10-25T09:00:00"})
    assert "until" in problems  # no time zone
    assert "diligent" in problems  # the three conditions must be confirmed
    assert all(text.endswith(".") for text in problems.values())
    with pytest.raises(ValueError):
        check_event_data("teleported", {})


@pytest.mark.parametrize("typed", ["10:00", "00:00", "23:59"])
def test_a_time_to_answer_bail_on_the_24_hour_clock_is_taken(typed) -> None:
    bail = {"bail_date": "2027-01-20", "bail_to": "Southwark Wharf", "bail_time": typed}
    assert check_event_data("bail", bail) == {}


@pytest.mark.parametrize("typed", ["24:00", "9:30", "10.00", "10:60", "ten", "１０:００"])
def test_a_time_to_answer_bail_that_is_not_a_clock_time_is_refused(typed) -> None:
    bail = {"bail_date": "2027-01-20", "bail_to": "Southwark Wharf", "bail_time": typed}
    assert check_event_data("bail", bail) == {
        "bail_time": "Time to answer bail must be a time on the 24-hour clock, like 10:00."
    }


def test_every_event_type_has_a_title_an_action_and_a_rule() -> None:
    for spec in EVENT_TYPES.values():
        assert spec.title and spec.action and spec.rule and spec.role_reason.endswith(".")


def test_a_force_may_set_stricter_visits_but_not_looser() -> None:
    strict = ObservationConfig({1: timedelta(minutes=45)})
    assert strict.interval(1) == timedelta(minutes=45)
    assert strict.interval(2) == timedelta(minutes=30)
    with pytest.raises(ValueError):
        ObservationConfig({2: timedelta(hours=1)})
    state = fold(booked())
    value = clock(state, T0, CareConfig(observation=strict))
    assert value.next_visit_due == T0 + 45 * M

"""The custody clock and care rules of issue 11, each against its source: PACE 1984
ss.40A, 41-45A, 47(6); Code C 1.5, 8.6, 12.2 and Annex H; College of Policing APP on
detention and custody (observation levels)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from station_app.domain.custody_record import (
    CustodyEvent,
    action_refusal,
    clock,
    data_refusal,
    fold,
)
from station_app.domain.custody_rules import (
    ObservationConfig,
    care_config_from_rules,
    check_event_data,
)

H = timedelta(hours=1)
M = timedelta(minutes=1)
T0 = datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
NOW = T0 + 200 * H
INSPECTOR = {"inspector"}
SERGEANT = {"custody_officer"}
SUPT = {"superintendent"}
RULES_FILE = Path(__file__).parents[3] / "resources" / "rules" / "custody.json"


def booked(mode: str = "either_way", *, person: dict | None = None, **extra) -> list[CustodyEvent]:
    data = {
        "custody_number": "SW-2026-00002",
        "station_code": "SW",
        "person": person
        or {"surname": "Example", "forenames": "Ada", "date_of_birth": "1990-05-01"},
        "arrived_at": T0.isoformat(),
        "arrested_at": T0.isoformat(),
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


def answering_bail(hours_used: float) -> dict:
    return {
        "answering_bail": {
            "custody_number": "SW-2026-00001",
            "detained_before_seconds": int(hours_used * 3600),
        }
    }


# --- PACE s.47(6): answering pre-charge bail ---------------------------------------------------


def test_answering_bail_counts_the_time_already_used_on_the_clock() -> None:
    """PNLD's example: nine hours used before bail leaves fifteen on the clock."""
    state = fold(booked(**answering_bail(9)))
    assert state.detained_before == 9 * H
    assert state.answering_bail_from == "SW-2026-00001"
    assert clock(state, T0 + H).detention_limit == T0 + 15 * H


def test_answering_bail_shrinks_the_extension_and_warrant_ceilings() -> None:
    events = [*booked(**answering_bail(9)), ev("review", T0 + 5 * H), ev("review", T0 + 12 * H)]
    state = fold(events)
    # s.42(4)(a): no later than 24 h minus the time used (15 h after the relevant time).
    refusal = action_refusal(state, "extension", SUPT, T0 + 16 * H, now=NOW)
    assert refusal is not None and "s.47(6)" in refusal.message
    assert action_refusal(state, "extension", SUPT, T0 + 14 * H, now=NOW) is None
    extension = {"until": (T0 + 28 * H).isoformat()}  # 37 h of detention in all
    refusal = data_refusal(state, "extension", extension, SUPT, T0 + 14 * H, now=NOW)
    assert refusal is not None and "36 hours" in refusal.message and "s.47(6)" in refusal.message


# --- PACE s.43(5): the warrant's application -----------------------------------------------------


def _warrant(applied: datetime, issued: datetime, hours: int = 30, **extra) -> dict:
    return {
        "court": "Southwark Magistrates' Court",
        "applied_at": applied.isoformat(),
        "issued_at": issued.isoformat(),
        "expires_at": (issued + hours * H).isoformat(),
        **extra,
    }


def _extended_state():
    events = [
        *booked(),
        ev("review", T0 + 5 * H),
        ev("review", T0 + 14 * H),
        ev("extension", T0 + 20 * H, until=(T0 + 36 * H).isoformat()),
    ]
    return fold(events)


def test_a_warrant_after_the_24_hour_limit_lapsed_without_an_extension_is_refused() -> None:
    state = fold([*booked(), ev("review", T0 + 5 * H), ev("review", T0 + 14 * H)])
    data = _warrant(T0 + 25 * H, T0 + 26 * H)
    refusal = data_refusal(state, "warrant", data, SERGEANT, T0 + 26 * H, now=NOW)
    assert refusal is not None
    assert "24-hour limit" in refusal.message and "s.41(7)" in refusal.message
    # Applied for and issued within the 24 hours: the warrant stands.
    ok = _warrant(T0 + 20 * H, T0 + 23 * H)
    assert data_refusal(state, "warrant", ok, SERGEANT, T0 + 23 * H, now=NOW) is None


def test_a_warrant_applied_for_after_36_hours_needs_the_court_could_not_sit_allowance() -> None:
    state = _extended_state()
    late = _warrant(T0 + 37 * H, T0 + 38 * H)
    refusal = data_refusal(state, "warrant", late, SERGEANT, T0 + 38 * H, now=NOW)
    assert refusal is not None and "s.43(5)(b)" in refusal.message
    allowed = _warrant(T0 + 37 * H, T0 + 38 * H, court_could_not_sit=True)
    assert data_refusal(state, "warrant", allowed, SERGEANT, T0 + 38 * H, now=NOW) is None


def test_a_warrant_at_relevant_time_plus_43_hours_is_refused_whatever_is_ticked() -> None:
    state = _extended_state()
    data = _warrant(T0 + 43 * H, T0 + 43 * H + 30 * M, court_could_not_sit=True)
    refusal = data_refusal(state, "warrant", data, SERGEANT, T0 + 44 * H, now=NOW)
    assert refusal is not None and "within 36 hours" in refusal.message
    assert "s.43(5)" in refusal.message


def test_a_warrant_application_after_it_was_issued_is_refused() -> None:
    state = _extended_state()
    data = _warrant(T0 + 30 * H, T0 + 29 * H)
    refusal = data_refusal(state, "warrant", data, SERGEANT, T0 + 30 * H, now=NOW)
    assert refusal is not None and "before the warrant is issued" in refusal.message


def test_the_warrant_form_asks_when_the_application_was_made() -> None:
    data = _warrant(T0 + 30 * H, T0 + 31 * H)
    del data["applied_at"]
    assert "applied_at" in check_event_data("warrant", data)


# --- PACE s.40A / s.45A: remote reviews only before charge ----------------------------------------


@pytest.mark.parametrize("means", ["telephone", "live_link"])
def test_a_remote_review_after_charge_is_refused_with_the_reason(means: str) -> None:
    charged = fold(
        [*booked(), ev("charge", T0 + 3 * H, offence={"code": "DMTH001"}, wording="Theft")]
    )
    data = {"outcome": "continue", "grounds": "Awaiting court", "means": means}
    refusal = data_refusal(charged, "review", data, SERGEANT, T0 + 5 * H, now=NOW)
    assert refusal is not None
    assert "only before charge" in refusal.message and "s.40A" in refusal.message
    in_person = {**data, "means": "in_person"}
    assert data_refusal(charged, "review", in_person, SERGEANT, T0 + 5 * H, now=NOW) is None
    uncharged = fold(booked())
    assert data_refusal(uncharged, "review", data, INSPECTOR, T0 + 5 * H, now=NOW) is None


# --- APP observation levels, Code C Annex H -----------------------------------------------------


@pytest.mark.parametrize("level", [3, 4])
def test_constant_observation_can_never_be_made_a_periodic_check(level: int) -> None:
    with pytest.raises(ValueError, match="watched all the time"):
        ObservationConfig({level: timedelta(minutes=15)})
    with pytest.raises(ValueError, match="watched all the time"):
        care_config_from_rules({"observation_minutes": {str(level): 15}})


def test_the_rules_data_may_make_visits_more_frequent_but_not_less() -> None:
    stricter = care_config_from_rules({"observation_minutes": {"1": 45, "2": 20}})
    assert stricter.observation.interval(1) == 45 * M
    assert stricter.observation.interval(2) == 20 * M
    assert stricter.observation.interval(3) is None
    with pytest.raises(ValueError, match="further apart"):
        care_config_from_rules({"observation_minutes": {"2": 45}})
    with pytest.raises(ValueError, match="levels are 1-4"):
        care_config_from_rules({"observation_minutes": {"5": 10}})


def test_the_shipped_custody_rules_are_valid_and_keep_levels_3_and_4_constant() -> None:
    data = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    config = care_config_from_rules(data)
    assert config.observation.interval(3) is None and config.observation.interval(4) is None
    assert "confirm" in data["sources"]["s46a_breach_minimum"]


def test_could_not_be_roused_demands_the_response_taken() -> None:
    state = fold(booked())
    refusal = data_refusal(state, "visit", {"response": "none"}, SERGEANT, T0 + H, now=NOW)
    assert refusal is not None and "emergency" in refusal.message
    assert "Annex H" in refusal.message
    taken = {"response": "none", "action_taken": "ambulance_called"}
    assert data_refusal(state, "visit", taken, SERGEANT, T0 + H, now=NOW) is None


def test_could_not_be_roused_is_the_most_urgent_state_at_once_not_a_visit_in_an_hour() -> None:
    at = T0 + 50 * M
    events = [
        *booked(),
        ev("visit", at, response="none", action_taken="ambulance_called"),
    ]
    value = clock(fold(events), at + M)
    assert value.next_visit_due == at  # now, not at + 1 h
    assert value.most_urgent is not None and value.most_urgent.key == "roused"
    assert "roused" in value.overdue
    # Roused at the next visit: back to the level's interval.
    events.append(ev("visit", at + 5 * M, response="comprehensive"))
    value = clock(fold(events), at + 6 * M)
    assert value.next_visit_due == at + 5 * M + H and value.emergency is None


def test_level_2_visits_record_rousing_never_a_visit_without_it() -> None:
    level_2 = fold([*booked(), ev("observation_level_set", T0 + M, observation_level="2")])
    refusal = data_refusal(level_2, "visit", {"response": "not_roused"}, SERGEANT, T0 + H, now=NOW)
    assert refusal is not None and "roused and spoken to" in refusal.message
    level_1 = fold(booked())
    assert data_refusal(level_1, "visit", {"response": "not_roused"}, SERGEANT, T0, now=NOW) is None


# --- Code C 8.6 and 12.2 ------------------------------------------------------------------------


def test_a_drink_is_not_a_meal() -> None:
    events = [*booked(), ev("meal", T0 + 5 * H, meal="drink")]
    value = clock(fold(events), T0 + 5 * H + M)
    assert value.meal_due_by == T0 + 6 * H  # still due from arrival
    events.append(ev("meal", T0 + 5 * H + 30 * M, meal="light"))
    assert clock(fold(events), T0 + 6 * H).meal_due_by == T0 + 11 * H + 30 * M


def test_rest_for_a_voluntary_attender_runs_from_the_arrest_not_the_arrival() -> None:
    arrest = T0 + 3 * H
    events = booked(voluntary_attender=True, arrested_at=arrest.isoformat())
    value = clock(fold(events), T0 + H)
    assert value.rest_due_by == arrest + 16 * H  # 24 h from the arrest, less 8 h of rest
    assert clock(fold(booked()), T0 + H).rest_due_by == T0 + 16 * H


# --- Code C 1.5: appears to be under 18 ---------------------------------------------------------


def test_appears_under_18_with_no_date_of_birth_makes_a_juvenile() -> None:
    person = {"surname": "Example", "forenames": "Sam", "appears_under_18": True}
    state = fold(booked(person=person))
    assert state.juvenile(T0 + H) and state.needs_appropriate_adult(T0 + H)
    refusal = action_refusal(state, "interview_started", SERGEANT, T0 + 2 * H, now=NOW)
    assert refusal is not None and "appropriate adult" in refusal.message
    unknown = fold(booked(person={"surname": "Example", "forenames": "Sam"}))
    assert not unknown.juvenile(T0 + H)


# --- the compliance replay (annex and supervisors' list) -----------------------------------------


def test_the_replay_counts_time_used_before_bail_towards_the_limit() -> None:
    from station_app.domain.custody_compliance import breaches

    events = [*booked(**answering_bail(9)), ev("released", T0 + 16 * H)]
    (limit,) = [b for b in breaches(events, NOW) if b.what.startswith("Detained past")]
    assert limit.due_at == T0 + 15 * H and "s.47(6)" in limit.rule
    assert "9 h 0 min used before bail" in limit.detail
    assert not [b for b in breaches(booked(), T0 + 16 * H) if b.what.startswith("Detained")]


def test_the_replay_lists_a_remote_review_after_charge_with_its_rule() -> None:
    from station_app.domain.custody_compliance import breaches

    events = [
        *booked(),
        ev("charge", T0 + 2 * H, offence={"code": "DMTH001"}, wording="Theft"),
        ev("review", T0 + 3 * H, outcome="continue", grounds="Court", means="telephone"),
    ]
    found = [b for b in breaches(events, T0 + 4 * H) if b.what.startswith("Review held")]
    assert len(found) == 1 and "s.40A" in found[0].rule


def test_the_replay_runs_rest_from_the_arrest_of_a_voluntary_attender() -> None:
    from station_app.domain.custody_compliance import breaches

    arrest = T0 + 5 * H
    events = booked(voluntary_attender=True, arrested_at=arrest.isoformat())
    at = T0 + 18 * H  # 16 h after arrival, 13 h after the arrest: rest not yet late
    assert not [b for b in breaches(events, at) if b.what.startswith("Rest")]
    assert [b for b in breaches(booked(), at) if b.what.startswith("Rest")]


def test_the_replay_lists_a_late_review_from_its_due_time_and_an_overdue_one() -> None:
    # PACE s.40(3): the first review within 6 hours of authorisation (T0 + 10 min), then at
    # intervals of no more than 9 hours.
    from station_app.domain.custody_compliance import breaches

    authorised = T0 + 10 * M
    on_time = ev("review", authorised + 5 * H, outcome="continue", grounds="Evidence")
    late = ev("review", authorised + 7 * H, outcome="continue", grounds="Evidence")
    assert not [b for b in breaches([*booked(), on_time], T0 + 8 * H) if "Review" in b.what]

    (found,) = [b for b in breaches([*booked(), late], T0 + 8 * H) if "Review" in b.what]
    assert (found.what, found.due_at, found.done_at) == (
        "Review late",
        authorised + 6 * H,
        authorised + 7 * H,
    )
    assert found.rule == "PACE s.40(3)"

    # Nothing after the first review: the second was due 9 hours later.
    at = authorised + 5 * H + 9 * H + M
    (overdue,) = [b for b in breaches([*booked(), on_time], at) if "Review" in b.what]
    assert (overdue.what, overdue.due_at, overdue.done_at) == (
        "Review overdue",
        authorised + 14 * H,
        None,
    )


def test_a_review_postponed_under_s40_4_and_held_when_practicable_is_not_late() -> None:
    from station_app.domain.custody_compliance import breaches

    authorised = T0 + 10 * M
    events = [
        *booked(),
        ev("review_postponed", authorised + 5 * H + 50 * M, reason="being_questioned"),
        ev("review", authorised + 7 * H, outcome="continue", grounds="Evidence"),
    ]
    assert not [b for b in breaches(events, T0 + 8 * H) if "Review" in b.what]


def test_the_replay_lists_each_24_hours_without_two_light_meals_and_a_main_one() -> None:
    # Code C 8.6: at least two light meals and one main meal in any 24 hours (counted here
    # in whole 24 hours from arrival; a main meal counts as a light one too).
    from station_app.domain.custody_compliance import breaches

    fed = [
        ev("meal", T0 + 2 * H, meal="light"),
        ev("meal", T0 + 8 * H, meal="main"),
        ev("meal", T0 + 14 * H, meal="light"),
    ]
    at = T0 + 25 * H
    assert not [b for b in breaches([*booked(), *fed], at) if b.what == "Meals short"]

    two_light = [*fed[:1], ev("meal", T0 + 8 * H, meal="light"), fed[2]]
    (short,) = [b for b in breaches([*booked(), *two_light], at) if b.what == "Meals short"]
    assert short.due_at == T0 + 24 * H and short.rule == "Code C 8.6"
    assert short.detail.startswith("3 meal(s) between")

    drinks = [*fed[:2], ev("meal", T0 + 14 * H, meal="drink")]
    (short,) = [b for b in breaches([*booked(), *drinks], at) if b.what == "Meals short"]
    assert short.detail.startswith("2 meal(s) between")
    # Before a whole 24 hours has passed nothing is short yet.
    assert not [b for b in breaches([*booked()], T0 + 23 * H) if b.what == "Meals short"]


def test_the_replay_says_what_was_done_for_a_detainee_who_could_not_be_roused() -> None:
    from station_app.domain.custody_compliance import breaches

    events = [*booked(), ev("visit", T0 + H, response="none", action_taken="ambulance_called")]
    (roused,) = [b for b in breaches(events, T0 + 2 * H) if b.what == "Could not be roused"]
    assert "Ambulance called" in roused.detail and "Annex H" in roused.rule


def test_a_terrorism_act_warrant_is_not_held_to_the_pace_clock() -> None:
    # custody.md: Terrorism Act detention (Schedule 8, Code H) is marked and the PACE clock
    # is not applied to it; a Schedule 8 warrant may run well past 36 hours from issue.
    state = fold(booked(terrorism=True))
    data = _warrant(T0 + 40 * H, T0 + 41 * H, hours=5 * 24)
    assert data_refusal(state, "warrant", data, SERGEANT, T0 + 41 * H, now=NOW) is None
    pace_state = fold(booked())
    assert data_refusal(pace_state, "warrant", data, SERGEANT, T0 + 41 * H, now=NOW) is not None

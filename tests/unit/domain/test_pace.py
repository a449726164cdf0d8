"""The public contract of `station_app.domain.pace` (shared/domain/custody.md)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from station_app.domain.pace import (
    detention_limit,
    extension_permitted,
    is_juvenile,
    next_review_due,
    relevant_time,
    visit_interval,
)

LONDON = ZoneInfo("Europe/London")
H = timedelta(hours=1)
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


# --- relevant time (s.41(2)) -----------------------------------------------------------------


def test_relevant_time_is_arrival_when_it_is_within_24_hours_of_arrest() -> None:
    assert relevant_time(T0, T0 + 2 * H) == T0 + 2 * H


def test_relevant_time_is_24_hours_after_arrest_when_arrival_is_later() -> None:
    assert relevant_time(T0, T0 + 30 * H) == T0 + 24 * H


def test_relevant_time_of_a_voluntary_attender_is_the_arrest_at_the_station() -> None:
    attended = T0
    arrested_at_station = T0 + 3 * H
    assert relevant_time(arrested_at_station, attended, voluntary_attender=True) == T0 + 3 * H


def test_arrival_before_arrest_is_refused() -> None:
    with pytest.raises(ValueError):
        relevant_time(T0, T0 - H)


def test_relevant_time_accepts_any_zone_and_answers_in_utc() -> None:
    arrested = datetime(2026, 7, 1, 14, 0, tzinfo=LONDON)  # 13:00 UTC in summer
    result = relevant_time(arrested, arrested + H)
    assert result == datetime(2026, 7, 1, 14, 0, tzinfo=UTC)
    assert result.utcoffset() == timedelta(0)


# --- reviews (s.40) ------------------------------------------------------------------------


def test_first_review_is_six_hours_after_detention_was_authorised() -> None:
    assert next_review_due(T0, []) == T0 + 6 * H


def test_first_review_runs_from_authorisation_not_relevant_time() -> None:
    rt = relevant_time(T0, T0 + H)
    authorised = rt + 2 * H
    assert next_review_due(authorised, []) == rt + 8 * H


def test_second_review_is_nine_hours_after_a_first_review_held_on_time() -> None:
    assert next_review_due(T0, [T0 + 6 * H]) == T0 + 15 * H


def test_an_early_review_pulls_the_schedule_earlier() -> None:
    assert next_review_due(T0, [T0 + 4 * H]) == T0 + 13 * H


def test_a_postponed_review_does_not_push_the_next_one_later() -> None:
    # First due at +6 h, held late at +8 h (postponed, s.40(4)): next still due at +15 h.
    assert next_review_due(T0, [T0 + 8 * H]) == T0 + 15 * H


def test_later_reviews_keep_the_nine_hour_rhythm_from_their_deadlines() -> None:
    held = [T0 + 6 * H, T0 + 17 * H]  # second held 2 h late (due at +15 h)
    assert next_review_due(T0, held) == T0 + 24 * H
    held = [T0 + 6 * H, T0 + 12 * H, T0 + 20 * H]
    assert next_review_due(T0, held) == T0 + 29 * H


def test_reviews_out_of_order_or_before_authorisation_are_refused() -> None:
    with pytest.raises(ValueError):
        next_review_due(T0, [T0 + 6 * H, T0 + 5 * H])
    with pytest.raises(ValueError):
        next_review_due(T0, [T0 - H])


# --- limits (s.41-44) ----------------------------------------------------------------------


def test_the_standard_limit_is_24_hours() -> None:
    assert detention_limit(T0) == T0 + 24 * H


def test_a_superintendent_extension_raises_the_limit_up_to_36_hours() -> None:
    assert detention_limit(T0, superintendent_extension_until=T0 + 30 * H) == T0 + 30 * H
    assert detention_limit(T0, superintendent_extension_until=T0 + 36 * H) == T0 + 36 * H


def test_an_extension_past_36_hours_is_refused() -> None:
    with pytest.raises(ValueError):
        detention_limit(T0, superintendent_extension_until=T0 + 36 * H + timedelta(seconds=1))


def test_a_warrant_issued_at_32_hours_for_36_hours_gives_68_hours_not_72() -> None:
    limit = detention_limit(
        T0, superintendent_extension_until=T0 + 36 * H, warrant_expires_at=T0 + 32 * H + 36 * H
    )
    assert limit == T0 + 68 * H


def test_warrants_may_reach_96_hours_but_never_past() -> None:
    assert detention_limit(T0, warrant_expires_at=T0 + 96 * H) == T0 + 96 * H
    with pytest.raises(ValueError):
        detention_limit(T0, warrant_expires_at=T0 + 96 * H + timedelta(minutes=1))


def test_the_limit_is_the_latest_of_its_parts() -> None:
    # An extension shorter than 24 h does not shorten detention.
    assert detention_limit(T0, superintendent_extension_until=T0 + 20 * H) == T0 + 24 * H


# --- the extension window (s.42(4)) ----------------------------------------------------------


def test_extension_needs_an_indictable_offence() -> None:
    reviews = [T0 + 6 * H, T0 + 15 * H]
    assert extension_permitted(T0, reviews, T0 + 16 * H, offence_indictable=True)
    assert not extension_permitted(T0, reviews, T0 + 16 * H, offence_indictable=False)


def test_extension_not_before_the_second_review() -> None:
    assert not extension_permitted(T0, [T0 + 6 * H], T0 + 10 * H, offence_indictable=True)
    # The second review counts only once it has been held at or before `at`.
    reviews = [T0 + 6 * H, T0 + 15 * H]
    assert not extension_permitted(T0, reviews, T0 + 14 * H, offence_indictable=True)
    assert extension_permitted(T0, reviews, T0 + 15 * H, offence_indictable=True)


def test_extension_no_later_than_24_hours_after_the_relevant_time() -> None:
    reviews = [T0 + 6 * H, T0 + 15 * H]
    assert extension_permitted(T0, reviews, T0 + 24 * H, offence_indictable=True)
    late = T0 + 24 * H + timedelta(seconds=1)
    assert not extension_permitted(T0, reviews, late, offence_indictable=True)


# --- visits --------------------------------------------------------------------------------


def test_visit_intervals_are_the_app_defaults() -> None:
    assert visit_interval(1) == timedelta(hours=1)
    assert visit_interval(2) == timedelta(minutes=30)
    assert visit_interval(3) is None
    assert visit_interval(4) is None


@pytest.mark.parametrize("level", [0, 5, -1, True])
def test_levels_outside_1_to_4_are_refused(level: int) -> None:
    with pytest.raises(ValueError):
        visit_interval(level)


# --- juveniles -----------------------------------------------------------------------------


def test_under_18_is_a_juvenile_and_the_birthday_starts_at_london_midnight() -> None:
    born = date(2008, 11, 26)
    assert is_juvenile(born, datetime(2026, 11, 25, 23, 59, tzinfo=UTC))
    assert not is_juvenile(born, datetime(2026, 11, 26, 0, 0, tzinfo=UTC))
    # Summer: 23:30 UTC on the 25th is already 00:30 on the 26th in London.
    summer_born = date(2008, 7, 2)
    assert not is_juvenile(summer_born, datetime(2026, 7, 1, 23, 30, tzinfo=UTC))


def test_a_leap_day_birthday_turns_18_on_1_march() -> None:
    born = date(2008, 2, 29)
    assert is_juvenile(born, datetime(2026, 2, 28, 12, 0, tzinfo=UTC))
    assert not is_juvenile(born, datetime(2026, 3, 1, 12, 0, tzinfo=UTC))


# --- the end of British Summer Time ----------------------------------------------------------


def test_a_detention_over_the_october_clock_change_is_24_real_hours() -> None:
    # Arrived 10:00 BST on Saturday 24 October 2026; the clocks go back at 02:00 BST on
    # Sunday 25 October. 24 hours later is 09:00 GMT on the wall clock, not 10:00.
    arrived = datetime(2026, 10, 24, 10, 0, tzinfo=LONDON)
    rt = relevant_time(arrived - H, arrived)
    limit = detention_limit(rt)
    assert limit - rt == timedelta(hours=24)
    wall = limit.astimezone(LONDON)
    assert (wall.hour, wall.minute, wall.tzname()) == (9, 0, "GMT")


def test_reviews_over_the_clock_change_count_real_hours() -> None:
    authorised = datetime(2026, 10, 24, 22, 0, tzinfo=LONDON)  # 21:00 UTC
    due = next_review_due(authorised, [])
    assert due == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    assert due.astimezone(LONDON).strftime("%H:%M %Z") == "03:00 GMT"  # 5 wall-clock hours


def test_the_spring_clock_change_is_an_hour_shorter_on_the_wall() -> None:
    arrived = datetime(2026, 3, 28, 12, 0, tzinfo=LONDON)  # GMT
    limit = detention_limit(relevant_time(arrived, arrived))
    assert limit.astimezone(LONDON).strftime("%d %H:%M %Z") == "29 13:00 BST"


# --- naive datetimes are refused -----------------------------------------------------------

NAIVE = datetime(2026, 3, 10, 9, 0)


@pytest.mark.parametrize(
    "call",
    [
        lambda: relevant_time(NAIVE, T0),
        lambda: relevant_time(T0, NAIVE),
        lambda: relevant_time(NAIVE, T0, voluntary_attender=True),
        lambda: next_review_due(NAIVE, []),
        lambda: next_review_due(T0, [NAIVE]),
        lambda: detention_limit(NAIVE),
        lambda: detention_limit(T0, superintendent_extension_until=NAIVE),
        lambda: detention_limit(T0, warrant_expires_at=NAIVE),
        lambda: extension_permitted(NAIVE, [], T0, offence_indictable=True),
        lambda: extension_permitted(T0, [NAIVE], T0, offence_indictable=True),
        lambda: extension_permitted(T0, [], NAIVE, offence_indictable=True),
        lambda: is_juvenile(date(2000, 1, 1), NAIVE),
    ],
)
def test_naive_datetimes_raise_value_error(call) -> None:
    with pytest.raises(ValueError):
        call()


def test_fixed_offsets_are_accepted() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert detention_limit(datetime(2026, 3, 10, 11, 0, tzinfo=plus_two)) == T0 + 24 * H


# --- PACE s.47(6): time already used before pre-charge bail (custody.md, "Addition") -----

BAIL_RT = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def test_nine_hours_used_before_bail_leaves_fifteen_on_the_clock() -> None:
    """PNLD's example: nine hours in detention before bail; the person answers bail."""
    used = timedelta(hours=9)
    assert detention_limit(BAIL_RT, detained_before=used) == BAIL_RT + timedelta(hours=15)
    assert detention_limit(BAIL_RT) == BAIL_RT + timedelta(hours=24)  # unchanged by default


def test_every_period_shrinks_by_the_time_used() -> None:
    used = timedelta(hours=9)
    assert detention_limit(
        BAIL_RT, superintendent_extension_until=BAIL_RT + timedelta(hours=27), detained_before=used
    ) == BAIL_RT + timedelta(hours=27)
    with pytest.raises(ValueError, match="36 hours"):
        detention_limit(
            BAIL_RT,
            superintendent_extension_until=BAIL_RT + timedelta(hours=27, minutes=1),
            detained_before=used,
        )
    assert detention_limit(
        BAIL_RT, warrant_expires_at=BAIL_RT + timedelta(hours=87), detained_before=used
    ) == BAIL_RT + timedelta(hours=87)
    with pytest.raises(ValueError, match="96 hours"):
        detention_limit(
            BAIL_RT, warrant_expires_at=BAIL_RT + timedelta(hours=88), detained_before=used
        )


def test_an_extension_must_come_within_24_hours_less_the_time_used() -> None:
    reviews = [BAIL_RT + timedelta(hours=1), BAIL_RT + timedelta(hours=5)]
    used = timedelta(hours=9)
    at_fifteen = BAIL_RT + timedelta(hours=15)
    assert extension_permitted(
        BAIL_RT, reviews, at_fifteen, offence_indictable=True, detained_before=used
    )
    assert not extension_permitted(
        BAIL_RT,
        reviews,
        at_fifteen + timedelta(minutes=1),
        offence_indictable=True,
        detained_before=used,
    )
    assert extension_permitted(
        BAIL_RT, reviews, at_fifteen + timedelta(minutes=1), offence_indictable=True
    )


def test_negative_time_used_is_refused() -> None:
    with pytest.raises(ValueError):
        detention_limit(BAIL_RT, detained_before=timedelta(minutes=-1))
    with pytest.raises(ValueError):
        extension_permitted(
            BAIL_RT, [], BAIL_RT, offence_indictable=True, detained_before=timedelta(hours=-1)
        )

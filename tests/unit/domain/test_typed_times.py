"""Typed London times across the clock changes (formats.md; issue 11): a time the clocks
skip or pass twice is asked about, never guessed. 2026: the clocks go forward at 01:00 GMT
on Sunday 29 March and back at 02:00 BST on Sunday 25 October."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from station_app.domain.typed_input import (
    FIRST,
    SECOND,
    AmbiguousLocalTimeError,
    NonexistentLocalTimeError,
    london_time,
    parse_london_datetime,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_a_time_the_clocks_skipped_is_refused_with_the_reason() -> None:
    with pytest.raises(NonexistentLocalTimeError, match="did not happen") as problem:
        london_time(datetime(2026, 3, 29, 1, 30))
    assert "00:30 GMT or 02:30 BST" in str(problem.value)
    with pytest.raises(NonexistentLocalTimeError):
        parse_london_datetime("29/03/2026 01:30", NOW)


def test_a_time_that_happened_twice_is_asked_about_and_either_answer_is_kept() -> None:
    local = datetime(2026, 10, 25, 1, 30)
    with pytest.raises(AmbiguousLocalTimeError, match="happened twice") as problem:
        london_time(local)
    first, second = problem.value.choices
    assert (first, second) == (
        datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
        datetime(2026, 10, 25, 1, 30, tzinfo=UTC),
    )
    assert london_time(local, FIRST) == first and london_time(local, SECOND) == second


def test_typing_bst_or_gmt_after_the_time_answers_which() -> None:
    with pytest.raises(AmbiguousLocalTimeError, match="Add BST or GMT"):
        parse_london_datetime("25/10/2026 01:30", NOW)
    assert parse_london_datetime("25/10/2026 01:30 GMT", NOW) == datetime(
        2026, 10, 25, 1, 30, tzinfo=UTC
    )
    assert parse_london_datetime("25/10/2026 01:30 bst", NOW) == datetime(
        2026, 10, 25, 0, 30, tzinfo=UTC
    )


def test_ordinary_times_either_side_are_read_without_a_question() -> None:
    assert london_time(datetime(2026, 10, 25, 3, 0)) == datetime(2026, 10, 25, 3, 0, tzinfo=UTC)
    assert london_time(datetime(2026, 7, 1, 9, 0)) == datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
    assert parse_london_datetime("29/03/2026 02:30", NOW) == datetime(
        2026, 3, 29, 1, 30, tzinfo=UTC
    )

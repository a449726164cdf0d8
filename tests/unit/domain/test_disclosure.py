"""Disclosure schedules as the CPS Disclosure Manual sets them: each kind of schedule numbers
its own items (ch.7 7.2), a signed nil MG6D or a listed one but never both (ch.8 8.3), and
the MG6E naming items by schedule and number (ch.10)."""

from __future__ import annotations

import pytest

from station_app.domain.casefile_forms import validate_form
from station_app.domain.disclosure import (
    Schedule,
    ScheduleError,
    ScheduleItem,
    format_item_references,
    last_item_numbers,
    mixed_mg6d_problem,
    next_item_number,
    nil_mg6d_problem,
    number_schedule_items,
    parse_item_references,
)


def numbers(schedules: list[Schedule]) -> dict[str, int | None]:
    return {i.description: i.number for s in schedules for i in s.items}


def test_the_mg6c_and_the_mg6d_each_number_their_own_items() -> None:
    """CPS Disclosure Manual ch.7 (7.1-7.2): the MG6C is disclosed to the defence, each item
    consecutively numbered, continuation sheets and later schedules consecutive to the earlier
    ones. One running number across both printed the MG6C as 1, 2, 4, 5 and told the defence
    that a sensitive item 3 exists (ch.8 8.2: the MG6D is never disclosed)."""
    first = Schedule("MG6C", 1, (ScheduleItem("Crime report"), ScheduleItem("999 call")))
    numbered = number_schedule_items([first])
    sensitive = Schedule("MG6D", 2, (ScheduleItem("Informant log"),))
    numbered = number_schedule_items([*numbered, sensitive])
    # Later: an item added to the first schedule, and a continuation MG6C.
    grown = Schedule("MG6C", 1, (*numbered[0].items, ScheduleItem("CCTV log")))
    later = Schedule("MG6C", 3, (ScheduleItem("Draft statement"),))
    more_sensitive = Schedule("MG6D", 2, (*numbered[1].items, ScheduleItem("Observation post")))
    final = number_schedule_items([grown, more_sensitive, later])

    assert numbers(final) == {
        "Crime report": 1,
        "999 call": 2,
        "CCTV log": 3,
        "Draft statement": 4,
        "Informant log": 1,
        "Observation post": 2,
    }
    mg6c = [i.number for s in final if s.form == "MG6C" for i in s.items]
    assert sorted(mg6c) == [1, 2, 3, 4]  # no gap for the defence to read
    assert next_item_number(final, "MG6C") == 5
    assert next_item_number(final, "MG6D") == 3
    assert last_item_numbers(final) == {"MG6C": 4, "MG6D": 2}


def test_a_number_once_given_is_never_given_again() -> None:
    """Numbers once given never change (the MG6E and the CPS refer to items by them): an
    item taken off the schedule takes its number with it."""
    kept = Schedule("MG6C", 1, (ScheduleItem("Crime report", 1), ScheduleItem("New item")))

    numbered = number_schedule_items([kept], {"MG6C": 2, "MG6D": 0})

    assert numbers(numbered) == {"Crime report": 1, "New item": 3}
    assert next_item_number([kept], "MG6C", {"MG6C": 7}) == 8


def test_the_same_number_twice_on_one_kind_of_schedule_is_refused() -> None:
    a = Schedule("MG6C", 1, (ScheduleItem("A", 1),))
    b = Schedule("MG6C", 2, (ScheduleItem("B", 1),))
    sensitive = Schedule("MG6D", 3, (ScheduleItem("C", 1),))

    assert numbers(number_schedule_items([a, sensitive])) == {"A": 1, "C": 1}
    with pytest.raises(ScheduleError, match="MG6C schedules of a case; these appear twice: 1"):
        number_schedule_items([a, b])


def test_a_nil_mg6d_must_be_signed_and_empty() -> None:
    """CPS Disclosure Manual ch.8 (8.3): with no sensitive material the disclosure officer
    endorses and signs an MG6D to that effect."""
    assert nil_mg6d_problem(True, [], "DC Sam Okafor") is None
    assert "signed" in (nil_mg6d_problem(True, [], " ") or "")
    assert "no items" in (nil_mg6d_problem(True, [ScheduleItem("x")], "DC A") or "")
    assert "nil" in (nil_mg6d_problem(False, [], "") or "")
    assert validate_form("MG6D", {"disclosure_officer": "DC A", "nil": True}) == {
        "signed_by": "A nil MG6D must be signed. Enter who signs it."
    }


def test_a_case_has_a_nil_mg6d_or_a_listed_one_never_both() -> None:
    """CPS Disclosure Manual ch.8 (8.3): a nil MG6D says there is no sensitive material."""
    assert mixed_mg6d_problem(True, []) is None
    assert mixed_mg6d_problem(False, [False]) is None  # a second listed schedule is fine
    assert "already has an MG6D listing" in (mixed_mg6d_problem(True, [False]) or "")
    assert "has a nil MG6D" in (mixed_mg6d_problem(False, [True]) or "")
    assert "ch.8" in (mixed_mg6d_problem(False, [True]) or "")


def test_the_mg6e_names_each_item_by_its_schedule_and_number() -> None:
    """CPS Disclosure Manual ch.10 (10.2): the MG6E refers to the item's number on the
    schedule; with a numbering per schedule, a bare number could be either."""
    assert parse_item_references("MG6C 3, mg6d 1; C4, 6D/2, MG6C 3") == [
        ("MG6C", 3),
        ("MG6D", 1),
        ("MG6C", 4),
        ("MG6D", 2),
    ]
    assert format_item_references([("MG6C", 3), ("MG6D", 1)]) == "MG6C 3, MG6D 1"
    assert parse_item_references("  ") == []
    with pytest.raises(ScheduleError, match="Say which schedule item 3 is on"):
        parse_item_references("MG6C 1, 3")
    with pytest.raises(ScheduleError, match="MG6E 2"):
        parse_item_references("MG6E 2")
    errors = validate_form(
        "MG6E", {"disclosure_officer": "DC A", "report": "r", "undermining_items": "4, 9"}
    )
    assert "Say which schedule item 4 is on" in errors["undermining_items"]

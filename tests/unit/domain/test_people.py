"""domain.people: how names, dates of birth and postcodes are read for person search, and
person ids. Standard library only, so these run in milliseconds."""

from __future__ import annotations

import datetime as dt

import pytest

from station_app.domain.people import (
    LINK_ROLES,
    LinkRole,
    date_variants,
    fold,
    fold_postcode,
    format_person_id,
    name_words,
    parse_person_id,
    split_full_name,
    swapped_day_month,
)


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("Siân", "sian"),
        ("Łukasz", "lukasz"),  # Ł is one letter in Unicode: NFKD leaves it whole
        ("ŁUKASZ", "lukasz"),
        ("Zoë", "zoe"),
        ("Brontë", "bronte"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("Øyvind", "oyvind"),
        ("Straße", "strasse"),
        ("Dąbrowski", "dabrowski"),
        ("Yılmaz", "yilmaz"),
        ("  Mary-  Ann ", "mary ann"),
        ("Okonkwo-Bright", "okonkwo-bright"),
        ("J0hn!!", "j0hn"),
    ],
)
def test_names_fold_to_plain_letters(written: str, folded: str) -> None:
    assert fold(written) == folded


def test_a_double_barrelled_name_has_its_parts_as_words() -> None:
    assert name_words("Okonkwo-Bright") == ["okonkwo", "bright"]
    assert name_words("Okonkwo Bright") == ["okonkwo", "bright"]
    assert name_words("") == []


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("Ada Pennywhistle", ("Pennywhistle", "Ada")),
        ("John Paul Smyth", ("Smyth", "John Paul")),
        ("Mary van der Berg", ("van der Berg", "Mary")),
        ("Smith, John Paul", ("Smith", "John Paul")),
        ("Madonna", ("Madonna", "")),
        ("", ("", "")),
    ],
)
def test_a_name_in_one_line_is_split_into_surname_and_forenames(
    name: str, parts: tuple[str, str]
) -> None:
    assert split_full_name(name) == parts


def test_day_and_month_swap_only_when_it_makes_another_date() -> None:
    assert swapped_day_month(dt.date(1984, 7, 2)) == dt.date(1984, 2, 7)
    assert swapped_day_month(dt.date(1984, 7, 13)) is None  # no 13th month
    assert swapped_day_month(dt.date(1984, 5, 5)) is None  # the same date
    assert date_variants(dt.date(1984, 7, 2)) == [dt.date(1984, 7, 2), dt.date(1984, 2, 7)]


@pytest.mark.parametrize(
    ("typed", "full", "sector", "district"),
    [
        ("ls1 4ab", "LS1 4AB", "LS1 4", "LS1"),
        ("SW1A1AA", "SW1A 1AA", "SW1A 1", "SW1A"),
        ("LS1 4", None, "LS1 4", "LS1"),
        ("LS14", None, None, "LS14"),
        ("75008", None, None, None),  # foreign: searched as typed
        ("", None, None, None),
    ],
)
def test_postcodes_are_read_as_far_as_they_go(
    typed: str, full: str | None, sector: str | None, district: str | None
) -> None:
    postcode = fold_postcode(typed)

    assert (postcode.full, postcode.sector, postcode.district) == (full, sector, district)
    assert bool(postcode) == bool(typed)


def test_person_ids() -> None:
    assert format_person_id(123) == "P-000123"
    assert format_person_id(1234567) == "P-1234567"
    assert parse_person_id("P-000123") == 123
    assert parse_person_id(" p-123 ") == 123
    assert parse_person_id("123") is None
    assert parse_person_id("P-") is None


def test_every_record_type_names_its_roles() -> None:
    assert LINK_ROLES["incident"] == (
        LinkRole.REPORTING_PERSON,
        LinkRole.VICTIM,
        LinkRole.SUSPECT,
        LinkRole.WITNESS,
    )
    assert LINK_ROLES["custody_record"] == (LinkRole.DETAINEE,)
    assert LinkRole.DEFENDANT in LINK_ROLES["casefile"]
    assert LINK_ROLES["hearing"] == (LinkRole.DEFENDANT,)  # court results come later

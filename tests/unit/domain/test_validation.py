"""Format checks for postcodes, PNC IDs and CRO numbers (shared/domain/formats.md)."""

from __future__ import annotations

import itertools
import random
import string

import pytest

from station_app.domain.validation import (
    PNC_CHECK_LETTERS,
    is_valid_cro_number,
    is_valid_pnc_id,
    is_valid_postcode,
    normalise_postcode,
)

LETTERS = string.ascii_uppercase

# -- postcodes -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("SW1A 1AA", "SW1A 1AA"),  # AA9A
        ("sw1a1aa", "SW1A 1AA"),  # lower case, no space
        ("  sw1a   1aa ", "SW1A 1AA"),  # extra spaces
        ("S W 1 A 1 A A", "SW1A 1AA"),  # spaces anywhere
        ("M1 1AE", "M1 1AE"),  # A9
        ("B33 8TH", "B33 8TH"),  # A99
        ("CR2 6XH", "CR2 6XH"),  # AA9
        ("DN55 1PT", "DN55 1PT"),  # AA99
        ("W1A 0AX", "W1A 0AX"),  # A9A
        ("EC1A 1BB", "EC1A 1BB"),  # AA9A
        ("gir0aa", "GIR 0AA"),  # the special case
    ],
)
def test_postcodes_in_every_shape_are_stored_upper_case_with_one_space(
    typed: str, stored: str
) -> None:
    assert normalise_postcode(typed) == stored
    assert is_valid_postcode(typed)


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("QA1 1AA", "first letter never Q"),
        ("V1 1AA", "first letter never V"),
        ("XA1 1AA", "first letter never X"),
        ("AI1 1AA", "second letter never I"),
        ("BJ1 1AA", "second letter never J"),
        ("CZ1 1AA", "second letter never Z"),
        ("W1I 1AA", "third-position letter not I"),
        ("W1L 1AA", "third-position letter not L"),
        ("W1M 1AA", "third-position letter not M"),
        ("EC1C 1AA", "fourth-position letter not C"),
        ("EC1D 1AA", "fourth-position letter not D"),
        ("EC1Z 1AA", "fourth-position letter not Z"),
        ("M1 1CA", "inward letter never C"),
        ("M1 1AI", "inward letter never I"),
        ("M1 1KA", "inward letter never K"),
        ("M1 1AM", "inward letter never M"),
        ("M1 1OA", "inward letter never O"),
        ("M1 1AV", "inward letter never V"),
        ("SW1A 1ZZZ", "inward is 9AA"),
        ("SW1A", "no inward code"),
        ("1W1 1AA", "outward starts with a letter"),
        ("SWW1 1AA", "at most two letters before the digit"),
        ("SW123 1AA", "at most two digits"),
        ("M1 AAA", "inward starts with a digit"),
        ("GIR 0AB", "only GIR 0AA is special"),
        ("M1-1AA", "no punctuation"),
    ],
)
def test_postcodes_that_break_a_rule_are_refused(text: str, rule: str) -> None:
    assert not is_valid_postcode(text), rule
    with pytest.raises(ValueError, match="is not a UK postcode format"):
        normalise_postcode(text)


def test_the_refusal_quotes_what_was_typed_and_shows_an_example() -> None:
    with pytest.raises(ValueError) as caught:
        normalise_postcode("SW1A 1ZZZ")
    message = str(caught.value)
    assert message == "'SW1A 1ZZZ' is not a UK postcode format. A postcode looks like SW1A 1AA."
    # formats.md: never claim a postcode does not exist without a lookup.
    assert "exist" not in message.lower()


def test_an_empty_postcode_asks_for_one() -> None:
    with pytest.raises(ValueError, match="Enter a postcode"):
        normalise_postcode("   ")
    assert not is_valid_postcode("")


def _letters_except(excluded: str) -> list[str]:
    return [letter for letter in LETTERS if letter not in excluded]


def test_every_letter_in_every_position_follows_the_rules() -> None:
    """Each position accepts exactly the letters formats.md allows, and no others."""
    for letter in LETTERS:
        assert is_valid_postcode(f"{letter}1 1AA") == (letter not in "QVX")
        assert is_valid_postcode(f"A{letter}1 1AA") == (letter not in "IJZ")
        assert is_valid_postcode(f"A1{letter} 1AA") == (letter in "ABCDEFGHJKPSTUW")
        assert is_valid_postcode(f"AA1{letter} 1AA") == (letter in "ABEHMNPRVWXY")
        assert is_valid_postcode(f"A1 1{letter}A") == (letter not in "CIKMOV")
        assert is_valid_postcode(f"A1 1A{letter}") == (letter not in "CIKMOV")


def test_normalising_is_idempotent_and_ignores_case_and_spacing() -> None:
    """Property: for generated valid postcodes, any casing and spacing gives one answer."""
    chooser = random.Random(20261126)
    first = _letters_except("QVX")
    second = _letters_except("IJZ")
    inward = _letters_except("CIKMOV")
    shapes = [
        lambda: f"{chooser.choice(first)}{chooser.randint(0, 9)}",
        lambda: f"{chooser.choice(first)}{chooser.randint(10, 99)}",
        lambda: f"{chooser.choice(first)}{chooser.choice(second)}{chooser.randint(0, 9)}",
        lambda: f"{chooser.choice(first)}{chooser.choice(second)}{chooser.randint(10, 99)}",
        lambda: (
            f"{chooser.choice(first)}{chooser.randint(0, 9)}{chooser.choice('ABCDEFGHJKPSTUW')}"
        ),
        lambda: (
            f"{chooser.choice(first)}{chooser.choice(second)}"
            f"{chooser.randint(0, 9)}{chooser.choice('ABEHMNPRVWXY')}"
        ),
    ]
    for shape in itertools.islice(itertools.cycle(shapes), 600):
        postcode = (
            f"{shape()} {chooser.randint(0, 9)}{chooser.choice(inward)}{chooser.choice(inward)}"
        )
        assert normalise_postcode(postcode) == postcode
        messy = "".join(
            (c.lower() if chooser.random() < 0.5 else c) + (" " * chooser.randint(0, 2))
            for c in postcode.replace(" ", "")
        )
        assert normalise_postcode(messy) == postcode
        assert normalise_postcode(normalise_postcode(messy)) == postcode


# -- PNC IDs and CRO numbers -----------------------------------------------------------


@pytest.mark.parametrize("text", ["99/123456X", "1999/1234567B", "20/9N", "1999/0123456X"])
def test_the_formats_page_examples_are_valid_pnc_ids(text: str) -> None:
    assert is_valid_pnc_id(text)


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("99/123456Y", "wrong check letter"),
        ("1999/1234567C", "wrong check letter"),
        ("99/12345678X", "serial longer than 7 digits"),
        ("999/123456X", "three-digit year"),
        ("99-123456X", "no slash"),
        ("99/X", "no serial"),
        ("99/123456", "no check letter"),
        ("", "empty"),
    ],
)
def test_malformed_pnc_ids_are_refused(text: str, why: str) -> None:
    assert not is_valid_pnc_id(text), why


def test_the_pnc_check_letter_never_uses_i_o_or_s() -> None:
    assert len(PNC_CHECK_LETTERS) == 23
    assert not set("IOS") & set(PNC_CHECK_LETTERS)


def test_every_pnc_id_has_exactly_one_right_check_letter() -> None:
    """Property: over generated serials, one letter passes and the 25 others fail."""
    chooser = random.Random(7)
    for _ in range(300):
        year = chooser.randint(1950, 2049)
        serial = str(chooser.randint(0, 9_999_999))
        passing = [letter for letter in LETTERS if is_valid_pnc_id(f"{year}/{serial}{letter}")]
        assert len(passing) == 1
        expected = PNC_CHECK_LETTERS[int(f"{year % 100:02d}{serial.zfill(7)}") % 23]
        assert passing == [expected]
        # The two-digit-year form and a zero-padded serial carry the same letter.
        assert is_valid_pnc_id(f"{year % 100:02d}/{serial}{expected}")
        assert is_valid_pnc_id(f"{year}/{serial.zfill(7)}{expected}")
        # Input is forgiving about case and surrounding space.
        assert is_valid_pnc_id(f" {year}/{serial}{expected.lower()} ")


def test_cro_numbers_use_the_same_check_over_six_digits() -> None:
    # "99" + "123456" = 99123456; 99123456 % 23 = 11 -> "ZABCDEFGHJKL"[11] = L
    assert 99123456 % 23 == 11
    assert is_valid_cro_number("123456/99L")
    assert not is_valid_cro_number("123456/99M")
    assert is_valid_cro_number("1234/99" + PNC_CHECK_LETTERS[int("99001234") % 23])
    for bad in ["1234567/99L", "123456/9L", "123456-99L", "123456/99", ""]:
        assert not is_valid_cro_number(bad), bad

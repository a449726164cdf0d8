"""Format checks for identifiers staff type in: UK postcodes, PNC IDs and CRO numbers.

The rules are those of docs `shared/domain/formats.md`. A format check never says a
postcode or a person exists: only that the text has the right shape.
"""

from __future__ import annotations

import re

__all__ = [
    "PNC_CHECK_LETTERS",
    "check_letter",
    "is_valid_cro_number",
    "is_valid_pnc_id",
    "is_valid_postcode",
    "normalise_postcode",
]

# formats.md "Postcodes": first letter never Q, V or X.
_FIRST = "[ABCDEFGHIJKLMNOPRSTUWYZ]"
# formats.md "Postcodes": second letter never I, J or Z.
_SECOND = "[ABCDEFGHKLMNOPQRSTUVWXY]"
# formats.md "Postcodes": a third-position letter (shape A9A) only A B C D E F G H J K P S T U W.
_THIRD = "[ABCDEFGHJKPSTUW]"
# formats.md "Postcodes": a fourth-position letter (shape AA9A) only A B E H M N P R V W X Y.
_FOURTH = "[ABEHMNPRVWXY]"
# formats.md "Postcodes": inward letters never C I K M O V.
_INWARD_LETTER = "[ABDEFGHJLNPQRSTUWXYZ]"

# formats.md "Postcodes": outward shapes A9, A99, AA9, AA99, A9A, AA9A.
_OUTWARD = (
    f"(?:{_FIRST}[0-9]{{1,2}}"  # A9, A99
    f"|{_FIRST}{_SECOND}[0-9]{{1,2}}"  # AA9, AA99
    f"|{_FIRST}[0-9]{_THIRD}"  # A9A
    f"|{_FIRST}{_SECOND}[0-9]{_FOURTH})"  # AA9A
)
# formats.md "Postcodes": inward shape 9AA.
_INWARD = f"[0-9]{_INWARD_LETTER}{{2}}"
_POSTCODE = re.compile(f"({_OUTWARD})({_INWARD})")

# formats.md "Postcodes": special case in use.
_GIRO = "GIR0AA"

_POSTCODE_EXAMPLE = "A postcode looks like SW1A 1AA."

# formats.md "PNC ID": the check-letter alphabet (I, O and S are never used).
PNC_CHECK_LETTERS = "ZABCDEFGHJKLMNPQRTUVWXY"

# formats.md "PNC ID": YYYY/NNNNNNNC or YY/NNNNNNC; the serial is padded, so shorter
# serials such as 20/9N are written without the leading zeros.
_PNC_ID = re.compile(r"(?:[0-9]{2})?([0-9]{2})/([0-9]{1,7})([A-Z])")
# formats.md "CRO number": NNNNNN/YYC.
_CRO_NUMBER = re.compile(r"([0-9]{1,6})/([0-9]{2})([A-Z])")


def _compact(text: str) -> str:
    """Upper-case the text and drop every space, so forgiving input can be matched."""
    return "".join(text.split()).upper()


def normalise_postcode(text: str) -> str:
    """Return the postcode upper case with one space, or raise ValueError saying why not.

    Input is forgiving: lower case, missing or extra spaces are all fine (formats.md).
    """
    compact = _compact(text)
    if not compact:
        raise ValueError(f"Enter a postcode. {_POSTCODE_EXAMPLE}")
    if compact == _GIRO:
        return "GIR 0AA"
    match = _POSTCODE.fullmatch(compact)
    if match is None:
        # formats.md: say "not a UK postcode format", never that it does not exist.
        shown = " ".join(text.split())
        raise ValueError(f"'{shown}' is not a UK postcode format. {_POSTCODE_EXAMPLE}")
    return f"{match.group(1)} {match.group(2)}"


def is_valid_postcode(text: str) -> bool:
    """True when the text has the shape of a UK postcode (after forgiving normalisation)."""
    try:
        normalise_postcode(text)
    except ValueError:
        return False
    return True


def check_letter(two_digit_year: str, serial: str, width: int) -> str:
    """The PNC check letter over YY followed by the serial padded to `width` digits."""
    return PNC_CHECK_LETTERS[int(two_digit_year + serial.zfill(width)) % len(PNC_CHECK_LETTERS)]


def is_valid_pnc_id(text: str) -> bool:
    """True for a PNC ID such as 1999/1234567B or 99/123456X with the right check letter."""
    match = _PNC_ID.fullmatch(_compact(text))
    if match is None:
        return False
    year, serial, letter = match.groups()
    # formats.md "PNC ID": YY is the last two digits of the year, serial padded to 7.
    return check_letter(year, serial, 7) == letter


def is_valid_cro_number(text: str) -> bool:
    """True for a CRO number such as 123456/99C with the right check letter."""
    match = _CRO_NUMBER.fullmatch(_compact(text))
    if match is None:
        return False
    serial, year, letter = match.groups()
    # formats.md "CRO number": same check over YY then the serial padded to 6 digits.
    return check_letter(year, serial, 6) == letter

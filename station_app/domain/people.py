"""People (nominals): the roles a person plays in Station's records, the warning markers a
custody officer needs at booking-in, person ids, and how names, dates of birth and
postcodes are read for person search (shared/docs/people.md).

Standard library only: the server indexes and scores with these functions, and the client
may use them to show what it sends. Phonetic codes and fuzzy comparisons need libraries and
live in the server's people feature.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from functools import lru_cache

__all__ = [
    "LINK_ROLES",
    "MARKER_TITLES",
    "PERSON_ID",
    "ROLE_TITLES",
    "FoldedPostcode",
    "LinkRole",
    "WarningMarker",
    "date_variants",
    "fold",
    "fold_postcode",
    "format_person_id",
    "name_words",
    "parse_person_id",
    "split_full_name",
    "swapped_day_month",
]


class LinkRole(StrEnum):
    """A role a person plays in another feature's record (the link's `role`)."""

    REPORTING_PERSON = "reporting_person"
    VICTIM = "victim"
    SUSPECT = "suspect"
    WITNESS = "witness"
    DETAINEE = "detainee"
    DEFENDANT = "defendant"


# Which roles a person can play in which kind of record (record types of core/links.py).
# "hearing" is not a record type yet: court results come later, and the role is ready.
LINK_ROLES: dict[str, tuple[LinkRole, ...]] = {
    "incident": (LinkRole.REPORTING_PERSON, LinkRole.VICTIM, LinkRole.SUSPECT, LinkRole.WITNESS),
    "custody_record": (LinkRole.DETAINEE,),
    "casefile": (LinkRole.DEFENDANT, LinkRole.VICTIM, LinkRole.WITNESS),
    "hearing": (LinkRole.DEFENDANT,),
}

ROLE_TITLES: dict[LinkRole, str] = {
    LinkRole.REPORTING_PERSON: "Reporting person",
    LinkRole.VICTIM: "Victim",
    LinkRole.SUSPECT: "Suspect",
    LinkRole.WITNESS: "Witness",
    LinkRole.DETAINEE: "Detainee",
    LinkRole.DEFENDANT: "Defendant",
}


class WarningMarker(StrEnum):
    """Warning markers a custody officer needs at booking-in: a fixed list, in the manner of
    the PNC's warning signals (which are the force's to hold; these are Station's own
    words for them)."""

    VIOLENT = "violent"
    WEAPONS = "weapons"
    FIREARMS = "firearms"
    SELF_HARM = "self_harm"
    SUICIDAL = "suicidal"
    MENTAL_HEALTH = "mental_health"
    MEDICAL = "medical"
    DRUGS = "drugs"
    CONTAGIOUS = "contagious"
    ESCAPER = "escaper"
    ALLEGES = "alleges"


MARKER_TITLES: dict[WarningMarker, str] = {
    WarningMarker.VIOLENT: "Violent",
    WarningMarker.WEAPONS: "Carries weapons",
    WarningMarker.FIREARMS: "Firearms",
    WarningMarker.SELF_HARM: "Self-harm",
    WarningMarker.SUICIDAL: "Suicidal",
    WarningMarker.MENTAL_HEALTH: "Mental health",
    WarningMarker.MEDICAL: "Medical condition",
    WarningMarker.DRUGS: "Drugs",
    WarningMarker.CONTAGIOUS: "Contagious",
    WarningMarker.ESCAPER: "Escaper",
    WarningMarker.ALLEGES: "Makes allegations against staff",
}

# --- person ids ---------------------------------------------------------------------------

PERSON_ID = r"^P-[0-9]{6,}$"
"""The pattern of a person id: `P-000123` (at least six digits)."""

_PERSON_ID = re.compile(r"P-([0-9]{1,18})")


def format_person_id(number: int) -> str:
    """`P-000123`: the person's number, at least six digits."""
    return f"P-{number:06d}"


def parse_person_id(text: str) -> int | None:
    """The number of a person id (`P-000123`, `p-123`), or None when it is not one."""
    match = _PERSON_ID.fullmatch(text.strip().upper())
    return int(match.group(1)) if match else None


# --- names ----------------------------------------------------------------------------------

# Letters that NFKD does not take apart into a base letter and an accent (Ł is one letter in
# Unicode, not L with a stroke), written as English keyboards type them.
_NO_DECOMPOSITION = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "ø": "o",
        "ħ": "h",
        "ı": "i",
        "ŧ": "t",
        "ß": "ss",
        "æ": "ae",
        "œ": "oe",
        "þ": "th",
        "ŀ": "l",
        "ĸ": "k",
        "ƒ": "f",
    }
)
_NOT_NAME = re.compile(r"[^a-z0-9\s-]+")
_APOSTROPHES = re.compile(r"['’‘`´]")
_SPACES = re.compile(r"[\s_]+")
_WORD_BREAK = re.compile(r"[\s-]+")

# Words that belong to the surname that follows them ("Mary van der Berg").
_SURNAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la", "le", "st", "al"}
)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A name as the index and the comparisons read it: lower case, accents and letters
    outside English folded to plain letters (Siân -> sian, Łukasz -> lukasz, Zoë -> zoe),
    apostrophes dropped (O'Brien -> obrien), hyphens kept, one space between words."""
    lowered = text.casefold().translate(_NO_DECOMPOSITION)
    plain = unicodedata.normalize("NFKD", lowered)
    letters = "".join(c for c in plain if not unicodedata.combining(c))
    letters = letters.translate(_NO_DECOMPOSITION)  # letters NFKD made lower case again
    letters = _APOSTROPHES.sub("", letters)
    letters = _NOT_NAME.sub(" ", letters)
    words = _SPACES.sub(" ", letters).strip()
    return " ".join(word.strip("-") for word in words.split() if word.strip("-"))


def name_words(text: str) -> list[str]:
    """The words of a folded name, hyphenated parts apart: "okonkwo-bright" -> [okonkwo,
    bright]."""
    return list(_name_words(text))


@lru_cache(maxsize=65536)
def _name_words(text: str) -> tuple[str, ...]:
    # Names repeat (a force's index is full of Smiths): each is read once per process.
    return tuple(part for part in _WORD_BREAK.split(fold(text)) if part)


def split_full_name(name: str) -> tuple[str, str]:
    """(surname, forenames) of a name written in one line, forenames first ("Ada
    Pennywhistle"); "Surname, Forenames" is read too. Particles stay with the surname
    ("Mary van der Berg" -> ("van der Berg", "Mary"))."""
    text = " ".join(name.split())
    if "," in text:
        surname, _, forenames = text.partition(",")
        return surname.strip(), forenames.strip()
    words = text.split(" ") if text else []
    if len(words) <= 1:
        return (words[0] if words else ""), ""
    start = len(words) - 1
    while start > 1 and fold(words[start - 1]) in _SURNAME_PARTICLES:
        start -= 1
    return " ".join(words[start:]), " ".join(words[:start])


# --- dates of birth ----------------------------------------------------------------------------


def swapped_day_month(born: dt.date) -> dt.date | None:
    """The date with day and month swapped (2 July <-> 7 February), when that is a
    different date that exists."""
    if born.day == born.month or born.day > 12:
        return None
    try:
        return born.replace(month=born.day, day=born.month)
    except ValueError:
        return None


def date_variants(born: dt.date) -> list[dt.date]:
    """The date and its day/month swap: the dates a person search looks up at once."""
    swapped = swapped_day_month(born)
    return [born] if swapped is None else [born, swapped]


# --- postcodes -------------------------------------------------------------------------------

_OUTWARD = re.compile(r"^([A-Z]{1,2})([0-9][0-9A-Z]?)$")
_FULL = re.compile(r"^([A-Z]{1,2}[0-9][0-9A-Z]?)([0-9])([A-Z]{2})$")


class FoldedPostcode:
    """A postcode as typed, read as far as it goes: the whole postcode, its sector
    (`LS1 4`), district (`LS1`) and area (`LS`). Partial, foreign or mistyped text is
    kept as `text` (upper case, no spaces) and gives whichever parts it has the shape of."""

    __slots__ = ("area", "district", "full", "sector", "text")

    def __init__(self, typed: str) -> None:
        self.text = "".join(typed.split()).upper()
        self.full: str | None = None
        self.sector: str | None = None
        self.district: str | None = None
        self.area: str | None = None
        outward_text = self.text
        full = _FULL.match(self.text)
        words = typed.upper().split()
        if full:
            outward_text, digit, letters = full.groups()
            self.full = f"{outward_text} {digit}{letters}"
            self.sector = f"{outward_text} {digit}"
        elif len(words) == 2 and words[1][:1].isdigit() and len(words[1]) < 3:
            # "LS1 4" or "LS1 4A": the outward code and the sector, the unit not typed.
            outward_text = words[0]
            if _OUTWARD.match(outward_text):
                self.sector = f"{outward_text} {words[1][0]}"
        outward = _OUTWARD.match(outward_text)
        if outward:
            self.district = outward_text
            self.area = outward.group(1)

    def __bool__(self) -> bool:
        return bool(self.text)

    def __repr__(self) -> str:
        return f"FoldedPostcode({self.text!r})"


def fold_postcode(typed: str | None) -> FoldedPostcode:
    return FoldedPostcode(typed or "")

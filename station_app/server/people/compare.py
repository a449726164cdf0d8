"""Field comparisons of person search: each compares what was typed with what a person's
record holds and answers a level (as Splink's comparison levels: exact, sounds alike,
spelt differently, ..., different, or missing when either side has nothing) with a short
reason a person can read. The levels' weights are in scoring.py.

Comparisons are remembered per process (a force's index repeats its names and streets).
Fuzzy measures come from rapidfuzz (Damerau-Levenshtein, Jaro-Winkler, token-set ratio) and
phonetic codes from jellyfish (keys.py); names are folded first (domain.people.fold).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import DamerauLevenshtein, JaroWinkler, Levenshtein

from station_app.domain.people import FoldedPostcode, fold, name_words, swapped_day_month
from station_app.server.people.keys import nysiis, sound, soundex
from station_app.server.people.nicknames import nicknames

MISSING = "missing"
DIFFERENT = "different"


@dataclass(frozen=True)
class Outcome:
    """How one field compared: its level, and why, in words (None: nothing to say)."""

    level: str
    reason: str | None = None


NOTHING = Outcome(MISSING)


def _shown(text: str) -> str:
    return " ".join(text.split())


def _same_but_accents(typed: str, held: str) -> bool:
    """Two names that fold alike but differ in more than case and punctuation: accents or
    letters outside English (Bronte/Brontë, Lukasz/Łukasz)."""

    def letters(text: str) -> str:
        return "".join(c for c in text.casefold() if c.isalnum())

    return letters(typed) != letters(held)


def _sounds_alike(first: str, second: str) -> bool:
    """Metaphone or NYSIIS agree, or Soundex does for names spelt much alike (Lewis/Louis:
    Metaphone hears the w, Soundex does not)."""
    if sound(first) == sound(second) or nysiis(first) == nysiis(second):
        return True
    return soundex(first) == soundex(second) and JaroWinkler.similarity(first, second) >= 0.75


def _spelling(first: str, second: str) -> str | None:
    """'typo', 'transposed' or 'similar' for two different folded words, else None."""
    longest = max(len(first), len(second))
    distance = DamerauLevenshtein.distance(first, second)
    if distance == 1 and Levenshtein.distance(first, second) == 2:
        return "transposed"
    if (distance == 1 and longest >= 4) or (distance == 2 and longest >= 8):
        return "typo"
    if JaroWinkler.similarity(first, second) >= 0.88:
        return "similar"
    return None


def _spelt(field: str, level: str, typed: str, held: str) -> str:
    pair = f"({_shown(typed)}/{_shown(held)})"
    if level == "transposed":
        return f"{field}: letters swapped {pair}"
    if level == "typo":
        return f"{field} spelt differently {pair}"
    return f"{field} is similar {pair}"


@lru_cache(maxsize=131072)
def compare_surname(typed: str, held: str) -> Outcome:
    typed_words, held_words = name_words(typed), name_words(held)
    if not typed_words or not held_words:
        return NOTHING
    pair = f"({_shown(typed)}/{_shown(held)})"
    if typed_words == held_words:
        if _same_but_accents(typed, held):
            return Outcome("exact", f"same surname written without its accents {pair}")
        return Outcome("exact", "same surname")
    typed_whole, held_whole = "".join(typed_words), "".join(held_words)
    if typed_whole == held_whole:
        return Outcome("exact", f"same surname {pair}")
    if set(typed_words) < set(held_words) or set(held_words) < set(typed_words):
        return Outcome("part", f"part of a double-barrelled surname {pair}")
    spelling = _spelling(typed_whole, held_whole)
    if spelling != "transposed" and _sounds_alike(typed_whole, held_whole):
        return Outcome("sounds", f"surname sounds alike {pair}")
    if spelling is not None:
        level = "typo" if spelling == "transposed" else spelling
        return Outcome(level, _spelt("surname", spelling, typed, held))
    if len(held_words) > 1 or len(typed_words) > 1:
        for typed_word in typed_words:
            for held_word in held_words:
                if typed_word == held_word or _spelling(typed_word, held_word) in (
                    "typo",
                    "transposed",
                ):
                    return Outcome("part", f"part of a double-barrelled surname {pair}")
    return Outcome(DIFFERENT)


@lru_cache(maxsize=131072)
def compare_forenames(typed: str, held: str) -> Outcome:
    typed_words, held_words = name_words(typed), name_words(held)
    if not typed_words or not held_words:
        return NOTHING
    first, held_first = typed_words[0], held_words[0]
    pair = f"({_shown(typed_words[0].title())}/{_shown(held_words[0].title())})"
    if first == held_first:
        typed_first, held_written = typed.split()[0], held.split()[0]
        if _same_but_accents(typed_first, held_written):
            return Outcome(
                "exact", f"same forename written without its accents ({typed_first}/{held_written})"
            )
        return Outcome("exact", "same forename")
    full = nicknames().known_as(first, held_first)
    if full is not None:
        if full == held_first:
            reason = f"known as {first.title()} ({held_first.title()})"
        elif full == first:
            reason = f"{first.title()} is known as {held_first.title()}"
        else:
            reason = f"both short for {full.title()} {pair}"
        return Outcome("known_as", reason)
    spelling = _spelling(first, held_first) if len(first) > 1 else None
    if (
        spelling != "transposed"
        and len(first) > 1
        and len(held_first) > 1
        and _sounds_alike(first, held_first)
    ):
        return Outcome("sounds", f"forename sounds alike {pair}")
    if spelling in ("typo", "transposed"):
        return Outcome("typo", _spelt("forename", spelling, first.title(), held_first.title()))
    if first in held_words[1:]:
        return Outcome("other_forename", f"goes by the middle name {first.title()}")
    if held_first in typed_words[1:]:
        return Outcome("other_forename", f"middle name given first ({held_first.title()})")
    if len(first) == 1 and held_first.startswith(first):
        return Outcome("initial", f"same initial ({first.upper()})")
    if spelling == "similar":
        return Outcome("similar", _spelt("forename", "similar", first.title(), held_first.title()))
    return Outcome(DIFFERENT)


def _digits(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def compare_dates_of_birth(typed: dt.date | None, held: dt.date | None) -> Outcome:
    if typed is None or held is None:
        return NOTHING
    if typed == held:
        return Outcome("exact", "same date of birth")
    if swapped_day_month(typed) == held:
        return Outcome("swapped", "date of birth: day and month swapped")
    pair = f"({typed.isoformat()}/{held.isoformat()})"
    typed_digits, held_digits = _digits(typed), _digits(held)
    if DamerauLevenshtein.distance(typed_digits, held_digits) == 1:
        if Levenshtein.distance(typed_digits, held_digits) == 2:
            return Outcome("one_digit", f"date of birth: two digits swapped {pair}")
        return Outcome("one_digit", f"date of birth: one digit different {pair}")
    if typed.year == held.year:
        return Outcome("year", f"born the same year ({held.year})")
    return Outcome(DIFFERENT)


@dataclass(frozen=True)
class HeldAddress:
    """An address on a person's record, and whether they live there now."""

    address: str
    postcode: str
    current: bool


@lru_cache(maxsize=65536)
def _folded_postcode(text: str) -> FoldedPostcode:
    return FoldedPostcode(text)


def _numbers(text: str) -> set[str]:
    return {word for word in fold(text).replace("-", " ").split() if word[:1].isdigit()}


def _same_address(typed: str, held: str) -> bool:
    typed_text, held_text = fold(typed), fold(held)
    if not typed_text or not held_text:
        return False
    typed_numbers, held_numbers = _numbers(typed), _numbers(held)
    if typed_numbers and held_numbers and not typed_numbers & held_numbers:
        return False  # 12 Mill Lane is not 14 Mill Lane
    return fuzz.token_set_ratio(typed_text, held_text) >= 90


@lru_cache(maxsize=131072)
def _address_outcomes(typed_address: str, typed_postcode: str, held: HeldAddress) -> list[Outcome]:
    """Every level this one held address reaches (the first in ADDRESS_LEVELS counts)."""
    now = held.current
    postcode = _folded_postcode(typed_postcode)
    held_postcode = _folded_postcode(held.postcode)
    outcomes: list[Outcome] = []
    same_postcode = bool(postcode) and (
        (postcode.full is not None and postcode.full == held_postcode.full)
        or (postcode.text == held_postcode.text and bool(postcode.text))
    )
    if typed_address and _same_address(typed_address, held.address):
        if same_postcode or not postcode:
            level = "address_current" if now else "address_former"
            reason = "lives at this address" if now else "lived at this address before"
            outcomes.append(Outcome(level, reason))
        else:
            outcomes.append(Outcome("address_text", "same street address"))
    if same_postcode:
        level = "postcode_current" if now else "postcode_former"
        reason = "lives at this postcode" if now else "lived at this postcode before"
        outcomes.append(Outcome(level, reason))
    elif postcode.sector is not None and postcode.sector == held_postcode.sector:
        outcomes.append(Outcome("sector", f"same postcode sector ({postcode.sector})"))
    elif postcode.district is not None and postcode.district == held_postcode.district:
        outcomes.append(Outcome("district", f"same postcode district ({postcode.district})"))
    return outcomes


ADDRESS_LEVELS = (
    "address_current",
    "address_former",
    "postcode_current",
    "postcode_former",
    "address_text",
    "sector",
    "district",
)
"""The address levels in the order they are tried (as Splink's comparison levels: the
first one any held address reaches is the level)."""


def compare_addresses(
    typed_address: str, postcode: FoldedPostcode, held: Sequence[HeldAddress]
) -> Outcome:
    """The level the typed address and postcode reach against the person's addresses;
    missing when either side has none, different when none agrees."""
    if not (typed_address.strip() or postcode) or not held:
        return NOTHING
    outcomes = [
        outcome
        for address in held
        for outcome in _address_outcomes(typed_address.strip(), postcode.text, address)
    ]
    if not outcomes:
        return Outcome(DIFFERENT)
    return min(outcomes, key=lambda outcome: ADDRESS_LEVELS.index(outcome.level))

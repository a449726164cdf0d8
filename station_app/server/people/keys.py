"""Blocking keys: the few index entries that bring a person up as a candidate, so a search
looks up a handful of keys instead of comparing every person (record linkage's "blocking",
as Splink's blocking rules; each key is one rule, the union of their hits the candidates).

A key is a short text, `KIND:value`, built from the folded names (domain.people.fold), the
date of birth and the postcodes:

- `N:` surname and forename sound (Metaphone of each): Smith/Smyth, Mohammed/Muhammad;
  for every part of a double-barrelled surname, the first two forenames (a middle name
  used as the first) and the full names a nickname stands for (Bill -> William).
- `X:` surname by Soundex and forename by NYSIIS: catches transposed and dropped letters
  that change a Metaphone code (Smiht, Jhon).
- `D:` the date of birth; a search also looks up its day/month swap.
- `SI:`, `FI:` surname sound with the first forename's initial, forename sound with the
  surname's initial: a slip inside one name (Milile, Tunrer) still finds the person by the
  other name.
- `SY:`, `FY:` surname sound or forename sound with the year of birth: a date with a digit
  wrong still finds the person by one of their names.
- `SP:` surname sound with the postcode district of every address, old ones too.
- `S:`, `F:` one name's sound alone: only for a search that gives nothing else.

The same functions build a person's keys and a search's probes, so they cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jellyfish

from station_app.domain.people import date_variants, fold_postcode, name_words
from station_app.server.people.nicknames import nicknames

MAX_KEY = 60


@lru_cache(maxsize=65536)
def sound(word: str) -> str:
    """Metaphone of a folded word (upper case), or the word itself when it has no code."""
    return (jellyfish.metaphone(word) or word.upper())[:12]


@lru_cache(maxsize=65536)
def soundex(word: str) -> str:
    return jellyfish.soundex(word) if word else ""


@lru_cache(maxsize=65536)
def nysiis(word: str) -> str:
    return (jellyfish.nysiis(word) or word.upper())[:6]


@dataclass(frozen=True)
class NameCodes:
    """The codes of one written name (surname and forenames) the keys are made of."""

    surname_sounds: tuple[str, ...]  # the whole surname, then each part of a joined one
    surname_soundex: tuple[str, ...]
    surname_initials: tuple[str, ...]
    forename_sounds: tuple[str, ...]  # first, second forename, then nickname full names
    first_nysiis: str
    first_initial: str

    @property
    def has_surname(self) -> bool:
        return bool(self.surname_sounds)

    @property
    def has_forename(self) -> bool:
        return bool(self.forename_sounds)


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


def name_codes(surname: str, forenames: str) -> NameCodes:
    parts = name_words(surname)
    whole = "".join(parts)
    surname_words = [whole, *parts] if len(parts) > 1 else parts
    given = name_words(forenames)[:2]
    first = given[0] if given else ""
    full_names = sorted(nicknames().full_names(first)) if first else []
    return NameCodes(
        surname_sounds=_unique(sound(word) for word in surname_words),
        surname_soundex=_unique(soundex(word) for word in surname_words),
        surname_initials=_unique(word[:1] for word in surname_words),
        forename_sounds=_unique(sound(word) for word in [*given, *full_names]),
        first_nysiis=nysiis(first) if first else "",
        first_initial=first[:1],
    )


def _key(*parts: str) -> str:
    return ":".join(parts)[:MAX_KEY]


def name_keys(codes: NameCodes) -> set[str]:
    keys: set[str] = set()
    for surname in codes.surname_sounds:
        keys.add(_key("S", surname))
        for forename in codes.forename_sounds:
            keys.add(_key("N", surname, forename))
    for code in codes.surname_soundex:
        if codes.first_nysiis:
            keys.add(_key("X", code, codes.first_nysiis))
    if codes.first_initial:
        keys.update(_key("SI", code, codes.first_initial) for code in codes.surname_sounds)
    if codes.forename_sounds:
        keys.add(_key("F", codes.forename_sounds[0]))
        keys.update(_key("FI", codes.forename_sounds[0], i) for i in codes.surname_initials)
    return keys


def person_keys(
    names: Sequence[tuple[str, str]], born: dt.date | None, postcodes: Iterable[str]
) -> set[str]:
    """Every blocking key of a person with these names (the name, then aliases), date of
    birth and address postcodes."""
    keys: set[str] = set()
    districts = {fold_postcode(postcode).district for postcode in postcodes} - {None}
    for surname, forenames in names:
        codes = name_codes(surname, forenames)
        keys |= name_keys(codes)
        if born is not None:
            year = str(born.year)
            keys.update(_key("SY", code, year) for code in codes.surname_sounds)
            if codes.forename_sounds:
                keys.add(_key("FY", codes.forename_sounds[0], year))
        for district in districts:
            keys.update(_key("SP", code, str(district)) for code in codes.surname_sounds)
    if born is not None:
        keys.add(_key("D", born.isoformat()))
    return keys


@dataclass(frozen=True)
class Probe:
    """A key a search looks up, and at most how many people it takes from it."""

    key: str
    limit: int


# How many people one key may bring: enough for any real name and date of birth, few enough
# that a very common one ("S:SM0", Smith alone) never floods the candidates.
SELECTIVE = 200
BROAD = 60


def search_probes(surname: str, forenames: str, born: dt.date | None, postcode: str) -> list[Probe]:
    """The keys a search looks up, most telling first (names with names, then date of
    birth, then a name with the year or postcode district, then one name alone)."""
    straight = name_codes(surname, forenames)
    swapped = name_codes(forenames, surname)  # forename and surname the other way round
    probes: dict[str, int] = {}

    def add(keys: Iterable[str], limit: int) -> None:
        for key in sorted(keys):
            probes.setdefault(key, limit)

    for codes in (straight, swapped):
        if codes.has_surname and codes.has_forename:
            add((k for k in name_keys(codes) if k.startswith(("N:", "X:"))), SELECTIVE)
    if straight.has_surname and straight.has_forename:
        add((k for k in name_keys(straight) if k.startswith(("SI:", "FI:"))), BROAD)
    if born is not None:
        add((_key("D", day.isoformat()) for day in date_variants(born)), SELECTIVE)
        year = str(born.year)
        add((_key("SY", code, year) for code in straight.surname_sounds), BROAD)
        add((_key("FY", code, year) for code in straight.forename_sounds[:1]), BROAD)
    district = fold_postcode(postcode).district
    if district:
        add((_key("SP", code, district) for code in straight.surname_sounds), BROAD)
    if not (straight.has_surname and straight.has_forename) and born is None and not district:
        # One name and nothing else: the name's sound alone, capped.
        add((_key("S", code) for code in straight.surname_sounds), BROAD)
        add((_key("F", code) for code in straight.forename_sounds[:1]), BROAD)
    return [Probe(key, limit) for key, limit in probes.items()]

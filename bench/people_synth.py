"""Synthetic UK-style people for the person-search evaluation and benchmark, from a fixed
seed: invented combinations of common given names and surnames (no real person), invented
streets in invented or generic towns, postcodes of real shape (formats.md; checked with
domain.validation), dates of birth 1940-2008, a second or third address for some (old
addresses with dates), aliases for a few.

Queries are corrupted copies of a person, each labelled with the kinds of corruption made:
typing errors, transposed letters, sound-alike spellings, nicknames, letters outside
English, forename and surname swapped, parts of double-barrelled names, day and month of
birth swapped, one digit of the date wrong, missing fields, an old address.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace

from bench.people_names import (
    FEMALE,
    INWARD_LETTERS,
    MALE,
    OUTWARD_AREAS,
    SOUND_ALIKE,
    STREET_KINDS,
    STREET_WORDS,
    SURNAMES,
    TOWNS,
)
from station_app.domain.validation import is_valid_postcode

SEED = 20261202


@dataclass(frozen=True)
class Address:
    address: str
    postcode: str
    date_from: dt.date | None
    date_to: dt.date | None


@dataclass
class Person:
    number: int  # position in the population (0-based)
    surname: str
    forenames: str
    gender: str
    date_of_birth: dt.date | None
    addresses: list[Address] = field(default_factory=list)
    aliases: list[tuple[str, str]] = field(default_factory=list)

    @property
    def current(self) -> Address | None:
        return self.addresses[-1] if self.addresses else None


@dataclass(frozen=True)
class Query:
    """A search for `target` (None: someone not held), as an officer types it."""

    target: int | None
    kinds: tuple[str, ...]
    surname: str
    forenames: str
    date_of_birth: dt.date | None
    address: str
    postcode: str


_CUMULATIVE: dict[int, list[float]] = {}


def _zipf(rng: random.Random, names: Sequence[str]) -> str:
    """A name drawn with weight 1/(rank + 20): the first about 1.5% of people (as Smith is
    in England and Wales), the last a few in 100,000."""
    cumulative = _CUMULATIVE.get(id(names))
    if cumulative is None:
        total, cumulative = 0.0, []
        for rank in range(len(names)):
            total += 1 / (rank + 20)
            cumulative.append(total)
        _CUMULATIVE[id(names)] = cumulative
    return rng.choices(names, cum_weights=cumulative)[0]


class Population:
    """A fixed-seed generator of people, queries and planted duplicates."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)

    def postcode(self) -> str:
        rng = self.rng
        while True:
            area = rng.choice(OUTWARD_AREAS)
            outward = f"{area}{rng.randint(1, 29 if len(area) == 1 else 19)}"
            inward = f"{rng.randint(0, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
            code = f"{outward} {inward}"
            if is_valid_postcode(code):
                return code

    def street_address(self) -> str:
        rng = self.rng
        street = f"{rng.choice(STREET_WORDS)} {rng.choice(STREET_KINDS)}"
        return f"{rng.randint(1, 240)} {street}, {rng.choice(TOWNS)}"

    def date_of_birth(self) -> dt.date:
        start = dt.date(1940, 1, 1).toordinal()
        return dt.date.fromordinal(self.rng.randint(start, dt.date(2008, 12, 31).toordinal()))

    def person(self, number: int) -> Person:
        rng = self.rng
        gender = rng.choice(("male", "female"))
        names = MALE if gender == "male" else FEMALE
        forenames = _zipf(rng, names)
        if rng.random() < 0.35:
            forenames += " " + rng.choice(names)
        born = self.date_of_birth()
        moves = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
        addresses = []
        moved_in = born + dt.timedelta(days=rng.randint(18 * 365, 25 * 365))
        for move in range(moves):
            left = None
            if move < moves - 1:
                left = moved_in + dt.timedelta(days=rng.randint(200, 3000))
            addresses.append(Address(self.street_address(), self.postcode(), moved_in, left))
            moved_in = (left or moved_in) + dt.timedelta(days=1)
        person = Person(number, _zipf(rng, SURNAMES), forenames, gender, born, addresses)
        if rng.random() < 0.04:
            person.aliases.append((_zipf(rng, SURNAMES), forenames.split()[0]))
        return person

    def people(self, count: int, start: int = 0) -> Iterator[Person]:
        for number in range(start, start + count):
            yield self.person(number)


# --- corruptions -----------------------------------------------------------------------------

KINDS = (
    "exact",
    "typo",
    "transposition",
    "sound_alike",
    "nickname",
    "diacritics",
    "swapped_names",
    "double_barrelled",
    "dob_day_month",
    "dob_digit",
    "missing_dob",
    "missing_forename",
    "old_address",
    "middle_name",
    "two_slips",
)

# Kinds that can be made together ("two_slips": a name slip and a date or address slip).
NAME_SLIPS = ("typo", "transposition", "sound_alike", "nickname", "swapped_names", "middle_name")
OTHER_SLIPS = ("dob_day_month", "dob_digit", "missing_dob", "old_address")


def plain(text: str) -> str:
    """As typed on an English keyboard: accents dropped, Ł as L."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ø", "o").replace("Ø", "O")
    text = text.replace("ı", "i")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def typo(rng: random.Random, word: str) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    if len(word) < 4:
        return word + rng.choice(letters)
    at = rng.randint(1, len(word) - 1)
    action = rng.choice(("substitute", "insert", "delete"))
    if action == "substitute":
        return word[:at] + rng.choice(letters) + word[at + 1 :]
    if action == "insert":
        return word[:at] + rng.choice(letters) + word[at:]
    return word[:at] + word[at + 1 :]


def transpose(rng: random.Random, word: str) -> str:
    """Two neighbouring letters the other way round (never the first, never two alike)."""
    places = [at for at in range(1, len(word) - 1) if word[at] != word[at + 1]]
    if not places:
        return typo(rng, word)
    at = rng.choice(places)
    return word[:at] + word[at + 1] + word[at] + word[at + 2 :]


def swap_day_month(born: dt.date) -> dt.date | None:
    if born.day > 12 or born.day == born.month:
        return None
    return born.replace(month=born.day, day=born.month)


def wrong_digit(rng: random.Random, born: dt.date) -> dt.date:
    for _ in range(50):
        digits = list(born.strftime("%Y%m%d"))
        at = rng.choice((2, 3, 5, 6, 7))  # a year's last digits, the month, the day
        digits[at] = str((int(digits[at]) + rng.randint(1, 9)) % 10)
        text = "".join(digits)
        try:
            changed = dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            continue
        if changed != born:
            return changed
    return born


def nickname_of(forename: str, table: dict[str, list[str]]) -> str | None:
    short = table.get(plain(forename).lower())
    return short[0].title() if short else None


def sound_alike(name: str) -> str | None:
    for group in SOUND_ALIKE:
        if name in group:
            others = [other for other in group if other != name]
            return others[0]
    return None


def corrupt(
    rng: random.Random, person: Person, kind: str, nicknames: dict[str, list[str]]
) -> Query | None:
    """A query for `person` with one kind of corruption (None: it does not apply)."""
    if kind == "two_slips":
        return _two_slips(rng, person, nicknames)
    first, *more = person.forenames.split()
    surname, forenames = person.surname, first
    born = person.date_of_birth
    current = person.current
    address = ""
    postcode = current.postcode if current and rng.random() < 0.6 else ""
    if current and rng.random() < 0.25:
        address = current.address.split(",")[0]
    if kind == "typo":
        if rng.random() < 0.5:
            surname = typo(rng, surname)
        else:
            forenames = typo(rng, forenames)
    elif kind == "transposition":
        if rng.random() < 0.5:
            surname = transpose(rng, surname)
        else:
            forenames = transpose(rng, forenames)
    elif kind == "sound_alike":
        changed = sound_alike(surname)
        if changed:
            surname = changed
        else:
            changed = sound_alike(first)
            if not changed:
                return None
            forenames = changed
    elif kind == "nickname":
        short = nickname_of(first, nicknames)
        if not short:
            return None
        forenames = short
    elif kind == "diacritics":
        if plain(surname) == surname and plain(first) == first:
            return None
        surname, forenames = plain(surname), plain(first)
    elif kind == "swapped_names":
        surname, forenames = forenames, surname
    elif kind == "double_barrelled":
        if "-" not in surname:
            return None
        parts = surname.split("-")
        surname = rng.choice((parts[0], parts[-1], " ".join(parts)))
    elif kind == "dob_day_month":
        if born is None or swap_day_month(born) is None:
            return None
        born = swap_day_month(born)
    elif kind == "dob_digit":
        if born is None:
            return None
        born = wrong_digit(rng, born)
    elif kind == "missing_dob":
        born = None
    elif kind == "missing_forename":
        forenames = ""
        postcode = postcode or (current.postcode if current else "")
    elif kind == "old_address":
        former = [a for a in person.addresses[:-1]]
        if not former:
            return None
        old = rng.choice(former)
        postcode, address = old.postcode, old.address.split(",")[0] if rng.random() < 0.4 else ""
        born = born if rng.random() < 0.5 else None
    elif kind == "middle_name":
        if not more:
            return None
        forenames = more[0]
    return Query(person.number, (kind,), surname, forenames, born, address, postcode)


def queries(
    population: Population,
    people: Sequence[Person],
    per_kind: int,
    nicknames: dict[str, list[str]],
) -> list[Query]:
    """`per_kind` queries of every kind (as far as the people allow)."""
    rng = population.rng
    made: list[Query] = []
    for kind in KINDS:
        found = 0
        for _ in range(per_kind * 40):
            person = rng.choice(people)
            query = corrupt(rng, person, kind, nicknames)
            if query is not None:
                made.append(query)
                found += 1
                if found >= per_kind:
                    break
    return made


def duplicate_of(rng: random.Random, person: Person, nicknames: dict[str, list[str]]) -> Person:
    """The same person written down again elsewhere: a corruption or two of their names,
    perhaps a date of birth slip, perhaps only an old address known."""
    copy = replace(person, addresses=list(person.addresses), aliases=[])
    kinds = rng.sample(
        (
            "typo",
            "sound_alike",
            "nickname",
            "diacritics",
            "dob_digit",
            "dob_day_month",
            "old_address",
            "missing_dob",
            "transposition",
        ),
        2,
    )
    for kind in kinds:
        query = corrupt(rng, copy, kind, nicknames)
        if query is None:
            continue
        copy.surname, copy.date_of_birth = query.surname, query.date_of_birth
        if query.forenames:
            copy.forenames = query.forenames
        if kind == "old_address" and len(copy.addresses) > 1:
            copy.addresses = copy.addresses[:-1]
    if rng.random() < 0.5 and copy.addresses:
        copy.addresses = [copy.addresses[-1]]
    return copy


def _two_slips(rng: random.Random, person: Person, nicknames: dict[str, list[str]]) -> Query | None:
    """A name slip and a date-of-birth or address slip in one search."""
    named = corrupt(rng, person, rng.choice(NAME_SLIPS), nicknames)
    other = corrupt(rng, person, rng.choice(OTHER_SLIPS), nicknames)
    if named is None or other is None:
        return None
    return Query(
        person.number,
        ("two_slips", named.kinds[0], other.kinds[0]),
        named.surname,
        named.forenames,
        other.date_of_birth,
        other.address,
        other.postcode,
    )

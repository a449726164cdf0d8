"""People known to the custody suite: how names are indexed and how a search is read.

A booking-in form offers "person search" (issue 4): the officer types parts of a name in
any order, and perhaps a date of birth, and Station offers the people it has already
booked in. Names are folded to lower-case letters and digits ("O'Brien" -> "obrien",
"Zoë" -> "zoe"); a hyphenated or spaced surname is indexed whole and by its parts, so
"Okonkwo-Bright" is found by "okonkwo", "bright" or "okonkwo-b".

Standard library only: the server indexes with these functions and tests call them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

__all__ = [
    "MAX_NAME_TERMS",
    "PeopleQuery",
    "name_key",
    "name_tokens",
    "parse_people_query",
    "person_key",
    "prefix_range",
]

MAX_NAME_TERMS = 4
"""More words than this add nothing to a name search; the rest are ignored."""

MAX_TOKEN = 100

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _fold(text: str) -> str:
    """Lower-case ASCII letters and digits plus separators: accents dropped."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in plain if not unicodedata.combining(c))


def name_key(text: str) -> str:
    """One name as the index keeps it: "O'Brien-Smith" -> "obriensmith"."""
    return _NOT_ALNUM.sub("", _fold(text))[:MAX_TOKEN]


def name_tokens(surname: str, forenames: str) -> frozenset[str]:
    """Every word a person is found by: each name whole, and the parts of a joined one."""
    tokens: set[str] = set()
    for part in _fold(f"{surname} {forenames}").split():
        whole = name_key(part)
        if whole:
            tokens.add(whole)
        pieces = [p for p in _NOT_ALNUM.split(part) if p]
        if len(pieces) > 1:
            tokens.update(p[:MAX_TOKEN] for p in pieces)
    return frozenset(tokens)


def person_key(surname: str, forenames: str, born: dt.date | None) -> str:
    """Who counts as the same person: the same names and date of birth."""
    return f"{name_key(surname)}|{name_key(forenames)}|{born.isoformat() if born else ''}"[:250]


def prefix_range(term: str) -> tuple[str, str | None]:
    """(low, high) such that a token made of [a-z0-9] starts with `term` exactly when
    low <= token < high (high None: no upper bound). No punctuation in the bound, so the
    range holds under linguistic collations (PostgreSQL) as well as binary (SQLite)."""
    stem = term
    while stem:
        last = stem[-1]
        if last == "z":
            stem = stem[:-1]
            continue
        following = "a" if last == "9" else chr(ord(last) + 1)
        return term, stem[:-1] + following
    return term, None


@dataclass(frozen=True)
class PeopleQuery:
    """A person search as typed: name prefixes (folded) and a date of birth, if given."""

    names: tuple[str, ...]
    born: dt.date | None

    @property
    def empty(self) -> bool:
        return not self.names and self.born is None


def _date_term(term: str) -> dt.date | None:
    """A full date of birth, "12/03/1990" (UK order) or "1990-03-12"; ValueError when it is
    written as a date but no such date exists."""
    match = _DMY.match(term)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _YMD.match(term)
        if not match:
            return None
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ValueError(
            f"There is no such date as {term}. Type the date of birth as DD/MM/YYYY."
        ) from None


def parse_people_query(text: str) -> PeopleQuery:
    """Read a search: words are name prefixes in any order; a full date is the date of
    birth. A half-typed date ("12/03/19") or other numbers are ignored until complete.
    Raises ValueError (with a sentence for the officer) for an impossible date."""
    names: list[str] = []
    born: dt.date | None = None
    for term in text.split():
        date = _date_term(term)
        if date is not None:
            born = date
            continue
        key = name_key(term)
        if not key or any(c.isdigit() for c in key):
            continue
        if key not in names:
            names.append(key)
    return PeopleQuery(tuple(names[:MAX_NAME_TERMS]), born)

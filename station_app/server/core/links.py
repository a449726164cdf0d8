"""Links between features' records, through one declared mechanism (architecture.md, "Server
patterns"): features never import each other, and never probe each other's tables.

Each feature declares the kinds of record it owns (`RecordType`: a name, a title and how
to tell which references exist); the app factory registers every declared type on the app
(`app.state.links`), and a feature holding references to another's records (a case file's
crime reports and custody records) resolves them through the registry. A type no feature
on this server declares resolves to "not known here" (found None), never to an error. The
people feature will link a person to roles in these records by the same type names, which
is where a links table keyed by (record type, reference) would join this module.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from sqlalchemy.orm import Session

Finder = Callable[[Session, Sequence[str]], AbstractSet[str]]
"""Given distinct references, the subset of them that name an existing record."""


@dataclass(frozen=True)
class RecordType:
    """A kind of record that one feature owns and others may refer to."""

    name: str  # "incident": the same name the audit trail gives the record type
    title: str  # "crime report": how a sentence names one
    find: Finder


@dataclass(frozen=True)
class Link:
    """A reference to another feature's record, as resolved on this server."""

    record_type: str
    reference: str
    found: bool | None  # None: no feature on this server owns that record type


class LinkRegistry:
    """The record types the features of one app declare, by name."""

    def __init__(self, record_types: Iterable[RecordType] = ()) -> None:
        self._types: dict[str, RecordType] = {}
        for record_type in record_types:
            self.register(record_type)

    def register(self, record_type: RecordType) -> None:
        if record_type.name in self._types:
            raise ValueError(f"Two features declare the record type {record_type.name!r}.")
        self._types[record_type.name] = record_type

    def __contains__(self, name: object) -> bool:
        return name in self._types

    @property
    def names(self) -> list[str]:
        return sorted(self._types)

    def resolve(self, session: Session, record_type: str, references: Sequence[str]) -> list[Link]:
        """Each reference, in order, with whether it names a record of `record_type`."""
        owner = self._types.get(record_type)
        if owner is None:
            return [Link(record_type, reference, None) for reference in references]
        distinct = list(dict.fromkeys(references))
        found = owner.find(session, distinct) if distinct else frozenset()
        return [Link(record_type, reference, reference in found) for reference in references]

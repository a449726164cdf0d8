"""The names people are known by (Bill for William, Peggy for Margaret), from the table
shipped in resources/people/nicknames.csv (its source is noted beside it)."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

from station_app.domain.people import fold
from station_app.server.core.resources import resources_dir


def nicknames_file() -> Path:
    return resources_dir() / "people" / "nicknames.csv"


class Nicknames:
    """Which full names a forename may stand for."""

    def __init__(self, groups: dict[str, set[str]]) -> None:
        # name -> the full names it is, or is short for (a full name is its own)
        self._full_names: dict[str, frozenset[str]] = {}
        index: defaultdict[str, set[str]] = defaultdict(set)
        for full, short in groups.items():
            index[full].add(full)
            for name in short:
                index[name].add(full)
        self._full_names = {name: frozenset(fulls) for name, fulls in index.items()}

    def full_names(self, forename: str) -> frozenset[str]:
        """The full names a (folded) forename is or is short for: bill -> {william}."""
        return self._full_names.get(forename, frozenset())

    def known_as(self, first: str, second: str) -> str | None:
        """The full name that makes two different (folded) forenames one person's
        ("bill", "william" -> "william"; "bill", "will" -> "william"), else None."""
        if first == second:
            return None
        shared = self.full_names(first) & self.full_names(second)
        return min(shared) if shared else None


def read_nicknames(path: Path) -> Nicknames:
    groups: dict[str, set[str]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            full = fold(row.get("name") or "")
            if not full:
                continue
            short = {fold(name) for name in (row.get("known_as") or "").split("|")}
            groups.setdefault(full, set()).update(name for name in short if name and name != full)
    return Nicknames(groups)


@lru_cache(maxsize=1)
def nicknames() -> Nicknames:
    """The shipped table, read once per process."""
    return read_nicknames(nicknames_file())

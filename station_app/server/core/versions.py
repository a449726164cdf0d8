"""Record versions on the wire (docs/api.md, "Headers"): the one If-Match check of changes to
mutable records, and the If-None-Match comparison of conditional reads.

If-Match is parsed by `domain.wire.version_from_if_match`, the parser the client uses too,
and ETags are written with `domain.wire.etag`.
"""

from __future__ import annotations

from dataclasses import dataclass

from station_app.domain.wire import version_from_if_match
from station_app.server.core.problems import ProblemError

VERSION_NEEDED = "Version needed"


@dataclass(frozen=True)
class IfMatchRule:
    """How changes to one kind of record answer for their If-Match header.

    `stale`: the 409 sentence when the header names another version than the record's; it
    may name the record (`{reference}`), filled in from `check`'s keywords. `missing`: the
    428 sentence when there is no header at all. Every change to a mutable record names
    the version it is based on: a rule that let a change through without one is how two
    detectives lost each other's work (issue 12 #8), so there is no such rule.
    """

    stale: str
    missing: str

    def asked(self, if_match: str | None, **names: str) -> int:
        """The version the change is based on.

        A header that names no version Station gave cannot be the record's current one,
        so it is answered as stale (409), not as missing.
        """
        if if_match is None:
            raise ProblemError(428, self.missing, title=VERSION_NEEDED)
        version = version_from_if_match(if_match)
        if version is None:
            raise self.conflict(**names)
        return version

    def check(self, if_match: str | None, current: int, **names: str) -> None:
        """Refuse the change (409) unless If-Match names the record's `current` version."""
        if self.asked(if_match, **names) != current:
            raise self.conflict(**names)

    def conflict(self, **names: str) -> ProblemError:
        """The 409 of a change based on a version someone else has replaced."""
        return ProblemError(409, self.stale.format(**names))


def etag_matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison, as If-None-Match asks for."""
    if not if_none_match:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False

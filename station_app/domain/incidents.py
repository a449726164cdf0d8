"""Rules of a walk-in crime report shared by the server and Station: the status workflow,
who may move a report along it, the flags, and when a recording decision is overdue.

Standard library only (the domain layer), so the server's guards and the client's buttons
apply the same rules.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from station_app.domain.roles import Role


class IncidentStatus(StrEnum):
    REPORTED = "reported"
    RECORDED = "recorded"
    NO_CRIME = "no_crime"
    TRANSFERRED = "transferred"
    CLOSED = "closed"


STATUS_WORDS: dict[IncidentStatus, str] = {
    IncidentStatus.REPORTED: "Reported",
    IncidentStatus.RECORDED: "Recorded as a crime",
    IncidentStatus.NO_CRIME: "No crime",
    IncidentStatus.TRANSFERRED: "Transferred",
    IncidentStatus.CLOSED: "Closed",
}

# reported → recorded / no crime / transferred → closed (front-desk.md).
NEXT_STATUSES: dict[IncidentStatus, tuple[IncidentStatus, ...]] = {
    IncidentStatus.REPORTED: (
        IncidentStatus.RECORDED,
        IncidentStatus.NO_CRIME,
        IncidentStatus.TRANSFERRED,
    ),
    IncidentStatus.RECORDED: (IncidentStatus.CLOSED,),
    IncidentStatus.NO_CRIME: (IncidentStatus.CLOSED,),
    IncidentStatus.TRANSFERRED: (IncidentStatus.CLOSED,),
    IncidentStatus.CLOSED: (),
}

# Who may move a report into each status. NCRS: the counter records a crime when an
# offence more likely than not occurred; a "no crime" decision needs additional verifying
# information and is taken by a supervisor or the crime registrar (HOCR section A),
# so front desk cannot make it; closing belongs to investigators and supervisors.
STATUS_ROLES: dict[IncidentStatus, frozenset[Role]] = {
    IncidentStatus.RECORDED: frozenset(
        {Role.FRONT_DESK, Role.DETECTIVE, Role.SUPERVISOR, Role.ADMIN}
    ),
    IncidentStatus.TRANSFERRED: frozenset({Role.FRONT_DESK, Role.SUPERVISOR, Role.ADMIN}),
    IncidentStatus.NO_CRIME: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    IncidentStatus.CLOSED: frozenset({Role.DETECTIVE, Role.SUPERVISOR, Role.ADMIN}),
}

# The custody officer reads reports to arrest and book in a suspect from one (issue 10);
# notes stay with the people who work the report.
READ_ROLES: frozenset[Role] = frozenset(
    {Role.FRONT_DESK, Role.CUSTODY_OFFICER, Role.DETECTIVE, Role.SUPERVISOR, Role.ADMIN}
)
WRITE_ROLES: frozenset[Role] = frozenset({Role.FRONT_DESK})
NOTE_ROLES: frozenset[Role] = frozenset(
    {Role.FRONT_DESK, Role.DETECTIVE, Role.SUPERVISOR, Role.ADMIN}
)


class Flag(StrEnum):
    REPEAT_VICTIM = "repeat_victim"
    VULNERABLE = "vulnerable"
    CHILD_INVOLVED = "child_involved"
    DOMESTIC_ABUSE = "domestic_abuse"
    HATE_CRIME = "hate_crime"
    INJURY = "injury"


FLAG_WORDS: dict[Flag, str] = {
    Flag.REPEAT_VICTIM: "Repeat victim",
    Flag.VULNERABLE: "Vulnerable victim",
    Flag.CHILD_INVOLVED: "Child involved",
    Flag.DOMESTIC_ABUSE: "Domestic abuse",
    # The victim's (or anyone's) perception is enough (College of Policing hate crime guidance).
    Flag.HATE_CRIME: "Hate crime (as the victim sees it)",
    Flag.INJURY: "Injuries",
}

# NCRS: the recording decision is expected within 24 hours of the report.
RECORDING_DECISION_DUE = timedelta(hours=24)
# A possible duplicate: same postcode and offence within this window (front-desk issue).
DUPLICATE_WINDOW = timedelta(days=7)


def allowed_next(status: IncidentStatus, roles: frozenset[str] | set[str]) -> list[IncidentStatus]:
    """The statuses a user holding `roles` may move a report in `status` to."""
    return [
        target
        for target in NEXT_STATUSES[status]
        if any(role.value in roles for role in STATUS_ROLES[target])
    ]


def decision_overdue(status: IncidentStatus, reported_at: datetime, now: datetime) -> bool:
    """True when a report still waits for its recording decision after 24 hours (NCRS)."""
    return status is IncidentStatus.REPORTED and now - reported_at > RECORDING_DECISION_DUE


def name_key(name: str) -> str:
    """A person's name for matching: lower case, single spaces."""
    return " ".join(name.casefold().split())

"""Station scoping (docs/api.md, "Stations"): which stations' records a user may act on.

The rule (issue 12 #11):

- Every record belongs to a station (a report's, a custody record's, a case file's
  `station_code`), and every user works at one (`station_user.station_code`).
- By default a user acts only on the records of their own station and of the stations they
  cover (`user_station`, set by an administrator: a superintendent responsible for several
  custody suites, PACE s.42(1); a detective sergeant supervising another station's team).
- Force-wide roles act at every station: only the administrator, who answers subject
  access requests and complaints and runs the system for the whole force.
- A force may allow cross-station work for everyone (`ServerSettings.cross_station_work`,
  `serve --cross-station-work`).
- Every action on another station's record (covered, force-wide or by the setting) writes
  a `cross_station` audit row saying why it was allowed; every refusal writes a
  `cross_station_refused` row, and the 403 says why in one sentence.
- Lists and boards show the user's own and covered stations unless asked for another (which
  is then checked like a record); a force-wide user's lists show every station.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from station_app.domain.roles import ROLE_TITLES, Role
from station_app.server.core.audit import AuditAction, record_audit
from station_app.server.core.config import ServerSettings
from station_app.server.core.deps import current_user, get_settings
from station_app.server.core.identity import CurrentUser
from station_app.server.core.problems import ProblemError
from station_app.server.core.reference_data import reference_row

FORCE_WIDE_ROLES: frozenset[Role] = frozenset({Role.ADMIN})
"""Roles that act at every station (docs/api.md, "Stations")."""

ANOTHER_STATION = "Another station"


@dataclass(frozen=True)
class StationScope:
    """Where the signed-in user may act, and why."""

    user: CurrentUser
    force_wide_role: Role | None
    cross_station_work: bool

    @property
    def home(self) -> str:
        return self.user.station_code

    @property
    def all_stations(self) -> bool:
        """True when no station is closed to this user."""
        return self.force_wide_role is not None or self.cross_station_work

    def reason(self, station_code: str) -> str | None:
        """Why the user may act at `station_code`: "" at their own station, words for the
        audit trail elsewhere; None where they may not."""
        if station_code == self.home:
            return ""
        if self.force_wide_role is not None:
            return f"force-wide role ({ROLE_TITLES[self.force_wide_role]})"
        if station_code in self.user.covers:
            return f"covers {station_code}"
        if self.cross_station_work:
            return "cross-station work is allowed on this server"
        return None

    def own_stations(self) -> frozenset[str]:
        return frozenset({self.home, *self.user.covers})

    def listed(self) -> frozenset[str] | None:
        """The stations a list shows when none is asked for; None: every station."""
        return None if self.force_wide_role is not None else self.own_stations()


def station_scope(
    user: Annotated[CurrentUser, Depends(current_user)],
    settings: Annotated[ServerSettings, Depends(get_settings)],
) -> StationScope:
    force_wide = sorted(role for role in FORCE_WIDE_ROLES if role.value in user.roles)
    return StationScope(user, force_wide[0] if force_wide else None, settings.cross_station_work)


Scope = Annotated[StationScope, Depends(station_scope)]


def station_text(session: Session, station_code: str) -> str:
    """ "Kennington Green (KN)": the station's name as staff say it, and its code."""
    row = reference_row(session, "stations", station_code) if station_code else None
    if row is None:
        return station_code or "no station"
    return f"{row.label.removesuffix(' Police Station')} ({station_code})"


def _works_at(session: Session, scope: StationScope) -> str:
    covered = sorted(scope.user.covers)
    text = station_text(session, scope.home)
    if covered:
        text += " and cover " + ", ".join(station_text(session, code) for code in covered)
    return text


def _allowed(
    session: Session,
    scope: StationScope,
    station_code: str,
    *,
    record: str,
    action: str,
    record_type: str,
    record_id: str,
) -> str:
    """The reason the user may act at `station_code` ("" at their own); else the refusal
    (403) is audited and raised."""
    reason = scope.reason(station_code)
    if reason is not None:
        return reason
    there = station_text(session, station_code)
    name = there.rsplit(" (", 1)[0]
    detail = (
        f"{record.format(there=there)} and you work at {_works_at(session, scope)}, so you "
        f"cannot {action} unless an administrator adds {name} to the stations you cover."
    )
    # The refusal is kept even though nothing else of this request is.
    session.rollback()
    record_audit(
        session,
        scope.user,
        AuditAction.CROSS_STATION_REFUSED,
        record_type,
        record_id,
        f"{action} at {station_code}; works at {scope.home}",
        scope.user.workstation,
    )
    session.commit()
    raise ProblemError(403, detail, title=ANOTHER_STATION)


def act_at(
    session: Session,
    scope: StationScope,
    station_code: str,
    *,
    record: str,
    action: str,
    record_type: str,
    record_id: str,
) -> None:
    """Let the user act at `station_code`, or refuse (403) and audit the refusal.

    `record` opens the refusal and may name the station as `{there}` ("This detainee is in
    custody at {there}"); `action` finishes it ("add to their record"). An action at another
    station than the user's own adds a `cross_station` audit row to the session, committed
    with the work.
    """
    reason = _allowed(
        session,
        scope,
        station_code,
        record=record,
        action=action,
        record_type=record_type,
        record_id=record_id,
    )
    if reason:
        record_audit(
            session,
            scope.user,
            AuditAction.CROSS_STATION,
            record_type,
            record_id,
            f"{action} at {station_code}; works at {scope.home}; allowed: {reason}",
            scope.user.workstation,
        )


def list_stations(
    session: Session,
    scope: StationScope,
    asked: str | None,
    *,
    record: str,
    action: str,
    record_type: str,
) -> frozenset[str] | None:
    """The stations a list may show: the one `asked` for (refused like a record of it when
    the user may not act there), else the user's own and covered stations, or every station
    (None) for a force-wide role. What it shows is audited by `audit_shown`."""
    if asked:
        _allowed(
            session,
            scope,
            asked,
            record=record,
            action=action,
            record_type=record_type,
            record_id="list",
        )
        return frozenset({asked})
    return scope.listed()


def audit_shown(
    session: Session,
    scope: StationScope,
    shown: Iterable[str],
    *,
    action: str,
    record_type: str,
    record_id: str = "list",
) -> None:
    """A `cross_station` audit row when a list showed records of other stations than the
    user's own, naming them and why they were allowed."""
    others = sorted(set(shown) - {scope.home})
    if not others:
        return
    reasons = "; ".join(f"{code}: {scope.reason(code)}" for code in others)
    record_audit(
        session,
        scope.user,
        AuditAction.CROSS_STATION,
        record_type,
        record_id,
        f"{action}: records of {', '.join(others)} shown; works at {scope.home}; {reasons}",
        scope.user.workstation,
    )

"""The demo accounts: one invented member of staff per role, all with the published demo
password. Idempotent: a demo user is added only when no user has that name."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.auth.passwords import hash_password
from station_app.server.auth.store import add_user
from station_app.server.core.identity import User, UserStation

DEMO_PASSWORD = "Station-Demo-1"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    staff_number: str
    rank: str
    station_code: str
    role: Role
    covers: tuple[str, ...] = field(default=())
    """Other stations they work at (core/stations.py)."""


# Invented people. Officers' staff numbers match their rows in resources/demo/officers.csv.
# Station scoping (docs/api.md, "Stations"): the superintendent is responsible for the three
# custody suites of the demo's area (PACE s.42(1)), the inspector reviews detention at
# Southwark and Kennington, and the detective sergeant at Kennington supervises the
# detectives of Southwark; the administrator's role is force-wide.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("frontdesk", "Priya Natarajan", "S300112", "Police Staff", "SW", Role.FRONT_DESK),
    DemoUser("custody", "Tom Brennan", "210044", "PS", "SW", Role.CUSTODY_OFFICER),
    DemoUser("inspector", "Helen Ashworth", "203318", "Insp", "SW", Role.INSPECTOR, ("KN",)),
    DemoUser(
        "superintendent",
        "Marcus Delaney",
        "190027",
        "Supt",
        "KN",
        Role.SUPERINTENDENT,
        ("SW", "HX"),
    ),
    DemoUser("detective", "Sam Okafor", "214409", "DC", "SW", Role.DETECTIVE),
    DemoUser("supervisor", "Gareth Lloyd", "208815", "DS", "KN", Role.SUPERVISOR, ("SW",)),
    DemoUser("admin", "Jo Whitfield", "S300187", "Police Staff", "SW", Role.ADMIN),
)


def seed_demo_users(session: Session) -> list[str]:
    """Add the demo users that are missing, and the stations demo users cover where they
    have none yet (a demo database from before station scoping), then commit; the seed
    report's lines."""
    existing = {user.username: user for user in session.scalars(select(User))}
    covered = [
        demo.username
        for demo in DEMO_USERS
        if demo.covers and demo.username in existing and not existing[demo.username].covered
    ]
    for name in covered:
        demo = next(d for d in DEMO_USERS if d.username == name)
        existing[name].covered = [UserStation(station_code=code) for code in demo.covers]
    missing = [demo for demo in DEMO_USERS if demo.username not in existing]
    lines = [f"demo users' stations set: {', '.join(covered)}"] if covered else []
    if not missing:
        session.commit()
        return lines
    # The demo password is published, so one Argon2 hash serves every demo user; this
    # keeps an embedded demo server's first start quick.
    password_hash = hash_password(DEMO_PASSWORD)
    for demo in missing:
        add_user(
            session,
            username=demo.username,
            password_hash=password_hash,
            display_name=demo.display_name,
            staff_number=demo.staff_number,
            rank=demo.rank,
            station_code=demo.station_code,
            roles=[demo.role],
            covers=demo.covers,
        )
    session.commit()
    return [*lines, f"demo users added: {', '.join(demo.username for demo in missing)}"]

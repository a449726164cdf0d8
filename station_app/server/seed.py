"""The demo seed: synthetic reference data from `resources/demo/` and one user per role.

Idempotent: a dataset is imported only while it has never been imported (version 0),
and a demo user is added only when no user has that name.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from station_app.domain.roles import Role
from station_app.server.models import User
from station_app.server.reference_store import (
    ImportResult,
    import_rows,
    list_datasets,
    read_csv,
)
from station_app.server.resources import demo_dir
from station_app.server.security import add_user, hash_password

DEMO_PASSWORD = "Station-Demo-1"

# The shipped offence list is a sample with demo codes, not the Standard Offence Service
# (shared/domain/formats.md: never invent a code and present it as real).
DEMO_TITLES: dict[str, str] = {
    "offences": "Offences (demo sample — not the Standard Offence Service)",
    "stations": "Police stations (demo)",
    "cells": "Cells (demo)",
    "courts": "Courts (demo)",
    "officers": "Officers (demo)",
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    staff_number: str
    rank: str
    station_code: str
    role: Role


# Invented people. Officers' staff numbers match their rows in resources/demo/officers.csv.
DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("frontdesk", "Priya Natarajan", "S300112", "Police Staff", "SW", Role.FRONT_DESK),
    DemoUser("custody", "Tom Brennan", "210044", "PS", "SW", Role.CUSTODY_OFFICER),
    DemoUser("inspector", "Helen Ashworth", "203318", "Insp", "SW", Role.INSPECTOR),
    DemoUser("superintendent", "Marcus Delaney", "190027", "Supt", "KN", Role.SUPERINTENDENT),
    DemoUser("detective", "Sam Okafor", "214409", "DC", "SW", Role.DETECTIVE),
    DemoUser("supervisor", "Gareth Lloyd", "208815", "DS", "KN", Role.SUPERVISOR),
    DemoUser("admin", "Jo Whitfield", "S300187", "Police Staff", "SW", Role.ADMIN),
)


@dataclass
class SeedReport:
    imported: list[ImportResult] = field(default_factory=list)
    users_added: list[str] = field(default_factory=list)
    casefiles: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = [result.summary() for result in self.imported]
        if self.users_added:
            lines.append(f"demo users added: {', '.join(self.users_added)}")
        lines.extend(self.casefiles)
        if not lines:
            lines.append("demo data already present; nothing to do")
        return lines


def seed_demo(session: Session) -> SeedReport:
    """Add whatever part of the demo data is missing, then commit."""
    report = SeedReport()
    for dataset in list_datasets(session):
        path = demo_dir() / f"{dataset.name}.csv"
        if dataset.version == 0 and path.exists():
            report.imported.append(
                import_rows(
                    session, dataset.name, read_csv(path), title=DEMO_TITLES.get(dataset.name)
                )
            )
    existing = set(session.scalars(select(User.username)))
    missing = [demo for demo in DEMO_USERS if demo.username not in existing]
    # The demo password is published, so one Argon2 hash serves every demo user; this
    # keeps an embedded demo server's first start quick.
    password_hash = hash_password(DEMO_PASSWORD) if missing else ""
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
        )
        report.users_added.append(demo.username)
    from station_app.server.casefiles.seed import seed_casefiles

    report.casefiles = seed_casefiles(session)
    session.commit()
    from station_app.server.incidents.seed import seed_demo_incidents

    seed_demo_incidents(session)
    from station_app.server.custody.seed import seed_demo_custody

    seed_demo_custody(session)
    return report


def has_users(session: Session) -> bool:
    return session.scalars(select(User.id).limit(1)).first() is not None

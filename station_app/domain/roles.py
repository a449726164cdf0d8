"""The roles a Station user can hold, shared by the server (route guards) and the client."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    FRONT_DESK = "front_desk"
    CUSTODY_OFFICER = "custody_officer"
    INSPECTOR = "inspector"
    SUPERINTENDENT = "superintendent"
    DETECTIVE = "detective"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


ALL_ROLES: frozenset[Role] = frozenset(Role)

ROLE_TITLES: dict[Role, str] = {
    Role.FRONT_DESK: "Front desk",
    Role.CUSTODY_OFFICER: "Custody officer",
    Role.INSPECTOR: "Inspector",
    Role.SUPERINTENDENT: "Superintendent",
    Role.DETECTIVE: "Detective",
    Role.SUPERVISOR: "Supervisor",
    Role.ADMIN: "Administrator",
}

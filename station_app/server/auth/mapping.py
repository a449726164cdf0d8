"""Turning an account and a new sign-in into their JSON answers."""

from __future__ import annotations

from sqlalchemy.orm import Session

from station_app.server.auth.schemas import LoginResponse, Me
from station_app.server.auth.store import SignedIn
from station_app.server.core.config import ServerSettings
from station_app.server.core.identity import User
from station_app.server.core.reference_data import reference_row
from station_app.server.core.stations import FORCE_WIDE_ROLES


def me_out(session: Session, user: User, settings: ServerSettings) -> Me:
    station = reference_row(session, "stations", user.station_code)
    force_wide = any(role.value in user.role_names for role in FORCE_WIDE_ROLES)
    return Me(
        username=user.username,
        display_name=user.display_name,
        staff_number=user.staff_number,
        rank=user.rank,
        station_code=user.station_code,
        station_name=station.label if station is not None else None,
        roles=user.role_names,
        covers=sorted(user.covers),
        all_stations=force_wide or settings.cross_station_work,
    )


def login_out(session: Session, signed_in: SignedIn, settings: ServerSettings) -> LoginResponse:
    return LoginResponse(
        token=signed_in.token,
        expires_at=signed_in.expires_at,
        user=me_out(session, signed_in.user, settings),
    )

"""Request and response bodies of sign-in, sign-out and "who am I" (docs/api.md, "Auth")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from station_app.server.core.deps import NO_CONTROL_CHARACTERS
from station_app.server.core.identity import USERNAME_LENGTH


class LoginRequest(BaseModel):
    username: Annotated[
        str,
        StringConstraints(min_length=1, max_length=USERNAME_LENGTH, pattern=NO_CONTROL_CHARACTERS),
    ]
    password: Annotated[str, StringConstraints(min_length=1, max_length=1024)]


class Me(BaseModel):
    username: str
    display_name: str
    staff_number: str
    rank: str
    station_code: str
    station_name: str | None
    roles: list[str]
    covers: list[str] = Field(
        default_factory=list, description="Other stations the user covers (docs/api.md, Stations)."
    )
    all_stations: bool = Field(
        False,
        description="True when the user may act at every station: a force-wide role, or "
        "cross-station work allowed on this server.",
    )


class LoginResponse(BaseModel):
    token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime
    user: Me

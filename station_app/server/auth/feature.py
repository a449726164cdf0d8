"""The sign-in feature, as the composition root lists it."""

from __future__ import annotations

from station_app.server.auth.router import router
from station_app.server.auth.seed import seed_demo_users
from station_app.server.core.feature import Feature

# A successful sign-in or an unlock deletes the name's failed-attempt count.
FEATURE = Feature(
    name="auth", routers=(router,), seed=seed_demo_users, deletes_from=("login_throttle",)
)

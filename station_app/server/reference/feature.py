"""The reference data feature, as the composition root lists it."""

from __future__ import annotations

from station_app.server.core.feature import Feature
from station_app.server.reference.router import router
from station_app.server.reference.seed import seed_demo_reference

FEATURE = Feature(name="reference", routers=(router,), seed=seed_demo_reference)

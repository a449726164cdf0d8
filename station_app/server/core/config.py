"""Settings of the core API server: where the database is, and the sign-in rules."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from station_app.domain.clock import Clock, SystemClock


@dataclass(frozen=True)
class ServerSettings:
    """Everything the app factory needs; built by the CLI or by a test."""

    database_url: str
    demo: bool = False
    token_hours: float = 12
    # Sign-in throttling, per user name (known or not, so it reveals nothing).
    login_slow_after: int = 3
    login_lock_after: int = 5
    login_lock_minutes: float = 15
    login_delay_seconds: float = 0.5
    login_delay_cap: float = 4.0
    # Case files: the folder the CPS file-drop adapter writes to (docs/cps-exchange.md);
    # None: sending to the CPS is not set up on this server.
    cps_exchange_dir: str | None = None
    # Station scoping (core/stations.py): by default staff act on their own station's records
    # and those of the stations they cover; True lets anyone act at any station, every such
    # action audited as cross-station (`station-server serve --cross-station-work`).
    cross_station_work: bool = False
    # Case files: the largest attached PDF taken, in bytes (docs/server.md, "Settings").
    attachment_max_bytes: int = 20 * 1024 * 1024
    # The interactive API docs page (/api/v1/docs): off, as it loads Swagger UI from a
    # public CDN; `--api-docs` turns it on for a developer's machine. The OpenAPI JSON is
    # always served.
    api_docs: bool = False
    # PostgreSQL: connections each worker keeps open (pool_size) and may open beyond that at
    # a peak (max_overflow), and the longest one statement may run before the database stops
    # it (docs/server.md, "Sizing"). SQLite ignores them.
    pool_size: int = 5
    pool_overflow: int = 5
    statement_timeout_ms: int = 15_000
    # /metrics: the SHA-256 of the scrape token Prometheus sends as a bearer token; None:
    # metrics are not served (docs/server.md, "Operations").
    metrics_token_hash: str | None = None
    # Where "now" comes from for sign-in locks and tokens: the system clock, or a test's.
    clock: Clock = field(default_factory=SystemClock)

    def login_delay(self, failures: int) -> float:
        """Seconds to hold back a sign-in after `failures` consecutive failures."""
        if failures < self.login_slow_after:
            return 0.0
        doublings = min(failures - self.login_slow_after, 32)
        return float(min(self.login_delay_seconds * 2**doublings, self.login_delay_cap))


def default_database_url() -> str:
    """A SQLite file in the user's data folder, for a server run on one workstation."""
    import platformdirs

    folder = Path(platformdirs.user_data_dir("Station", "Station")) / "server"
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'station.db'}"


# The settings a worker process is started with travel in this environment variable: each
# worker of `station-server serve --workers N` is a fresh process that builds its own app.
SETTINGS_ENVIRONMENT = "STATION_SERVER_SETTINGS"


def settings_to_json(settings: ServerSettings) -> str:
    """The settings as JSON, for a worker process (the clock is always the system's)."""
    values = {key: value for key, value in asdict(settings).items() if key != "clock"}
    return json.dumps(values, sort_keys=True)


def settings_from_json(text: str) -> ServerSettings:
    known = {item.name for item in fields(ServerSettings)} - {"clock"}
    values: dict[str, Any] = json.loads(text)
    return ServerSettings(**{key: value for key, value in values.items() if key in known})

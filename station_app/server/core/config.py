"""Settings of the core API server: where the database is, and the sign-in rules."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

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

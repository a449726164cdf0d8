"""Reference sync against the real core API: first sync of 20,000 offences, and a no-change sync.

Starts the real server (FastAPI + uvicorn in a thread on 127.0.0.1) on a temporary,
migrated SQLite database with the demo seed and a synthetic 20,000-row `offences`
dataset imported through `core.reference_data`. Each figure is printed with a baseline
timed interleaved in the same run:

- first sync (empty cache -> every dataset cached) against a raw `requests.get` of the
  offences JSON, decoded (the least any client must do); target < 2 s;
- no-change sync (list ETag -> 304) against a raw GET /api/v1/health round trip on a
  kept-alive connection (the least any request costs); target < 50 ms.
"""

from __future__ import annotations

import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
import uvicorn

from bench._common import timed_ms
from station_app.server.app import create_app
from station_app.server.core.config import ServerSettings
from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.core.reference_data import ReferenceRowIn, import_rows
from station_app.server.seed import DEMO_PASSWORD, seed_demo
from station_app.services.api import ApiSession
from station_app.services.reference import ReferenceApi, ReferenceCache, ReferenceSync

ROWS = 20_000
SEED = 20261126
FIRST_SYNC_RUNS = 5
NO_CHANGE_RUNS = 40


def synthetic_offence_rows(count: int = ROWS, seed: int = SEED) -> list[ReferenceRowIn]:
    """Invented rows shaped like the demo offences (never presented as real codes)."""
    chooser = random.Random(seed)
    subjects = ["Theft", "Burglary", "Assault", "Criminal damage", "Fraud", "Possession"]
    details = ["from a shop", "of a motor vehicle", "by beating", "with intent", "in a dwelling"]
    acts = ["Theft Act 1968", "Criminal Justice Act 1988", "Fraud Act 2006"]
    modes = ["summary", "either_way", "indictable"]
    rows = []
    for serial in range(count):
        label = f"{chooser.choice(subjects)} {chooser.choice(details)} ({serial})"
        act = chooser.choice(acts)
        section = chooser.randint(1, 40)
        rows.append(
            ReferenceRowIn(
                code=f"ZZ{serial:06d}",
                label=label,
                attributes={
                    "wording": f"{label}, contrary to section {section} of the {act}",
                    "act": act,
                    "ho_class": f"{chooser.randint(1, 150)}/{chooser.randint(0, 99):02d}",
                    "mode_of_trial": chooser.choice(modes),
                    "sample": True,
                },
            )
        )
    return rows


def prepare_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'station.db'}"
    engine = make_engine(url)
    try:
        migrate_engine(engine)
        with make_session_factory(engine)() as session:
            seed_demo(session)
            session.commit()
            import_rows(session, "offences", synthetic_offence_rows())
            session.commit()
    finally:
        engine.dispose()
    return url


class ServerThread:
    """The real app served by uvicorn on 127.0.0.1 in a background thread."""

    def __init__(self, database_url: str) -> None:
        # IPPROTO_TCP given explicitly: asyncio only sets TCP_NODELAY on sockets whose
        # proto says TCP, and without it every kept-alive answer waits ~40 ms for a
        # delayed ACK.
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(128)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        app = create_app(ServerSettings(database_url=database_url))
        config = uvicorn.Config(app, log_level="warning", log_config=None, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="bench-server"
        )

    def __enter__(self) -> ServerThread:
        self._thread.start()
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the server did not start")
            time.sleep(0.01)
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=15)
        self._socket.close()


def first_sync_ms(session: ApiSession, folder: Path, run: int) -> tuple[float, int]:
    cache = ReferenceCache(folder / f"first-{run}" / "reference.db")
    try:
        started = time.perf_counter()
        result = ReferenceSync(ReferenceApi(session), cache).sync()
        elapsed = (time.perf_counter() - started) * 1000
    finally:
        cache.close()
    return elapsed, result.rows_received


def line(title: str, measured: list[float], baseline: list[float], target_ms: float) -> None:
    mine, base = statistics.median(measured), statistics.median(baseline)
    verdict = "within" if mine < target_ms else "OVER"
    print(title)
    print(
        f"  measured: median {mine:.1f} ms  (min {min(measured):.1f}, max {max(measured):.1f},"
        f" n={len(measured)})"
    )
    print(
        f"  baseline: median {base:.1f} ms  (min {min(baseline):.1f}, max {max(baseline):.1f},"
        f" n={len(baseline)})"
    )
    print(f"  ratio measured/baseline: {mine / base:.2f}x; target {target_ms:g} ms: {verdict}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="station-bench-sync-") as temporary:
        folder = Path(temporary)
        started = time.perf_counter()
        database_url = prepare_database(folder)
        print(
            f"prepared server database with {ROWS:,} offences in "
            f"{time.perf_counter() - started:.1f} s"
        )
        with ServerThread(database_url) as server:
            raw = requests.Session()
            token = raw.post(
                f"{server.url}/api/v1/auth/login",
                json={"username": "frontdesk", "password": DEMO_PASSWORD},
                timeout=30,
            ).json()["token"]
            raw.headers["Authorization"] = f"Bearer {token}"
            session = ApiSession(server.url, workstation="BENCH-01")
            session.token = token

            def raw_dataset() -> Any:
                return raw.get(f"{server.url}/api/v1/reference/offences", timeout=30).json()

            raw_dataset()  # warm both paths once
            first_sync_ms(session, folder, -1)
            first: list[float] = []
            first_baseline: list[float] = []
            rows_received = 0
            for run in range(FIRST_SYNC_RUNS):
                first_baseline.append(timed_ms(raw_dataset))
                elapsed, rows_received = first_sync_ms(session, folder, run)
                first.append(elapsed)

            cache = ReferenceCache(folder / "steady" / "reference.db")
            sync = ReferenceSync(ReferenceApi(session), cache)
            sync.sync()
            unchanged: list[float] = []
            unchanged_baseline: list[float] = []
            for _ in range(NO_CHANGE_RUNS):
                unchanged_baseline.append(
                    timed_ms(lambda: raw.get(f"{server.url}/api/v1/health", timeout=10).json())
                )
                started = time.perf_counter()
                result = sync.sync()
                unchanged.append((time.perf_counter() - started) * 1000)
                assert result.not_modified
            cache.close()
            session.close()
            raw.close()

        print(f"reference sync against the real server ({rows_received:,} rows in all datasets)")
        line("first sync (empty cache)  vs raw GET+decode of offences", first, first_baseline, 2000)
        line("no-change sync (304)      vs raw GET /health", unchanged, unchanged_baseline, 50)


if __name__ == "__main__":
    main()

"""Queue drain: 1,000 walk-in reports queued while offline, then sent to a local core API
(target: under 10 s), against a baseline in the same run: the same 1,000 reports POSTed
straight from a loop with a kept-alive `requests` session (the least sending costs).

The outbox is the real one (encrypted files, one per report); its key sits in a file
keyring (bench_keyring), as a headless machine has no OS keyring.

    python bench/incidents_outbox.py [--reports 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import keyring
import requests

from bench.bench_keyring import FileKeyring
from bench.sync import ServerThread
from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.seed import DEMO_PASSWORD, seed_demo
from station_app.services.api import ApiSession
from station_app.services.incidents import IncidentsApi
from station_app.services.outbox import Outbox


def report_body(n: int) -> dict[str, object]:
    return {
        "reporter": {"name": f"Invented Person {n}", "postcode": "se1 9qx"},
        "offence_code": "DMTH003",
        "location_postcode": "SE1 9QX",
        "account": f"Invented account number {n}: a bicycle taken from the racks.",
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=1000)
    count = parser.parse_args().reports
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        os.environ["BENCH_KEYRING_FILE"] = str(folder / "keyring.json")
        keyring.set_keyring(FileKeyring())
        url = f"sqlite:///{folder / 'station.db'}"
        engine = make_engine(url)
        migrate_engine(engine)
        with make_session_factory(engine)() as session:
            seed_demo(session)
        engine.dispose()
        with ServerThread(url) as server:
            session = ApiSession(server.url, workstation="BENCH")
            login = requests.post(
                session.url("/auth/login"),
                json={"username": "frontdesk", "password": DEMO_PASSWORD},
                timeout=10,
            )
            session.token = login.json()["token"]
            outbox = Outbox(folder / "outbox")
            started = time.perf_counter()
            for n in range(count):
                outbox.queue(report_body(n), uuid.uuid4().hex, "frontdesk")
            queued_s = time.perf_counter() - started
            started = time.perf_counter()
            result = outbox.drain(IncidentsApi(session), "frontdesk")
            drain_s = time.perf_counter() - started
            assert len(result.sent) == count and result.waiting == 0, result

            raw = requests.Session()
            raw.headers["Authorization"] = f"Bearer {session.token}"
            started = time.perf_counter()
            for n in range(count):
                raw.post(
                    session.url("/incidents"),
                    json=report_body(n),
                    headers={"Idempotency-Key": uuid.uuid4().hex},
                    timeout=10,
                ).raise_for_status()
            baseline_s = time.perf_counter() - started
            session.close()
            raw.close()
    verdict = "within" if drain_s < 10 else "OVER"
    print(f"Outbox: {count:,} reports queued (encrypted files) in {queued_s:.2f} s")
    print(f"Queue drain of {count:,} reports: {drain_s:.2f} s; target 10 s: {verdict}")
    print(f"  baseline, the same reports POSTed in a plain loop: {baseline_s:.2f} s")
    print(f"  ratio drain/baseline: {drain_s / baseline_s:.2f}x")


if __name__ == "__main__":
    main()

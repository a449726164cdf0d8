"""The custody board with 60 detainees: the server's answer and the client's refresh.

Starts the real server (FastAPI + uvicorn on 127.0.0.1) on a temporary SQLite database
with the demo reference data and 60 invented detainees at one station, each with about
25 entries. Figures, each next to a baseline timed interleaved in the same run:

- server answer for a changed board (an entry added before each read, so the ETag is
  new and the body is rebuilt) and for an unchanged one (If-None-Match -> 304), against
  a raw GET /api/v1/health on a kept-alive connection; target p95 < 20 ms;
- client refresh on the UI thread (BoardModel.set_rows with 60 changed rows, re-sorted,
  and a synchronous repaint of the board table), against a repaint of the same table
  with nothing changed; target < 16 ms.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import requests

from bench._common import report, timed_ms
from bench.sync import ServerThread
from station_app.domain.roles import Role
from station_app.server.auth.passwords import hash_password
from station_app.server.auth.store import add_user
from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.core.reference_data import import_rows, list_datasets, read_csv
from station_app.server.core.resources import demo_dir
from station_app.server.custody.store import Booking, Officer, append_event, book_in
from station_app.services.api import ApiSession
from station_app.services.custody import CustodyClient

DETAINEES = 60
RUNS = 60
PASSWORD = "Bench-Password-1"
SERGEANT = Officer("bench", "Bench Sergeant", "B1", "PS", frozenset({"custody_officer"}), "SW")
INSPECTOR = Officer("bench-insp", "Bench Inspector", "B2", "Insp", frozenset({"inspector"}), "SW")


def prepare(folder: Path) -> str:
    url = f"sqlite:///{folder / 'station.db'}"
    engine = make_engine(url)
    now = datetime.now(UTC)
    try:
        migrate_engine(engine)
        with make_session_factory(engine)() as session:
            for dataset in list_datasets(session):
                path = demo_dir() / f"{dataset.name}.csv"
                if path.exists():
                    import_rows(session, dataset.name, read_csv(path))
            add_user(
                session,
                username="bench",
                password_hash=hash_password(PASSWORD),
                display_name="Bench Sergeant",
                staff_number="B1",
                rank="PS",
                station_code="SW",
                roles=[Role.CUSTODY_OFFICER],
            )
            session.commit()
            for number in range(DETAINEES):
                arrived = now - timedelta(minutes=30 + 11 * number)
                record, _ = book_in(
                    session,
                    SERGEANT,
                    Booking(
                        "SW",
                        {
                            "surname": f"Benchperson{number}",
                            "forenames": "Test",
                            "date_of_birth": "1990-01-01",
                        },
                        ["DMTH005"],
                        arrived - timedelta(minutes=20),
                        arrived,
                        cell=f"SW-C{number % 16 + 1:02d}",
                    ),
                    now,
                    None,
                )
                steps = [
                    (
                        "detention_authorised",
                        arrived + timedelta(minutes=5),
                        {"grounds": "Evidence"},
                    ),
                    (
                        "risk_assessment",
                        arrived + timedelta(minutes=6),
                        {"risk_level": "medium", "observation_level": "2"},
                    ),
                ]
                for visit in range(22):
                    at = arrived + timedelta(minutes=7 + visit)
                    if at < now:
                        steps.append(("visit", at, {"response": "comprehensive"}))
                for kind, at, data in steps:
                    append_event(session, record.id, SERGEANT, kind, at, data, now, None)
            session.commit()
    finally:
        engine.dispose()
    return url


def server_figures(url: str) -> None:
    with ServerThread(url) as server:
        raw = requests.Session()
        token = raw.post(
            f"{server.url}/api/v1/auth/login",
            json={"username": "bench", "password": PASSWORD},
            timeout=30,
        ).json()["token"]
        raw.headers["Authorization"] = f"Bearer {token}"
        session = ApiSession(server.url, workstation="BENCH-01")
        session.token = token
        client = CustodyClient(session)
        board = client.board("SW")
        assert board is not None and len(board.rows) == DETAINEES, board
        first_id = board.rows[0].record_id
        changed: list[float] = []
        unchanged: list[float] = []
        baseline: list[float] = []
        etag = board.etag
        for _ in range(RUNS):
            baseline.append(timed_ms(lambda: raw.get(f"{server.url}/api/v1/health", timeout=10)))
            client.add_entry(first_id, "visit", datetime.now(UTC), {"response": "comprehensive"})
            started = time.perf_counter()
            fresh = client.board("SW", etag)
            changed.append((time.perf_counter() - started) * 1000)
            assert fresh is not None
            etag = fresh.etag
            unchanged.append(timed_ms(lambda tag=etag: client.board("SW", tag)))
        session.close()
        raw.close()
    print(f"custody board of {DETAINEES} detainees against the real server (SQLite)")
    report("changed board (200, rebuilt)  vs raw GET /health", changed, baseline, 20)
    report("unchanged board (304)         vs raw GET /health", unchanged, baseline, 20)
    return board.rows


def client_figures(rows) -> None:
    from PySide6.QtWidgets import QApplication, QTableView

    from station_app.views.custody.board_model import BoardModel

    app = QApplication.instance() or QApplication([])
    model = BoardModel()
    table = QTableView()
    table.setModel(model)
    table.resize(1400, 900)
    table.show()
    now = datetime.now(UTC)
    model.set_rows(list(rows), now)
    table.selectRow(10)
    refresh: list[float] = []
    baseline: list[float] = []
    shifted = list(rows)
    for run in range(RUNS):
        # Every row changed and the order different each time: the worst refresh.
        shifted = shifted[7:] + shifted[:7]
        from dataclasses import replace

        changed = [
            replace(
                r,
                version=r.version + run + 1,
                next_visit_due=(r.next_visit_due or now) + timedelta(minutes=run % 5),
            )
            for r in shifted
        ]
        baseline.append(timed_ms(lambda: table.viewport().repaint()))
        refresh.append(
            timed_ms(lambda rows=changed: (model.set_rows(rows, now), table.viewport().repaint()))
        )
        app.processEvents()
    print(f"client board refresh on the UI thread ({len(rows)} rows, offscreen)")
    report("set_rows + repaint           vs repaint alone", refresh, baseline, 16)


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="station-bench-custody-") as temporary:
        started = time.perf_counter()
        url = prepare(Path(temporary))
        print(f"prepared {DETAINEES} detainees in {time.perf_counter() - started:.1f} s")
        rows = server_figures(url)
        client_figures(rows)


if __name__ == "__main__":
    main()

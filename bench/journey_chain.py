"""The journey's costs (issue 10), through the real server on SQLite: the crime view of a
report (GET /api/v1/links/incident/{ref}/chain: the report, its custody record, the case
file and its hearing, each summarised and audited) against an indexed read of the same
report (GET /api/v1/incidents/{ref}); and a charge entry (which opens the case file, links
it, adds the report's victim and witness and tells the report) against a cell visit entry
on a record of the same kind. Both pairs are timed interleaved in one run.

The record links table holds `--noise` extra links (other records' arrests and charges)
so the chain's lookups run against a table of a busy force's size, not an empty one.

    python bench/journey_chain.py [--journeys 60] [--noise 300000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests
from sqlalchemy import insert

from bench._common import report, timed_ms
from bench.sync import ServerThread
from station_app.domain.roles import Role
from station_app.server.auth.passwords import hash_password
from station_app.server.auth.store import add_user
from station_app.server.core.db import make_engine, make_session_factory, migrate_engine
from station_app.server.core.links import RecordRelation
from station_app.server.seed import seed_demo

PASSWORD = "Bench-Journey-1"


def prepare(url: str, noise: int) -> None:
    engine = make_engine(url)
    migrate_engine(engine)
    session = make_session_factory(engine)()
    try:
        seed_demo(session)
        add_user(
            session,
            username="bench-chain",
            password_hash=hash_password(PASSWORD),
            display_name="Bench Chain",
            staff_number="B0002",
            rank="DS",
            station_code="SW",
            roles=[Role.CUSTODY_OFFICER, Role.DETECTIVE, Role.FRONT_DESK],
        )
        session.commit()
        now = datetime.now(UTC)
        batch = 20_000
        for start in range(0, noise, batch):
            rows = [
                {
                    "record_type": "custody_record" if n % 2 else "casefile",
                    "reference": f"ZZ-2025-{n:07d}",
                    "linked_type": "incident",
                    "linked_reference": f"ZZ-2025-{n // 2:07d}",
                    "relation": "arrest" if n % 2 else "crime",
                    "created_at": now,
                    "created_by": "bench",
                }
                for n in range(start, min(noise, start + batch))
            ]
            session.execute(insert(RecordRelation), rows)
            session.commit()
    finally:
        session.close()
        engine.dispose()


def journey(http: requests.Session, api: str, number: int) -> tuple[str, int]:
    """A report with a named suspect and its suspect booked in from it: (crime, record id)."""
    report_body = {
        "reporter": {"name": f"Bench Reporter {number}", "date_of_birth": "1980-01-02"},
        "offence_code": "TH68010",
        "location_address": f"{number} Bench Parade, London",
        "account": "Two bottles taken from the shelf.",
        "suspects": [
            {"name": f"Benchley Suspect{number}", "date_of_birth": "1990-05-06"},
        ],
        "witnesses": [{"name": f"Bench Witness {number}"}],
    }
    made = http.post(
        f"{api}/incidents",
        json=report_body,
        headers={"Idempotency-Key": f"bench-{number}-{uuid.uuid4().hex}"},
        timeout=30,
    )
    made.raise_for_status()
    crime = made.json()
    now = datetime.now(UTC)
    booked = http.post(
        f"{api}/custody/records",
        json={
            "station_code": "SW",
            "person": {
                "surname": f"Suspect{number}",
                "forenames": "Benchley",
                "date_of_birth": "1990-05-06",
                "person_id": crime["suspects"][0]["person_id"],
            },
            "offences": ["TH68010"],
            "arrested_at": (now - timedelta(hours=2)).isoformat(),
            "arrived_at": (now - timedelta(hours=1)).isoformat(),
            "incident_reference": crime["reference"],
        },
        timeout=30,
    )
    booked.raise_for_status()
    return crime["reference"], int(booked.json()["id"])


def entry(http: requests.Session, api: str, record_id: int, kind: str, data: dict) -> None:
    answer = http.post(
        f"{api}/custody/records/{record_id}/events",
        json={
            "kind": kind,
            "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
            "data": data,
        },
        timeout=30,
    )
    answer.raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--journeys", type=int, default=60)
    parser.add_argument("--noise", type=int, default=300_000)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'journey.db'}"
        prepare(url, options.noise)
        with ServerThread(url) as server:
            api = f"{server.url}/api/v1"
            http = requests.Session()
            token = http.post(
                f"{api}/auth/login",
                json={"username": "bench-chain", "password": PASSWORD},
                timeout=30,
            ).json()["token"]
            http.headers["Authorization"] = f"Bearer {token}"
            made = [journey(http, api, n) for n in range(options.journeys)]
            hearing = (datetime.now(UTC) + timedelta(days=3)).isoformat()
            charge = {
                "offence": {"code": "TH68010", "label": "Theft from a shop"},
                "wording": "Stole two bottles.",
                "after_charge": "bail",
                "court": "MC-RVS",
                "first_hearing_at": hearing,
            }
            charged, visited = [], []
            for _crime, record_id in made:  # interleaved: a visit, then the charge
                visited.append(
                    timed_ms(
                        lambda r=record_id: entry(
                            http, api, r, "visit", {"response": "comprehensive"}
                        )
                    )
                )
                charged.append(timed_ms(lambda r=record_id: entry(http, api, r, "charge", charge)))
            chained, read = [], []
            for _round in range(3):
                for crime, _record_id in made:
                    read.append(
                        timed_ms(
                            lambda c=crime: http.get(f"{api}/incidents/{c}").raise_for_status()
                        )
                    )
                    chained.append(
                        timed_ms(
                            lambda c=crime: http.get(
                                f"{api}/links/incident/{c}/chain"
                            ).raise_for_status()
                        )
                    )
            sample = http.get(f"{api}/links/incident/{made[0][0]}/chain").json()["records"]
    print(
        f"journey: {options.journeys} journeys, {options.noise:,} other record links (SQLite); "
        f"a chain holds {[r['record_type'] for r in sample]}"
    )
    report("crime view (GET /links/incident/{ref}/chain)", chained, read, target_ms=100)
    print("  baseline: GET /incidents/{ref} (the report alone, indexed, audited)")
    report("charge entry (opens the case file, links, tells the report)", charged, visited, 200)
    print("  baseline: a cell visit entry on a record of the same kind")


if __name__ == "__main__":
    main()

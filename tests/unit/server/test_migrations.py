"""Upgrading a database made before a migration keeps what is in it working: idempotency keys
stored the old way (on the report, the custody record, the entry) move to the per-user table
(migrations 0002, incidents_0002, custody_0003; issue 12 #9). On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import Engine, MetaData, insert, text

from station_app.domain.roles import Role
from station_app.server.core.db import make_engine, migrate_engine
from station_app.server.core.db import make_session_factory as sessions
from station_app.server.seed import seed_demo
from tests.fixtures.custody import Client, iso
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import (
    LiveServer,
    make_test_settings,
)
from tests.fixtures.migrations import database, upgrade_to

# The heads before per-user idempotency keys.
BEFORE_KEYS = ("0001", "incidents_0001", "custody_0002", "casefiles_0001")
H = timedelta(hours=1)


def legacy_rows(engine: Engine, now: datetime) -> dict[str, Any]:
    """A report, a custody record and two entries as the old code wrote them, keys and all."""
    tables = MetaData()
    tables.reflect(engine)
    arrived = now - 3 * H
    booked_in = {
        "custody_number": "SW-2026-00901",
        "station_code": "SW",
        "person": {"surname": "Oldrow", "forenames": "Pat", "date_of_birth": "1980-05-06"},
        "offences": [
            {
                "code": "DMTH005",
                "label": "Robbery",
                "wording": "Robbery",
                "mode_of_trial": "indictable",
            }
        ],
        "arrested_at": iso(arrived - H),
        "arrived_at": iso(arrived),
        "voluntary_attender": False,
        "relevant_time": iso(arrived),
        "relevant_time_computed": iso(arrived),
        "override_reason": "",
        "circumstances": "",
        "arresting_officer": "",
        "cell": "SW-C03",
        "terrorism": False,
    }
    officer = {
        "officer_username": "custody",
        "officer_name": "Tom Brennan",
        "officer_staff_number": "210044",
        "officer_rank": "PS",
    }
    with engine.begin() as db:
        db.execute(
            insert(tables.tables["incident"]).values(
                reference="SW-2026-0000901",
                idempotency_key="legacy-report",
                version=1,
                station_code="SW",
                status="reported",
                offence_code="DMTH003",
                offence_label="Theft of a pedal cycle",
                reported_at=now - 2 * H,
                location_address="Thimble Court",
                location_description="",
                account="Old report.",
                cctv="",
                people=[{"role": "reporter", "name": "Wilhelmina Ashgrove"}],
                property=[],
                victim_name="Wilhelmina Ashgrove",
                victim_name_key="wilhelmina ashgrove",
                repeat_victim=False,
                vulnerable=False,
                child_involved=False,
                domestic_abuse=False,
                hate_crime=False,
                injury=False,
                search_text="sw-2026-0000901 old report",
                created_by="frontdesk",
                officer_name="Priya Natarajan",
                officer_number="S300112",
                created_at=now - 2 * H,
                updated_at=now - 2 * H,
            )
        )
        record_id = db.execute(
            insert(tables.tables["custody_record"])
            .values(
                custody_number="SW-2026-00901",
                station_code="SW",
                status="in_custody",
                surname="Oldrow",
                forenames="Pat",
                cell="SW-C03",
                observation_level=1,
                version=1,
                event_count=3,
                last_event_id=0,
                summary={},
                opened_at=arrived,
                created_by="custody",
                idempotency_key="legacy-booking",
            )
            .returning(tables.tables["custody_record"].c.id)
        ).scalar_one()
        entries = [
            (1, "booked_in", arrived, booked_in, None),
            (2, "detention_authorised", arrived + 0.1 * H, {"grounds": "Evidence"}, None),
            (3, "meal", now - H, {"meal": "light"}, "legacy-meal"),
        ]
        ids = []
        for sequence, kind, at, data, key in entries:
            ids.append(
                db.execute(
                    insert(tables.tables["custody_event"])
                    .values(
                        record_id=record_id,
                        sequence=sequence,
                        kind=kind,
                        occurred_at=at,
                        entered_at=at,
                        data=data,
                        idempotency_key=key,
                        **officer,
                    )
                    .returning(tables.tables["custody_event"].c.id)
                ).scalar_one()
            )
    return {"record_id": record_id, "meal_id": ids[-1]}


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_keys_stored_the_old_way_still_answer_for_their_own_user_only(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    with database(kind, request, tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade_to(engine, *BEFORE_KEYS)
            legacy = legacy_rows(engine, now)
            migrate_engine(engine)  # the upgrade under test
            with sessions(engine)() as session:
                seed_demo(session)
        finally:
            engine.dispose()
        server = LiveServer(make_test_settings(url))
        server.start()
        try:
            server.create_user("desk-second", [Role.FRONT_DESK])
            desk = server.token_for("frontdesk")
            report_again = post(server, desk, walk_in(), "legacy-report")
            someone_else = post(server, server.token_for("desk-second"), walk_in(), "legacy-report")
            officer, inspector = Client(server, "custody"), Client(server, "inspector")
            officer.headers["Idempotency-Key"] = "legacy-meal"
            inspector.headers["Idempotency-Key"] = "legacy-meal"
            meal_again = officer.add(legacy["record_id"], "meal", now - H, meal="light")
            review = inspector.add(
                legacy["record_id"],
                "review",
                now - 0.5 * H,
                outcome="continue",
                grounds="Interview to follow",
                means="in_person",
            )
            officer.headers["Idempotency-Key"] = "legacy-booking"
            booking_again = officer.book(H)
            record = requests.get(
                officer.url(f"/records/{legacy['record_id']}"), headers=officer.headers, timeout=10
            ).json()
        finally:
            server.close()

    assert (report_again.status_code, report_again.json()["reference"]) == (200, "SW-2026-0000901")
    assert someone_else.status_code == 201, someone_else.text
    assert someone_else.json()["reference"] != "SW-2026-0000901"
    assert (meal_again.status_code, meal_again.json()["id"]) == (200, legacy["meal_id"])
    assert review.status_code == 201, review.text
    assert (booking_again.status_code, booking_again.json()["id"]) == (200, legacy["record_id"])
    assert [entry["kind"] for entry in record["events"]][-1] == "review"


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_case_files_already_open_take_their_officers_station(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """casefiles_0002 (issue 12 #11): a case belongs to its officer's station; a case whose
    officer is no longer a user belongs to none (only force-wide roles see it)."""
    now = datetime.now(UTC)
    with database(kind, request, tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade_to(engine, *BEFORE_KEYS)
            tables = MetaData()
            tables.reflect(engine)
            case = {
                "file_type": "anticipated_guilty_plea",
                "status": "draft",
                "conditions": [],
                "incident_refs": [],
                "custody_refs": [],
                "suspects": [],
                "officer_name": "DC Old",
                "court_code": "",
                "override_reason": "",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            with engine.begin() as db:
                db.execute(
                    insert(tables.tables["station_user"]).values(
                        username="dc-hoxton",
                        password_hash="x",
                        display_name="DC Old",
                        staff_number="1",
                        rank="DC",
                        station_code="HX",
                        active=True,
                        created_at=now,
                    )
                )
                db.execute(
                    insert(tables.tables["case_file"]),
                    [
                        {**case, "reference": "HX-26-0001", "officer_username": "dc-hoxton"},
                        {**case, "reference": "XX-26-0001", "officer_username": "gone"},
                    ],
                )
            migrate_engine(engine)
            with engine.connect() as db:
                stations = dict(
                    db.execute(text("SELECT reference, station_code FROM case_file")).all()
                )
        finally:
            engine.dispose()

    assert stations == {"HX-26-0001": "HX", "XX-26-0001": ""}


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_the_custody_suites_own_people_index_is_retired_and_comes_back_on_downgrade(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """custody_0004 (issue 10, one person search): the index behind GET /custody/people goes;
    the bookings it was built from stay, and a downgrade builds it from them again."""
    from alembic import command

    from station_app.server.core.db import alembic_config

    now = datetime.now(UTC)
    with database(kind, request, tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade_to(engine, *BEFORE_KEYS)
            legacy_rows(engine, now)
            migrate_engine(engine)  # the upgrade under test
            tables = MetaData()
            tables.reflect(engine)
            after_upgrade = set(tables.tables)
            with engine.connect() as connection:
                booked = connection.execute(text("SELECT count(*) FROM custody_record")).scalar()
            config = alembic_config()
            with engine.begin() as connection:
                config.attributes["connection"] = connection
                command.downgrade(config, "custody_0003")
            with engine.connect() as connection:
                indexed = connection.execute(
                    text("SELECT surname, forenames, last_custody_number FROM custody_person")
                ).all()
        finally:
            engine.dispose()
        again = make_engine(url)
        migrate_engine(again)  # and up again
        again.dispose()
        server = LiveServer(make_test_settings(url))
        server.start()
        try:
            server.create_user("custody-after", [Role.CUSTODY_OFFICER])
            old_route = requests.get(
                f"{server.api_url}/custody/people",
                params={"q": "oldrow"},
                headers={"Authorization": f"Bearer {server.token_for('custody-after')}"},
                timeout=10,
            )
        finally:
            server.close()

    assert {"custody_person", "custody_person_name"}.isdisjoint(after_upgrade)
    assert booked == 1
    assert [tuple(row) for row in indexed] == [("Oldrow", "Pat", "SW-2026-00901")]
    assert old_route.status_code == 404

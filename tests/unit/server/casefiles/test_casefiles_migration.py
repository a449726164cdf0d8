"""casefiles_0003 on SQLite and PostgreSQL: schedules numbered the old way (one running
number across the MG6C and the MG6D) are renumbered so each kind runs from 1, the MG6E's
numbers are rewritten as schedule and number, the numbers given are remembered, and the
case's history says which numbers changed (CPS Disclosure Manual ch.7-8, ch.10)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import MetaData, insert, select

from station_app.domain.roles import Role
from station_app.server.core.db import make_engine, migrate_engine
from station_app.services.api import ApiSession
from station_app.services.casefiles import CasefilesClient
from tests.fixtures.live_server import LiveServer, make_test_settings
from tests.fixtures.migrations import database, upgrade_to

BEFORE = ("0001", "incidents_0001", "custody_0002", "casefiles_0002")


def old_case(tables: MetaData, db: Any, reference: str, now: datetime) -> int:
    case_id: int = db.execute(
        insert(tables.tables["case_file"])
        .values(
            reference=reference,
            file_type="anticipated_not_guilty_plea",
            status="rejected",
            conditions=[],
            incident_refs=[],
            custody_refs=[],
            suspects=[],
            officer_username="dc-old",
            officer_name="DC Old",
            station_code="SW",
            court_code="",
            override_reason="",
            version=7,
            created_at=now,
            updated_at=now,
        )
        .returning(tables.tables["case_file"].c.id)
    ).scalar_one()
    return case_id


def item(number: int, description: str) -> dict[str, Any]:
    return {"number": number, "description": description, "location": "", "remarks": ""}


@pytest.mark.parametrize("kind", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_old_running_numbers_become_each_schedules_own(
    kind: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    with database(kind, request, tmp_path) as url:
        engine = make_engine(url)
        try:
            upgrade_to(engine, *BEFORE)
            tables = MetaData()
            tables.reflect(engine)
            documents = tables.tables["case_document"]
            with engine.begin() as db:
                case_id = old_case(tables, db, "SW-26-0900", now)
                plain_id = old_case(tables, db, "SW-26-0901", now)
                mixed_id = old_case(tables, db, "SW-26-0902", now)
                common = {"title": "", "key": False, "sha256": "", "version": 2}
                common.update(created_by="dc-old", created_at=now, updated_at=now)
                schedule = lambda *items: {**common, "data": {"items": list(items)}}  # noqa: E731
                mg6e = {**common, "data": {"report": "r", "undermining_items": "4, 3"}}
                rows = [
                    (case_id, 1, "MG6C", schedule(item(1, "Crime report"), item(2, "999 call"))),
                    (case_id, 2, "MG6D", schedule(item(3, "Informant log"))),
                    (case_id, 3, "MG6C", schedule(item(4, "CCTV log"), item(5, "Notebook"))),
                    (case_id, 4, "MG6E", mg6e),
                    (plain_id, 1, "MG6C", schedule(item(1, "Crime report"))),
                    (mixed_id, 1, "MG6D", schedule(item(1, "OP log"))),
                    (mixed_id, 2, "MG6D", {**common, "data": {"nil": True, "signed_by": "DC"}}),
                ]
                for owner, sequence, form, values in rows:
                    db.execute(
                        insert(documents).values(
                            case_id=owner, sequence=sequence, form=form, **values
                        )
                    )
                db.execute(
                    insert(tables.tables["cps_submission"]).values(
                        case_id=case_id,
                        submission_id="SW-26-0900-S1",
                        sent_at=now,
                        sent_by="ds-old",
                        bundle_sha256="0" * 64,
                        outcome="rejected",
                        reasons=["Fix it."],
                    )
                )
            migrate_engine(engine)  # the upgrade under test
            with engine.connect() as db:
                docs = {
                    (row.case_id, row.sequence): row
                    for row in db.execute(select(documents).order_by(documents.c.id))
                }
        finally:
            engine.dispose()
        server = LiveServer(make_test_settings(url))
        server.start()
        try:
            server.create_user("dc-old", [Role.DETECTIVE], display_name="DC Old")
            with ApiSession(server.url, workstation="test") as session:
                session.token = server.token_for("dc-old")
                client = CasefilesClient(session)
                case = client.case("SW-26-0900")
                plain = client.case("SW-26-0901")
                mixed = client.case("SW-26-0902")
                # New items carry on from the renumbered ones, each kind on its own.
                continued = client.update_form(
                    "SW-26-0900",
                    case["documents"][2]["id"],
                    case["documents"][2]["version"],
                    "MG6C",
                    {"disclosure_officer": "DC Old"},
                    items=[*case["documents"][2]["data"]["items"], {"description": "New"}],
                )
        finally:
            server.close()

    def numbers(key: tuple[int, int]) -> list[int]:
        return [i["number"] for i in docs[key].data["items"]]

    assert numbers((case_id, 1)) == [1, 2]
    assert numbers((case_id, 2)) == [1]  # the MG6D's own first item
    assert numbers((case_id, 3)) == [3, 4]  # the continuation MG6C carries on
    assert docs[(case_id, 4)].data["undermining_items"] == "MG6C 3, MG6D 1"
    assert docs[(case_id, 2)].version == 3 and docs[(plain_id, 1)].version == 2  # unchanged
    assert len(docs[(case_id, 2)].sha256) == 64
    assert [i["number"] for i in continued["data"]["items"]] == [3, 4, 5]
    assert case["schedule_numbers"] == {"MG6C": 4, "MG6D": 1}
    assert case["version"] == 8 and plain["version"] == 7
    note = case["events"][-1]
    assert (note["username"], note["action"]) == ("Station", "renumbered")
    assert "MG6D 3 is now MG6D 1" in note["comment"]
    assert "MG6C 5 is now MG6C 4" in note["comment"]
    assert "SW-26-0900-S1" in note["comment"]  # the CPS holds the old numbers
    assert plain["events"] == [] and plain["schedule_numbers"] == {"MG6C": 1}
    # Nothing renumbered, but a nil and a listed MG6D on one case (ch.8) is pointed out.
    (told,) = [e["comment"] for e in mixed["events"]]
    assert told.startswith("This case has a nil MG6D and one listing sensitive material")

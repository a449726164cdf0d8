"""Station scoping (issue 12 #11, core/stations.py): staff act on their own station's records
and those of the stations they cover; the administrator is force-wide; a force may allow
cross-station work by a server setting; every crossing is audited, every refusal says why."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import requests
from sqlalchemy import select

from station_app.domain.roles import Role
from station_app.server.auth.seed import seed_demo_users
from station_app.server.auth.store import set_covers
from station_app.server.core.audit import AuditEvent
from station_app.server.custody.models import CustodyRecord
from tests.fixtures.custody import Client, H, M
from tests.fixtures.incidents import post, walk_in
from tests.fixtures.live_server import LiveServer, assert_problem, bearer


def southwark_detainee(server: LiveServer) -> tuple[int, str, int]:
    """(id, custody number, version) of a demo detainee in custody at Southwark."""
    with server.db_session() as session:
        record = session.scalars(
            select(CustodyRecord)
            .where(CustodyRecord.station_code == "SW", CustodyRecord.status == "in_custody")
            .limit(1)
        ).one()
        return record.id, record.custody_number, record.version


def audit_rows(server: LiveServer, username: str) -> list[AuditEvent]:
    with server.db_session() as session:
        query = select(AuditEvent).where(AuditEvent.username == username)
        return list(session.scalars(query.order_by(AuditEvent.id)))


def test_a_custody_officer_at_kennington_cannot_touch_a_southwark_detainee(
    any_db_live_server: LiveServer,
) -> None:
    """The issue's repro: read, append to, move, and book in at another station."""
    server = any_db_live_server
    server.create_user("ps-kn", [Role.CUSTODY_OFFICER], station_code="KN", rank="PS")
    kn = Client(server, "ps-kn")
    record_id, number, version = southwark_detainee(server)
    placement = {**kn.headers, "If-Match": f'"{version}"'}

    answers = [
        requests.get(kn.url(f"/records/{record_id}"), headers=kn.headers, timeout=10),
        kn.add(record_id, "meal", datetime.now(UTC) - M, meal="light"),
        requests.put(
            kn.url(f"/records/{record_id}/placement"),
            json={"cell": "SW-C06"},
            headers=placement,
            timeout=10,
        ),
        kn.book(H, station_code="SW"),
        kn.board(station="SW"),
    ]

    details = [assert_problem(answer, 403)["detail"] for answer in answers]
    assert details[0] == (
        "This detainee is in custody at Southwark Wharf (SW) and you work at Kennington Green "
        "(KN), so you cannot read their record unless an administrator adds Southwark Wharf "
        "to the stations you cover."
    )
    assert "cannot add to their record" in details[1] and "cannot move them" in details[2]
    assert "book detainees in there" in details[3]
    assert "see who is in custody there" in details[4]
    sergeant = Client(server, "custody")
    events = sergeant.record(record_id)["events"]
    assert [e for e in events if e["officer_username"] == "ps-kn"] == []
    refused = [r for r in audit_rows(server, "ps-kn") if r.action == "cross_station_refused"]
    assert len(refused) == 5 and refused[0].record_id == number
    assert kn.board(station="KN").json()["station_code"] == "KN"  # their own suite, as ever


def test_a_kennington_front_desk_cannot_correct_a_southwark_report(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    server.create_user("desk-kn", [Role.FRONT_DESK], station_code="KN")
    report = post(server, server.token_for("frontdesk"), walk_in()).json()
    url = f"{server.api_url}/incidents/{report['reference']}"
    kn = bearer(server.token_for("desk-kn"))

    correction = requests.put(
        url, json=walk_in(account="Changed."), headers={**kn, "If-Match": '"1"'}, timeout=10
    )
    status = requests.post(
        f"{url}/status", json={"status": "recorded"}, headers={**kn, "If-Match": '"1"'}, timeout=10
    )
    listed = requests.get(f"{server.api_url}/incidents", headers=kn, timeout=10).json()["items"]
    taken_for_sw = post(server, server.token_for("desk-kn"), walk_in(station_code="SW"))

    body = assert_problem(correction, 403)
    assert body["detail"].startswith(
        "This report belongs to Southwark Wharf (SW) and you work at Kennington Green (KN)"
    )
    assert_problem(status, 403)
    assert_problem(taken_for_sw, 403)
    assert all(item["station_code"] == "KN" for item in listed)
    fresh = requests.get(url, headers=bearer(server.token_for("frontdesk")), timeout=10).json()
    assert (fresh["version"], fresh["account"]) == (1, report["account"])


def test_a_superintendent_covering_southwark_acts_there_audited_as_cross_station(
    live_server: LiveServer,
) -> None:
    """PACE s.42(1): the superintendent responsible for the station; the demo one works at
    Kennington and covers Southwark and Hoxton."""
    server = live_server
    record_id, number, _version = southwark_detainee(server)
    supt = Client(server, "superintendent")

    record = supt.record(record_id)
    board = supt.board(station="SW")
    me = requests.get(f"{server.api_url}/auth/me", headers=supt.headers, timeout=10).json()

    assert record["custody_number"] == number and board.status_code == 200
    assert (me["station_code"], me["covers"], me["all_stations"]) == ("KN", ["HX", "SW"], False)
    crossings = [r for r in audit_rows(server, "superintendent") if r.action == "cross_station"]
    assert [(r.record_type, r.record_id) for r in crossings] == [
        ("custody_record", number),
        ("custody_board", "SW"),
    ]
    assert crossings[0].detail == "read their record at SW; works at KN; allowed: covers SW"
    assert crossings[0].workstation == "ws-superintendent"


@pytest.mark.server_settings(cross_station_work=True)
def test_a_force_allowing_cross_station_work_lets_staff_act_anywhere_audited(
    live_server: LiveServer,
) -> None:
    server = live_server
    server.create_user("ps-hx", [Role.CUSTODY_OFFICER], station_code="HX", rank="PS")
    hx = Client(server, "ps-hx")
    record_id, number, _version = southwark_detainee(server)

    visit = hx.add(record_id, "visit", datetime.now(UTC) - M, response="comprehensive")
    me = requests.get(f"{server.api_url}/auth/me", headers=hx.headers, timeout=10).json()
    own_board = hx.board(station="HX")

    assert visit.status_code == 201, visit.text
    assert me["all_stations"] is True
    assert own_board.status_code == 200
    (crossing,) = [r for r in audit_rows(server, "ps-hx") if r.action == "cross_station"]
    assert (crossing.record_id, crossing.detail) == (
        number,
        "add to their record at SW; works at HX; allowed: cross-station work is allowed on "
        "this server",
    )


def test_lists_show_the_users_own_stations_and_the_administrators_every_station(
    live_server: LiveServer,
) -> None:
    server = live_server
    server.create_user("dc-hx", [Role.DETECTIVE], station_code="HX")

    def stations(username: str, path: str, key: str) -> set[str]:
        token = server.token_for(username)
        body: dict[str, Any] = requests.get(
            f"{server.api_url}{path}", headers=bearer(token), timeout=10
        ).json()
        return {row["station_code"] for row in body[key]}

    # The demo seed has reports at SW, KN and HX, and case files at SW.
    assert stations("frontdesk", "/incidents", "items") == {"SW"}
    assert stations("supervisor", "/incidents", "items") == {"KN", "SW"}  # covers SW
    assert stations("admin", "/incidents", "items") == {"SW", "KN", "HX"}
    assert stations("dc-hx", "/casefiles", "cases") == set()
    assert stations("detective", "/casefiles", "cases") == {"SW"}
    admin_crossings = [r for r in audit_rows(server, "admin") if r.action == "cross_station"]
    assert (
        len(admin_crossings) == 1 and "force-wide role (Administrator)" in admin_crossings[0].detail
    )


def test_a_case_file_is_its_stations_but_may_link_records_of_any_station(
    live_server: LiveServer,
) -> None:
    server = live_server
    server.create_user("dc-hx", [Role.DETECTIVE], station_code="HX")
    token = bearer(server.token_for("dc-hx"))
    sw_report = post(server, server.token_for("frontdesk"), walk_in()).json()["reference"]
    case = {
        "reference": "HX-26-0001",
        "file_type": "anticipated_guilty_plea",
        "incident_refs": [sw_report],
    }

    made = requests.post(f"{server.api_url}/casefiles", json=case, headers=token, timeout=10)
    southwark_case = requests.get(
        f"{server.api_url}/casefiles/SW-26-0142", headers=token, timeout=10
    )
    report = requests.get(f"{server.api_url}/incidents/{sw_report}", headers=token, timeout=10)

    assert made.status_code == 201, made.text
    assert made.json()["station_code"] == "HX"
    assert made.json()["incidents"] == [{"reference": sw_report, "found": True}]
    assert assert_problem(southwark_case, 403)["detail"].startswith(
        "This case file belongs to Southwark Wharf (SW) and you work at Hoxton Fields (HX)"
    )
    assert_problem(report, 403)  # the link is a reference; the report stays Southwark's


def test_a_demo_database_from_before_station_scoping_gets_its_demo_users_stations(
    live_server: LiveServer,
) -> None:
    """The embedded demo server (serve --demo --seed-demo-if-empty) runs the accounts' seed
    on a database that has users, so an older demo keeps its journeys working."""
    with live_server.db_session() as session:
        for name in ("superintendent", "inspector", "supervisor"):
            set_covers(session, name, [])
        session.commit()
        lines = seed_demo_users(session)
        again = seed_demo_users(session)
    me = requests.get(
        f"{live_server.api_url}/auth/me",
        headers=bearer(live_server.token_for("superintendent")),
        timeout=10,
    ).json()

    assert lines == ["demo users' stations set: inspector, superintendent, supervisor"]
    assert again == []
    assert me["covers"] == ["HX", "SW"]

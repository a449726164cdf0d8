"""Every route is either public or guarded by roles, and the guards hold over HTTP: route ×
role, then route × role × station (core/stations.py)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from fastapi.routing import APIRoute
from sqlalchemy import select

from station_app.domain.roles import ROLE_TITLES, Role
from station_app.server.casefiles.models import CaseDocument, CaseFile
from station_app.server.core.audit import AuditEvent
from station_app.server.core.deps import is_public, route_guard, walk_api_routes
from station_app.server.core.stations import FORCE_WIDE_ROLES
from station_app.server.custody.models import CustodyRecord
from station_app.server.incidents.models import Incident
from tests.fixtures.incidents import walk_in
from tests.fixtures.live_server import LiveServer, assert_problem, bearer


class PathSamples(dict[str, str]):
    """A value for each path parameter: a real dataset name, else a made-up identifier
    (the guard answers before the route looks the record up)."""

    def __missing__(self, key: str) -> str:
        return "1"


PATH_SAMPLES = PathSamples(name="stations", person_id="P-000001")

PUBLIC_PATHS = {"/api/v1/health", "/api/v1/ready", "/api/v1/auth/login"}


def api_routes(server: LiveServer) -> list[tuple[str, APIRoute]]:
    return list(walk_api_routes(server.app))


def test_every_route_is_guarded_or_marked_public(live_server: LiveServer) -> None:
    routes = api_routes(live_server)

    unguarded = [path for path, r in routes if route_guard(r) is None and not is_public(r)]
    public = {path for path, r in routes if is_public(r)}

    assert routes
    assert unguarded == []
    assert public == PUBLIC_PATHS


def test_each_role_gets_403_exactly_where_it_is_not_allowed(
    any_db_live_server: LiveServer,
) -> None:
    server = any_db_live_server
    for role in Role:
        server.create_user(f"only-{role.value}", [role])
    checked = 0
    for template, route in api_routes(server):
        guard = route_guard(route)
        if guard is None:
            continue
        path = template.format_map(PATH_SAMPLES)
        for method in sorted(route.methods):
            url = server.url + path
            assert_problem(requests.request(method, url, timeout=10), 401)
            for role in Role:
                # A fresh token each time: a sign-out route revokes the one it is given.
                token = server.token_for(f"only-{role.value}")
                response = requests.request(method, url, headers=bearer(token), timeout=10)
                if role in guard.roles:
                    # Let through: whatever the route then says (404 for the made-up
                    # record, 422 for an empty body), it is not a refusal or a crash.
                    assert response.status_code not in (401, 403), (method, path, role)
                    assert response.status_code < 500, (method, path, role, response.text)
                else:
                    body = assert_problem(response, 403)
                    assert ROLE_TITLES[role] in body["detail"], body["detail"]
                checked += 1
    guarded = [
        (route, method)
        for _path, route in api_routes(server)
        if route_guard(route) is not None
        for method in route.methods
    ]
    assert checked == len(guarded) * len(Role) > 0


def test_the_audit_trail_is_for_admins_and_supervisors_only(live_server: LiveServer) -> None:
    guards = {path: route_guard(route) for path, route in api_routes(live_server)}

    audit_guard = guards["/api/v1/audit"]

    assert audit_guard is not None
    assert audit_guard.roles == {Role.ADMIN, Role.SUPERVISOR}
    for path in ("/api/v1/reference", "/api/v1/reference/{name}", "/api/v1/auth/me"):
        guard = guards[path]
        assert guard is not None and guard.roles == set(Role)


def test_a_user_with_no_role_is_refused(live_server: LiveServer) -> None:
    live_server.create_user("no-role", [])
    token = live_server.token_for("no-role")

    response = requests.get(f"{live_server.api_url}/reference", headers=bearer(token), timeout=10)

    body = assert_problem(response, 403)
    assert body["detail"].startswith("An account with no role cannot read reference data.")


# --- route × role × station -----------------------------------------------------------------
# Where each guarded route's station comes from (core/stations.py, docs/api.md "Stations"):
# "record": the record in the path; "list": a list or board, the user's own stations unless
# one is asked for; "create": a new record for the station named in the body; "none": no
# station's records (the user's own account, reference data, the audit trail, the force-wide
# "booked in before?" search, the CPS's answers, and a new case file, which is always the
# officer's own station's).
STATION_OF_ROUTE = {
    ("POST", "/api/v1/auth/logout"): "none",
    ("GET", "/api/v1/auth/me"): "none",
    ("GET", "/api/v1/reference"): "none",
    ("GET", "/api/v1/reference/{name}"): "none",
    ("GET", "/api/v1/audit"): "none",
    ("POST", "/api/v1/incidents"): "create",
    ("GET", "/api/v1/incidents"): "list",
    ("GET", "/api/v1/incidents/{reference}"): "record",
    ("PUT", "/api/v1/incidents/{reference}"): "record",
    ("POST", "/api/v1/incidents/{reference}/notes"): "record",
    ("POST", "/api/v1/incidents/{reference}/status"): "record",
    ("POST", "/api/v1/custody/records"): "create",
    ("GET", "/api/v1/custody/board"): "list",
    # Bail to answer is force-wide, like the person search (PACE s.47(6)).
    ("GET", "/api/v1/custody/bail-to-answer"): "none",
    ("GET", "/api/v1/custody/compliance"): "list",
    ("GET", "/api/v1/custody/records/{record_id}"): "record",
    ("POST", "/api/v1/custody/records/{record_id}/events"): "record",
    ("PUT", "/api/v1/custody/records/{record_id}/placement"): "record",
    ("POST", "/api/v1/casefiles/{reference}/submit"): "record",
    ("POST", "/api/v1/casefiles/{reference}/return"): "record",
    ("POST", "/api/v1/casefiles/{reference}/approve"): "record",
    ("POST", "/api/v1/casefiles/{reference}/send"): "record",
    ("POST", "/api/v1/casefiles/cps/acknowledgements"): "none",
    ("GET", "/api/v1/casefiles"): "list",
    ("POST", "/api/v1/casefiles"): "none",
    ("GET", "/api/v1/casefiles/{reference}"): "record",
    ("PUT", "/api/v1/casefiles/{reference}"): "record",
    ("GET", "/api/v1/casefiles/{reference}/completeness"): "record",
    ("POST", "/api/v1/casefiles/{reference}/documents"): "record",
    ("PUT", "/api/v1/casefiles/{reference}/documents/{document_id}"): "record",
    ("POST", "/api/v1/casefiles/{reference}/attachments"): "record",
    ("GET", "/api/v1/casefiles/{reference}/documents/{document_id}/content"): "record",
    ("POST", "/api/v1/casefiles/{reference}/hearings"): "record",
    ("PUT", "/api/v1/casefiles/{reference}/hearings/{hearing_id}/results"): "record",
    # The crime view starts from a record of the path: its station, as reading it.
    ("GET", "/api/v1/links/{record_type}/{reference}/chain"): "record",
    # People are the force's: one person across every station's records (people.md).
    ("POST", "/api/v1/people/search"): "none",
    ("GET", "/api/v1/people/duplicates"): "none",
    ("GET", "/api/v1/people/{person_id}"): "none",
    ("POST", "/api/v1/people/{person_id}/merge"): "none",
    ("POST", "/api/v1/people/{person_id}/unmerge"): "none",
}
HOME, AWAY = "SW", "HX"


def southwark_records(server: LiveServer) -> PathSamples:
    """Real records of Southwark (the demo seed's) for every path parameter."""
    with server.db_session() as session:
        incident = session.scalars(
            select(Incident.reference).where(Incident.station_code == HOME).limit(1)
        ).one()
        record = session.scalars(
            select(CustodyRecord.id).where(CustodyRecord.station_code == HOME).limit(1)
        ).one()
        case = session.scalars(select(CaseFile).where(CaseFile.station_code == HOME).limit(1)).one()
        document = session.scalars(
            select(CaseDocument.id).where(CaseDocument.case_id == case.id).limit(1)
        ).one()
    return PathSamples(
        name="stations",
        reference=incident,
        record_id=str(record),
        document_id=str(document),
        case_reference=case.reference,
        record_type="incident",  # the crime view from a Southwark report
    )


def creating_body(path: str) -> dict[str, Any]:
    """A valid new record for Southwark: the station is checked once the body is read."""
    now = datetime.now(UTC)
    if path.endswith("/incidents"):
        return walk_in(station_code=HOME)
    return {
        "station_code": HOME,
        "person": {"surname": "Sweepfield", "forenames": "Ari", "date_of_birth": "1990-01-02"},
        "offences": ["DMTH005"],
        "arrested_at": (now - timedelta(hours=2)).isoformat(),
        "arrived_at": (now - timedelta(hours=1)).isoformat(),
    }


def station_request(
    server: LiveServer, method: str, template: str, samples: PathSamples, token: str
) -> requests.Response:
    kind = STATION_OF_ROUTE[(method, template)]
    if template.startswith("/api/v1/casefiles/{reference}"):
        template = template.replace("{reference}", "{case_reference}")
    url = server.url + template.format_map(samples)
    body = creating_body(template) if kind == "create" else {}
    params = {"station": HOME} if kind == "list" else {}
    return requests.request(
        method, url, params=params, json=body, headers=bearer(token), timeout=10
    )


def test_each_role_at_another_station_is_refused_there_with_the_reason(
    any_db_live_server: LiveServer,
) -> None:
    """Route × role × station: a user of each role at Hoxton asks for Southwark's records
    (and a user at Southwark the same, for contrast). Only the force-wide administrator
    gets through there, audited as cross-station; everyone else gets a 403 that names both
    stations, audited as refused; lists without a station show only their own."""
    server = any_db_live_server
    samples = southwark_records(server)
    routes = api_routes(server)
    guarded = {(m, path) for path, r in routes if route_guard(r) for m in r.methods}
    assert guarded == set(STATION_OF_ROUTE), "classify every new route in STATION_OF_ROUTE"
    for role in Role:
        server.create_user(f"home-{role.value}", [role], station_code=HOME)
        server.create_user(f"away-{role.value}", [role], station_code=AWAY)
    tokens = {f"{where}-{r.value}": "" for where in ("home", "away") for r in Role}
    refused = 0
    for template, route in routes:
        guard = route_guard(route)
        if guard is None:
            continue
        for method in sorted(route.methods):
            kind = STATION_OF_ROUTE[(method, template)]
            for role in sorted(guard.roles):
                for where in ("home", "away"):
                    user = f"{where}-{role.value}"
                    if not tokens[user]:
                        tokens[user] = server.token_for(user)
                    response = station_request(server, method, template, samples, tokens[user])
                    if template.endswith("/logout"):
                        tokens[user] = ""  # signed out: the next request signs in again
                    case = (method, template, user, response.status_code, response.text[:300])
                    assert response.status_code < 500, case
                    crossing = where == "away" and kind != "none" and role not in FORCE_WIDE_ROLES
                    if crossing:
                        body = assert_problem(response, 403)
                        assert body["title"] == "Another station", case
                        assert "you work at Hoxton Fields (HX)" in body["detail"], case
                        assert "Southwark Wharf (SW)" in body["detail"], case
                        refused += 1
                    else:
                        is_station_refusal = (
                            response.status_code == 403
                            and response.json().get("title") == "Another station"
                        )
                        assert not is_station_refusal, case
                if kind == "list":  # without a station: only the user's own
                    token = server.token_for(f"away-{role.value}")
                    shown = requests.get(server.url + template, headers=bearer(token), timeout=10)
                    assert shown.status_code == 200, (template, role, shown.text)
                    stations = listed_stations(shown.json())
                    if role in FORCE_WIDE_ROLES:
                        assert HOME in stations or template.endswith("/board"), (template, role)
                    else:
                        assert stations <= {AWAY}, (template, role, stations)
    with server.db_session() as session:
        audited = session.scalars(
            select(AuditEvent).where(AuditEvent.username.like("away-%"))
        ).all()
    assert sum(row.action == "cross_station_refused" for row in audited) == refused > 0
    admin_crossings = [r for r in audited if r.username == "away-admin"]
    assert any(r.action == "cross_station" and "force-wide" in r.detail for r in admin_crossings)


def listed_stations(body: dict[str, Any]) -> set[str]:
    if "items" in body:
        return {item["station_code"] for item in body["items"]}
    if "cases" in body:
        return {case["station_code"] for case in body["cases"]}
    if "records" in body:  # the compliance of one custody suite
        return {body["station_code"]}
    return {body["station_code"]} | {row["station_code"] for row in body["rows"]}


def test_people_are_searched_and_read_by_every_role_and_merged_by_supervisors_only(
    live_server: LiveServer,
) -> None:
    guards = {
        (path, method): route_guard(route)
        for path, route in api_routes(live_server)
        for method in route.methods
    }
    everyone = set(Role)
    mergers = {Role.SUPERVISOR, Role.ADMIN}

    expected = {
        ("/api/v1/people/search", "POST"): everyone,  # shared/docs/people.md
        ("/api/v1/people/{person_id}", "GET"): everyone,
        ("/api/v1/people/duplicates", "GET"): mergers,
        ("/api/v1/people/{person_id}/merge", "POST"): mergers,
        ("/api/v1/people/{person_id}/unmerge", "POST"): mergers,
    }
    for key, roles in expected.items():
        guard = guards[key]
        assert guard is not None and guard.roles == roles, key
    assert {key for key in guards if key[0].startswith("/api/v1/people")} == set(expected)

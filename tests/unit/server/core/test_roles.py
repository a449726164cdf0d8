"""Every route is either public or guarded by roles, and the guards hold over HTTP."""

from __future__ import annotations

import requests
from fastapi.routing import APIRoute

from station_app.domain.roles import ROLE_TITLES, Role
from station_app.server.core.deps import is_public, route_guard, walk_api_routes
from tests.fixtures.live_server import LiveServer, assert_problem, bearer


class PathSamples(dict[str, str]):
    """A value for each path parameter: a real dataset name, else a made-up identifier
    (the guard answers before the route looks the record up)."""

    def __missing__(self, key: str) -> str:
        return "1"


PATH_SAMPLES = PathSamples(name="stations")

PUBLIC_PATHS = {"/api/v1/health", "/api/v1/auth/login"}


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

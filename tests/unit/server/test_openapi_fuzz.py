"""Schemathesis over the whole OpenAPI document, signed in as each role in turn: whatever a
client sends, never a 5xx, and every answer is what the document says (its status, its
content type and its body's schema) (issue 12, "Done means").

One user per role, not one user with every role: each operation is fuzzed past its guard
by every role it allows, and each role it refuses checks the 403 once per mode. Bounded in
`make test` (`EXAMPLES` per operation, mode and allowed role, about 25 s per database);
`make fuzz` runs it with many more examples and a fresh seed (STATION_FUZZ_EXAMPLES,
STATION_FUZZ_SEED; README, "Tests").
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from station_app.domain.roles import Role
from station_app.server.core.deps import is_public, route_guard, walk_api_routes
from tests.fixtures.live_server import LiveServer, bearer

# Per operation, mode and role the operation allows; a refusing role gets one example per
# mode (its 403). With about 35 operations and 7 roles this is ~900 requests per database.
EXAMPLES = int(os.environ.get("STATION_FUZZ_EXAMPLES", "3"))
REFUSED_EXAMPLES = 1
SEED = int(os.environ.get("STATION_FUZZ_SEED", "0"))

CHECKS: list[Callable[..., object]] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
ANONYMOUS = "anonymous"


@dataclass
class Tally:
    requests: int = 0
    by_role: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)


def roles_allowed(server: LiveServer) -> dict[tuple[str, str], frozenset[str] | None]:
    """(method, path) -> the roles its guard lets through; None for a public route."""
    allowed: dict[tuple[str, str], frozenset[str] | None] = {}
    for path, route in walk_api_routes(server.app):
        guard = route_guard(route)
        for method in route.methods or ():
            if is_public(route):
                allowed[(method.upper(), path)] = None
            else:
                assert guard is not None, path
                allowed[(method.upper(), path)] = frozenset(r.value for r in guard.roles)
    return allowed


def run_operation(
    server: LiveServer,
    operation: schemathesis.APIOperation,
    who: str,
    examples: int,
    tally: Tally,
) -> None:
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        label = f"{operation.label} as {who} ({mode.value})"

        @given(case=operation.as_strategy(generation_mode=mode))
        @seed(zlib.crc32(f"{SEED} {label}".encode()))
        @settings(
            max_examples=examples,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck),
        )
        def conforms(case: schemathesis.Case) -> None:
            # A fresh token each time: the sign-out operation revokes its own.
            headers = {} if who == ANONYMOUS else bearer(server.token_for(f"fuzz-{who}"))
            response = case.call(base_url=server.url, headers=headers, timeout=30)
            tally.requests += 1
            tally.by_role[who] = tally.by_role.get(who, 0) + 1
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            conforms()
        except Unsatisfiable:
            # An operation with nothing to send (health) has no invalid form.
            assert mode is GenerationMode.NEGATIVE, label
        except (AssertionError, FailureGroup) as failure:  # one or several failed checks
            tally.failures.append(f"{label}: {failure}")


@pytest.mark.timeout(max(400, EXAMPLES * 80))
def test_every_role_gets_no_server_error_and_answers_that_match_the_openapi(
    any_db_live_server: LiveServer, request: pytest.FixtureRequest
) -> None:
    server = any_db_live_server
    for role in Role:
        server.create_user(f"fuzz-{role.value}", [role])
    schema = schemathesis.openapi.from_url(f"{server.api_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    allowed = roles_allowed(server)
    assert len(operations) == len(allowed)
    tally = Tally()

    for operation in operations:
        let_in = allowed[(operation.method.upper(), operation.path)]
        if let_in is None:
            run_operation(server, operation, ANONYMOUS, EXAMPLES, tally)
            continue
        for role in Role:
            examples = EXAMPLES if role.value in let_in else REFUSED_EXAMPLES
            run_operation(server, operation, role.value, examples, tally)

    summary = (
        f"schemathesis: {tally.requests} requests over {len(operations)} operations, "
        f"{EXAMPLES} examples per operation, mode and allowed role (seed {SEED}); "
        + ", ".join(f"{who} {count}" for who, count in sorted(tally.by_role.items()))
    )
    print(summary)
    request.node.user_properties.append(("fuzz", summary))
    assert not tally.failures, "\n\n".join(tally.failures)
    assert set(tally.by_role) == {role.value for role in Role} | {ANONYMOUS}
    assert tally.requests >= len(operations) * 2

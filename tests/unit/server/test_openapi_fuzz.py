"""Schemathesis over the whole OpenAPI document, signed in as each role in turn: whatever a
client sends, never a 5xx, and every answer is what the document says (its status, its
content type and its body's schema), and no invalid request is accepted (issue 12, "Done
means").

One user per role, not one user with every role: each operation is fuzzed past its guard
by every role it allows, and each role it refuses checks its 403 once. Bounded in
`make test` (`EXAMPLES` per operation, mode and allowed role, about 20 s per database).
`make fuzz` runs it with many more examples and a fresh seed, and adds schemathesis's
coverage phase (boundary values, missing headers, methods a path lacks) for every allowed
role (STATION_FUZZ_EXAMPLES, STATION_FUZZ_SEED, STATION_FUZZ_COVERAGE; README, "Fuzzing
the API").
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
from schemathesis.config import SchemathesisConfig
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    missing_required_header,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from station_app.domain.roles import Role
from station_app.server.core.deps import is_public, route_guard, walk_api_routes
from tests.fixtures.live_server import LiveServer, bearer

# Per operation, mode and role the operation allows; a refusing role gets one valid request
# (its 403). With 33 operations and 7 roles this is ~470 requests per database; drawing the
# invalid ones (bodies and parameters mutated against their schemas) is most of the time.
EXAMPLES = int(os.environ.get("STATION_FUZZ_EXAMPLES", "2"))
REFUSED_EXAMPLES = 1
SEED = int(os.environ.get("STATION_FUZZ_SEED", "0"))
COVERAGE = os.environ.get("STATION_FUZZ_COVERAGE") == "1"

CONFIG = SchemathesisConfig.from_dict(
    {
        # The bearer token is the signed-in role's, sent with every request; leaving it out
        # (401) is the route x role sweep's work (core/test_roles.py), not the fuzzer's.
        "generation": {"with-security-parameters": False},
        # RFC 6585: 428 is the answer to a change without its If-Match (docs/api.md).
        "checks": {
            "missing_required_header": {"expected-statuses": [400, 401, 403, 406, 415, 422, 428]}
        },
    }
)

CHECKS: list[Callable[..., object]] = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# The coverage phase's own scenarios: a required header left out, a method the path lacks.
COVERAGE_CHECKS = [*CHECKS, missing_required_header, unsupported_method]
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


def headers_for(server: LiveServer, who: str) -> dict[str, str]:
    # A fresh token each time: the sign-out operation revokes its own.
    return {} if who == ANONYMOUS else bearer(server.token_for(f"fuzz-{who}"))


def count(tally: Tally, who: str) -> None:
    tally.requests += 1
    tally.by_role[who] = tally.by_role.get(who, 0) + 1


MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)


def fuzz_operation(
    server: LiveServer,
    operation: schemathesis.APIOperation,
    who: str,
    allowed: bool,
    tally: Tally,
) -> None:
    examples = EXAMPLES if allowed else REFUSED_EXAMPLES
    modes = MODES if allowed else MODES[:1]  # a refusal is the same for any body: its 403
    for mode in modes:
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
            headers = headers_for(server, who)
            response = case.call(base_url=server.url, headers=headers, timeout=30)
            count(tally, who)
            case.validate_response(response, checks=CHECKS, headers=headers)

        try:
            conforms()
        except Unsatisfiable:
            # An operation with nothing to send (health) has no invalid form.
            assert mode is GenerationMode.NEGATIVE, label
        except (AssertionError, FailureGroup) as failure:  # one or several failed checks
            tally.failures.append(f"{label}: {failure}")


def coverage_cases(
    schema: schemathesis.BaseSchema, operation: schemathesis.APIOperation
) -> list[schemathesis.Case]:
    """Schemathesis's coverage phase for one operation (make fuzz only): boundary values,
    each required header left out, methods the path lacks. Drawn once, sent by each role."""
    generation = schema.config.generation_for(operation=operation)
    cases = schema.iter_coverage_cases(
        operation, generation_modes=list(MODES), generation_config=generation
    )
    return list(cases)


def cover_operation(
    server: LiveServer,
    operation: schemathesis.APIOperation,
    cases: list[schemathesis.Case],
    who: str,
    tally: Tally,
) -> None:
    for case in cases:
        headers = headers_for(server, who)
        response = case.call(base_url=server.url, headers=headers, timeout=30)
        count(tally, who)
        try:
            case.validate_response(response, checks=COVERAGE_CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as failure:
            tally.failures.append(f"{operation.label} as {who} (coverage): {failure}")


@pytest.mark.timeout(max(400, EXAMPLES * 80))
def test_every_role_gets_no_server_error_and_answers_that_match_the_openapi(
    any_db_live_server: LiveServer, request: pytest.FixtureRequest
) -> None:
    server = any_db_live_server
    for role in Role:
        server.create_user(f"fuzz-{role.value}", [role])
    schema = schemathesis.openapi.from_url(f"{server.api_url}/openapi.json", config=CONFIG)
    operations = [result.ok() for result in schema.get_all_operations()]
    allowed = roles_allowed(server)
    assert len(operations) == len(allowed)
    tally = Tally()

    for operation in operations:
        let_in = allowed[(operation.method.upper(), operation.path)]
        cases = coverage_cases(schema, operation) if COVERAGE else []
        if let_in is None:
            fuzz_operation(server, operation, ANONYMOUS, True, tally)
            cover_operation(server, operation, cases, ANONYMOUS, tally)
            continue
        for role in Role:
            allows = role.value in let_in
            fuzz_operation(server, operation, role.value, allows, tally)
            if allows:
                cover_operation(server, operation, cases, role.value, tally)

    summary = (
        f"schemathesis: {tally.requests} requests over {len(operations)} operations, "
        f"{EXAMPLES} examples per operation, mode and allowed role, {REFUSED_EXAMPLES} per "
        f"refusing role (seed {SEED})"
        + (", with the coverage phase" if COVERAGE else "")
        + "; "
        + ", ".join(f"{who} {count}" for who, count in sorted(tally.by_role.items()))
    )
    print(summary)
    request.node.user_properties.append(("fuzz", summary))
    assert not tally.failures, "\n\n".join(tally.failures)
    assert set(tally.by_role) == {role.value for role in Role} | {ANONYMOUS}
    assert tally.requests >= len(operations) * 2

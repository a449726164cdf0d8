"""Schemathesis over the whole OpenAPI document: whatever a client sends, never a 5xx.

Deterministic (derandomised Hypothesis, no example database) and bounded per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from station_app.domain.roles import Role
from station_app.server.core.deps import walk_api_routes
from tests.fixtures.live_server import LiveServer, bearer

# Bounded so the whole run stays within the suite's budget as routes are added
# (about 60 operations x 2 modes x 12 examples per database).
EXAMPLES_PER_OPERATION = 12


@pytest.mark.timeout(400)
def test_no_request_makes_a_server_error(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
    # One user with every role, so each operation is exercised past its role guard.
    server.create_user("fuzz-all-roles", list(Role))
    schema = schemathesis.openapi.from_url(f"{server.api_url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(list(walk_api_routes(server.app)))

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                derandomize=True,
                database=None,
                deadline=None,
                phases=[Phase.explicit, Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
            )
            def no_server_error(case: schemathesis.Case) -> None:
                # A fresh token each time: the sign-out operation revokes its own.
                headers = bearer(server.token_for("fuzz-all-roles"))
                response = case.call(base_url=server.url, headers=headers, timeout=10)
                case.validate_response(response, checks=[not_a_server_error])

            try:
                no_server_error()
            except Unsatisfiable:
                # An operation with nothing to send (health) has no invalid form.
                assert mode is GenerationMode.NEGATIVE, operation.label

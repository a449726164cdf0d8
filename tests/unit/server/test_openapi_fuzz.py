"""Schemathesis over the whole OpenAPI document: whatever a client sends, never a 5xx.

Deterministic (derandomised Hypothesis, no example database) and bounded per operation.
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from station_app.server.deps import walk_api_routes
from tests.fixtures.live_server import LiveServer, bearer

EXAMPLES_PER_OPERATION = 25


def test_no_request_makes_a_server_error(any_db_live_server: LiveServer) -> None:
    server = any_db_live_server
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
                # A fresh admin token each time: the sign-out operation revokes its own.
                headers = bearer(server.token_for("admin"))
                response = case.call(base_url=server.url, headers=headers, timeout=10)
                case.validate_response(response, checks=[not_a_server_error])

            try:
                no_server_error()
            except Unsatisfiable:
                # An operation with nothing to send (health) has no invalid form.
                assert mode is GenerationMode.NEGATIVE, operation.label

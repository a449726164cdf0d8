"""More requests at once than the database pool has connections (issue 14, the force load):
they queue for a connection and are each answered, none refused.

bench/force_load.py found one worker collapsing at once, from a p95 of 40 ms at 2,000
workstations to 20 s and 503s at 2,400: FastAPI ran the database session's clean-up (the
`yield` dependency's exit) on the same thread pool as the handlers, so once its 40 threads
were all handlers waiting for a connection, the sessions that held the connections could not
be closed to give them back, and every waiter gave up after the pool's 10 s."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator

import pytest
import requests

from tests.fixtures.live_server import (
    LiveServer,
    bearer,
    make_test_settings,
    postgres_schema,
    prepare_database,
)

pytestmark = pytest.mark.postgres

CONNECTIONS = 2
AT_ONCE = 60


@pytest.fixture
def small_pool_server(postgres_url: str) -> Iterator[LiveServer]:
    with postgres_schema(postgres_url) as url:
        prepare_database(url)
        server = LiveServer(make_test_settings(url, pool_size=CONNECTIONS, pool_overflow=0))
        server.start()
        try:
            yield server
        finally:
            server.close()


def test_requests_beyond_the_pool_wait_for_a_connection_and_are_all_answered(
    small_pool_server: LiveServer,
) -> None:
    server = small_pool_server
    headers = bearer(server.token_for("detective"))
    statuses: Counter[int] = Counter()
    lock = threading.Lock()
    start = threading.Barrier(AT_ONCE)

    def reader() -> None:
        start.wait()
        with requests.Session() as http:
            for _ in range(3):
                answer = http.get(f"{server.api_url}/incidents", headers=headers, timeout=30)
                with lock:
                    statuses[answer.status_code] += 1

    threads = [threading.Thread(target=reader) for _ in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert statuses == Counter({200: AT_ONCE * 3})  # before: 503s after the pool's 10 s

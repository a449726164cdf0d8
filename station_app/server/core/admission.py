"""At most as many requests inside the app at once as the worker has database connections.

FastAPI runs the handlers and their sync dependencies on one thread pool (40 threads). A
request takes a database connection at its first statement (the signed-in user's token)
and keeps it until its session closes, after its handler, each of those steps waiting for a
thread of that pool. With more requests at once than connections, the pool's threads all
became requests waiting for a connection, while the requests holding the connections
waited for a thread to go on: nobody moved until the connection pool's 10 s ran out, and
then every waiter got a 503 (bench/force_load.py: one worker fell from a p95 of 40 ms at
2,000 workstations to 20 s and 503s at 2,400; tests/unit/server/test_pool_starvation.py).

Admitting requests only while a connection is free for each keeps the queue on the event
loop, where waiting costs nothing, and every admitted request finds its connection at once.
Liveness (`/health`) and the metrics scrape are not held back: they use no connection.
"""

from __future__ import annotations

from typing import Any

import anyio

from station_app.domain.wire import API_PREFIX
from station_app.server.core.observability import METRICS_PATH

NOT_HELD = frozenset({f"{API_PREFIX}/health", METRICS_PATH})


class DatabaseAdmission:
    """Pure ASGI: lets at most `slots` HTTP requests into the app at once, the rest waiting
    their turn in arrival order."""

    def __init__(self, app: Any, slots: int) -> None:
        self.app = app
        self.slots = max(1, slots)
        self._limiter: anyio.CapacityLimiter | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("path") in NOT_HELD:
            await self.app(scope, receive, send)
            return
        if self._limiter is None:  # made on the event loop that serves this app
            self._limiter = anyio.CapacityLimiter(self.slots)
        async with self._limiter:
            await self.app(scope, receive, send)

"""The test server itself: it stops, and starts again on the same port and database."""

from __future__ import annotations

import pytest
import requests

from tests.fixtures.live_server import LiveServer, bearer


def test_stop_then_start_again_on_the_same_port_and_data(live_server: LiveServer) -> None:
    token = live_server.login("admin")
    port = live_server.port

    live_server.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{live_server.api_url}/health", timeout=2)
    live_server.start()

    assert live_server.port == port
    me = requests.get(f"{live_server.api_url}/auth/me", headers=bearer(token), timeout=10)
    assert me.json()["username"] == "admin"

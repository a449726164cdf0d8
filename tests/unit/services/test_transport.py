"""The wire under ApiSession (services/transport.py), against small real HTTP servers on
127.0.0.1: what the core API will not do on request (close idle connections, compress)."""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from station_app.services.transport import (
    AddressError,
    HttpClient,
    encode_query,
)
from tests.fixtures.threaded_http import serving


class _Handler(BaseHTTPRequestHandler):
    """Answers {"path": …} (gzipped when asked), and then closes the connection while it is
    idle when the server says so: as a proxy or a restarted server does, with no word."""

    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        server = self.server
        assert isinstance(server, _Server)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        server.seen.append((self.command, self.path, dict(self.headers), body))
        server.ports.append(self.client_address[1])
        if server.delay:
            time.sleep(server.delay)
        content = json.dumps({"path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        if server.compress and "gzip" in self.headers.get("Accept-Encoding", ""):
            content = gzip.compress(content)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)
        self.wfile.flush()
        if server.close_when_idle:
            self.close_connection = True  # closed after the answer, no "Connection: close"

    do_GET = do_POST = _answer  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[str, str, dict[str, str], bytes]] = []
        self.ports: list[int] = []  # the client's port for each request: one per connection
        self.compress = False
        self.close_when_idle = False
        self.delay = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def server() -> Iterator[_Server]:
    with serving(_Server()) as running:
        yield running


def test_a_list_is_sent_once_per_value_and_an_unset_filter_not_at_all() -> None:
    query = encode_query({"status": ["open", None, "closed"], "q": "Smith & Co", "page": None})
    assert query == "status=open&status=closed&q=Smith+%26+Co"


def test_a_connection_closed_while_idle_is_replaced_before_a_create_goes(server) -> None:
    """A create without an Idempotency-Key may never be sent twice, so it must not be lost
    to a connection the server closed between two requests: that is found before sending."""
    server.close_when_idle = True
    client = HttpClient(headers={"User-Agent": "test"})
    try:
        assert client.request("GET", f"{server.url}/first").ok
        time.sleep(0.1)  # the server's close reaches this side
        answer = client.request("POST", f"{server.url}/create", json={"name": "x"})
    finally:
        client.close()
    assert answer.ok and answer.json() == {"path": "/create"}
    assert [(method, path) for method, path, _h, _b in server.seen] == [
        ("GET", "/first"),
        ("POST", "/create"),
    ]
    assert json.loads(server.seen[1][3]) == {"name": "x"}
    assert server.seen[1][2]["Content-Type"] == "application/json"


def test_kept_alive_connections_carry_the_next_request(server) -> None:
    client = HttpClient(headers={})
    try:
        for n in range(3):
            assert client.request("GET", f"{server.url}/n", params={"n": n}).ok
        assert client.open_connections == 1
    finally:
        client.close()
    assert client.open_connections == 0
    assert [path for _m, path, _h, _b in server.seen] == ["/n?n=0", "/n?n=1", "/n?n=2"]
    assert len({port for port in server.ports}) == 1


def test_each_job_on_a_new_thread_reuses_the_connection_the_last_one_gave_back(server) -> None:
    """The runner's workers are Qt threads whose Python state is made afresh for every job:
    a connection kept per thread was a new connection (and, over https, a new handshake)
    for every request, and the old ones stayed open until sign-out."""
    client = HttpClient(headers={})
    try:
        for n in range(5):
            job = threading.Thread(target=lambda n=n: client.request("GET", f"{server.url}/{n}"))
            job.start()
            job.join()
        assert client.open_connections == 1
    finally:
        client.close()
    assert len(server.seen) == 5 and len(set(server.ports)) == 1


def test_requests_at_once_each_have_a_connection_and_keep_them_for_later(server) -> None:
    server.delay = 0.2
    client = HttpClient(headers={})
    try:
        jobs = [
            threading.Thread(target=lambda n=n: client.request("GET", f"{server.url}/{n}"))
            for n in range(3)
        ]
        for job in jobs:
            job.start()
        for job in jobs:
            job.join()
        assert client.open_connections == 3  # three at once: three connections, all kept
        server.delay = 0.0
        for n in range(3):
            client.request("GET", f"{server.url}/again{n}")
        assert client.open_connections == 3
    finally:
        client.close()
    assert len(set(server.ports)) == 3


def test_a_compressed_answer_is_read_as_sent(server) -> None:
    server.compress = True
    client = HttpClient(headers={})
    try:
        answer = client.request("GET", f"{server.url}/big")
    finally:
        client.close()
    assert answer.headers.get("content-encoding") == "gzip"  # names in any case
    assert answer.json() == {"path": "/big"}


def test_not_a_web_address_fails_before_anything_is_sent() -> None:
    client = HttpClient(headers={})
    for url in ("ftp://core.example/x", "core.example/x", "http:///x"):
        with pytest.raises(AddressError):
            client.request("GET", url)

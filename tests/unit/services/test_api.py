"""The HTTP transport against the real core API: what staff are told when a call fails."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from station_app import __version__
from station_app.domain.wire import API_PREFIX
from station_app.services.api import ApiSession, error_from_response
from station_app.services.errors import (
    AccountLockedError,
    ConflictError,
    ForbiddenError,
    NotFoundError,
    OfflineError,
    ServerError,
    ServerTimeoutError,
    SignedOutError,
    StationError,
    ValidationProblem,
)
from station_app.services.transport import Response
from tests.fixtures.threaded_http import serving

WORKSTATION = "SW-FRONT-DESK-01"


@pytest.fixture
def session(live_server) -> Iterator[ApiSession]:
    with ApiSession(live_server.url, workstation=WORKSTATION) as api:
        yield api


def _free_port() -> int:
    """A port nothing listens on (bound, read, released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_health_needs_no_sign_in(session: ApiSession) -> None:
    assert session.health() == {"status": "ok", "version": __version__, "demo": False}
    assert session.base_url.startswith("http://127.0.0.1:")


def test_a_wrong_password_shows_the_servers_sentence(session: ApiSession) -> None:
    with pytest.raises(SignedOutError) as caught:
        session.post("/auth/login", json={"username": "frontdesk", "password": "nope"})
    assert caught.value.message == (
        "The user name or password is not right. Check them and try again."
    )
    assert caught.value.status == 401


def test_empty_sign_in_fields_come_back_field_by_field(session: ApiSession) -> None:
    with pytest.raises(ValidationProblem) as caught:
        session.post("/auth/login", json={"username": "", "password": ""})
    problem = caught.value
    assert problem.status == 422
    assert problem.field_errors == {
        "username": "Enter your user name.",
        "password": "Enter your password.",
    }
    assert problem.message  # the server's sentence, for the top of the form
    assert "Traceback" not in problem.message


def test_no_token_means_signed_out(session: ApiSession) -> None:
    with pytest.raises(SignedOutError) as caught:
        session.get("/auth/me")
    assert caught.value.message
    assert caught.value.status == 401


def test_a_role_without_permission_is_told_what_it_cannot_do(
    session: ApiSession, live_server
) -> None:
    session.token = live_server.login("frontdesk")
    with pytest.raises(ForbiddenError) as caught:
        session.get("/audit")
    assert caught.value.status == 403
    assert "Front desk" in caught.value.message


def test_an_unknown_list_is_not_found(session: ApiSession, live_server) -> None:
    session.token = live_server.login("frontdesk")
    with pytest.raises(NotFoundError) as caught:
        session.get("/reference/no_such_list")
    assert caught.value.status == 404
    assert "offences" in caught.value.message  # the server lists what does exist


def test_too_many_wrong_passwords_lock_the_account(session: ApiSession, live_server) -> None:
    for _ in range(live_server.settings.login_lock_after - 1):
        with pytest.raises(SignedOutError):
            session.post("/auth/login", json={"username": "custody", "password": "wrong"})
    with pytest.raises(AccountLockedError) as caught:
        session.post("/auth/login", json={"username": "custody", "password": "wrong"})
    assert caught.value.status == 423
    assert caught.value.retry_after_seconds is not None
    assert caught.value.retry_after_seconds >= 0
    assert "locked" in caught.value.message.lower()


def test_the_workstation_name_reaches_the_audit_trail(session: ApiSession, live_server) -> None:
    session.post("/auth/login", json={"username": "frontdesk", "password": "Station-Demo-1"})
    session.token = live_server.login("admin")
    events = session.json(session.get("/audit", params={"username": "frontdesk"}))["events"]
    logins = [event for event in events if event["action"] == "login"]
    assert logins and logins[0]["workstation"] == WORKSTATION


def test_nothing_listening_is_offline_and_noticed_quickly() -> None:
    with ApiSession(f"http://127.0.0.1:{_free_port()}", workstation=WORKSTATION) as api:
        started = time.monotonic()
        with pytest.raises(OfflineError) as caught:
            api.health()
        # Two quick retries, not a minute of waiting (generous for a busy machine).
        assert time.monotonic() - started < 5
    assert caught.value.message == (
        "The core system can't be reached. Check the network cable or Wi-Fi, "
        "or try again in a minute."
    )
    assert caught.value.detail  # what happened, for the log


def test_a_stopped_server_is_offline(session: ApiSession, live_server) -> None:
    assert session.health()["status"] == "ok"
    live_server.stop()
    with pytest.raises(OfflineError):
        session.health()
    live_server.start()
    assert session.health()["status"] == "ok"  # and back again on the same address


def test_a_bad_address_is_a_plain_message() -> None:
    with (
        ApiSession("not a url", workstation=WORKSTATION) as api,
        pytest.raises(StationError) as caught,
    ):
        api.health()
    assert "not a web address" in caught.value.message


# -- a tiny real HTTP server for what the core API will not do on request ---------------


class _Scripted(BaseHTTPRequestHandler):
    """Answers every request with the server's scripted status; counts requests."""

    def _answer(self) -> None:
        server = self.server
        assert isinstance(server, _ScriptedServer)
        server.seen.append((self.command, self.path, dict(self.headers)))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        if server.delay:
            time.sleep(server.delay)
        body = json.dumps(server.body).encode()
        self.send_response(server.status)
        self.send_header("Content-Type", "application/problem+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: object) -> None:
        pass


class _ScriptedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status: int, body: dict[str, object], delay: float = 0.0) -> None:
        super().__init__(("127.0.0.1", 0), _Scripted)
        self.status, self.body, self.delay = status, body, delay
        self.seen: list[tuple[str, str, dict[str, str]]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def scripted() -> Iterator[type[_ScriptedServer]]:
    with ExitStack() as running:

        def start(status: int, body: dict[str, object], delay: float = 0.0) -> _ScriptedServer:
            return running.enter_context(serving(_ScriptedServer(status, body, delay)))

        yield start  # type: ignore[misc]


def test_gateway_trouble_is_retried_for_reads_but_never_for_creates(scripted) -> None:
    server = scripted(503, {"title": "Service Unavailable", "status": 503})
    with ApiSession(server.url, workstation=WORKSTATION) as api:
        with pytest.raises(ServerError):
            api.get("/things")
        reads = len(server.seen)
        with pytest.raises(ServerError):
            api.post("/things", json={"name": "x"})
        creates = len(server.seen) - reads
    assert reads == 3  # the first try and two retries
    assert creates == 1  # a POST may have been acted on: never sent twice


def test_a_redirect_is_not_followed_nor_taken_for_an_answer(scripted) -> None:
    """The core API never redirects. One that does (a proxy set up wrongly) must not have
    the officer's token sent on, nor its empty body read as the records asked for."""
    server = scripted(307, {})
    with ApiSession(server.url, workstation=WORKSTATION) as api:
        api.token = "secret-token"
        with pytest.raises(ServerError):
            api.get("/incidents")
    assert len(server.seen) == 1


def test_every_request_says_who_and_where_it_comes_from(scripted) -> None:
    server = scripted(404, {"detail": "Not here."})
    with ApiSession(server.url, workstation=WORKSTATION) as api:
        api.token = "secret-token"
        with pytest.raises(NotFoundError, match="Not here"):
            api.get("/anything")
        api.token = None
        with pytest.raises(NotFoundError):
            api.get("/anything")
    (_m1, path, signed_in), (_m2, _p2, signed_out) = server.seen
    assert path == "/api/v1/anything"
    assert signed_in["Authorization"] == "Bearer secret-token"
    assert signed_in["X-Station-Workstation"] == WORKSTATION
    assert signed_in["User-Agent"] == f"Station/{__version__}"
    assert "Authorization" not in signed_out


def test_a_server_too_slow_to_answer_is_a_timeout(scripted) -> None:
    server = scripted(200, {}, delay=1.0)
    with ApiSession(server.url, workstation=WORKSTATION, read_timeout=0.2) as api:
        for method in (api.get, api.post):
            with pytest.raises(ServerTimeoutError) as caught:
                method("/slow")
            assert isinstance(caught.value, OfflineError)  # the UI treats it as offline
    assert len(server.seen) == 2  # neither was sent twice


def _response(status: int, body: object, headers: dict[str, str] | None = None) -> Response:
    message = Message()
    for name, value in {"Content-Type": "application/problem+json", **(headers or {})}.items():
        message[name] = value
    return Response(
        "GET", "http://core.example/api/v1/x", status, message, json.dumps(body).encode()
    )


def test_a_server_error_never_shows_the_servers_text() -> None:
    error = error_from_response(
        _response(500, {"detail": "Traceback (most recent call last): KeyError 'x'"})
    )
    assert isinstance(error, ServerError)
    assert "Traceback" not in error.message
    assert "Traceback" in (error.detail or "")  # kept for the log


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (400, ValidationProblem),
        (409, ConflictError),
        (412, ConflictError),
        (423, AccountLockedError),
        (429, AccountLockedError),
    ],
)
def test_every_status_maps_to_its_kind_of_failure(status: int, kind: type[StationError]) -> None:
    error = error_from_response(
        _response(status, {"detail": "Words for staff."}, {"Retry-After": "7"})
    )
    assert isinstance(error, kind)
    assert error.message == "Words for staff."
    if isinstance(error, AccountLockedError):
        assert error.retry_after_seconds == 7


def test_without_a_detail_the_station_sentence_is_used() -> None:
    for status in (409, 412):
        error = error_from_response(_response(status, {}))
        assert isinstance(error, ConflictError)
        assert "Someone else changed this record" in error.message


class _DropsReusedConnections(BaseHTTPRequestHandler):
    """Keeps connections alive, then drops one without an answer when it is used again,
    as uvicorn does after a 500: the client finds out only when it sends on it."""

    protocol_version = "HTTP/1.1"

    def _answer(self) -> None:
        server = self.server
        assert isinstance(server, _ScriptedServer)
        server.seen.append((self.command, self.path, dict(self.headers)))
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.used = getattr(self, "used", 0) + 1
        if self.used > 1:
            self.close_connection = True  # gone, without a word
            return
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 - http.server's names

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def dropping() -> Iterator[_ScriptedServer]:
    server = _ScriptedServer(200, {})
    server.RequestHandlerClass = _DropsReusedConnections
    with serving(server):
        yield server


def test_a_connection_dropped_after_a_server_error_is_not_taken_for_offline(dropping) -> None:
    """Issue 12 #7: after a 500 uvicorn drops the kept-alive connection, and the next request
    on it failed as "offline" although the server was there. Idempotent requests are sent
    once more, on a fresh connection."""
    with ApiSession(dropping.url, workstation=WORKSTATION) as api:
        assert api.get("/first").ok
        assert api.get("/second").ok  # dropped on the old connection, sent again on a new one
        assert api.put("/third", json={}).ok
        assert api.post("/fourth", json={}, headers={"Idempotency-Key": "k-4"}).ok
    assert [path for _m, path, _h in dropping.seen] == [
        "/api/v1/first",
        "/api/v1/second",
        "/api/v1/second",
        "/api/v1/third",
        "/api/v1/third",
        "/api/v1/fourth",
        "/api/v1/fourth",
    ]


def test_a_create_without_a_key_is_never_sent_twice_even_so(dropping) -> None:
    with ApiSession(dropping.url, workstation=WORKSTATION) as api:
        assert api.get("/first").ok
        with pytest.raises(OfflineError):
            api.post("/create", json={})  # it may have been acted on
    assert [path for _m, path, _h in dropping.seen] == ["/api/v1/first", "/api/v1/create"]


def test_after_a_real_server_error_the_next_read_works(session: ApiSession, live_server) -> None:
    session.token = live_server.token_for("frontdesk")
    assert session.get("/incidents").ok  # a kept-alive connection now exists
    live_server.faults.break_next("GET", f"{API_PREFIX}/incidents")
    with pytest.raises(ServerError):
        session.get("/incidents")
    assert session.get("/incidents").ok


def test_a_password_is_never_sent_over_plain_http_to_another_computer(monkeypatch) -> None:
    """Issue 12 #15: the client sent a password to http:// on any host without a word. The
    name is under .invalid, so nothing could answer: refused before any connection."""
    tried: list[str] = []
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: tried.append(a[0]) or [])
    api = ApiSession("http://core.station.invalid", workstation=WORKSTATION)
    with api, pytest.raises(StationError) as caught:
        api.post("/auth/login", json={"username": "u", "password": "p"})
    assert "https://" in caught.value.message and "service desk" in caught.value.message
    assert not isinstance(caught.value, OfflineError)
    assert tried == []  # not even a name look-up


@pytest.mark.parametrize("url", ["http://127.0.0.1:8470", "http://127.9.9.9", "http://[::1]:9"])
def test_plain_http_to_this_computer_is_allowed(url: str) -> None:
    api = ApiSession(url, workstation=WORKSTATION)
    with api, pytest.raises(OfflineError):  # nothing listens: tried, so it was allowed
        api.get("/health")


def test_a_machine_setting_can_allow_plain_http_on_a_closed_network(monkeypatch) -> None:
    tried: list[str] = []

    def no_such_name(host, *_args, **_kwargs):
        tried.append(host)
        raise socket.gaierror("no such name")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_name)
    with (
        ApiSession(
            "http://core.station.invalid", workstation=WORKSTATION, allow_plain_http=True
        ) as api,
        pytest.raises(OfflineError),
    ):
        api.get("/health")
    assert set(tried) == {"core.station.invalid"}  # allowed: it was looked up


def test_the_request_id_the_workstation_logs_is_the_one_the_server_logs(
    session: ApiSession, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        session.health()
        with pytest.raises(SignedOutError):
            session.get("/reference/no-such-list")

        client_lines = [
            r.getMessage() for r in caplog.records if r.name == "station_app.services.api"
        ]
        failed = next(line for line in client_lines if "no-such-list failed" in line)
        failed_id = failed.rsplit("[request ", 1)[1].rstrip("]")
        assert len(failed_id) == 32

        def server_ids() -> list[str]:
            return [
                getattr(r, "fields", {}).get("request_id")
                for r in list(caplog.records)
                if r.name == "station.server.access"
            ]

        # The server writes its access line once the answer has gone, so the client may
        # read the answer first (it failed once in CI on a busy machine): wait, bounded.
        deadline = time.monotonic() + 5
        while failed_id not in server_ids() and time.monotonic() < deadline:
            time.sleep(0.02)
    assert failed_id in server_ids()

"""The wire under `ApiSession`: HTTP/1.1 over the standard library's `http.client`.

Station used `requests`. Importing it (with urllib3, charset_normalizer, idna and
importlib.metadata) cost about 45 ms of the interpreter at every start, on the way to the
landing tab (bench/startup.py, issue 13), for what Station asks of HTTP: JSON in and out,
kept-alive connections, TLS checked against the system's roots or the force's own bundle,
separate connect and read timeouts, and a retry policy of its own. This module is that,
and no more:

- Kept-alive connections shared by the threads that send, each used by one request at a
  time and given back when its answer is read (at most `MAX_IDLE` kept per server). A
  connection the server has closed while it was idle is noticed before it is used again,
  as urllib3 does, and replaced.
- Connect and read timeouts apart: being offline is noticed in seconds, a slow search is
  waited for.
- Retries only where a request may safely go twice (`IDEMPOTENT`): a connection that could
  not be made, and gateway trouble (502, 503, 504), twice, the second after half a second.
  A read that fails is never retried here: the server may have acted (`ApiSession`
  decides, knowing the Idempotency-Key).
- Environment proxies and .netrc are not read: they are not for the core system.
- gzip and deflate bodies are decoded.

Failures are the `TransportError` kinds below; `ApiSession` turns them into the station's
own sentences.
"""

from __future__ import annotations

import http.client
import json as jsonlib
import select
import ssl
import threading
import time
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import Message
from typing import Any
from urllib.parse import SplitResult, quote_plus, urlsplit

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""Methods that may safely be sent twice."""
RETRY_STATUSES = frozenset({502, 503, 504})
"""Gateway trouble that is usually gone a moment later."""
RETRIES = 2
"""Retries after the first try, so being offline is noticed within a second or so."""
BACKOFF_SECONDS = (0.0, 0.5)
"""The wait before each retry."""


class TransportError(Exception):
    """No answer came back; the kinds below say why."""


class AddressError(TransportError):
    """The address is not an http:// or https:// web address."""


class ConnectError(TransportError):
    """No connection could be made: nothing listening, no such name, no network."""


class ConnectTimeoutError(ConnectError):
    """The server did not take the connection within the connect timeout."""


class TlsError(TransportError):
    """The server's certificate could not be checked, or the TLS handshake failed."""


class ReadTimeoutError(TransportError):
    """The request went; no answer came within the read timeout."""


class ReadError(TransportError):
    """The request went (or part of it); the connection broke before a whole answer came."""


class DroppedError(ReadError):
    """A kept-alive connection the server had closed: the request was written to it and
    nothing came back. The server never read it, but only the caller knows whether sending
    it again is safe."""


@dataclass(frozen=True)
class Response:
    """One answer: status, headers (case-insensitive `get`), the whole body."""

    method: str
    url: str
    status_code: int
    headers: Message
    content: bytes

    @property
    def ok(self) -> bool:
        """A 2xx answer. Redirects are not followed (the core API never sends one, and a
        bearer token is not for wherever one points): a 3xx is not a success either."""
        return 200 <= self.status_code < 300

    def json(self) -> Any:
        """The body as JSON; ValueError when it is not."""
        return jsonlib.loads(self.content)


def encode_query(params: Mapping[str, Any]) -> str:
    """`key=value&…`; a list gives the key once per value; None (alone or in a list) is left
    out, so an unset filter is not sent."""
    pairs: list[str] = []
    for key, value in params.items():
        values = value if isinstance(value, list | tuple) else [value]
        pairs.extend(
            f"{quote_plus(str(key))}={quote_plus(str(item))}" for item in values if item is not None
        )
    return "&".join(pairs)


def _decoded(content: bytes, encoding: str) -> bytes:
    encoding = encoding.strip().lower()
    if encoding == "gzip":
        return zlib.decompress(content, 16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        try:
            return zlib.decompress(content)
        except zlib.error:  # raw deflate, without the zlib header
            return zlib.decompress(content, -zlib.MAX_WBITS)
    return content


def _closed_while_idle(connection: http.client.HTTPConnection) -> bool:
    """Whether an idle kept-alive connection can no longer be used: the server has closed
    it (readable at end of file) or sent something unasked."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        readable, _w, _x = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


_Key = tuple[str, str, int]
"""(scheme, host, port): which server a connection goes to."""

MAX_IDLE = 10
"""Idle connections kept per server (the runner has four workers; urllib3 kept ten)."""


class HttpClient:
    """Kept-alive HTTP/1.1 connections to one core system, shared by the threads that send.

    A request takes an idle connection to its server (or makes one), and gives it back once
    the whole answer is read. The pool belongs to the client, not to a thread: the runner's
    workers are Qt's threads, whose Python thread state (and anything thread-local) is made
    afresh for every job, so a connection per thread was a new connection per request."""

    def __init__(self, *, headers: Mapping[str, str], ca_bundle: str | None = None) -> None:
        self.headers: dict[str, str] = {**headers, "Accept-Encoding": "gzip, deflate"}
        """Sent with every request (a call's own headers are added on top)."""
        self.ca_bundle = ca_bundle
        self._tls: ssl.SSLContext | None = None
        self._lock = threading.Lock()
        self._idle: dict[_Key, list[http.client.HTTPConnection]] = {}
        self._open: set[http.client.HTTPConnection] = set()
        """Every connection not yet closed, idle or in use (for `close`)."""

    @property
    def open_connections(self) -> int:
        """How many connections are open, idle or in use."""
        with self._lock:
            return len(self._open)

    # --- connections ------------------------------------------------------------------------

    def _context(self) -> ssl.SSLContext:
        """The operating system's trusted roots, or only the force's own bundle when the
        machine names one (a certificate the bundle does not vouch for is refused)."""
        with self._lock:
            if self._tls is None:
                self._tls = ssl.create_default_context(cafile=self.ca_bundle)
            return self._tls

    def _discard(self, connection: http.client.HTTPConnection) -> None:
        connection.close()
        with self._lock:
            self._open.discard(connection)

    def _give_back(self, key: _Key, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if connection in self._open and len(idle) < MAX_IDLE:
                idle.append(connection)
                return
        self._discard(connection)

    def _take_idle(self, key: _Key) -> http.client.HTTPConnection | None:
        """The most recently used idle connection to `key` still open, else None."""
        while True:
            with self._lock:
                idle = self._idle.get(key)
                if not idle:
                    return None
                connection = idle.pop()
            if not _closed_while_idle(connection):
                return connection
            self._discard(connection)

    def _connection(
        self, parts: SplitResult, connect_timeout: float
    ) -> tuple[_Key, http.client.HTTPConnection, bool]:
        """(key, connection, whether it was used before): an idle one, else a new one,
        connected. Either way it is this request's until given back or discarded."""
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        key = (parts.scheme, host, port)
        kept = self._take_idle(key)
        if kept is not None:
            return key, kept, True
        connection: http.client.HTTPConnection
        if parts.scheme == "https":
            connection = http.client.HTTPSConnection(
                host, port, timeout=connect_timeout, context=self._context()
            )
        else:
            connection = http.client.HTTPConnection(host, port, timeout=connect_timeout)
        try:
            connection.connect()
        except ssl.SSLError as error:
            connection.close()
            raise TlsError(f"{host}:{port}: {error}") from error
        except TimeoutError as error:
            connection.close()
            raise ConnectTimeoutError(
                f"{host}:{port}: no connection within {connect_timeout} s"
            ) from error
        except OSError as error:  # refused, no such name, no route
            connection.close()
            raise ConnectError(f"{host}:{port}: {error}") from error
        with self._lock:
            self._open.add(connection)
        return key, connection, False

    # --- requests ---------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: tuple[float, float] = (3.05, 15.0),
    ) -> Response:
        """Send one request (retried as the module says) and read the whole answer."""
        method = method.upper()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise AddressError(f"not a web address: {url!r}")
        target = parts.path or "/"
        query = "&".join(part for part in (parts.query, encode_query(params or {})) if part)
        if query:
            target = f"{target}?{query}"
        body = None
        sent = {**self.headers, **(headers or {})}
        if json is not None:
            body = jsonlib.dumps(json, allow_nan=False).encode("utf-8")
            sent["Content-Type"] = "application/json"
        retries = RETRIES if method in IDEMPOTENT else 0
        for attempt in range(retries + 1):
            last = attempt == retries
            try:
                response = self._once(method, url, parts, target, body, sent, timeout)
            except ConnectError:
                if last:
                    raise
            else:
                if last or response.status_code not in RETRY_STATUSES:
                    return response
            time.sleep(BACKOFF_SECONDS[min(attempt, len(BACKOFF_SECONDS) - 1)])
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _once(
        self,
        method: str,
        url: str,
        parts: SplitResult,
        target: str,
        body: bytes | None,
        headers: Mapping[str, str],
        timeout: tuple[float, float],
    ) -> Response:
        key, connection, reused = self._connection(parts, timeout[0])
        try:
            assert connection.sock is not None
            connection.sock.settimeout(timeout[1])
            connection.request(method, target, body=body, headers=dict(headers))
            answer = connection.getresponse()
            content = answer.read()
        except TimeoutError as error:
            self._discard(connection)
            raise ReadTimeoutError(f"{method} {url}: no answer within {timeout[1]} s") from error
        except ssl.SSLError as error:
            self._discard(connection)
            raise TlsError(f"{method} {url}: {error}") from error
        except (http.client.HTTPException, OSError) as error:
            self._discard(connection)
            nothing_came = isinstance(
                error, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError
            )
            kind = DroppedError if reused and nothing_came else ReadError
            raise kind(f"{method} {url}: {error!r}") from error
        if answer.will_close:
            self._discard(connection)
        else:
            self._give_back(key, connection)
        encoding = answer.headers.get("Content-Encoding")
        if encoding:
            try:
                content = _decoded(content, encoding)
            except zlib.error as error:
                raise ReadError(f"{method} {url}: body not {encoding}: {error}") from error
        return Response(method, url, answer.status, answer.headers, content)

    def close(self) -> None:
        """Close every connection; one in use is closed under its request (which fails)."""
        with self._lock:
            connections, self._open = self._open, set()
            self._idle.clear()
        for connection in connections:
            connection.close()


__all__ = [
    "IDEMPOTENT",
    "AddressError",
    "ConnectError",
    "ConnectTimeoutError",
    "DroppedError",
    "HttpClient",
    "ReadError",
    "ReadTimeoutError",
    "Response",
    "TlsError",
    "TransportError",
    "encode_query",
]

"""The HTTP transport to the core API: timeouts, retries, TLS, auth and error mapping.

Per-resource clients (auth, reference, ...) sit on top of `ApiSession` and never see
transport exceptions or problem+json bodies: they get a response or a typed
`StationError` (docs/api.md, "Errors"). The wire itself is `services.transport`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Collection, Mapping
from typing import Any, Self

from station_app import __version__
from station_app.domain.wire import API_PREFIX, REQUEST_ID_HEADER
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
from station_app.services.transport import (
    IDEMPOTENT,
    AddressError,
    ConnectError,
    ConnectTimeoutError,
    DroppedError,
    HttpClient,
    ReadTimeoutError,
    Response,
    TlsError,
    TransportError,
)

__all__ = ["ApiSession", "error_from_response"]

log = logging.getLogger(__name__)

HEALTH_READ_TIMEOUT = 3.0


def _protected_or_local(base_url: str) -> bool:
    """https://, or http:// to this computer itself (the embedded demo server, a test)."""
    from ipaddress import ip_address
    from urllib.parse import urlsplit

    parts = urlsplit(base_url)
    if parts.scheme != "http":
        return True  # https, or not a web address at all (said elsewhere)
    host = (parts.hostname or "").lower()
    if host == "localhost":
        return True
    try:
        return ip_address(host).is_loopback
    except ValueError:
        return False


def _problem(response: Response) -> dict[str, Any]:
    """The problem+json body, or {} when the body is not a JSON object."""
    if "json" not in response.headers.get("Content-Type", ""):
        return {}
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _retry_after(response: Response) -> int | None:
    value = response.headers.get("Retry-After", "")
    return int(value) if value.strip().isdigit() else None


def _field_errors(problem: Mapping[str, Any]) -> dict[str, str]:
    field_errors: dict[str, str] = {}
    for item in problem.get("errors") or []:
        if isinstance(item, dict) and "field" in item and "message" in item:
            field_errors.setdefault(str(item["field"]), str(item["message"]))
    return field_errors


def error_from_response(response: Response) -> StationError:
    """The typed error for a failed response; the message is the server's `detail`."""
    status = response.status_code
    problem = _problem(response)
    raw_detail = problem.get("detail")
    message = raw_detail if isinstance(raw_detail, str) and raw_detail.strip() else None
    log_detail = f"{response.method} {response.url} -> {status}: {problem or '(no body)'}"
    if status == 401:
        return SignedOutError(message, status=status, detail=log_detail)
    if status == 403:
        return ForbiddenError(message, status=status, detail=log_detail)
    if status == 404:
        return NotFoundError(message, status=status, detail=log_detail)
    if status in (409, 412):
        return ConflictError(message, status=status, detail=log_detail)
    if status in (400, 422):
        return ValidationProblem(message, _field_errors(problem), status=status, detail=log_detail)
    if status in (423, 429):
        return AccountLockedError(message, _retry_after(response), status=status, detail=log_detail)
    # 5xx and anything unexpected: our own generic sentence, whatever the server wrote.
    return ServerError(status=status, detail=log_detail)


class ApiSession:
    """One connection to the core API for one workstation, shared by the resource clients.

    Used from the runner's worker threads at once; their kept-alive connections are shared
    (`transport.HttpClient`). Headers change only when signing in or out.
    """

    def __init__(
        self,
        base_url: str,
        *,
        workstation: str,
        ca_bundle: str | None = None,
        connect_timeout: float = 3.05,
        read_timeout: float = 15.0,
        allow_plain_http: bool = False,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.allow_plain_http = allow_plain_http
        """Whether http:// to another computer is allowed: a machine setting for a closed
        network, never the officer's choice."""
        self.workstation = workstation
        self._timeout = (connect_timeout, read_timeout)
        # Environment proxies and .netrc are never read (.netrc would replace our bearer
        # header); TLS trusts the system's roots, or only the machine's CA bundle.
        self._http = HttpClient(
            headers={
                "User-Agent": f"Station/{__version__}",
                "Accept": "application/json",
                # docs/api.md: at most 100 characters; headers must be ASCII-safe.
                "X-Station-Workstation": workstation.encode("ascii", "replace").decode()[:100],
            },
            ca_bundle=ca_bundle,
        )
        self._token: str | None = None

    @property
    def token(self) -> str | None:
        return self._token

    @token.setter
    def token(self, value: str | None) -> None:
        self._token = value
        if value:
            self._http.headers["Authorization"] = f"Bearer {value}"
        else:
            self._http.headers.pop("Authorization", None)

    def url(self, path: str) -> str:
        """The full URL of an API path such as "/reference"."""
        return f"{self.base_url}{API_PREFIX}/{path.lstrip('/')}"

    def get(
        self,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        return self.request("GET", path, params=params, headers=headers)

    def post(
        self,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        return self.request("POST", path, json=json, headers=headers)

    def put(
        self,
        path: str,
        *,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        return self.request("PUT", path, json=json, headers=headers)

    def delete(
        self,
        path: str,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> Response:
        return self.request("DELETE", path, headers=headers)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        ok_statuses: Collection[int] = (304,),
        read_timeout: float | None = None,
    ) -> Response:
        """Send a request; return a 2xx (or 304) response, otherwise raise a StationError.

        A request that may safely go twice (an idempotent method, or a create carrying its
        Idempotency-Key) is sent once more on a fresh connection when a kept-alive one turns
        out to have been dropped (uvicorn drops it after a 500): that is not "offline".
        """
        url = self.url(path)
        if not self.allow_plain_http and not _protected_or_local(self.base_url):
            # Checked before anything is sent: a password or a token never crosses a network
            # in the clear.
            raise StationError(
                "Station will not send your password or any record over an unprotected "
                f"connection to {self.base_url}. Call the IT service desk: the core system's "
                "address should start with https://.",
                detail=f"plain http refused: {method} {url}",
            )
        started = time.perf_counter()
        may_resend = method.upper() in IDEMPOTENT or "Idempotency-Key" in (headers or {})
        # One id for this call (a resend keeps it): the server logs it with every line of its
        # own, so a report can be followed from this workstation's log to the database.
        request_id = uuid.uuid4().hex
        headers = {**(headers or {}), REQUEST_ID_HEADER: request_id}
        try:
            try:
                response = self._send(method, url, params, json, headers, read_timeout)
            except DroppedError:
                if not may_resend:
                    raise
                log.info(
                    "%s %s: the connection was dropped; sending once more [request %s]",
                    method,
                    path,
                    request_id,
                )
                response = self._send(method, url, params, json, headers, read_timeout)
        except TlsError as error:
            raise StationError(
                "The core system's security certificate could not be checked. "
                "Call the service desk: the certificate setting on this computer may be wrong.",
                detail=f"{method} {url}: {error}",
            ) from error
        except ConnectTimeoutError as error:
            raise OfflineError(detail=f"{method} {url}: {error}") from error
        except ReadTimeoutError as error:
            raise ServerTimeoutError(detail=f"{method} {url}: {error}") from error
        except ConnectError as error:
            raise OfflineError(detail=f"{method} {url}: {error}") from error
        except AddressError as error:
            raise StationError(
                f"The core system address '{self.base_url}' is not a web address. "
                "Check the server setting.",
                detail=str(error),
            ) from error
        except TransportError as error:
            raise OfflineError(detail=f"{method} {url}: {error!r}") from error
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.debug(
            "%s %s -> %s in %.0f ms [request %s]",
            method,
            path,
            response.status_code,
            elapsed_ms,
            request_id,
        )
        if response.ok or response.status_code in ok_statuses:
            return response
        failure = error_from_response(response)
        log.info("%s %s failed: %s [request %s]", method, path, failure.detail, request_id)
        raise failure

    def _send(
        self,
        method: str,
        url: str,
        params: Mapping[str, Any] | None,
        json: Any,
        headers: Mapping[str, str] | None,
        read_timeout: float | None = None,
    ) -> Response:
        timeout = self._timeout if read_timeout is None else (self._timeout[0], read_timeout)
        return self._http.request(
            method, url, params=params, json=json, headers=headers, timeout=timeout
        )

    def json(self, response: Response) -> Any:
        """The JSON body of a successful response; a body we cannot read is a ServerError."""
        try:
            return response.json()
        except ValueError as error:
            raise ServerError(detail=f"{response.url}: body is not JSON") from error

    def health(self) -> dict[str, Any]:
        """GET /health: {"status", "version", "demo"}; needs no sign-in."""
        # A few seconds, not the usual wait: a core system that has stopped answering (not
        # just one slow search) shows as offline in the status bar soon after.
        body = self.json(self.request("GET", "/health", read_timeout=HEALTH_READ_TIMEOUT))
        if not isinstance(body, dict):
            raise ServerError(detail=f"health answered {body!r}")
        return body

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

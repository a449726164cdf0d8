"""What the server tells its operators: one JSON log line per request carrying the request id
(X-Request-ID, sent by the workstation or made here, and given back), and Prometheus metrics
(requests and latency per route template, database pool use, outbox replays recognised,
failed sign-ins) at /metrics for a scraper holding the metrics token (docs/server.md,
"Operations").

With several workers (`station-server serve --workers N`) each process counts for itself in
the folder named by PROMETHEUS_MULTIPROC_DIR, and a scrape of any worker adds them all up.
"""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import os
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy import Engine, event
from starlette.requests import Request
from starlette.responses import Response

from station_app.domain.wire import API_PREFIX, REQUEST_ID_HEADER
from station_app.server.core.deps import walk_api_routes
from station_app.server.core.problems import ProblemError

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
MULTIPROCESS_ENVIRONMENT = "PROMETHEUS_MULTIPROC_DIR"
METRICS_PATH = "/metrics"
LOGIN_ROUTE = f"{API_PREFIX}/auth/login"

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "station_request_id", default=None
)
access_log = logging.getLogger("station.server.access")

Scope = dict[str, Any]
Message = dict[str, Any]


def token_hash(token: str) -> str:
    """What the server keeps of the metrics token (`--metrics-token-file`): its SHA-256."""
    return hashlib.sha256(token.strip().encode()).hexdigest()


# --- logs ------------------------------------------------------------------------------------


class JsonLogFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the worker's process id,
    the request id of the request being served, and any `extra={"fields": {...}}`."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "worker": record.process,
        }
        current = request_id.get()
        if current:
            line["request_id"] = current
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            line.update(fields)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_json_logging(level: int = logging.INFO) -> None:
    """Send every log line of this process (uvicorn's included) to stdout as JSON."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonLogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers[:] = []
        logger.propagate = True


# --- metrics ---------------------------------------------------------------------------------


class Metrics:
    """The metrics of one app, in a registry of its own (tests run several apps at once)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "station_http_requests",
            "Requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "station_http_request_duration_seconds",
            "Time to answer, by method and route template.",
            ["method", "route"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.pool_in_use = Gauge(
            "station_db_connections_in_use",
            "Database connections checked out of the pool now (all workers).",
            registry=self.registry,
            multiprocess_mode="livesum",
        )
        self.replays = Counter(
            "station_outbox_replays",
            "Creating requests whose Idempotency-Key was recognised: the first result was "
            "given back and nothing new made (a workstation's outbox sending again).",
            ["record_type"],
            registry=self.registry,
        )
        self.sign_in_failures = Counter(
            "station_sign_in_failures",
            "Refused sign-ins: wrong details (401) or a locked account (423).",
            ["outcome"],
            registry=self.registry,
        )

    def watch_pool(self, engine: Engine) -> None:
        @event.listens_for(engine, "checkout")
        def _checkout(*_args: Any) -> None:
            self.pool_in_use.inc()

        @event.listens_for(engine, "checkin")
        def _checkin(*_args: Any) -> None:
            self.pool_in_use.dec()

    def exposition(self) -> bytes:
        """The text a scrape reads: this process's, or every worker's added up."""
        if os.environ.get(MULTIPROCESS_ENVIRONMENT):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
            return generate_latest(registry)
        return generate_latest(self.registry)


def count_replay(info: dict[str, Any], record_type: str) -> None:
    """Count an outbox replay recognised, on the metrics of the app whose session this is."""
    metrics = info.get("metrics")
    if isinstance(metrics, Metrics):
        metrics.replays.labels(record_type).inc()


# --- the middleware --------------------------------------------------------------------------


def route_templates(app: FastAPI) -> dict[int, str]:
    """Each API route (by identity) -> its documented path, the label it is counted under.
    Worked out once per app (FastAPI resolves the included routers to do it, about half a
    second): at start-up by `ready_to_serve`, else on the first request."""
    templates: dict[int, str] | None = getattr(app.state, "route_templates", None)
    if templates is None:
        templates = {id(route): path for path, route in walk_api_routes(app)}
        app.state.route_templates = templates
    return templates


class ObservabilityMiddleware:
    """Pure ASGI, outermost: gives each request its id, times it, counts it under its route
    template (never the raw path: no record numbers in labels), and logs one line."""

    def __init__(self, app: Any, fastapi_app: FastAPI, metrics: Metrics) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self.metrics = metrics
        self._templates: dict[int, str] | None = None

    def _template(self, scope: Scope) -> str:
        if self._templates is None:
            self._templates = route_templates(self.fastapi_app)
        route = scope.get("route")
        if route is None:
            return "unmatched"
        return self._templates.get(id(route)) or str(getattr(route, "path", "unmatched"))

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        sent = headers.get(REQUEST_ID_HEADER.lower().encode(), b"").decode("latin-1")
        rid = sent if _REQUEST_ID.fullmatch(sent) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                answer_headers = list(message.get("headers") or [])
                answer_headers.append((REQUEST_ID_HEADER.lower().encode(), rid.encode()))
                message = {**message, "headers": answer_headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = self._template(scope)
            # Labels stay few whatever is sent: a method the API has, else OTHER.
            method = scope["method"] if scope["method"] in _METHODS else "OTHER"
            self.metrics.requests.labels(method, route, str(status)).inc()
            self.metrics.latency.labels(method, route).observe(elapsed)
            if route == LOGIN_ROUTE and status in (401, 423):
                outcome = "locked" if status == 423 else "wrong_details"
                self.metrics.sign_in_failures.labels(outcome).inc()
            workstation = headers.get(b"x-station-workstation", b"")
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "request_id": rid,
                        "method": method,
                        "route": route,
                        "status": status,
                        "duration_ms": round(elapsed * 1000, 2),
                        "workstation": workstation.decode("latin-1")[:100] or None,
                    }
                },
            )
            request_id.reset(token)


# --- /metrics --------------------------------------------------------------------------------


def install_observability(app: FastAPI, engine: Engine, metrics_token_hash: str | None) -> Metrics:
    """Count and log every request of `app`; serve /metrics to the holder of the token."""
    metrics = Metrics()
    metrics.watch_pool(engine)

    async def serve_metrics(request: Request) -> Response:
        if metrics_token_hash is None:
            raise ProblemError(
                404,
                "Metrics are not turned on on this server. Start it with --metrics-token-file "
                "to serve them (docs/server.md, Operations).",
            )
        scheme, _, sent = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token_hash(sent), metrics_token_hash
        ):
            raise ProblemError(
                401,
                "Metrics are for the monitoring system: send the metrics token as a bearer token.",
                headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
            )
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)

    app.add_route(METRICS_PATH, serve_metrics, methods=["GET"], include_in_schema=False)
    app.add_middleware(ObservabilityMiddleware, fastapi_app=app, metrics=metrics)
    return metrics

"""What the server says about its transport: over HTTPS (its own TLS, or a reverse proxy in
front whose X-Forwarded-Proto it trusts), every answer carries Strict-Transport-Security,
so a browser or client that has met it over HTTPS never falls back to plain HTTP."""

from __future__ import annotations

from typing import Any

HSTS = b"max-age=31536000; includeSubDomains"
"""One year (RFC 6797 s.6.1), for the core system's own name and those under it."""

Scope = dict[str, Any]
Message = dict[str, Any]


class StrictTransportMiddleware:
    """Pure ASGI: adds Strict-Transport-Security to answers to requests that came over
    HTTPS (`scope["scheme"]`, which uvicorn sets from TLS or trusted proxy headers)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("scheme") != "https":
            await self.app(scope, receive, send)
            return

        async def with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers") or [])
                headers.append((b"strict-transport-security", HSTS))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_hsts)

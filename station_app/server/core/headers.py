"""The security headers every answer of the server carries (issue 12; TLS and HSTS are the
transport's, issue 12 #15). `core/edge.py` adds them to every answer; the 500 handler adds
them itself, as Starlette writes that answer outside the app's middleware."""

from __future__ import annotations

SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    # An API answer is data, never a page: nothing in it may load or run, or be framed.
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    # Answers name people or belong to one signed-in user: no cache keeps them (the client
    # keeps reference data in its own cache, by ETag).
    "Cache-Control": "no-store",
}

"""`station-server serve`: the listening socket, the ready file, stopping with stdin, and one
process or N workers under uvicorn's supervisor (docs/server.md, "Workers")."""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from station_app.server.core.config import ServerSettings


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind the listening socket ourselves, so port 0 gives a free port we can report."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP given explicitly: only then does asyncio set TCP_NODELAY on accepted
    # connections; without it every keep-alive answer waits ~40 ms for delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if os.name != "nt":  # on Windows SO_REUSEADDR would let another process share the port
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def write_ready_file(path: Path, port: int, url: str) -> None:
    """Write the ready file in one step (temp file + replace): a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps({"port": port, "pid": os.getpid(), "url": url}))
    temporary.replace(path)


def watch_stdin(on_eof: Callable[[], None]) -> threading.Thread:
    """Stop when stdin closes: an embedded server dies with the client that started it."""

    def wait_for_eof() -> None:
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except (OSError, ValueError):
            pass
        on_eof()

    thread = threading.Thread(target=wait_for_eof, name="station-stdin-watch", daemon=True)
    thread.start()
    return thread


def serve(
    args: argparse.Namespace,
    database: Callable[[str], AbstractContextManager[Session]],
    database_url: str,
) -> int:
    """Run the server as `args` ask, on `database_url` (brought up to date and seeded as asked
    through `database`, the command line's migrating session)."""
    import uvicorn

    from station_app.server.app import create_app
    from station_app.server.auth.seed import seed_demo_users
    from station_app.server.auth.store import has_users
    from station_app.server.core.config import ServerSettings
    from station_app.server.core.factory import ready_to_serve
    from station_app.server.core.observability import configure_json_logging, token_hash
    from station_app.server.seed import seed_demo

    with database(database_url) as session:
        if args.seed_demo_if_empty and not has_users(session):
            for line in seed_demo(session).lines():
                print(line, flush=True)
        elif args.seed_demo_if_empty and args.demo:
            # A demo database from an earlier version: its demo users get what is new.
            for line in seed_demo_users(session):
                print(line, flush=True)

    if bool(args.tls_cert) != bool(args.tls_key):
        print("Give both --tls-cert and --tls-key, or neither.", file=sys.stderr)
        return 2
    sock = bind_socket(args.host, args.port)
    port = sock.getsockname()[1]
    shown_host = "127.0.0.1" if args.host in ("0.0.0.0", "") else args.host
    scheme = "https" if args.tls_cert else "http"
    url = f"{scheme}://{f'[{shown_host}]' if ':' in shown_host else shown_host}:{port}"
    metrics_token_hash = None
    if args.metrics_token_file:
        try:
            metrics_token_hash = token_hash(Path(args.metrics_token_file).read_text())
        except OSError as error:
            print(f"Could not read the metrics token: {error}", file=sys.stderr)
            return 2
    settings = ServerSettings(
        database_url=database_url,
        demo=args.demo,
        cps_exchange_dir=args.cps_exchange_dir,
        cross_station_work=args.cross_station_work,
        attachment_max_bytes=round(args.attachment_max_mb * 1024 * 1024),
        api_docs=args.api_docs,
        pool_size=args.pool_size,
        pool_overflow=args.pool_overflow,
        statement_timeout_ms=round(args.statement_timeout * 1000),
        metrics_token_hash=metrics_token_hash,
    )
    configure_json_logging()
    uvicorn_options: dict[str, Any] = {
        "log_config": None,  # our JSON lines (core/observability.py), one per request
        "access_log": False,
        "lifespan": "on",
        "ssl_certfile": args.tls_cert,
        "ssl_keyfile": args.tls_key,
        # Behind a reverse proxy that ends TLS: trust its X-Forwarded-* headers only
        # from the addresses named (docs/server.md, "Transport").
        "proxy_headers": bool(args.forwarded_allow_ips),
        "forwarded_allow_ips": args.forwarded_allow_ips or None,
        "server_header": False,
        # Longer than a reverse proxy's or a workstation's idle keep-alive (nginx: 60 s), so
        # the server is never the one closing a connection the other side is reusing
        # (uvicorn's 5 s gave "connection reset" under the load test).
        "timeout_keep_alive": args.keep_alive,
    }
    if args.workers > 1:
        return _serve_workers(args, settings, sock, url, port, uvicorn_options)
    app = ready_to_serve(create_app(settings))

    class StationServer(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets=sockets)
            if self.started:
                print(f"Station core API listening on {url}", flush=True)
                if args.ready_file:
                    write_ready_file(Path(args.ready_file), port, url)

    server = StationServer(uvicorn.Config(app, **uvicorn_options))
    if args.watch_stdin:

        def stop() -> None:
            server.should_exit = True

        watch_stdin(stop)
    server.run(sockets=[sock])
    return 0


def _serve_workers(
    args: argparse.Namespace,
    settings: ServerSettings,
    sock: socket.socket,
    url: str,
    port: int,
    uvicorn_options: dict[str, Any],
) -> int:
    """N worker processes on the one listening socket, kept alive by uvicorn's supervisor
    (a worker that dies is replaced; docs/server.md, "Workers"). Each builds its own app
    from the settings handed down in its environment; they share only the database."""
    import tempfile

    import uvicorn
    from uvicorn.supervisors import Multiprocess

    from station_app.server.core.config import SETTINGS_ENVIRONMENT, settings_to_json
    from station_app.server.core.observability import MULTIPROCESS_ENVIRONMENT

    os.environ[SETTINGS_ENVIRONMENT] = settings_to_json(settings)
    # Each worker counts its metrics in this folder, and a scrape adds them up.
    metrics_dir = tempfile.mkdtemp(prefix="station-metrics-")
    os.environ[MULTIPROCESS_ENVIRONMENT] = metrics_dir
    config = uvicorn.Config(
        "station_app.server.app:create_worker_app",
        factory=True,
        workers=args.workers,
        **uvicorn_options,
    )
    supervisor = Multiprocess(config, sockets=[sock])
    if args.watch_stdin:
        watch_stdin(supervisor.should_exit.set)

    def announce_when_serving() -> None:
        if _wait_until_serving(url, args.tls_cert, supervisor.should_exit):
            print(f"Station core API listening on {url} ({args.workers} workers)", flush=True)
            if args.ready_file:
                write_ready_file(Path(args.ready_file), port, url)

    threading.Thread(target=announce_when_serving, name="station-ready", daemon=True).start()
    try:
        supervisor.run()
    finally:
        import shutil

        shutil.rmtree(metrics_dir, ignore_errors=True)
    return 0


def _wait_until_serving(url: str, tls: str | None, stop: threading.Event) -> bool:
    """Whether a worker answers /health before the supervisor stops (polled)."""
    import ssl
    import urllib.request

    from station_app.domain.wire import API_PREFIX

    context = ssl._create_unverified_context() if tls else None  # our own certificate
    while not stop.wait(0.1):
        try:
            with urllib.request.urlopen(f"{url}{API_PREFIX}/health", timeout=2, context=context):
                return True
        except OSError:
            continue
    return False

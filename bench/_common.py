"""Timing and printing helpers shared by the benchmarks (run by `make bench`, never by pytest).

Shared machines are noisy, so every figure is printed next to a baseline measured in
the same run, interleaved with it, and as a ratio to it.
"""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path


def timed_ms(action: Callable[[], object]) -> float:
    """Milliseconds one call of `action` takes."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction 0.5 = median, 0.95 = p95)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[rank]


def summary(samples: Sequence[float]) -> dict[str, float]:
    return {
        "p50": statistics.median(samples),
        "p95": percentile(samples, 0.95),
        "max": max(samples),
    }


def report(
    title: str,
    measured: Sequence[float],
    baseline: Sequence[float],
    target_ms: float,
    figure: str = "p95",
) -> None:
    """Print p50/p95/max of both series, the ratio of `figure`, and the target verdict."""
    mine, base = summary(measured), summary(baseline)
    ratio = mine[figure] / base[figure] if base[figure] else float("inf")
    verdict = "within" if mine[figure] < target_ms else "OVER"
    print(f"{title}")
    print(
        f"  measured: p50 {mine['p50']:.2f} ms  p95 {mine['p95']:.2f} ms  "
        f"max {mine['max']:.2f} ms  (n={len(measured)})"
    )
    print(
        f"  baseline: p50 {base['p50']:.2f} ms  p95 {base['p95']:.2f} ms  "
        f"max {base['max']:.2f} ms  (n={len(baseline)})"
    )
    print(f"  {figure} ratio measured/baseline: {ratio:.2f}x; target {target_ms:g} ms: {verdict}")


@contextlib.contextmanager
def serving(
    database_url: str,
    folder: Path,
    *,
    quiet: bool = False,
    demo: bool = False,
    env: dict[str, str] | None = None,
) -> Iterator[str]:
    """The real server (`station-server serve`) in a process of its own, as at a station: its
    work shares no interpreter lock with the client timing it. Its URL. `quiet` drops its
    access lines (errors still show); `demo` seeds the demo data into an empty database;
    `env` is its environment."""
    ready = folder / "server-ready.json"
    ready.unlink(missing_ok=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "station_app.server",
            "serve",
            "--port",
            "0",
            "--database-url",
            database_url,
            "--ready-file",
            str(ready),
            "--watch-stdin",
            *(["--seed-demo-if-empty"] if demo else []),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL if quiet else None,
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the core API server did not start")
            time.sleep(0.05)
        yield str(json.loads(ready.read_text())["url"])
    finally:
        assert server.stdin is not None
        server.stdin.close()  # --watch-stdin: the server ends when its stdin closes
        server.wait(timeout=30)


def warm_file(url: str) -> None:
    """Read a SQLite database file through once, so the searches are timed as a server
    that has been running finds it: in the operating system's cache. Cold, a person
    search's first run after this machine's memory reclaimer had dropped the file measured
    51-64 ms at p95 against 31-36 ms warm; that is start-up, not the steady state the
    targets are about."""
    from sqlalchemy.engine import make_url

    path = Path(make_url(url).database or "")
    started = time.perf_counter()
    with path.open("rb") as database:
        while database.read(1 << 24):
            pass
    size = path.stat().st_size / 1e6
    print(
        f"  read the database file once first ({size:,.0f} MB, "
        f"{time.perf_counter() - started:.1f} s)",
        flush=True,
    )


def warm_postgres(url: str) -> None:
    """The same for PostgreSQL: every table and index of the bench's schema read once into
    PostgreSQL's own buffers (pg_prewarm, PostgreSQL's contrib; skipped, saying so, where it
    cannot be installed), as a server that has been running holds what it reads often.
    Cold, a person search's first run measured 50 ms at p95 where the next, warm, measured
    39 ms. Says how big `shared_buffers` is against what was read: at PostgreSQL's default
    of 128 MB the searches read most pages from the operating system's cache at 30-45 us
    each, not from the buffers (docs/server.md, "PostgreSQL's memory")."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    started = time.perf_counter()
    try:
        with engine.begin() as connection:
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm WITH SCHEMA public"))
            pages = connection.execute(
                text(
                    "SELECT coalesce(sum(public.pg_prewarm(c.oid, 'buffer')), 0) FROM pg_class c "
                    "WHERE c.relnamespace = current_schema()::regnamespace "
                    "AND c.relkind IN ('r', 'i')"
                )
            ).scalar_one()
            buffers = connection.execute(
                text("SELECT setting::bigint * 8192 FROM pg_settings WHERE name = 'shared_buffers'")
            ).scalar_one()
        read_mb, buffers_mb = int(pages) * 8192 / 1e6, int(buffers) / 1e6
        fits = "all fit" if read_mb <= buffers_mb else "they do not all fit"
        print(
            f"  read the schema's tables and indexes once first ({read_mb:,.0f} MB, "
            f"{time.perf_counter() - started:.1f} s); shared_buffers {buffers_mb:,.0f} MB: "
            f"{fits}",
            flush=True,
        )
    except Exception as error:  # no right to install pg_prewarm: timed as it is
        print(f"  not warmed first (pg_prewarm: {str(error).splitlines()[0]})", flush=True)
    finally:
        engine.dispose()

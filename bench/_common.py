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

"""Timing and printing helpers shared by the benchmarks (run by `make bench`, never by pytest).

Shared machines are noisy, so every figure is printed next to a baseline measured in
the same run, interleaved with it, and as a ratio to it.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Sequence


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

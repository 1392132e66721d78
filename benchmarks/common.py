"""Shared helpers: timing, percentiles, peak memory, and a figure line beside its baseline."""

from __future__ import annotations

import resource
import statistics
import time
from collections.abc import Callable


def timed(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def line(name: str, value: str, baseline: str, target: str, verdict: str) -> str:
    return f"| {name} | {value} | {baseline} | {target} | {verdict} |"


HEADER = ("| measure | socmed | baseline (same run) | target | met? |\n"
          "|---|---|---|---|---|")

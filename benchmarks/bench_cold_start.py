"""`socmed --help` cold start against a bare `python -c pass`, both as fresh processes.

Run: .venv/bin/python -m benchmarks.bench_cold_start
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import HEADER, line


def median_ms(command: list[str], runs: int = 15) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def main() -> None:
    socmed = str(Path(sys.executable).with_name("socmed"))
    ours = median_ms([socmed, "--help"])
    bare = median_ms([sys.executable, "-c", "pass"])
    print(HEADER)
    print(line("`socmed --help` cold start (median of 15)", f"{ours:.0f} ms",
               f"{bare:.0f} ms bare `python -c pass`", "<= 150 ms",
               "yes" if ours <= 150 else "no"))


if __name__ == "__main__":
    main()

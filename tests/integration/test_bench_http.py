"""benchmarks/bench_http.py in its quick mode, so the script cannot rot unnoticed.

Timing is not asserted (timing belongs to the benchmark's figures, not to tests); what is
checked is that the whole run works end to end: a store made and prepared, `socmed serve` and
the bare Litestar server started as processes, every read endpoint answered 2xx under load
with a real token, and the command flows run over HTTP and in-process on SQLite.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from benchmarks import bench_http

pytestmark = pytest.mark.slow


def test_quick_mode_runs_every_measure(tmp_path: Path, capsys: pytest.CaptureFixture[str]
                                       ) -> None:
    bench_http.main(["--quick", "--cache", str(tmp_path), "--seconds", "1",
                     "--clients", "8", "--workers", "1", "--command-clients", "2"])
    out = capsys.readouterr().out
    rows = [r for r in out.splitlines() if r.startswith("| ")]
    assert any(r.startswith("| bare Litestar endpoint") for r in rows)
    for name in ("approval queue page (50)", "content list page (50, after a random cursor)",
                 "one item's audit trail"):
        [row] = [r for r in rows if r.startswith(f"| {name},")]
        assert "errors" not in row, row  # every request answered 2xx
        assert re.search(r"p95 [\d.]+ .* [\d,]+ req/s", row), row
    [command] = [r for r in rows if r.startswith("| command endpoints, SQLite, 2 client")]
    assert re.search(r"\| [\d.]+x (yes|no) \|$", command), command


def test_breakdown_splits_a_commands_cpu_in_process(backend: Any) -> None:
    """The in-process split drives the real app through ASGI (every flow answered 2xx, or it
    raises) and accounts for the event loop's and the service calls' CPU inside the
    process's; the instrumentation is removed afterwards."""
    from socmed_web.idempotency import IdempotencyStore

    run = IdempotencyStore.run
    parts = bench_http.breakdown(backend.data_dir, 3, backend.database_url)
    assert IdempotencyStore.run is run
    assert parts["loop"] > 0 and parts["service"] > 0
    assert parts["total"] >= parts["loop"] + parts["service"]
    assert parts["other"] == pytest.approx(parts["total"] - parts["loop"] - parts["service"])


def test_bare_floor_is_a_servers_cpu_per_request() -> None:
    # /proc counts CPU in 10 ms ticks and a bare request costs about 0.06 ms: 40 requests
    # could end within one tick (CI saw 0.0); 600 are over 30 ms of the server's CPU
    floor = bench_http.bare_floor(1, 2, requests=600)
    assert 0 < floor < 0.05  # seconds of CPU per request: the server did answer, not idle

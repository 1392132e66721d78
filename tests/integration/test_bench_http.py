"""benchmarks/bench_http.py in its quick mode, so the script cannot rot unnoticed.

Timing is not asserted (timing belongs to the benchmark's figures, not to tests); what is
checked is that the whole run works end to end: a store made and prepared, `socmed serve` and
the bare Litestar server started as processes, every read endpoint answered 2xx under load
with a real token, and the command flows run over HTTP and in-process on SQLite.
"""

from __future__ import annotations

import re
from pathlib import Path

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

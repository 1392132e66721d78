"""`socmed publish run`: one round, or a loop that a SIGTERM stops cleanly; the publisher is
chosen by --publisher or $SOCMED_PUBLISHER, and a bad choice is one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.helpers import Socmed, assert_one_line_error, created_id, event_count, future


def _due_soon(run: Socmed) -> str:
    item = created_id(run.ok("--as", "budi.dm", "content", "create", "--title", "Info layanan",
                             "--text", "Layanan transfer normal kembali.", "--platform", "x"))
    run.ok("--as", "budi.dm", "content", "submit-review", item)
    run.ok("--as", "dewi.dm", "content", "review", item, "--all-checks")
    run.ok("--as", "budi.dm", "content", "submit-approval", item)
    shown = run.json("content", "show", item)
    run.ok("--as", "joko.mm", "content", "approve", item, "--hash",
           shown["summary"]["revision_sha256"])
    run.ok("--as", "adi.admin", "content", "schedule", item, "--at", future(days=0.0007))
    return item


def test_run_once_reports_nothing_due(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    assert "Nothing is due." in run.ok("--as", "adi.admin", "publish", "run", "--once").stdout


def test_the_loop_publishes_and_stops_on_sigterm(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    item = _due_soon(run)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCMED_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "socmed_cli.main", "--data-dir", str(run.data_dir), "--as",
         "adi.admin", "publish", "run", "--loop", "--interval", "5", "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if run.json("content", "show", item)["summary"]["status"] == "published":
            break
        time.sleep(0.5)
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert run.json("content", "show", item)["summary"]["status"] == "published"
    assert '"outcome": "published"' in out


def test_a_publisher_that_cannot_be_built_is_one_line(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    before = event_count(run.data_dir)
    line = assert_one_line_error(run("--as", "adi.admin", "publish", "run", "--publisher",
                                     "platforms"))
    assert "SOCMED_INSTAGRAM_TOKEN" in line
    bad = run("--as", "adi.admin", "publish", "due", env={"SOCMED_PUBLISHER": "bogus"})
    assert "unknown publisher 'bogus'" in assert_one_line_error(bad)
    assert event_count(Path(run.data_dir)) == before

"""`socmed publish run`: one round, or a loop that a SIGTERM stops cleanly; the publisher is
chosen by --publisher or $SOCMED_PUBLISHER, and a bad choice is one line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.cli.helpers import Socmed, assert_one_line_error, event_count


def _already_due(run: Socmed) -> str:
    """An approved item whose slot passed a minute ago: made through the library with a
    clock an hour behind, so the scheduler (on the real clock) finds it due at once."""
    from datetime import UTC, datetime, timedelta

    from socmed_adapters.bootstrap import bootstrap
    from socmed_adapters.clock import ManualClock
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft
    from tests.conftest import seed_approved

    clock = ManualClock(datetime.now(UTC) - timedelta(hours=1))
    services = bootstrap(run.data_dir, clock=clock)
    try:
        app = services.app
        item = seed_approved(app, "Info layanan",
                             Draft("Layanan transfer normal kembali.", (Platform.X,)),
                             manager="joko.mm")
        app.schedule_content("adi.admin", item, clock() + timedelta(minutes=59))
    finally:
        services.close()
    return str(item)


def test_run_once_reports_nothing_due(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    assert "Nothing is due." in run.ok("--as", "adi.admin", "publish", "run", "--once").stdout


def test_the_loop_publishes_and_stops_on_sigterm(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    item = _already_due(run)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCMED_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "socmed_cli.main", "--data-dir", str(run.data_dir), "--as",
         "adi.admin", "publish", "run", "--loop", "--interval", "5", "--format", "json"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True)
    deadline = time.monotonic() + 90
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

"""`socmed serve --notify` runs the notifier in the server's process: an item submitted while
the server runs reaches the reviewer's mailbox (a real server process, a local SMTP server)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from socmed_adapters.bootstrap import bootstrap
from tests.notifications.conftest import seed
from tests.notifications.receivers import SmtpReceiver


@pytest.mark.slow  # a real server process
def test_serve_with_notify_sends(tmp_path: Path, smtp: SmtpReceiver) -> None:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    store = tmp_path / "store"
    services = bootstrap(store)
    seed(services.app)
    process = subprocess.Popen(
        [sys.executable, "-m", "socmed_cli.main", "--data-dir", str(store), "serve",
         "--port", "0", "--notify"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "SOCMED_SMTP_PORT": str(smtp.port)})
    try:
        item = services.app.content.create("budi.dm", "Promo", Draft(
            "Kopi baru kami hadir minggu ini", (Platform.LINKEDIN,)))
        services.app.content.submit_for_review("budi.dm", item)
        deadline = time.monotonic() + 60
        while len(smtp.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(str(m["To"]) for m in smtp.messages) == [
            "dewi.dm@example.co.id", "sari.legal@example.co.id"]
    finally:
        process.terminate()
        process.wait(timeout=30)
        services.close()

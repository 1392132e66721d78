"""kill -9 `socmed notify run --loop` mid-stream, several times, while events keep coming: no
notification is lost (every decision reaches the receiver and is recorded as sent) and none
is decided twice (one outbox row per event and recipient, one sent record per row)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from typing import Any

import pytest

from socmed_adapters.notifications.notifier import Notifier
from socmed_adapters.notifications.senders import Senders, SmtpSettings
from tests.notifications.conftest import seed
from tests.notifications.receivers import SmtpReceiver

ITEMS = 30


def _loop(backend: Any, smtp: SmtpReceiver, log: Any) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "socmed_cli.main", "--data-dir", str(backend.data_dir)]
    if backend.database_url:
        args += ["--database-url", backend.database_url]
    env = {**os.environ, "SOCMED_SMTP_PORT": str(smtp.port)}
    return subprocess.Popen([*args, "notify", "run", "--loop", "--poll", "0.05"], env=env,
                            stdout=subprocess.DEVNULL, stderr=log)


@pytest.mark.slow  # real processes killed with SIGKILL
def test_notify_loop_killed_mid_stream_loses_nothing_and_decides_nothing_twice(
        backend: Any, smtp: SmtpReceiver, tmp_path: Any) -> None:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    services = backend.services()
    app = services.app
    seed(app)
    rng = random.Random(17)
    kills = 0
    made = 0
    while made < ITEMS:
        path = tmp_path / f"loop{kills}.log"
        with open(path, "wb") as log:
            process = _loop(backend, smtp, log)
        deadline = time.monotonic() + 60
        while "running" not in path.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        for _ in range(rng.randint(4, 8)):
            if made == ITEMS:
                break
            item = app.content.create("budi.dm", f"Promo {made}",
                                      Draft(f"Kopi baru kami hadir minggu ini {made}",
                                            (Platform.X,)))
            app.content.submit_for_review("budi.dm", item)  # dewi.dm and sari.legal
            made += 1
            time.sleep(rng.uniform(0.0, 0.15))
        time.sleep(rng.uniform(0.05, 0.4))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.wait(timeout=30)
    logs = "".join((tmp_path / f"loop{k}.log").read_text() for k in range(kills))
    assert "Traceback" not in logs, logs
    assert kills >= 3
    print("kills", kills, "received", len(smtp.messages))
    # the last run drains what the killed ones left (their claims run out after the lease)
    notifier = Notifier(services, senders=Senders(SmtpSettings(port=smtp.port)),
                        lease=__import__("datetime").timedelta(seconds=60))
    by_the_loops = len(notifier.rows())
    assert by_the_loops > 0, "the killed loops decided nothing"
    deadline = time.monotonic() + 120
    notifier.run_once()
    while notifier.counts()["pending"] and time.monotonic() < deadline:
        notifier.run_once()
        if notifier.counts()["pending"]:
            with notifier.engine.begin() as conn:  # a killed claim: let it go now
                conn.execute(notifier.outbox.update().values(claimed_until=0.0))
    rows = notifier.rows()
    keys = {r["dedupe_key"] for r in rows}
    assert len(rows) == 2 * ITEMS  # decided exactly once: one row per event and recipient
    assert {(r["answers"], r["recipient"]) for r in rows} .__len__() == 2 * ITEMS
    assert all(r["status"] == "sent" for r in rows)
    received = smtp.notification_keys()
    assert set(received) == keys  # nothing lost (a repeat after a kill is allowed)
    sent = app.audit.log("rina.mm", event_type="NotificationSent")
    assert sorted(e.params["key"] for e in sent) == sorted(k[:16] for k in keys)

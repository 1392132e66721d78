"""A hypothesis state machine of the notifier: items submitted, passes that crash at every
step of deciding and of sending (the transaction rolls back as under kill -9), a receiver that
refuses, the clock moving on. Always: each event's decisions are stored whole or not at all
(never twice), every recorded notification was delivered, and in the end every decision is
delivered and recorded exactly once."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.notifications.notifier import Notifier
from socmed_adapters.notifications.senders import Senders, SmtpSettings
from socmed_domain.timezones import WIB
from tests.notifications.conftest import seed
from tests.notifications.receivers import SmtpReceiver

DECIDING = ("decided", "committing", "committed")
SENDING = ("sending", "delivered", "recorded")


class Crash(Exception):
    """Stands for the process dying at that step."""


class NotifierMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="notify-sm-"))
        self.clock = ManualClock(datetime(2026, 12, 10, 9, 0, tzinfo=WIB))
        self.services = bootstrap(self.dir / "store", clock=self.clock)
        seed(self.services.app)
        self.smtp = SmtpReceiver().start()
        self.submitted = 0
        self.failures = 0

    def notifier(self, crash_at: str | None = None) -> Notifier:
        def step(name: str) -> None:
            if name == crash_at:
                raise Crash(name)
        return Notifier(self.services, senders=Senders(SmtpSettings(port=self.smtp.port)),
                        on_step=step, max_attempts=50)

    @rule()
    def submit(self) -> None:
        from socmed_domain.platforms import Platform
        from socmed_domain.production.revision import Draft

        app = self.services.app
        item = app.content.create("budi.dm", f"Promo {self.submitted}", Draft(
            f"Kopi baru kami hadir minggu ini {self.submitted}", (Platform.LINKEDIN,)))
        app.content.submit_for_review("budi.dm", item)  # dewi.dm and sari.legal
        self.submitted += 1

    @rule(step=st.sampled_from(DECIDING + SENDING + (None,)))
    def run(self, step: str | None) -> None:
        with contextlib.suppress(Crash):
            self.notifier(step).run_once()

    @rule()
    def receiver_refuses_next(self) -> None:
        if self.failures < 3:
            self.smtp.fail_first += 1
            self.failures += 1

    @rule()
    def time_passes(self) -> None:
        self.clock.set(self.clock() + timedelta(seconds=61))  # past a lease and a backoff

    def rows(self) -> list[dict[str, Any]]:
        return self.notifier().rows()

    def recorded(self) -> list[str]:
        return [e.params["key"] for e in self.services.app.audit.log(
            "rina.mm", event_type="NotificationSent")]

    @invariant()
    def decided_whole_and_once(self) -> None:
        rows = self.rows()
        per_event: dict[str, int] = {}
        for row in rows:
            per_event[row["answers"]] = per_event.get(row["answers"], 0) + 1
        assert all(count == 2 for count in per_event.values()), per_event
        assert len(per_event) <= self.submitted

    @invariant()
    def recorded_only_what_was_delivered(self) -> None:
        recorded = self.recorded()
        assert len(recorded) == len(set(recorded))
        delivered = {k[:16] for k in self.smtp.notification_keys()}
        assert set(recorded) <= delivered

    def teardown(self) -> None:
        try:
            for _ in range(10):
                self.clock.set(self.clock() + timedelta(minutes=5))
                self.notifier().run_once()
            rows = self.rows()
            assert len(rows) == 2 * self.submitted
            assert all(r["status"] == "sent" for r in rows)
            keys = {r["dedupe_key"] for r in rows}
            assert set(self.smtp.notification_keys()) == keys
            assert sorted(self.recorded()) == sorted(k[:16] for k in keys)
        finally:
            self.smtp.stop()
            self.services.close()
            shutil.rmtree(self.dir, ignore_errors=True)


NotifierMachine.TestCase.settings = settings(max_examples=8, stateful_step_count=12,
                                             deadline=None)
test_notifier_machine = NotifierMachine.TestCase

"""Delivery failures: retried with backoff, surfaced, recorded once when they succeed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from click.testing import CliRunner

from socmed_adapters.notifications.notifier import Notifier
from socmed_adapters.notifications.senders import Senders, SmtpSettings
from tests.notifications.conftest import email_of, seed
from tests.notifications.receivers import SmtpReceiver, WebhookReceiver


def _submit(app: Any) -> None:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.quality import CHECKLIST_KEYS
    from socmed_domain.production.revision import Draft

    item = app.content.create("budi.dm", "Promo", Draft("Kopi baru kami hadir minggu ini",
                                                       (Platform.X,)))
    app.content.submit_for_review("budi.dm", item)
    app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    app.content.submit_for_approval("budi.dm", item)


def test_a_refusing_receiver_is_retried_with_backoff(backend: Any, clock: Any,
                                                    smtp: SmtpReceiver,
                                                    webhook: WebhookReceiver) -> None:
    services = backend.services(clock=clock)
    seed(services.app, webhook.url())
    smtp.fail_first = 2
    webhook.fail_first = 1
    notifier = Notifier(services, senders=Senders(SmtpSettings(port=smtp.port)))
    _submit(services.app)
    first = notifier.run_once()
    assert first.retrying == 3 and first.sent == first.decided - 3
    waiting = notifier.rows("pending")
    assert waiting and all(r["attempts"] == 1 and r["last_error"] for r in waiting)
    # not due before the backoff (5 s after the first failure)
    assert notifier.run_once().sent == 0
    clock.set(clock() + timedelta(seconds=6))
    notifier.run_once()
    clock.set(clock() + timedelta(seconds=11))
    notifier.run_once()
    assert notifier.counts()["pending"] == 0 and notifier.counts()["failed"] == 0
    to_rina = smtp.to(email_of("rina.mm"))
    assert len(to_rina) == 1 and len(webhook.bodies) == 1
    sent = services.app.audit.log("rina.mm", event_type="NotificationSent")
    assert len(sent) == notifier.counts()["sent"] == len(smtp.messages) + len(webhook.bodies)


def test_given_up_after_max_attempts_is_listed_and_retried(tmp_path: Any, clock: Any,
                                                           smtp: SmtpReceiver) -> None:
    from socmed_adapters.bootstrap import bootstrap
    from socmed_cli.main import cli

    services = bootstrap(tmp_path / "store", clock=clock)
    seed(services.app)
    smtp.fail_first = 1000
    notifier = Notifier(services, senders=Senders(SmtpSettings(port=smtp.port)),
                        max_attempts=2)
    _submit(services.app)
    notifier.run_once()
    clock.set(clock() + timedelta(minutes=1))
    notifier.run_once()
    failed = notifier.rows("failed")
    assert failed and all("451" in r["last_error"] for r in failed)
    result = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "store"), "notify", "list",
                                      "--status", "failed", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"status": "failed"' in result.output and "451" in result.output
    smtp.fail_first = 0
    assert notifier.retry_failed() == len(failed)
    assert notifier.run_once().sent == len(failed)
    services.close()

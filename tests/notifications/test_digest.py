"""A kind set to the daily digest waits for the digest hour (08:00 WIB) and goes as one
message per member and channel, carrying every key; each notification is recorded."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.notifications.notifier import Notifier
from socmed_adapters.notifications.senders import Senders, SmtpSettings
from socmed_domain.notifications.contacts import DeliveryMode
from socmed_domain.notifications.rules import NotificationKind
from socmed_domain.timezones import WIB
from tests.notifications.conftest import email_of, seed
from tests.notifications.receivers import SmtpReceiver


def test_digest_waits_for_the_hour_and_goes_as_one_message(tmp_path: Path,
                                                           smtp: SmtpReceiver) -> None:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    clock = ManualClock(datetime(2026, 12, 10, 14, 0, tzinfo=WIB))
    services = bootstrap(tmp_path / "store", clock=clock)
    app = services.app
    seed(app)
    app.contacts.set_preference("sari.legal", "sari.legal", NotificationKind.AWAITING_REVIEW,
                                DeliveryMode.DIGEST)
    notifier = Notifier(services, senders=Senders(SmtpSettings(port=smtp.port)))
    for n in range(3):
        item = app.content.create("budi.dm", f"Promo {n}", Draft(
            f"Kopi baru kami hadir minggu ini {n}", (Platform.LINKEDIN,)))
        app.content.submit_for_review("budi.dm", item)
    notifier.run_once()
    assert len(smtp.to(email_of("dewi.dm"))) == 3  # immediate
    assert smtp.to(email_of("sari.legal")) == []  # waits for 08:00
    clock.set(datetime(2026, 12, 11, 7, 59, tzinfo=WIB))
    notifier.run_once()
    assert smtp.to(email_of("sari.legal")) == []
    clock.set(datetime(2026, 12, 11, 8, 0, tzinfo=WIB) + timedelta(seconds=1))
    notifier.run_once()
    digest = smtp.to(email_of("sari.legal"))
    assert len(digest) == 1
    keys = str(digest[0]["X-Socmed-Notification-Key"]).split()
    assert len(keys) == 3 and "daily digest: 3" in str(digest[0]["Subject"])
    recorded = [e.params["recipient"] for e in app.audit.log(
        "rina.mm", event_type="NotificationSent")]
    assert recorded.count("sari.legal") == 3 and recorded.count("dewi.dm") == 3
    services.close()

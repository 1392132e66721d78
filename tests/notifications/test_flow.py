"""Notifications through the real flow, on SQLite and PostgreSQL: commands on the store, the
notifier deciding from the log, email to a local SMTP server and chat to a local webhook
receiver, and each sent notification recorded in the audit log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from socmed_adapters.notifications.notifier import Notifier
from socmed_adapters.notifications.senders import Senders, SmtpSettings
from socmed_domain.notifications.rules import NotificationKind
from tests.notifications.conftest import email_of, seed
from tests.notifications.receivers import SmtpReceiver, WebhookReceiver


def notifier(services: Any, smtp: SmtpReceiver, **kwargs: Any) -> Notifier:
    return Notifier(services, senders=Senders(SmtpSettings(port=smtp.port)), **kwargs)


def draft(text: str = "Kopi baru kami hadir minggu ini") -> Any:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    return Draft(text, (Platform.X, Platform.LINKEDIN), hashtags=("kopi",))


def kinds_to(smtp: SmtpReceiver, member: str) -> list[str]:
    """The kinds each message to `member` was about, from the outbox's subjects."""
    return [str(m["Subject"]) for m in smtp.to(email_of(member))]


def sent_kinds(services: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for entry in services.app.audit.log("rina.mm", event_type="NotificationSent"):
        found.setdefault(entry.params["kind"], set()).add(entry.params["recipient"])
    return found


def test_every_kind_reaches_its_recipients(backend: Any, clock: Any, smtp: SmtpReceiver,
                                           webhook: WebhookReceiver) -> None:
    from socmed_domain.crisis.incident import EscalationTarget, IncidentCategory
    from socmed_domain.production.quality import CHECKLIST_KEYS

    services = backend.services(clock=clock)
    app = services.app
    seed(app, webhook.url())
    n = notifier(services, smtp)
    assert n.run_once().decided == 0  # channels set, nothing to tell yet

    # stage 2: review, approval, an edit voiding the approval
    item = app.content.create("budi.dm", "Promo kopi Desember", draft())
    app.content.submit_for_review("budi.dm", item)
    app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    app.content.submit_for_approval("budi.dm", item)
    app.content.approve("rina.mm", item)
    app.content.revise("budi.dm", item, draft("Kopi baru kami hadir Jumat ini"))
    # stage 1: a campaign awaiting approval
    from datetime import datetime

    from socmed_domain.planning.campaign import CampaignPlan, Period
    from socmed_domain.platforms import Platform
    from socmed_domain.timezones import WIB

    app.planning.plan_campaign("budi.dm", CampaignPlan(
        "Promo Desember", Period(datetime(2026, 12, 1, tzinfo=WIB),
                                 datetime(2027, 1, 31, tzinfo=WIB)), platforms=(Platform.X,)))
    # stage 6: an incident opened, escalated, a statement awaiting Legal, the PDP clock
    incident = app.incidents.open_incident("adi.admin", "Data nasabah bocor",
                                           IncidentCategory.PERSONAL_DATA_BREACH)
    app.incidents.escalate_incident("adi.admin", incident, EscalationTarget.LEGAL)
    app.incidents.classify_incident("rina.mm", incident, 2, "kebocoran data")
    report = n.run_once()
    assert report.failed == 0 and report.sent == report.decided > 0

    got = sent_kinds(services)
    assert got[NotificationKind.AWAITING_REVIEW.value] == {"dewi.dm", "sari.legal"}
    assert got[NotificationKind.AWAITING_APPROVAL.value] == {"rina.mm"}
    assert got[NotificationKind.APPROVAL_VOIDED.value] == {"rina.mm"}  # budi edited it
    assert got[NotificationKind.CAMPAIGN_AWAITS_APPROVAL.value] == {"rina.mm"}
    assert got[NotificationKind.INCIDENT_OPENED.value] == {"rina.mm", "sari.legal"}
    assert got[NotificationKind.INCIDENT_ESCALATED.value] == {"rina.mm"}
    assert got[NotificationKind.ACKNOWLEDGEMENT_AWAITED.value] == {"sari.legal"}
    assert any("awaits your approval" in s for s in kinds_to(smtp, "rina.mm"))
    # rina's chat webhook got the same notifications as her email
    assert len(webhook.bodies) == len(smtp.to(email_of("rina.mm")))
    assert all("[socmed " in b["title"] for b in webhook.bodies)

    # the clock: the UU PDP clock at 24 h, 48 h and 66 h, each once
    known = clock()
    before = len(smtp.messages)
    for hours in (1, 25, 26, 49, 67, 70):
        clock.set(known + timedelta(hours=hours))
        n.run_once()
    pdp = [str(m["Subject"]) for m in smtp.messages[before:] if "UU PDP" in str(m["Subject"])]
    assert len(pdp) == 3 * 2  # three thresholds, to Legal and the Marketing Manager
    assert sorted({s.split(": ")[1].split(",")[0] for s in pdp}) == [
        "24 h passed", "48 h passed", "66 h passed"]
    keys = smtp.notification_keys()
    assert len(keys) == len(set(keys))  # no key delivered twice

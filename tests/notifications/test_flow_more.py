"""The remaining kinds through the real flow, on SQLite and PostgreSQL: a strategy awaiting
approval; a scheduled item unapproved 24 h and 2 h before its slot, then expired; a
publication that failed and one whose outcome is unknown (a platform stand-in refusing and
timing out); a conversation whose SLA runs out soon, then breached; a spike alert; a reply
held for Legal during a level-3 incident."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from socmed_adapters.notifications.notifier import Notifier
from socmed_adapters.notifications.senders import Senders, SmtpSettings
from socmed_domain.notifications.rules import NotificationKind as K
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError
from socmed_domain.timezones import WIB
from tests.notifications.conftest import seed
from tests.notifications.receivers import SmtpReceiver

START = datetime(2026, 12, 10, 9, 0, tzinfo=WIB)  # a Thursday, in business hours


class PlatformStandIn:
    """A platform that refuses posts titled 'gagal' and never answers for 'hilang'."""

    def publish(self, post: Any) -> Any:
        if "gagal" in post.body:
            raise PublishError("akun dibatasi", retryable=False)
        raise OutcomeUnknownError("timeout")

    def find(self, post: Any) -> Any:
        return None


def told(services: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for entry in services.app.audit.log("rina.mm", event_type="NotificationSent"):
        found.setdefault(entry.params["kind"], set()).add(entry.params["recipient"])
    return found


def test_the_clock_and_the_platforms_and_the_inbox_notify(backend: Any, smtp: SmtpReceiver
                                                           ) -> None:
    from socmed_adapters.clock import ManualClock
    from socmed_domain.crisis.incident import IncidentCategory
    from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
    from socmed_domain.planning.goals import Goal, GoalKind
    from socmed_domain.planning.strategy_plan import PlatformChoice, StrategyPlan
    from socmed_domain.platforms import Platform
    from socmed_domain.production.quality import CHECKLIST_KEYS
    from socmed_domain.production.revision import Draft

    clock = ManualClock(START)
    services = backend.services(clock=clock, publisher=PlatformStandIn())
    app = services.app
    seed(app)
    n = Notifier(services, senders=Senders(SmtpSettings(port=smtp.port)))

    app.planning.draft_strategy("budi.dm", StrategyPlan(
        "Strategi", goals=(Goal(GoalKind.BRAND_AWARENESS),),
        platforms=(PlatformChoice(Platform.LINKEDIN, "layanan", 3),)))
    app.planning.submit_strategy("budi.dm")

    def item(text: str, approve: bool, slot: datetime) -> Any:
        ref = app.content.create("budi.dm", text, Draft(text, (Platform.LINKEDIN,)))
        if approve:
            app.content.submit_for_review("budi.dm", ref)
            app.content.review("dewi.dm", ref, CHECKLIST_KEYS)
            app.content.submit_for_approval("budi.dm", ref)
            app.content.approve("rina.mm", ref)
        app.content.schedule("adi.admin", ref, slot)
        return ref

    item("Promo gagal minggu ini", True, START + timedelta(hours=3))
    item("Promo hilang minggu ini", True, START + timedelta(hours=3))
    item("Promo belum disetujui", False, START + timedelta(hours=30))
    app.inbox.ingest_interactions("adi.admin", [InboundInteraction(
        Platform.X, InteractionKind.MENTION, "x-1", "ani", "Transfer saya gagal, tolong",
        START)])
    n.run_once()

    # 35 minutes in: the X first response (1 h) runs out within 30 minutes
    clock.set(START + timedelta(minutes=35))
    n.run_once()
    # 3 h: the approved posts are due; one is refused, one gets no answer
    clock.set(START + timedelta(hours=3, minutes=1))
    app.publication.publish_due("adi.admin")
    app.inbox.flag_sla_breaches("budi.dm")
    n.run_once()
    # a spike of complaints, a level-3 incident, a reply held for approval
    burst = [InboundInteraction(
        Platform.X, InteractionKind.MENTION, f"x-burst-{i}", f"user{i}",
        "Transfer gagal terus, kecewa banget", clock() - timedelta(minutes=60 - 2 * i))
        for i in range(25)]
    report = app.inbox.ingest_interactions("adi.admin", burst)
    app.inbox.raise_spike_alerts("adi.admin", report.first_at, report.last_at)
    incident = app.incidents.open_incident("adi.admin", "Gangguan transfer",
                                           IncidentCategory.COMPLAINT_WAVE)
    app.incidents.classify_incident("rina.mm", incident, 3, "gangguan luas")
    from socmed_domain.monitoring.interaction import conversation_id

    held = app.inbox.reply_to_conversation("adi.admin", conversation_id(Platform.X, "x-1"),
                                           "Mohon maaf, sedang kami cek.")
    assert held == "held"
    n.run_once()
    # the unapproved item: 24 h and 2 h before its slot, then expired
    for hours in (7, 29, 31):
        clock.set(START + timedelta(hours=hours))
        app.publication.publish_due("adi.admin")
        n.run_once()

    got = told(services)
    assert got[K.STRATEGY_AWAITS_APPROVAL.value] == {"rina.mm"}
    # the admin who ran `publish due` is told of its failures too
    assert got[K.PUBLICATION_FAILED.value] == {"adi.admin", "budi.dm"}
    assert got[K.OUTCOME_UNKNOWN.value] == {"adi.admin"}
    assert got[K.SLA_DUE_SOON.value] == {"adi.admin"}
    assert got[K.SLA_BREACHED.value] == {"rina.mm"}
    assert got[K.SPIKE_ALERT.value] == {"rina.mm", "adi.admin"}
    assert got[K.AWAITING_LEGAL.value] == {"sari.legal"}
    assert got[K.SLOT_UNAPPROVED.value] == {"rina.mm", "budi.dm"}
    assert got[K.SLOT_EXPIRED.value] == {"rina.mm", "budi.dm"}
    subjects = [str(m["Subject"]) for m in smtp.messages]
    assert sum("24 h before its slot" in s for s in subjects) == 2
    assert sum("2 h before its slot" in s for s in subjects) == 2
    assert len(smtp.notification_keys()) == len(set(smtp.notification_keys()))

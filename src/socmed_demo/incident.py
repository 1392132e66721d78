"""The demo month's incident (SOP stage 6), from a spike alert to a reviewed close.

A week of ordinary inbox traffic, then a burst of complaints on the morning of the 29th when
interbank transfers fail (`interactions` ingests them): the spike alert the application
records from those negative messages is the one the Social Media Admin opens the incident
from, with the measured signals; the Marketing Manager classifies it at the level the impact
matrix suggests (3: escalation to Legal and the Marketing Manager, publishing frozen), a
holding statement goes out from the crisis template, the official statement passes Legal
review and the Marketing Manager's approval and is published during the freeze, a promo
scheduled that evening is held and rescheduled, the freeze is released once service is back,
and the incident is resolved, reviewed and closed.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID

from socmed_demo.common import DemoTimeline, at, checks
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.crisis.incident import (
    EscalationTarget,
    FollowUp,
    IncidentCategory,
    PostIncidentReview,
    ResponseKind,
)
from socmed_domain.crisis.templates import template_key
from socmed_domain.monitoring.alerts import SpikeFigures
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import ContentType, Draft

if TYPE_CHECKING:
    from socmed_demo.interactions import DemoInbox

IG, FB, X = Platform.INSTAGRAM, Platform.FACEBOOK, Platform.X
BRAND = "Bank Digital Nusantara"


def add_incident(demo: DemoTimeline, day: Any, inbox: DemoInbox) -> None:
    """Stage 6 on `day` (and the two days after), from the spike alert `inbox` records."""
    app = demo.app
    burst = at(day, 8)
    # Drawn as before the inbox fed the alert, so the rest of the month stays the same.
    demo.rng.randint(0, 10**6)
    # The admin confirms the alert and opens the incident with the burst hour's numbers.
    opened = burst + timedelta(hours=1, minutes=5)
    ids: dict[str, UUID] = {}

    def recorded_alert() -> SpikeFigures:
        assert inbox.alert_id, "the demo burst must raise a spike alert"
        figures = app.inbox.spike_alert(inbox.alert_id).figures
        assert figures is not None
        return figures

    def open_incident() -> UUID:
        alert, hour = recorded_alert(), inbox.burst_negatives
        signals = ImpactSignals(
            negative_mentions=hour, baseline_mean=Decimal(f"{alert.baseline_mean:.2f}"),
            velocity_per_hour=Decimal(hour), estimated_reach=180_000,
            negative_share=Decimal("0.74"))
        return app.incidents.open_incident(
            "adi.admin", "Gangguan transfer antarbank", IncidentCategory.COMPLAINT_WAVE,
            f"{hour} mention negatif dalam satu jam (biasanya {alert.baseline_mean:.2f}); "
            "transfer BI-FAST gagal sejak 08.00.", alert_id=inbox.alert_id, signals=signals,
            detected_at=alert.window_end)

    def stream() -> Any:
        return lambda: UUID(int=demo.incident_ids.getrandbits(128), version=4)

    def with_own_ids(run: Any) -> Any:
        def step() -> Any:
            content_ids = app.new_id
            app.new_id = stream()
            try:
                return run()
            finally:
                app.new_id = content_ids
        return step

    # A promo booked for that evening, approved days before: the freeze will hold it.
    promo_slot = at(day, 19)
    demo.slot(promo_slot)
    demo.add(at(day - timedelta(days=2), 10), "promo: draft", with_own_ids(
        lambda: ids.__setitem__("promo", app.content.create(
            "dewi.dm", "Promo akhir tahun: cashback QRIS",
            Draft(text="Cashback 10% untuk transaksi QRIS sampai 31 Desember. Syarat dan "
                  "ketentuan berlaku.", platforms=(FB, X), content_type=ContentType.TEXT,
                  hashtags=("BankNusa",)), campaign_id=None))))
    def review_promo() -> None:
        app.content.submit_for_review("dewi.dm", ids["promo"])
        app.content.review("budi.dm", ids["promo"], checks(app), "OK")
        app.content.submit_for_approval("budi.dm", ids["promo"])
        app.content.approve("rina.mm", ids["promo"], comment="Disetujui.")
        app.content.schedule("adi.admin", ids["promo"], promo_slot, (FB,))
    demo.add(at(day - timedelta(days=2), 11), "promo: review, approve, schedule", review_promo)

    demo.add(opened, "incident: open from the spike alert", with_own_ids(
        lambda: ids.__setitem__("incident", open_incident())))
    demo.refused(opened + timedelta(minutes=5), "admin classifies the incident",
                 lambda: app.incidents.classify_incident("adi.admin", ids["incident"], 3))
    demo.add(opened + timedelta(minutes=15), "incident: classify",
             lambda: app.incidents.classify_incident("rina.mm", ids["incident"], 3))
    def holding() -> str:
        """The holding statement from the crisis templates in force (the company's
        configuration, applied early in the month)."""
        return app.configuration.render_crisis_template(
            template_key(IncidentCategory.COMPLAINT_WAVE, ResponseKind.HOLDING_STATEMENT), "id",
            brand=BRAND, topic="transfer antarbank", hours=2,
            channel="DM @banknusa atau 1500-123")
    demo.add(opened + timedelta(minutes=25), "incident: holding statement",
             lambda: app.incidents.log_incident_action("adi.admin", ids["incident"],
                                             ResponseKind.HOLDING_STATEMENT, holding()))
    demo.add(opened + timedelta(minutes=40), "incident: legal acknowledges",
             lambda: app.incidents.acknowledge_incident("sari.legal", ids["incident"],
                                              EscalationTarget.LEGAL, "Legal memantau."))
    demo.add(opened + timedelta(minutes=45), "incident: manager acknowledges",
             lambda: app.incidents.acknowledge_incident("rina.mm", ids["incident"],
                                              EscalationTarget.MARKETING_MANAGER))

    statement_slot = at(day, 12)
    demo.slot(statement_slot)

    def draft_statement() -> None:
        ids["statement"] = app.content.create(
            "budi.dm", "Pernyataan resmi: gangguan transfer antarbank",
            Draft(text="Pernyataan resmi Bank Digital Nusantara: sejak pukul 08.00 WIB "
                  "sebagian transfer antarbank gagal karena gangguan pada sistem kami. Dana "
                  "nasabah aman; transaksi yang gagal dikembalikan otomatis paling lambat "
                  "1x24 jam. Info: 1500-123.", platforms=(X, FB), hashtags=("BankNusa",)))
        app.incidents.link_statement("budi.dm", ids["incident"], ids["statement"],
                           "pernyataan resmi untuk X dan Facebook")
        app.content.schedule("adi.admin", ids["statement"], statement_slot)
        app.content.submit_for_review("budi.dm", ids["statement"], "mohon review Legal")
    demo.add(opened + timedelta(minutes=60), "statement: draft and link",
             with_own_ids(draft_statement))
    demo.add(opened + timedelta(minutes=90), "statement: Legal review", lambda: app.content.review(
        "sari.legal", ids["statement"], checks(app), "Tidak ada pengakuan yang berlebihan."))
    demo.add(opened + timedelta(minutes=95), "statement: submit for approval",
             lambda: app.content.submit_for_approval("budi.dm", ids["statement"]))
    demo.add(opened + timedelta(minutes=100), "statement: approve",
             lambda: app.content.approve("rina.mm", ids["statement"],
                                         comment="Disetujui untuk segera terbit."))
    # The evening run holds the promo; next morning it is moved to the 30th's evening.
    new_promo_slot = demo.slot(at(day + timedelta(days=1), 19))
    demo.add(at(day + timedelta(days=1), 9), "promo: reschedule after the freeze",
             lambda: app.content.schedule("adi.admin", ids["promo"], new_promo_slot, (FB,)))
    demo.add(at(day + timedelta(days=1), 10), "incident: release the freeze",
             lambda: app.incidents.release_publishing("rina.mm", ids["incident"],
                                            "Layanan pulih sejak 23.00; promo boleh jalan"))
    demo.add(at(day + timedelta(days=1), 16), "incident: resolve",
             lambda: app.incidents.resolve_incident("rina.mm", ids["incident"],
                                          "Transfer normal; 1.284 transaksi dikembalikan"))
    review_day = day + timedelta(days=2)
    demo.add(at(review_day, 10), "incident: review", lambda: app.incidents.review_incident(
        "rina.mm", ids["incident"], PostIncidentReview(
            "08.00 gangguan, 09.05 insiden dibuka dari spike alert, 09.30 holding statement, "
            "12.00 pernyataan resmi, 23.00 pulih.",
            "Spike alert menangkap lonjakan dalam satu jam; pernyataan resmi lolos Legal "
            "dalam 3 jam.",
            "Tim TI baru memberi konfirmasi penyebab pukul 11.00.",
            (FollowUp("Jalur eskalasi langsung ke tim TI untuk gangguan transaksi", "adi.admin",
                      review_day + timedelta(days=14)),))))
    def close() -> None:
        app.incidents.close_incident("rina.mm", ids["incident"], "Ditutup setelah tinjauan")
        report = app.incidents.incident_report(ids["incident"])
        alert = recorded_alert()
        spotted = alert.window_end.astimezone(burst.tzinfo)
        demo.report.notes.append(
            f"incident {report.ref}: spike alert {inbox.alert_id} at {spotted:%H:%M}"
            f" ({inbox.burst_negatives} negative messages in the hour, usually "
            f"{alert.baseline_mean:.2f} an hour) -> "
            f"level {report.level}, statement published "
            "after Legal review during the freeze, freeze released, closed after review")
    demo.add(at(review_day, 11), "incident: close", close)
    demo.incident_keys = ids

"""Incidents through the Application on SQLite and PostgreSQL: the freeze holds scheduled
posts, the official statement goes out only after Legal review and Marketing Manager
approval, and the incident closes only after its review."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from tests.conftest import seed_team

from socmed_adapters.clock import ManualClock
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.crisis.incident import (
    EscalationTarget,
    FollowUp,
    IncidentCategory,
    PostIncidentReview,
    ResponseKind,
)
from socmed_domain.errors import InvalidStateError, NotFoundError, PermissionDeniedError
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.timezones import WIB

T0 = datetime(2026, 12, 10, 9, tzinfo=WIB)
VIRAL = ImpactSignals(negative_mentions=120, baseline_mean=Decimal(8),
                      velocity_per_hour=Decimal(40), estimated_reach=250_000,
                      negative_share=Decimal("0.7"))


def approved_post(app, title: str, reviewer: str, when: datetime) -> str:  # type: ignore[no-untyped-def]
    item = app.create_content("budi.dm", title, Draft(f"{title}: info resmi", (Platform.X,)))
    app.submit_for_review("budi.dm", item)
    assert app.review_content(reviewer, item, CHECKLIST_KEYS).passed
    app.submit_for_approval("budi.dm", item)
    app.approve_content("rina.mm", item)
    app.schedule_content("adi.admin", item, when)
    return str(item)


def outcomes(lines) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {line.title: line.outcome for line in lines}


def test_an_incident_from_alert_to_reviewed_close(backend) -> None:  # type: ignore[no-untyped-def]
    clock = ManualClock(T0)
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    promo = approved_post(app, "Promo akhir tahun", "dewi.dm", T0 + timedelta(hours=2))
    with pytest.raises(PermissionDeniedError):
        app.open_incident("maya.agency", "Keluhan", IncidentCategory.COMPLAINT_WAVE)
    incident = app.open_incident("adi.admin", "Gangguan transfer antarbank",
                                 IncidentCategory.COMPLAINT_WAVE, "Lonjakan keluhan",
                                 alert_id="spike-2026-12-10T09", signals=VIRAL)
    with pytest.raises(PermissionDeniedError):
        app.classify_incident("adi.admin", incident, 3)
    app.classify_incident("rina.mm", incident, 3)  # the matrix suggests 3: no reason needed
    report = app.incident_report(str(incident)[:8])
    assert report.level == 3 and report.freezing_publishing
    assert {e.target for e in report.escalations} == {EscalationTarget.LEGAL,
                                                       EscalationTarget.MARKETING_MANAGER}
    app.log_incident_action("adi.admin", incident, ResponseKind.HOLDING_STATEMENT,
                            "Kami sedang menangani gangguan transfer.")

    statement = app.create_content("budi.dm", "Pernyataan resmi gangguan transfer",
                                   Draft("Pernyataan resmi: layanan pulih pukul 12.00.",
                                         (Platform.X,)))
    app.link_statement("budi.dm", incident, statement)
    app.submit_for_review("budi.dm", statement)
    app.review_content("dewi.dm", statement, CHECKLIST_KEYS)  # not Legal
    app.submit_for_approval("budi.dm", statement)
    app.approve_content("rina.mm", statement)
    app.schedule_content("adi.admin", statement, T0 + timedelta(hours=2, minutes=30))

    clock.advance(hours=3)
    lines = app.publish_due("adi.admin")
    assert outcomes(lines) == {"Promo akhir tahun": "held",
                               "Pernyataan resmi gangguan transfer": "held"}
    statement_line = next(ln for ln in lines if ln.title.startswith("Pernyataan"))
    assert "Legal review" in statement_line.detail
    assert app.get_content(promo).summary.status == "scheduled"

    app.request_changes("sari.legal", statement, "tambahkan nomor layanan")
    app.revise_content("budi.dm", statement, Draft(
        "Pernyataan resmi: layanan pulih pukul 12.00. Info: 1500-123.", (Platform.X,)))
    app.schedule_content("adi.admin", statement, clock() + timedelta(minutes=5))
    app.submit_for_review("budi.dm", statement)
    app.review_content("sari.legal", statement, CHECKLIST_KEYS)
    app.submit_for_approval("budi.dm", statement)
    app.approve_content("rina.mm", statement)
    clock.advance(minutes=10)
    assert outcomes(app.publish_due("adi.admin")) == {
        "Promo akhir tahun": "held", "Pernyataan resmi gangguan transfer": "published"}

    with pytest.raises(InvalidStateError, match="legal"):
        app.resolve_incident("rina.mm", incident, "Layanan pulih")
    app.acknowledge_incident("sari.legal", incident, EscalationTarget.LEGAL, "diterima")
    app.acknowledge_incident("rina.mm", incident, EscalationTarget.MARKETING_MANAGER)
    with pytest.raises(PermissionDeniedError):
        app.release_publishing("sari.legal", incident, "aman")
    app.release_publishing("rina.mm", incident, "Layanan pulih; promo boleh jalan")
    assert outcomes(app.publish_due("adi.admin")) == {"Promo akhir tahun": "published"}
    app.resolve_incident("rina.mm", incident, "Layanan pulih pukul 12.00")
    with pytest.raises(InvalidStateError):
        app.close_incident("rina.mm", incident)
    review = PostIncidentReview("Gangguan 09.00-12.00", "Holding statement < 1 jam",
                                "Eskalasi Legal lambat",
                                (FollowUp("Latihan eskalasi", "nobody", date(2026, 12, 20)),))
    with pytest.raises(NotFoundError, match="nobody"):  # the owner must be a team member
        app.review_incident("rina.mm", incident, review)
    app.review_incident("sari.legal", incident, PostIncidentReview(
        "Gangguan 09.00-12.00", "Holding statement < 1 jam", "Eskalasi Legal lambat",
        (FollowUp("Latihan eskalasi", "adi.admin", date(2026, 12, 20)),)))
    app.close_incident("rina.mm", incident, "selesai")
    report = app.incident_report(incident)
    assert report.status.value == "closed" and not report.freezing_publishing
    assert any(s.kind is ResponseKind.HOLDING_STATEMENT for s in report.statements)
    assert report.response_times.to_resolved is not None
    history = [e.event_type for e in app.incident_history(incident)]
    assert history[0] == "IncidentOpened" and history[-1] == "IncidentClosed"
    assert "PublishingReleased" in history
    assert app.list_incidents(open_only=True) == ()
    with pytest.raises(NotFoundError):
        app.incident_report("ffff0000")

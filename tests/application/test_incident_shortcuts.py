"""Issue 17's incident shortcuts through the services on SQLite and PostgreSQL: an incident
opened from a recorded alert takes its measurements and detection time; a breach's UU PDP
clock starts at a stated "became aware at" time with a reason; the list shows when notices
are due."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from tests.conftest import Backend, seed_team

from socmed_adapters.clock import ManualClock
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.crisis.incident import IncidentCategory, PdpRecipient
from socmed_domain.errors import (
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
)
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB

START = datetime(2026, 12, 10, 8, 0, tzinfo=WIB)


def _world(backend: Backend) -> tuple[Any, ManualClock]:
    clock = ManualClock(START + timedelta(hours=2))
    services = backend.services(clock=clock)
    seed_team(services.app)
    return services, clock


def test_an_incident_opened_from_an_alert_takes_its_figures(backend: Backend) -> None:
    services, _ = _world(backend)
    app = services.app
    report = app.inbox.ingest_interactions("adi.admin", [InboundInteraction(
        Platform.X, InteractionKind.MENTION, f"x-burst-{n}", f"user{n}",
        "Transfer gagal terus, kecewa banget", START + timedelta(minutes=2 * n))
        for n in range(25)])
    [alert_id] = app.inbox.raise_spike_alerts("adi.admin", report.first_at, report.last_at)
    figures = app.inbox.spike_alert(alert_id).figures
    incident = app.inbox.open_incident_from_alert(
        "adi.admin", alert_id, "Gangguan transfer", IncidentCategory.COMPLAINT_WAVE,
        signals=ImpactSignals(estimated_reach=180_000))
    recorded = app.incidents.incident(incident)
    hours = Decimal(str((figures.window_end - figures.window_start).total_seconds() / 3600))
    assert recorded.alert_id == alert_id
    assert recorded.detected_at == figures.window_end
    assert recorded.signals.negative_mentions == figures.count
    assert recorded.signals.baseline_mean == figures.baseline_mean
    assert recorded.signals.velocity_per_hour == (figures.count / hours).quantize(
        Decimal("0.01"))
    assert recorded.signals.estimated_reach == 180_000  # given: kept
    # a figure given explicitly wins over the alert's
    other = app.inbox.open_incident_from_alert(
        "adi.admin", alert_id, "Lagi", IncidentCategory.COMPLAINT_WAVE,
        signals=ImpactSignals(negative_mentions=99))
    assert app.incidents.incident(other).signals.negative_mentions == 99
    with pytest.raises(NotFoundError):
        app.inbox.open_incident_from_alert("adi.admin", "spike-19990101T000000Z", "X",
                                           IncidentCategory.OTHER)
    with pytest.raises(PermissionDeniedError):
        app.inbox.open_incident_from_alert("maya.agency", alert_id, "X",
                                           IncidentCategory.OTHER)


def test_the_pdp_clock_starts_at_the_stated_awareness(backend: Backend) -> None:
    services, clock = _world(backend)
    incidents = services.app.incidents
    aware = START - timedelta(hours=5)
    with pytest.raises(InvalidInputError):  # a time without a reason
        incidents.open_incident("sari.legal", "Data bocor", IncidentCategory.PERSONAL_DATA_BREACH,
                                aware_at=aware)
    incident = incidents.open_incident(
        "sari.legal", "Data bocor", IncidentCategory.PERSONAL_DATA_BREACH, aware_at=aware,
        aware_reason="vendor memberi tahu lewat email pukul 03.00")
    [row] = incidents.list_incidents()
    assert row.pdp.breach_known_at == aware
    assert row.pdp.due == aware + timedelta(hours=72)
    assert set(row.pdp.missing) == {PdpRecipient.DATA_SUBJECTS, PdpRecipient.AUTHORITY}
    assert any(e.event == "BreachAwarenessStated" and "vendor" in e.reason
               for e in incidents.incident_report(incident).decisions)
    with pytest.raises(InvalidInputError):  # in the future
        incidents.state_breach_awareness("sari.legal", incident,
                                         clock.now + timedelta(hours=1), "nanti")
    incidents.record_pdp_notice("sari.legal", incident, PdpRecipient.AUTHORITY,
                                START, "surat ke Kominfo")
    with pytest.raises(InvalidInputError):  # after a notice already sent
        incidents.state_breach_awareness("sari.legal", incident,
                                         START + timedelta(minutes=30), "salah catat")
    earlier = START - timedelta(hours=8)
    incidents.state_breach_awareness("sari.legal", incident, earlier, "log server")
    [row] = incidents.list_incidents()
    assert row.pdp.due == earlier + timedelta(hours=72)
    assert row.pdp.missing == (PdpRecipient.DATA_SUBJECTS,)
    other = incidents.open_incident("adi.admin", "Keluhan", IncidentCategory.COMPLAINT_WAVE)
    with pytest.raises(InvalidStateError):  # not a breach
        incidents.state_breach_awareness("sari.legal", other, earlier, "x")
    with pytest.raises(InvalidStateError):
        incidents.open_incident("adi.admin", "Keluhan", IncidentCategory.COMPLAINT_WAVE,
                                aware_at=earlier, aware_reason="x")


def test_the_report_shows_the_statement_text_not_the_link_note(backend: Backend) -> None:
    from socmed_domain.production.quality import CHECKLIST_KEYS
    from socmed_domain.production.revision import Draft

    services, _ = _world(backend)
    app = services.app
    incident = app.incidents.open_incident("adi.admin", "Gangguan",
                                           IncidentCategory.COMPLAINT_WAVE)
    item = app.content.create("budi.dm", "Pernyataan resmi", Draft(
        "Layanan transfer sudah pulih pukul 12.00. Mohon maaf.", (Platform.X,)))
    app.incidents.link_statement("rina.mm", incident, item, "draf pertama, tunggu Legal")
    [row] = app.incidents.incident_report(incident).statements
    assert row.text == "Layanan transfer sudah pulih pukul 12.00. Mohon maaf."
    assert row.note == "draf pertama, tunggu Legal"
    # once approved, the approved revision's words
    app.content.submit_for_review("budi.dm", item)
    app.content.review("sari.legal", item, CHECKLIST_KEYS)
    app.content.submit_for_approval("budi.dm", item)
    app.content.approve("rina.mm", item)
    [row] = app.incidents.incident_report(incident).statements
    assert row.text.startswith("Layanan transfer sudah pulih")


def test_a_statement_approved_without_legal_is_warned_and_goes_out_after_legal(
        backend: Backend) -> None:
    """The chosen path (docs/decisions.md, issue 17): linking a statement that was reviewed
    without Legal warns that it is held; it goes through the freeze only once it went back,
    a Legal member reviewed it and the Marketing Manager approved it again."""
    from socmed_domain.production.quality import CHECKLIST_KEYS
    from socmed_domain.production.revision import Draft

    services, clock = _world(backend)
    app = services.app
    incident = app.incidents.open_incident("adi.admin", "Gangguan transfer",
                                           IncidentCategory.COMPLAINT_WAVE,
                                           signals=ImpactSignals(
                                               negative_mentions=120,
                                               baseline_mean=Decimal(8),
                                               velocity_per_hour=Decimal(40),
                                               estimated_reach=250_000))
    app.incidents.classify_incident("rina.mm", incident, 3)  # freezes publishing
    draft = Draft("Pernyataan resmi: layanan pulih pukul 12.00.", (Platform.X,))
    fresh = app.content.create("budi.dm", "Pernyataan kedua", draft)
    link = app.incidents.link_statement_checked("budi.dm", incident, fresh)
    assert link.warning == "statement.legal_review_due"
    assert "Legal" in link.message("en") and "Legal" in link.message("id")

    item = app.content.create("budi.dm", "Pernyataan resmi", draft)
    app.content.submit_for_review("budi.dm", item)
    app.content.review("dewi.dm", item, CHECKLIST_KEYS)  # not Legal
    app.content.submit_for_approval("budi.dm", item)
    app.content.approve("rina.mm", item)
    slot = clock.now + timedelta(minutes=30)
    app.content.schedule("adi.admin", item, slot)
    link = app.incidents.link_statement_checked("budi.dm", incident, item, "resmi")
    assert link.warning == "statement.legal_after_review"
    assert "request changes" in link.message()

    clock.advance(minutes=31)
    [line] = [ln for ln in app.publication.publish_due("adi.admin")
              if ln.title == "Pernyataan resmi"]
    assert line.outcome == "held" and "Legal" in line.detail

    app.content.request_changes("sari.legal", item, "review Legal dulu")
    app.content.submit_for_review("budi.dm", item)
    app.content.review("sari.legal", item, CHECKLIST_KEYS)
    app.content.submit_for_approval("budi.dm", item)
    app.content.schedule("adi.admin", item, clock.now + timedelta(minutes=5))
    app.content.approve("rina.mm", item)
    clock.advance(minutes=6)
    outcomes = {ln.title: ln.outcome for ln in app.publication.publish_due("adi.admin")}
    assert outcomes["Pernyataan resmi"] == "published"
    assert app.incidents.incident_report(incident).freezing_publishing

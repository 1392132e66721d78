"""The incident report (SOP stage 6 'Laporan Insiden'): timeline, decisions with reasons, public
statements, response times and the UU PDP deadline, from the incident alone or its events."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

from tests.unit.crisis.people import ADI, BUDI, LIA, RINA, T0, VIRAL

from socmed_domain.crisis.incident import (
    EscalationTarget,
    FollowUp,
    Incident,
    IncidentCategory,
    IncidentStatus,
    PdpRecipient,
    PostIncidentReview,
    ResponseKind,
)
from socmed_domain.crisis.report import PdpOutcome, build_report

T = EscalationTarget


def minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


def handled_crisis() -> Incident:
    incident = Incident.open_new(ADI, uuid4(), "Paket terlambat 12.12",
                                 IncidentCategory.COMPLAINT_WAVE, "Keluhan massal", T0,
                                 alert_id="alert-7", signals=VIRAL)
    incident.classify(RINA, 3, "", minutes(10))
    incident.log_action(ADI, ResponseKind.HOLDING_STATEMENT, "Kami sedang menanganinya",
                        minutes(25))
    incident.log_action(ADI, ResponseKind.REPLY, "Mohon maaf, tiket INC-1", minutes(26))
    incident.acknowledge(LIA, T.LEGAL, "", minutes(40))
    incident.acknowledge(RINA, T.MARKETING_MANAGER, "", minutes(30))
    incident.link_statement(LIA, "content-1", "pernyataan resmi", minutes(90))
    incident.release_publishing(RINA, "kampanye lain aman", minutes(100))
    incident.resolve(RINA, "Paket terkirim, ongkir dikembalikan", minutes(300))
    incident.record_review(BUDI, PostIncidentReview(
        "ringkas", "cepat", "lambat", (FollowUp("latihan", "adi", date(2026, 12, 15)),)),
        minutes(1440))
    incident.close(RINA, "", minutes(1500))
    return incident


def test_the_report_of_a_handled_crisis() -> None:
    incident = handled_crisis()
    report = build_report(incident)
    assert report.ref == incident.ref and report.source == "alert alert-7"
    assert report.status is IncidentStatus.CLOSED and report.level == 3
    assert report.suggestion is not None and report.suggestion.level == 3
    assert report.opened_by == ADI and report.opened_at == T0
    assert not report.freezing_publishing
    assert len(report.timeline) == len(incident.pending_events)
    assert report.timeline[0].what() == (
        "opened incident 'Paket terlambat 12.12' (complaint_wave)")
    assert [(d.event, d.actor.member_id, d.reason) for d in report.decisions] == [
        ("IncidentClassified", "rina", ""),
        ("IncidentEscalated", "rina", "required at level 3"),
        ("IncidentEscalated", "rina", "required at level 3"),
        ("PublishingFrozen", "rina", "level 3 classification"),
        ("EscalationAcknowledged", "lia", ""),
        ("EscalationAcknowledged", "rina", ""),
        ("PublishingReleased", "rina", "kampanye lain aman"),
        ("IncidentResolved", "rina", "Paket terkirim, ongkir dikembalikan"),
        ("IncidentClosed", "rina", ""),
    ]
    assert [(s.kind, s.linked, s.content_item_id) for s in report.statements] == [
        (ResponseKind.HOLDING_STATEMENT, False, None),
        (ResponseKind.OFFICIAL_STATEMENT, True, "content-1"),
    ]
    times = report.response_times
    assert times.to_classified == timedelta(minutes=10)
    assert times.to_first_holding_statement == timedelta(minutes=25)
    assert times.to_first_escalation == timedelta(minutes=10)
    assert times.to_required_acknowledgements == timedelta(minutes=40)
    assert times.to_resolved == timedelta(minutes=300)
    assert times.to_closed == timedelta(minutes=1500)
    assert report.pdp.outcome is PdpOutcome.NOT_APPLICABLE
    assert report.review is not None and report.review.follow_ups[0].owner_id == "adi"
    assert [e.target for e in report.escalations] == [T.LEGAL, T.MARKETING_MANAGER]
    assert report.generated_at == minutes(1500)


def test_steps_not_taken_have_no_time() -> None:
    incident = Incident.open_new(ADI, uuid4(), "x", IncidentCategory.OTHER, "", T0)
    report = build_report(incident, now=minutes(5))
    assert report.source == "manual" and report.level is None
    assert report.response_times.to_classified is None
    assert report.response_times.to_first_holding_statement is None
    assert report.response_times.to_required_acknowledgements is None
    assert report.decisions == () and report.statements == ()


def _breach() -> Incident:
    return Incident.open_new(ADI, uuid4(), "Data bocor", IncidentCategory.PERSONAL_DATA_BREACH,
                             "", T0)


def test_pdp_met_when_both_notices_went_out_within_72_hours() -> None:
    incident = _breach()
    due = T0 + timedelta(hours=72)
    incident.record_pdp_notice(LIA, PdpRecipient.DATA_SUBJECTS, due, "surel", due)
    incident.record_pdp_notice(LIA, PdpRecipient.AUTHORITY, minutes(60), "surat", due)
    pdp = build_report(incident).pdp
    assert pdp.outcome is PdpOutcome.MET and pdp.due == due and pdp.breach_known_at == T0
    assert [n.recipient for n in pdp.notices] == [PdpRecipient.DATA_SUBJECTS,
                                                  PdpRecipient.AUTHORITY]


def test_pdp_missed_when_a_notice_went_out_late() -> None:
    incident = _breach()
    late = T0 + timedelta(hours=72, minutes=1)
    incident.record_pdp_notice(LIA, PdpRecipient.DATA_SUBJECTS, minutes(60), "surel", late)
    incident.record_pdp_notice(LIA, PdpRecipient.AUTHORITY, late, "surat", late)
    assert build_report(incident).pdp.outcome is PdpOutcome.MISSED


def test_pdp_pending_then_overdue_while_a_notice_is_missing() -> None:
    incident = _breach()
    incident.record_pdp_notice(LIA, PdpRecipient.DATA_SUBJECTS, minutes(60), "surel",
                               minutes(61))
    assert build_report(incident, now=minutes(120)).pdp.outcome is PdpOutcome.PENDING
    overdue = build_report(incident, now=T0 + timedelta(hours=73)).pdp
    assert overdue.outcome is PdpOutcome.OVERDUE


def test_events_given_supply_the_timeline_and_only_this_incidents_events_count() -> None:
    incident = handled_crisis()
    other = _breach()
    events = [*other.pending_events, *incident.pending_events]
    report = build_report(incident, events=events)  # type: ignore[arg-type]
    assert report.timeline == build_report(incident).timeline

"""Incident rules (SOP stage 6): who may do what, in which state; classification against the
impact matrix; escalation and acknowledgement; the publishing freeze; the UU PDP clock; no
close without review. Every refusal leaves the aggregate exactly as it was."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from tests.sop_rules import allowed
from tests.unit.crisis.people import ADI, BUDI, EVERYONE, LIA, RINA, T0, VIRAL, WAVE

from socmed_domain.actor import Actor
from socmed_domain.crisis.impact import ImpactSignals
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
from socmed_domain.errors import (
    InvalidInputError,
    InvalidStateError,
    PermissionDeniedError,
    SocmedError,
)
from socmed_domain.i18n import MESSAGES, TERMS_ID
from socmed_domain.roles import Action

REVIEW = PostIncidentReview(
    "Keluhan naik pukul 09.00, holding statement 09.40, selesai H+2.",
    "Holding statement cepat.", "Eskalasi ke Legal terlambat.",
    (FollowUp("Latih admin soal eskalasi", "adi", date(2026, 12, 20)),))
T = EscalationTarget


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def opened(category: IncidentCategory = IncidentCategory.COMPLAINT_WAVE,
           signals: ImpactSignals | None = WAVE, **kwargs: Any) -> Incident:
    return Incident.open_new(ADI, uuid4(), "Keluhan pengiriman 12.12", category,
                             "Banyak keluhan paket terlambat", T0, signals=signals, **kwargs)


def at_level(level: int, **kwargs: Any) -> Incident:
    incident = opened(**kwargs)
    incident.classify(RINA, level, "" if level == 2 else "penilaian Manajer", at(5))
    return incident


def acknowledged(incident: Incident) -> Incident:
    for target in incident.pending_acknowledgements:
        actor = LIA if target is T.LEGAL else RINA
        incident.acknowledge(actor, target, "Pak Direktur Utama, 09.30", at(20))
    return incident


def resolved(level: int = 3) -> Incident:
    incident = acknowledged(at_level(level))
    incident.resolve(RINA, "Paket terkirim, kompensasi ongkir diberikan", at(60))
    return incident


def state(incident: Incident) -> dict[str, Any]:
    return copy.deepcopy({k: v for k, v in vars(incident).items() if k != "_pending_events"})


def refused(error: type[SocmedError], command: Callable[..., Any], *args: Any,
            **kwargs: Any) -> SocmedError:
    """Call a bound command of an incident; it must raise `error` and change nothing."""
    incident: Incident = command.__self__  # type: ignore[attr-defined]
    return refused_on(incident, error, lambda: command(*args, **kwargs))


def refused_on(incident: Incident, error: type[SocmedError],
               command: Callable[[], Any]) -> SocmedError:
    before = (incident.version, len(incident.pending_events), state(incident))
    with pytest.raises(error) as raised:
        command()
    assert (incident.version, len(incident.pending_events), state(incident)) == before
    assert raised.value.message("en") != raised.value.code
    assert raised.value.message("id") != raised.value.code
    return raised.value


def names(incident: Incident) -> list[str]:
    return [type(e).__name__ for e in incident.pending_events]


# ------------------------------------------------------------------- the whole life


def test_the_whole_life_of_a_level_3_incident() -> None:
    incident = opened(signals=VIRAL, alert_id="alert-42")
    assert incident.alert_id == "alert-42" and incident.status is IncidentStatus.OPEN
    incident.log_action(ADI, ResponseKind.HOLDING_STATEMENT, "Kami sedang menanganinya", at(3))
    incident.classify(RINA, 3, "", at(5))
    assert incident.is_freezing_publishing
    assert incident.pending_acknowledgements == (T.LEGAL, T.MARKETING_MANAGER)
    incident.acknowledge(LIA, T.LEGAL, "", at(10))
    incident.acknowledge(RINA, T.MARKETING_MANAGER, "", at(11))
    content_id = str(uuid4())
    incident.link_statement(LIA, content_id, "Pernyataan resmi, direview Legal", at(30))
    assert incident.is_statement(content_id) and not incident.is_statement("other")
    incident.resolve(RINA, "Paket terkirim", at(120))
    assert not incident.is_freezing_publishing
    incident.record_review(BUDI, REVIEW, at(24 * 60))
    incident.close(RINA, "", at(25 * 60))
    assert incident.status is IncidentStatus.CLOSED
    assert names(incident) == [
        "IncidentOpened", "ActionLogged", "IncidentClassified", "IncidentEscalated",
        "IncidentEscalated", "PublishingFrozen", "EscalationAcknowledged",
        "EscalationAcknowledged", "StatementLinked", "IncidentResolved", "IncidentReviewed",
        "IncidentClosed"]
    resolved_event = incident.pending_events[9]
    assert resolved_event.freeze_ended is True  # type: ignore[attr-defined]


def test_the_timeline_names_who_did_what_and_why_in_both_languages() -> None:
    incident = at_level(3)
    rows = incident.timeline
    assert [r.event for r in rows] == ["IncidentOpened", "IncidentClassified",
                                       "IncidentEscalated", "IncidentEscalated",
                                       "PublishingFrozen"]
    assert rows[0].actor == ADI and rows[0].at == T0
    assert rows[1].what() == ("classified the incident as complaint_wave at level 3 "
                              "(suggested 2)")
    assert rows[1].what("id").startswith("mengklasifikasikan insiden")
    assert rows[1].reason == "penilaian Manajer"
    assert rows[4].reason == "level 3 classification"


def test_replaying_the_events_rebuilds_the_same_incident() -> None:
    incident = resolved(4)
    rebuilt = None
    for event in incident.pending_events:
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, Incident)
    assert state(rebuilt) == state(incident)


# ---------------------------------------------------------------------------- roles


def _command(name: str, incident: Incident, actor: Actor) -> Callable[[], Any]:
    return {
        "classify": lambda: incident.classify(actor, 2, "", at(5)),
        "escalate": lambda: incident.escalate(actor, T.LEGAL, "tolong cek", at(5)),
        "log": lambda: incident.log_action(actor, ResponseKind.REPLY, "Mohon maaf", at(5)),
        "link": lambda: incident.link_statement(actor, "c-1", "", at(5)),
        "freeze": lambda: incident.freeze_publishing(actor, "hati-hati", at(5)),
        "pdp": lambda: incident.record_pdp_notice(actor, PdpRecipient.DATA_SUBJECTS, at(4),
                                                  "surel", at(5)),
    }[name]


@pytest.mark.parametrize(("name", "action"), [
    ("classify", Action.CLASSIFY_INCIDENT), ("escalate", Action.ESCALATE_INCIDENT),
    ("log", Action.LOG_INCIDENT_ACTION), ("link", Action.LOG_INCIDENT_ACTION),
    ("freeze", Action.FREEZE_PUBLISHING), ("pdp", Action.LOG_INCIDENT_ACTION),
])
@pytest.mark.parametrize("actor", EVERYONE, ids=lambda a: a.member_id)
def test_each_open_incident_command_by_role(name: str, action: Action, actor: Actor) -> None:
    incident = opened(IncidentCategory.PERSONAL_DATA_BREACH)
    command = _command(name, incident, actor)
    if allowed(action, actor.role):
        command()
    else:
        error = refused_on(incident, PermissionDeniedError, command)
        assert "may not" in str(error) and "tidak boleh" in error.message("id")


@pytest.mark.parametrize("actor", EVERYONE, ids=lambda a: a.member_id)
def test_only_allowed_roles_open_incidents(actor: Actor) -> None:
    if allowed(Action.OPEN_INCIDENT, actor.role):
        Incident.open_new(actor, uuid4(), "x", IncidentCategory.OTHER, "", T0)
    else:
        with pytest.raises(PermissionDeniedError):
            Incident.open_new(actor, uuid4(), "x", IncidentCategory.OTHER, "", T0)


@pytest.mark.parametrize("actor", EVERYONE, ids=lambda a: a.member_id)
def test_only_the_marketing_manager_releases_resolves_and_closes(actor: Actor) -> None:
    incident = acknowledged(at_level(3))
    if actor is not RINA:
        refused(PermissionDeniedError, incident.release_publishing, actor, "aman", at(30))
        refused(PermissionDeniedError, incident.resolve, actor, "selesai", at(30))
        return
    incident.release_publishing(actor, "aman", at(30))
    incident.resolve(actor, "selesai", at(31))
    incident.record_review(LIA, REVIEW, at(40))
    incident.close(actor, "", at(41))


@pytest.mark.parametrize("actor", EVERYONE, ids=lambda a: a.member_id)
def test_reviews_by_manager_digital_marketing_and_legal(actor: Actor) -> None:
    incident = resolved()
    if allowed(Action.REVIEW_INCIDENT, actor.role):
        incident.record_review(actor, REVIEW, at(90))
    else:
        refused(PermissionDeniedError, incident.record_review, actor, REVIEW, at(90))


# ------------------------------------------------------------------- classification


def test_a_level_other_than_the_suggestion_needs_a_reason() -> None:
    incident = opened(signals=VIRAL)
    error = refused(InvalidInputError, incident.classify, RINA, 2, "  ", at(5))
    assert error.code == "error.incident_override_reason"
    assert "suggested level 3" in str(error) and "8.0× baseline" in str(error)
    assert "8,0× baseline" in error.message("id")
    incident.classify(RINA, 2, "Hanya satu kota, sudah ditangani CS", at(6))
    assert incident.level == 2 and incident.suggestion is not None
    assert incident.suggestion.level == 3


def test_without_signals_every_level_needs_a_reason() -> None:
    incident = opened(signals=None)
    error = refused(InvalidInputError, incident.classify, RINA, 1, "", at(5))
    assert error.code == "error.incident_reason_no_signals"
    incident.classify(RINA, 1, "satu keluhan", at(5))
    assert incident.suggestion is None


def test_fresh_signals_at_classification_replace_the_old_ones() -> None:
    incident = opened(signals=WAVE)
    incident.classify(RINA, 3, "", at(5), signals=VIRAL)
    assert incident.signals == VIRAL and incident.current_suggestion is not None
    assert incident.current_suggestion.level == 3


def test_changing_the_category_needs_a_reason() -> None:
    incident = opened()
    error = refused(InvalidInputError, incident.classify, RINA, 2, "", at(5),
                    category=IncidentCategory.MISINFORMATION)
    assert error.code == "error.incident_category_reason"
    incident.classify(RINA, 2, "hoaks", at(5), category=IncidentCategory.MISINFORMATION)
    assert incident.category is IncidentCategory.MISINFORMATION


@pytest.mark.parametrize("level", [0, 5, -1, True, 3.0, "3", None])
def test_only_levels_1_to_4_exist(level: Any) -> None:
    incident = opened()
    error = refused(InvalidInputError, incident.classify, RINA, level, "x", at(5))
    assert error.code == "error.incident_level"


def test_level_2_neither_escalates_nor_freezes() -> None:
    incident = at_level(2)
    assert incident.pending_acknowledgements == () and not incident.is_freezing_publishing
    incident.resolve(RINA, "selesai", at(10))


def test_level_4_also_escalates_to_management() -> None:
    incident = at_level(4)
    assert incident.pending_acknowledgements == (T.LEGAL, T.MARKETING_MANAGER, T.MANAGEMENT)


def test_a_reclassification_escalates_only_what_is_new() -> None:
    incident = at_level(3)
    incident.classify(RINA, 4, "diberitakan media nasional", at(10))
    escalated = [e.target for e in incident.pending_events  # type: ignore[attr-defined]
                 if type(e).__name__ == "IncidentEscalated"]
    assert escalated == [T.LEGAL, T.MARKETING_MANAGER, T.MANAGEMENT]
    assert names(incident).count("PublishingFrozen") == 1


def test_a_naive_time_is_refused() -> None:
    incident = opened()
    error = refused(InvalidInputError, incident.classify, RINA, 2, "", datetime(2026, 12, 1))
    assert error.code == "error.naive_time"


# ----------------------------------------------------------- escalation and resolution


def test_level_3_cannot_be_resolved_until_legal_and_the_manager_acknowledge() -> None:
    incident = at_level(3)
    error = refused(InvalidStateError, incident.resolve, RINA, "selesai", at(30))
    assert error.code == "error.incident_unacknowledged"
    assert "legal, marketing_manager" in str(error)
    incident.acknowledge(LIA, T.LEGAL, "", at(10))
    error = refused(InvalidStateError, incident.resolve, RINA, "selesai", at(30))
    assert "marketing_manager must" in str(error)
    incident.acknowledge(RINA, T.MARKETING_MANAGER, "", at(11))
    assert incident.unacknowledged_requirements == ()
    incident.resolve(RINA, "selesai", at(30))


def test_an_escalation_is_acknowledged_by_the_role_it_went_to() -> None:
    incident = at_level(4)
    error = refused(PermissionDeniedError, incident.acknowledge, RINA, T.LEGAL, "", at(10))
    assert error.code == "error.incident_ack_role"
    assert "a member with the role legal must" in str(error)
    refused(PermissionDeniedError, incident.acknowledge, LIA, T.MARKETING_MANAGER, "", at(10))
    refused(PermissionDeniedError, incident.acknowledge, LIA, T.MANAGEMENT, "x", at(10))
    error = refused(InvalidInputError, incident.acknowledge, RINA, T.MANAGEMENT, " ", at(10))
    assert error.code == "error.incident_management_ack_note"
    incident.acknowledge(RINA, T.MANAGEMENT, "Bu Direktur Utama, lewat telepon", at(10))
    error = refused(InvalidStateError, incident.acknowledge, RINA, T.MANAGEMENT, "x", at(11))
    assert error.code == "error.incident_already_acknowledged"


def test_escalations_are_sent_once_and_acknowledged_only_when_sent() -> None:
    incident = opened(IncidentCategory.LEGAL_THREAT)
    error = refused(InvalidStateError, incident.acknowledge, LIA, T.LEGAL, "", at(5))
    assert error.code == "error.incident_not_escalated"
    incident.escalate(ADI, T.LEGAL, "somasi dari pengacara pelanggan", at(5))
    error = refused(InvalidStateError, incident.escalate, RINA, T.LEGAL, "", at(6))
    assert error.code == "error.incident_already_escalated"
    incident.acknowledge(LIA, T.LEGAL, "kami tangani", at(7))
    assert incident.pending_acknowledgements == ()


def test_an_unclassified_incident_cannot_be_resolved() -> None:
    incident = opened()
    error = refused(InvalidStateError, incident.resolve, RINA, "selesai", at(5))
    assert error.code == "error.incident_not_classified"


def test_resolving_needs_a_summary() -> None:
    incident = at_level(2)
    error = refused(InvalidInputError, incident.resolve, RINA, " ", at(5))
    assert error.code == "error.empty"


# --------------------------------------------------------------------------- freeze


def test_legal_may_freeze_at_any_level_and_only_the_manager_releases_with_a_reason() -> None:
    incident = at_level(2)
    error = refused(InvalidInputError, incident.freeze_publishing, LIA, "", at(6))
    assert error.code == "error.reason_required"
    incident.freeze_publishing(LIA, "isu SARA sedang ramai", at(6))
    assert incident.is_freezing_publishing
    error = refused(InvalidStateError, incident.freeze_publishing, RINA, "lagi", at(7))
    assert error.code == "error.incident_already_frozen"
    error = refused(InvalidInputError, incident.release_publishing, RINA, "", at(8))
    assert error.code == "error.reason_required"
    incident.release_publishing(RINA, "isu mereda", at(8))
    assert not incident.is_freezing_publishing
    error = refused(InvalidStateError, incident.release_publishing, RINA, "x", at(9))
    assert error.code == "error.incident_not_frozen"


def test_a_new_classification_at_level_3_freezes_again_after_a_release() -> None:
    incident = at_level(3)
    incident.release_publishing(RINA, "kampanye lain tetap jalan", at(10))
    incident.classify(RINA, 3, "masih tinggi", at(20))
    assert incident.is_freezing_publishing


# ------------------------------------------------------------------------- UU PDP


def test_a_breach_starts_the_72_hour_clock_when_it_became_known() -> None:
    known = T0 - timedelta(hours=5)
    incident = opened(IncidentCategory.PERSONAL_DATA_BREACH, detected_at=known)
    assert incident.pdp_notice_due == known + timedelta(hours=72)
    assert incident.pdp_notices_missing == (PdpRecipient.DATA_SUBJECTS, PdpRecipient.AUTHORITY)
    assert not incident.pdp_overdue(known + timedelta(hours=72))
    assert incident.pdp_overdue(known + timedelta(hours=72, seconds=1))


def test_a_breach_cannot_be_resolved_before_both_written_notices_are_recorded() -> None:
    incident = opened(IncidentCategory.PERSONAL_DATA_BREACH)
    incident.classify(RINA, 2, "hanya 3 pelanggan", at(5))
    error = refused(InvalidStateError, incident.resolve, RINA, "selesai", at(30))
    assert error.code == "error.incident_pdp_notice_missing"
    assert "Pasal 46" in str(error) and "Pasal 46" in error.message("id")
    incident.record_pdp_notice(LIA, PdpRecipient.DATA_SUBJECTS, at(20), "surel ke 3", at(25))
    error = refused(InvalidStateError, incident.record_pdp_notice, LIA,
                    PdpRecipient.DATA_SUBJECTS, at(21), "lagi", at(26))
    assert error.code == "error.incident_pdp_already_notified"
    refused(InvalidStateError, incident.resolve, RINA, "selesai", at(30))
    incident.record_pdp_notice(LIA, PdpRecipient.AUTHORITY, at(22), "surat ke lembaga", at(26))
    incident.resolve(RINA, "selesai", at(30))


def test_notice_times_must_lie_between_knowing_and_recording() -> None:
    incident = opened(IncidentCategory.PERSONAL_DATA_BREACH)
    error = refused(InvalidInputError, incident.record_pdp_notice, LIA,
                    PdpRecipient.AUTHORITY, at(-1), "surat", at(5))
    assert error.code == "error.incident_pdp_before_known"
    error = refused(InvalidInputError, incident.record_pdp_notice, LIA,
                    PdpRecipient.AUTHORITY, at(6), "surat", at(5))
    assert error.code == "error.incident_time_after"


def test_notices_are_only_for_breaches() -> None:
    incident = opened()
    error = refused(InvalidStateError, incident.record_pdp_notice, LIA,
                    PdpRecipient.AUTHORITY, at(1), "surat", at(5))
    assert error.code == "error.incident_not_a_breach"
    assert incident.pdp_notice_due is None and incident.pdp_notices_missing == ()


def test_reclassifying_as_a_breach_starts_the_clock_at_the_given_time() -> None:
    incident = opened()
    known = at(2)
    incident.classify(RINA, 4, "data pelanggan bocor", at(5),
                      category=IncidentCategory.PERSONAL_DATA_BREACH, breach_known_at=known)
    assert incident.pdp_notice_due == known + timedelta(hours=72)
    error = refused(InvalidInputError, incident.classify, RINA, 4, "x", at(6),
                    breach_known_at=at(3))
    assert error.code == "error.incident_breach_time_unused"


def test_a_breach_time_after_classification_or_detection_after_opening_is_refused() -> None:
    incident = opened()
    error = refused(InvalidInputError, incident.classify, RINA, 4, "bocor", at(5),
                    category=IncidentCategory.PERSONAL_DATA_BREACH, breach_known_at=at(6))
    assert error.code == "error.incident_time_after"
    with pytest.raises(InvalidInputError) as raised:
        opened(detected_at=at(1))
    assert raised.value.code == "error.incident_time_after"


# ----------------------------------------------------------- review and close


def test_no_review_before_resolve_and_no_close_before_review() -> None:
    incident = at_level(2)
    error = refused(InvalidStateError, incident.record_review, BUDI, REVIEW, at(10))
    assert error.code == "error.incident_state"
    assert "it must be resolved" in str(error)
    assert "mencatat tinjauan insiden" in error.message("id")
    refused(InvalidStateError, incident.close, RINA, "", at(10))
    incident.resolve(RINA, "selesai", at(20))
    error = refused(InvalidStateError, incident.close, RINA, "", at(30))
    assert "it must be reviewed" in str(error)


def test_a_review_needs_its_findings_and_follow_ups_due_from_today() -> None:
    incident = resolved()
    late = PostIncidentReview("t", "w", "d", (FollowUp("x", "adi", date(2026, 11, 30)),))
    error = refused(InvalidInputError, incident.record_review, BUDI, late, at(90))
    assert error.code == "error.incident_follow_up_due"
    empty = PostIncidentReview("t", " ", "d")
    assert refused(InvalidInputError, incident.record_review, BUDI, empty, at(90)).code == (
        "error.empty")
    nobody = PostIncidentReview("t", "w", "d", (FollowUp("x", " ", date(2026, 12, 2)),))
    refused(InvalidInputError, incident.record_review, BUDI, nobody, at(90))
    incident.record_review(BUDI, PostIncidentReview(" t ", "w", "d"), at(90))
    assert incident.review == PostIncidentReview("t", "w", "d")


@pytest.mark.parametrize("command", ["classify", "escalate", "log", "link", "freeze", "pdp"])
def test_a_resolved_incident_takes_no_more_handling_steps(command: str) -> None:
    incident = resolved()
    actor = RINA if command in ("classify", "escalate", "freeze") else LIA
    error = refused_on(incident, InvalidStateError, _command(command, incident, actor))
    assert error.code == "error.incident_state"


def test_a_closed_incident_is_final() -> None:
    incident = resolved()
    incident.record_review(BUDI, REVIEW, at(90))
    incident.close(RINA, "", at(100))
    refused(InvalidStateError, incident.close, RINA, "", at(101))
    refused(InvalidStateError, incident.record_review, BUDI, REVIEW, at(101))
    refused(InvalidStateError, incident.resolve, RINA, "x", at(101))


# ------------------------------------------------------------------------- inputs


def test_a_statement_is_linked_once() -> None:
    incident = opened()
    incident.link_statement(RINA, " c-1 ", "", at(5))
    error = refused(InvalidStateError, incident.link_statement, LIA, "c-1", "", at(6))
    assert error.code == "error.incident_statement_linked"


@pytest.mark.parametrize(("title", "code"), [(" ", "error.empty"), ("x" * 121, "error.too_long")])
def test_an_incident_needs_a_short_title(title: str, code: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        Incident.open_new(ADI, uuid4(), title, IncidentCategory.OTHER, "", T0)
    assert raised.value.code == code


def test_an_empty_action_is_refused() -> None:
    incident = opened()
    error = refused(InvalidInputError, incident.log_action, ADI, ResponseKind.REPLY, "", at(1))
    assert error.code == "error.empty"


# ----------------------------------------------------------------------- messages


SOURCES = Path(__file__).parents[3] / "src" / "socmed_domain" / "crisis"


def test_every_message_code_the_crisis_code_uses_exists_in_both_languages() -> None:
    used = set()
    for source in SOURCES.glob("*.py"):
        used |= set(re.findall(r'"((?:error|event|impact)\.[A-Za-z_]+)"', source.read_text()))
    used |= {f"event.{type(e).__name__}" for e in resolved(4).pending_events}
    used |= {f"impact.{factor}" for factor in ("volume_ratio", "few_mentions")}
    for code in sorted(used):
        assert code in MESSAGES, code
        assert set(MESSAGES[code]) == {"en", "id"}, code


def test_every_state_verb_has_an_indonesian_term() -> None:
    text = (SOURCES / "incident.py").read_text()
    for verb in re.findall(r'_check_status\("([^"]+)"', text):
        assert verb in TERMS_ID, verb

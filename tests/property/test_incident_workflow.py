"""The incident life under any order of commands (SOP stage 6; DESIGN.md, 'Rules that must
hold'), on the aggregate alone.

A hypothesis state machine sends every incident command, by members of every role, with valid
and invalid arguments, while time passes. After each step:

- a refused command raised a SocmedError and left the incident exactly as it was (version,
  pending events and state); a role the matrix does not allow was refused with
  PermissionDeniedError;
- every event was done by a role the matrix allows, and each acknowledgement by the role its
  escalation went to;
- no review without a resolution before it, no close without a review before it;
- no level 3-4 incident was resolved before Legal and the Marketing Manager (and, at level 4,
  management) acknowledged, and no personal data breach before both UU PDP notices;
- while open at level 3 or more, publishing stays frozen unless the Marketing Manager released
  it after the last freeze;
- replaying the events rebuilds the same incident.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from tests import sop_rules
from tests.sop_rules import allowed
from tests.unit.crisis.people import ADI, BUDI, LIA, MAYA, RINA
from tests.unit.crisis.people import T0 as START

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
from socmed_domain.errors import PermissionDeniedError, SocmedError
from socmed_domain.roles import Action, Role

#: Mostly the members who may act, so that lives get far; the rest are refused.
ACTORS = st.sampled_from([RINA, RINA, RINA, LIA, LIA, ADI, BUDI, MAYA])
EVENT_ACTION = {
    "IncidentOpened": Action.OPEN_INCIDENT,
    "IncidentClassified": Action.CLASSIFY_INCIDENT,
    "IncidentEscalated": Action.ESCALATE_INCIDENT,
    "EscalationAcknowledged": Action.ACKNOWLEDGE_INCIDENT,
    "ActionLogged": Action.LOG_INCIDENT_ACTION,
    "StatementLinked": Action.LOG_INCIDENT_ACTION,
    "PdpNoticeSent": Action.LOG_INCIDENT_ACTION,
    "PublishingFrozen": Action.FREEZE_PUBLISHING,
    "PublishingReleased": Action.RELEASE_PUBLISHING,
    "IncidentResolved": Action.RESOLVE_INCIDENT,
    "IncidentReviewed": Action.REVIEW_INCIDENT,
    "IncidentClosed": Action.CLOSE_INCIDENT,
}
SIGNALS = st.one_of(st.none(), st.builds(
    ImpactSignals, negative_mentions=st.integers(0, 400),
    baseline_mean=st.sampled_from([Decimal(0), Decimal(5), Decimal(40)]),
    estimated_reach=st.sampled_from([0, 50_000, 2_000_000]),
    media_pickup=st.booleans(), personal_data_exposure=st.booleans()))
#: Mostly a reason, sometimes none or a blank one (refused where a reason is required).
REASONS = st.sampled_from(["", "  ", "penilaian Manajer", "penilaian Manajer",
                           "penilaian Manajer"])
CATEGORIES = st.sampled_from([None, IncidentCategory.COMPLAINT_WAVE,
                              IncidentCategory.PERSONAL_DATA_BREACH])

pytestmark = pytest.mark.slow  # one of the largest state machines


class IncidentLife(RuleBasedStateMachine):
    incident: Incident
    now: datetime

    @initialize(opener=st.sampled_from([ADI, BUDI, RINA, LIA]),
                category=st.sampled_from([IncidentCategory.COMPLAINT_WAVE,
                                          IncidentCategory.PERSONAL_DATA_BREACH,
                                          IncidentCategory.SENSITIVE_ISSUE]),
                signals=SIGNALS)
    def open_incident(self, opener: Actor, category: IncidentCategory,
                      signals: ImpactSignals | None) -> None:
        self.now = START
        self.incident = Incident.open_new(opener, uuid4(), "Keluhan ramai", category,
                                          "", START, signals=signals)

    # ------------------------------------------------------------- helpers

    def snapshot(self) -> tuple[int, int, dict[str, Any]]:
        incident = self.incident
        state = {k: v for k, v in vars(incident).items() if k != "_pending_events"}
        return incident.version, len(incident.pending_events), copy.deepcopy(state)

    def attempt(self, actor: Actor, action: Action, command: Callable[[], Any]) -> None:
        before = self.snapshot()
        try:
            command()
        except SocmedError as error:
            assert self.snapshot() == before, "a refused command changed the incident"
            if not allowed(action, actor.role):
                assert isinstance(error, PermissionDeniedError), error
            event(f"refused: {error.code}")
        else:
            assert allowed(action, actor.role)
            event(f"done: {action.name}")

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    # --------------------------------------------------------------- rules

    @rule(actor=ACTORS, level=st.integers(1, 4), reason=REASONS, signals=SIGNALS,
          category=CATEGORIES)
    def classify(self, actor: Actor, level: int, reason: str, signals: ImpactSignals | None,
                 category: IncidentCategory | None) -> None:
        self.attempt(actor, Action.CLASSIFY_INCIDENT, lambda: self.incident.classify(
            actor, level, reason, self.tick(), signals=signals, category=category))

    @rule(actor=ACTORS, to=st.sampled_from(EscalationTarget))
    def escalate(self, actor: Actor, to: EscalationTarget) -> None:
        self.attempt(actor, Action.ESCALATE_INCIDENT, lambda: self.incident.escalate(
            actor, to, "mohon ditinjau", self.tick()))

    @rule(actor=ACTORS, of=st.sampled_from(EscalationTarget), note=REASONS)
    def acknowledge(self, actor: Actor, of: EscalationTarget, note: str) -> None:
        self.attempt(actor, Action.ACKNOWLEDGE_INCIDENT, lambda: self.incident.acknowledge(
            actor, of, note, self.tick()))

    @precondition(lambda self: self.incident.pending_acknowledgements)
    @rule(n=st.integers(0, 2), note=REASONS)
    def acknowledge_as_the_role_asked(self, n: int, note: str) -> None:
        """Lives reach resolution only through acknowledgements, so send the right member
        more often than chance would."""
        pending = self.incident.pending_acknowledgements
        of = pending[n % len(pending)]
        actor = LIA if of is EscalationTarget.LEGAL else RINA
        self.attempt(actor, Action.ACKNOWLEDGE_INCIDENT, lambda: self.incident.acknowledge(
            actor, of, note, self.tick()))

    @rule(actor=ACTORS, kind=st.sampled_from(ResponseKind), text=st.sampled_from(["", "ok"]))
    def log_action(self, actor: Actor, kind: ResponseKind, text: str) -> None:
        self.attempt(actor, Action.LOG_INCIDENT_ACTION, lambda: self.incident.log_action(
            actor, kind, text, self.tick()))

    @rule(actor=ACTORS, content=st.sampled_from(["c-1", "c-2"]))
    def link_statement(self, actor: Actor, content: str) -> None:
        self.attempt(actor, Action.LOG_INCIDENT_ACTION, lambda: self.incident.link_statement(
            actor, content, "", self.tick()))

    @rule(actor=ACTORS, reason=REASONS)
    def freeze(self, actor: Actor, reason: str) -> None:
        self.attempt(actor, Action.FREEZE_PUBLISHING, lambda: self.incident.freeze_publishing(
            actor, reason, self.tick()))

    @rule(actor=ACTORS, reason=REASONS)
    def release(self, actor: Actor, reason: str) -> None:
        self.attempt(actor, Action.RELEASE_PUBLISHING,
                     lambda: self.incident.release_publishing(actor, reason, self.tick()))

    @rule(actor=ACTORS, recipient=st.sampled_from(PdpRecipient),
          hours_ago=st.integers(0, 100))
    def record_pdp_notice(self, actor: Actor, recipient: PdpRecipient, hours_ago: int) -> None:
        def command() -> None:
            at = self.tick()
            self.incident.record_pdp_notice(actor, recipient, at - timedelta(hours=hours_ago),
                                            "pemberitahuan tertulis", at)

        self.attempt(actor, Action.LOG_INCIDENT_ACTION, command)

    @rule(actor=ACTORS, summary=st.sampled_from(["", "selesai", "selesai"]))
    def resolve(self, actor: Actor, summary: str) -> None:
        self.attempt(actor, Action.RESOLVE_INCIDENT, lambda: self.incident.resolve(
            actor, summary, self.tick()))

    @rule(actor=ACTORS, due_in_days=st.integers(-1, 10),
          what_worked=st.sampled_from(["", "x", "x"]))
    def review(self, actor: Actor, due_in_days: int, what_worked: str) -> None:
        def command() -> None:
            at = self.tick()
            follow_up = FollowUp("latihan eskalasi", "adi", at.date() + timedelta(due_in_days))
            review = PostIncidentReview("kronologi", what_worked, "lambat", (follow_up,))
            self.incident.record_review(actor, review, at)

        self.attempt(actor, Action.REVIEW_INCIDENT, command)

    @rule(actor=ACTORS)
    def close(self, actor: Actor) -> None:
        self.attempt(actor, Action.CLOSE_INCIDENT, lambda: self.incident.close(
            actor, "", self.tick()))

    # Guided steps: the right member with valid arguments, when the incident is ready, so
    # that many lives reach resolution, review and close; they go through the same checks.

    @precondition(lambda self: self.incident.is_open and self.incident.level is None)
    @rule(level=st.integers(1, 4))
    def manager_classifies(self, level: int) -> None:
        self.attempt(RINA, Action.CLASSIFY_INCIDENT, lambda: self.incident.classify(
            RINA, level, "penilaian Manajer", self.tick()))

    @precondition(lambda self: self.incident.is_open and self.incident.pdp_notices_missing)
    @rule(hours_ago=st.integers(0, 2))
    def legal_records_a_pdp_notice(self, hours_ago: int) -> None:
        def command() -> None:
            at = self.tick()
            sent = max(at - timedelta(hours=hours_ago), self.incident.breach_known_at or at)
            self.incident.record_pdp_notice(LIA, self.incident.pdp_notices_missing[0], sent,
                                            "surat tertulis", at)

        self.attempt(LIA, Action.LOG_INCIDENT_ACTION, command)

    @precondition(lambda self: self.incident.is_open and self.incident.level is not None
                  and not self.incident.unacknowledged_requirements
                  and not self.incident.pdp_notices_missing)
    @rule()
    def manager_resolves(self) -> None:
        self.attempt(RINA, Action.RESOLVE_INCIDENT, lambda: self.incident.resolve(
            RINA, "selesai", self.tick()))

    @precondition(lambda self: self.incident.status is IncidentStatus.RESOLVED)
    @rule(actor=st.sampled_from([RINA, BUDI, LIA]))
    def team_reviews(self, actor: Actor) -> None:
        self.attempt(actor, Action.REVIEW_INCIDENT, lambda: self.incident.record_review(
            actor, PostIncidentReview("kronologi", "cepat", "lambat"), self.tick()))

    @precondition(lambda self: self.incident.status is IncidentStatus.REVIEWED)
    @rule()
    def manager_closes(self) -> None:
        self.attempt(RINA, Action.CLOSE_INCIDENT, lambda: self.incident.close(
            RINA, "", self.tick()))

    @rule(hours=st.integers(1, 48))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    # ---------------------------------------------------------- invariants

    @invariant()
    def every_event_was_done_by_an_allowed_role(self) -> None:
        for done in self.incident.pending_events:
            name = type(done).__name__
            role = done.actor.role  # type: ignore[attr-defined]
            assert allowed(EVENT_ACTION[name], role), (name, role)
            if name == "EscalationAcknowledged":
                assert role.value == sop_rules.ACKNOWLEDGED_BY[done.target.value]  # type: ignore[attr-defined]

    @invariant()
    def the_history_obeys_the_workflow(self) -> None:
        level: int | None = None
        category = self.incident.pending_events[0].category  # type: ignore[attr-defined]
        acknowledged: set[EscalationTarget] = set()
        notified: set[PdpRecipient] = set()
        seen: list[str] = []
        frozen = False
        for done in self.incident.pending_events:
            name = type(done).__name__
            if name == "IncidentClassified":
                level, category = done.level, done.category  # type: ignore[attr-defined]
            elif name == "EscalationAcknowledged":
                acknowledged.add(done.target)  # type: ignore[attr-defined]
            elif name == "PdpNoticeSent":
                notified.add(done.recipient)  # type: ignore[attr-defined]
            elif name == "IncidentResolved":
                assert level is not None
                assert {EscalationTarget(t) for t in sop_rules.REQUIRED_ESCALATIONS[level]} \
                    <= acknowledged, (level, acknowledged)
                if category is IncidentCategory.PERSONAL_DATA_BREACH:
                    assert {r.value for r in notified} == sop_rules.PDP_RECIPIENTS
            elif name == "IncidentReviewed":
                assert "IncidentResolved" in seen
            elif name == "IncidentClosed":
                assert "IncidentReviewed" in seen
            if name == "PublishingReleased":
                assert done.actor.role is Role.MARKETING_MANAGER  # type: ignore[attr-defined]
            frozen = {"PublishingFrozen": True, "PublishingReleased": False,
                      "IncidentResolved": False}.get(name, frozen)
            seen.append(name)
        incident = self.incident
        if incident.status is IncidentStatus.OPEN:
            assert incident.is_freezing_publishing == frozen
            if incident.level is not None and incident.level >= 3 and not frozen:
                last = [type(e).__name__ for e in incident.pending_events
                        if type(e).__name__ in ("PublishingFrozen", "PublishingReleased")]
                assert last and last[-1] == "PublishingReleased"
        else:
            assert not incident.is_freezing_publishing

    @invariant()
    def a_classification_at_level_3_freezes_in_the_same_command(self) -> None:
        events = self.incident.pending_events
        for i, done in enumerate(events):
            if type(done).__name__ == "IncidentClassified" and done.level >= 3:  # type: ignore[attr-defined]
                before = [type(e).__name__ for e in events[:i]
                          if type(e).__name__ in ("PublishingFrozen", "PublishingReleased")]
                already = bool(before) and before[-1] == "PublishingFrozen" and not any(
                    type(e).__name__ == "IncidentResolved" for e in events[:i])
                after = [type(e).__name__ for e in events[i + 1:]
                         if e.timestamp == done.timestamp]
                assert already or "PublishingFrozen" in after

    @invariant()
    def replay_rebuilds_the_same_incident(self) -> None:
        rebuilt = None
        for done in self.incident.pending_events:
            rebuilt = done.mutate(rebuilt)
        assert isinstance(rebuilt, Incident)
        keep = {k: v for k, v in vars(self.incident).items() if k != "_pending_events"}
        assert {k: v for k, v in vars(rebuilt).items() if k != "_pending_events"} == keep

    @invariant()
    def a_review_names_owners_and_dates_due_from_its_day(self) -> None:
        review = self.incident.review
        if review is not None:
            for follow_up in review.follow_ups:
                assert follow_up.owner_id and isinstance(follow_up.due, date)


TestIncidentLife = IncidentLife.TestCase
TestIncidentLife.settings = settings(
    max_examples=200, stateful_step_count=60, deadline=None,
    suppress_health_check=[HealthCheck.too_slow])

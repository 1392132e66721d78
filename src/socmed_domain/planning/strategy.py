"""The Strategy aggregate: the company's social media strategy and its versions (SOP stage 1).

Life of a version: drafted by Digital Marketing -> submitted -> approved by the Marketing
Manager (or sent back with a comment, edited and submitted again) -> in force. After an
evaluation (stage 5) Digital Marketing starts a revision: a new version with its reason. The
version in force stays in force until the revision is approved, so the content checks never
run without a brand voice. Every version stays readable as it was approved.

There is one strategy per store, under a fixed id.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from attrs import evolve, frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError, InvalidStateError
from socmed_domain.evaluation.meeting import EvaluationMeeting, evaluation_ref
from socmed_domain.events import AuditedEvent
from socmed_domain.i18n import Term
from socmed_domain.planning.strategy_plan import StrategyPlan
from socmed_domain.roles import Action, check_may
from socmed_domain.timezones import require_aware

STRATEGY_ID: UUID = uuid5(NAMESPACE_URL, "socmed:strategy")


class StrategyStatus(enum.Enum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SENT_BACK = "sent_back"
    IN_FORCE = "in_force"


S = StrategyStatus
EDITABLE = frozenset({S.DRAFT, S.SENT_BACK})


@frozen
class StrategyVersion:
    """One version as it stands: its plan, who drafted it and why, who approved it."""

    number: int
    plan: StrategyPlan
    drafted_by: str
    drafted_at: datetime
    reason: str = ""
    evaluation_ref: str = ""
    approved_by: str = ""
    approved_at: datetime | None = None
    superseded_at: datetime | None = None


class Strategy(Aggregate):
    """The strategy and the history of its versions."""

    def __init__(self) -> None:
        self.status = StrategyStatus.DRAFT
        self.versions: dict[int, StrategyVersion] = {}
        self.current = 0  # the version being worked on, or the one in force
        self.in_force = 0  # 0: nothing approved yet
        self.last_comment = ""
        self.evaluations: dict[str, EvaluationMeeting] = {}  # by reference, oldest first

    # ----------------------------------------------------------------- events

    class StrategyDrafted(AuditedEvent, Aggregate.Created):
        plan: StrategyPlan

        def apply(self, strategy: Strategy) -> None:
            strategy._open_version(1, self, reason="")

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.StrategyDrafted", {"title": self.plan.title, "version": 1})

    class StrategyEdited(AuditedEvent):
        plan: StrategyPlan
        note: str

        def apply(self, strategy: Strategy) -> None:
            version = strategy.versions[strategy.current]
            strategy.versions[strategy.current] = evolve(version, plan=self.plan)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.StrategyEdited", {"title": self.plan.title})

    class StrategySubmitted(AuditedEvent):
        version_number: int
        note: str

        def apply(self, strategy: Strategy) -> None:
            strategy.status = StrategyStatus.SUBMITTED

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.StrategySubmitted", {"version": self.version_number})

    class StrategySentBack(AuditedEvent):
        version_number: int
        comment: str

        def apply(self, strategy: Strategy) -> None:
            strategy.status = StrategyStatus.SENT_BACK
            strategy.last_comment = self.comment

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.StrategySentBack", {"version": self.version_number})

    class StrategyApproved(AuditedEvent):
        version_number: int
        comment: str

        def apply(self, strategy: Strategy) -> None:
            if strategy.in_force:
                old = strategy.versions[strategy.in_force]
                strategy.versions[strategy.in_force] = evolve(old, superseded_at=self.timestamp)
            version = strategy.versions[self.version_number]
            strategy.versions[self.version_number] = evolve(
                version, approved_by=self.actor.member_id, approved_at=self.timestamp)
            strategy.in_force = self.version_number
            strategy.status = StrategyStatus.IN_FORCE
            strategy.last_comment = self.comment

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.StrategyApproved", {"version": self.version_number})

    class StrategyRevisionStarted(AuditedEvent):
        version_number: int
        plan: StrategyPlan
        reason: str
        evaluation_ref: str

        def apply(self, strategy: Strategy) -> None:
            strategy._open_version(self.version_number, self, reason=self.reason,
                                   evaluation_ref=self.evaluation_ref)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.StrategyRevisionStarted", {"version": self.version_number})

    class EvaluationRecorded(AuditedEvent):
        """An evaluation meeting of the version in force (SOP stage 5)."""

        ref: str
        version_number: int
        meeting: EvaluationMeeting

        def apply(self, strategy: Strategy) -> None:
            strategy.evaluations[self.ref] = self.meeting

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.EvaluationRecorded", {"ref": self.ref,
                                                 "version": self.version_number,
                                                 "report": self.meeting.report_ref})

    def _open_version(self, number: int, event: Any, reason: str,
                      evaluation_ref: str = "") -> None:
        self.versions[number] = StrategyVersion(
            number=number, plan=event.plan, drafted_by=event.actor.member_id,
            drafted_at=event.timestamp, reason=reason, evaluation_ref=evaluation_ref)
        self.current = number
        self.status = StrategyStatus.DRAFT

    # --------------------------------------------------------------- commands

    @classmethod
    def draft_first(cls, actor: Actor, plan: StrategyPlan, at: datetime) -> Strategy:
        check_may(actor.member_id, actor.role, Action.DRAFT_STRATEGY)
        return cls._create(cls.StrategyDrafted, id=STRATEGY_ID, timestamp=require_aware(at),
                           actor=actor, plan=plan.validate())

    def edit(self, actor: Actor, plan: StrategyPlan, note: str, at: datetime) -> None:
        """Change the version being drafted (or sent back); an in-force version never
        changes: start a revision instead."""
        check_may(actor.member_id, actor.role, Action.DRAFT_STRATEGY)
        self._check_status("edit", EDITABLE)
        self.trigger_event(self.StrategyEdited, timestamp=require_aware(at), actor=actor,
                           plan=plan.validate(), note=note.strip())

    def submit(self, actor: Actor, note: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.DRAFT_STRATEGY)
        self._check_status("submit", EDITABLE)
        self.trigger_event(self.StrategySubmitted, timestamp=require_aware(at), actor=actor,
                           version_number=self.current, note=note.strip())

    def send_back(self, actor: Actor, version_number: int, comment: str,
                  at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.APPROVE_STRATEGY)
        self._check_status("send back", {S.SUBMITTED})
        self._check_version(version_number)
        if not comment.strip():
            raise InvalidInputError("error.reason_required", action=Term("send back"))
        self.trigger_event(self.StrategySentBack, timestamp=require_aware(at), actor=actor,
                           version_number=version_number, comment=comment.strip())

    def approve(self, actor: Actor, version_number: int, comment: str, at: datetime) -> None:
        """Put the submitted version in force. The approver names the version they read,
        so a version drafted since cannot be approved by mistake."""
        check_may(actor.member_id, actor.role, Action.APPROVE_STRATEGY)
        self._check_status("approve", {S.SUBMITTED})
        self._check_version(version_number)
        self.trigger_event(self.StrategyApproved, timestamp=require_aware(at), actor=actor,
                           version_number=version_number, comment=comment.strip())

    def start_revision(self, actor: Actor, plan: StrategyPlan, reason: str,
                       evaluation_ref: str, at: datetime) -> int:
        """Open the next version of an in-force strategy, saying why (e.g. an evaluation)."""
        check_may(actor.member_id, actor.role, Action.DRAFT_STRATEGY)
        self._check_status("revise", {S.IN_FORCE})
        if not reason.strip():
            raise InvalidInputError("error.reason_required", action=Term("revise"))
        number = self.current + 1
        self.trigger_event(self.StrategyRevisionStarted, timestamp=require_aware(at),
                           actor=actor, version_number=number, plan=plan.validate(),
                           reason=reason.strip(), evaluation_ref=evaluation_ref.strip())
        return number

    def record_evaluation(self, actor: Actor, meeting: EvaluationMeeting,
                          at: datetime) -> str:
        """Record the evaluation of the strategy in force; returns its reference, which the
        revision that adjusts the strategy names (`start_revision(evaluation_ref=...)`)."""
        check_may(actor.member_id, actor.role, Action.RECORD_EVALUATION)
        if not self.in_force:
            raise InvalidStateError("error.no_strategy_in_force")
        meeting.validate(require_aware(at))
        ref = evaluation_ref(meeting, set(self.evaluations))
        self.trigger_event(self.EvaluationRecorded, timestamp=at, actor=actor, ref=ref,
                           version_number=self.in_force, meeting=meeting)
        return ref

    # ---------------------------------------------------------------- queries

    @property
    def plan_in_force(self) -> StrategyPlan | None:
        return self.versions[self.in_force].plan if self.in_force else None

    @property
    def working(self) -> StrategyVersion:
        return self.versions[self.current]

    def version_of(self, number: int) -> StrategyVersion:
        if number not in self.versions:
            raise InvalidInputError("error.strategy_version_unknown", version=number,
                                    latest=self.current)
        return self.versions[number]

    # ---------------------------------------------------------------- guards

    def _check_status(self, action: str, allowed: frozenset[StrategyStatus] | set[Any]) -> None:
        if self.status not in allowed:
            expected = " or ".join(sorted(s.value for s in allowed))
            raise InvalidStateError("error.strategy_state", action=Term(action),
                                    version=self.current, status=self.status.value,
                                    expected=expected)

    def _check_version(self, number: int) -> None:
        if number != self.current:
            raise InvalidInputError("error.strategy_version_mismatch", given=number,
                                    current=self.current)

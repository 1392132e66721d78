"""Every role against every governed command, held to the SOP's matrix written out by hand in
tests/sop_rules.py (not to the code's ROLE_MATRIX, so a change of the code's matrix fails here).

Each case prepares an item in the state where the command is otherwise allowed, then runs it as
a member holding the role who is not the item's author: allowed roles succeed and record the
expected event; refused roles get PermissionDeniedError and nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from attrs import evolve
from tests.sop_rules import SOP_MATRIX, allowed, allowed_roles

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_domain import (
    CHECKLIST_KEYS,
    Action,
    CampaignPlan,
    Draft,
    OutboundPost,
    OutcomeUnknownError,
    Period,
    PermissionDeniedError,
    Platform,
    PostReceipt,
    Role,
    SocmedApplication,
    Status,
)
from socmed_domain.configuration.model import DEFAULT_CONFIGURATION
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.crisis.incident import (
    EscalationTarget,
    FollowUp,
    IncidentCategory,
    PostIncidentReview,
    ResponseKind,
)
from socmed_domain.evaluation.meeting import EvaluationMeeting
from socmed_domain.evaluation.metrics import MetricSnapshot, MetricValues
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.planning.goals import Goal, GoalKind
from socmed_domain.planning.strategy_plan import PlatformChoice, StrategyPlan
from socmed_domain.timezones import WIB

#: Who acts for each role; 'budi' (digital marketing) writes every prepared item.
ACTING = {
    Role.MARKETING_MANAGER: "rina",
    Role.DIGITAL_MARKETING: "dewi",
    Role.SOCIAL_MEDIA_ADMIN: "adi",
    Role.LEGAL: "lia",
    Role.AGENCY: "maya",
}
AUTHOR = "budi"
DRAFT = Draft("Halo Desember! Promo akhir tahun.", (Platform.X, Platform.LINKEDIN),
              hashtags=("promo",))
PLAN = CampaignPlan("Promo Desember", Period(datetime(2026, 12, 1, tzinfo=WIB),
                                             datetime(2027, 1, 1, tzinfo=WIB)),
                    platforms=(Platform.X, Platform.LINKEDIN))

WAVE = ImpactSignals(negative_mentions=30, baseline_mean=Decimal(10))  # suggests level 2
REVIEW = PostIncidentReview("Keluhan 09.00-11.00", "Balasan cepat", "Eskalasi lambat",
                            (FollowUp("Latihan", "adi", date(2026, 12, 20)),))
COMMENT = InboundInteraction(Platform.INSTAGRAM, InteractionKind.COMMENT, "ig-c-1", "@nasabah_1",
                             "Transfer saya gagal", datetime(2026, 12, 1, 7, 55, tzinfo=WIB))
STRATEGY = StrategyPlan(
    "Strategi 2027", goals=(Goal(GoalKind.BRAND_AWARENESS),),
    platforms=(PlatformChoice(Platform.X, "real-time service updates", 5),))
SNAPSHOT = MetricSnapshot(Platform.X, "1864211", datetime(2026, 12, 1, 7, tzinfo=WIB),
                          MetricValues(impressions=1200, likes=31, clicks=9))
MEETING = EvaluationMeeting(datetime(2026, 12, 1, 7, tzinfo=WIB), ("rina", "budi", "adi"),
                            ("X posts under cadence: 9 of 21",), ("post on X daily at 19:00",),
                            "monthly-report:2026-11")


class SwitchablePublisher:
    """The sandbox publisher, or (when `timing_out`) a platform that never answers."""

    def __init__(self, outbox: Path, clock: ManualClock) -> None:
        self.sandbox = SandboxPublisher(outbox, clock)
        self.timing_out = False

    def publish(self, post: OutboundPost) -> PostReceipt:
        if self.timing_out:
            raise OutcomeUnknownError("timed out after the request was sent")
        return self.sandbox.publish(post)

    def find(self, post: OutboundPost) -> PostReceipt | None:
        return None if self.timing_out else self.sandbox.find(post)


@dataclass
class World:
    app: SocmedApplication
    clock: ManualClock
    publisher: SwitchablePublisher
    #: A running campaign with the agency member assigned: every item belongs to it.
    campaign: UUID

    # ---- items in each stage, prepared by members allowed to get them there
    def draft(self) -> UUID:
        return self.app.create_content(AUTHOR, "Promo Desember", DRAFT,
                                       campaign_id=str(self.campaign))

    def in_review(self) -> UUID:
        item = self.draft()
        self.app.submit_for_review(AUTHOR, item)
        return item

    def reviewed(self) -> UUID:
        item = self.in_review()
        assert self.app.review_content("sari", item, CHECKLIST_KEYS).passed
        return item

    def awaiting_approval(self) -> UUID:
        item = self.reviewed()
        self.app.submit_for_approval(AUTHOR, item)
        return item

    def approved(self) -> UUID:
        item = self.awaiting_approval()
        self.app.approve_content("rina", item)
        return item

    def due(self) -> UUID:
        item = self.approved()
        self.app.schedule_content("adi", item, self.clock() + timedelta(hours=2))
        self.clock.advance(hours=3)
        return item

    def outcome_unknown(self) -> UUID:
        item = self.due()
        self.publisher.timing_out = True
        self.app.publish_due("adi")
        self.publisher.timing_out = False
        assert self.app.get_content(item).summary.status == Status.PUBLISHING.value
        return item

    # ---- campaigns in each stage
    def planned_campaign(self) -> UUID:
        return self.app.plan_campaign(AUTHOR, PLAN)

    def approved_campaign(self) -> UUID:
        campaign = self.planned_campaign()
        self.app.approve_campaign("rina", campaign)
        return campaign

    def running_campaign(self) -> UUID:
        campaign = self.approved_campaign()
        self.app.start_campaign(AUTHOR, campaign)
        return campaign

    # ---- the strategy in each stage
    def drafted_strategy(self) -> None:
        self.app.draft_strategy(AUTHOR, STRATEGY)

    def submitted_strategy(self) -> None:
        self.drafted_strategy()
        self.app.submit_strategy(AUTHOR)

    def strategy_in_force(self) -> None:
        self.submitted_strategy()
        self.app.approve_strategy("rina", 1)

    # ---- incidents in each stage (opened by the admin, from an alert with a wave's signals)
    def incident(self) -> UUID:
        return self.app.open_incident("adi", "Keluhan transfer", IncidentCategory.COMPLAINT_WAVE,
                                      signals=WAVE)

    # ---- stage 4: conversations
    def conversation(self) -> UUID:
        self.app.ingest_interactions("adi", [COMMENT])
        return COMMENT.conversation_id

    def held_reply(self) -> UUID:
        conversation = self.conversation()
        self.app.classify_incident("rina", self.incident(), 3, "meluas")
        assert self.app.reply_to_conversation("adi", conversation, "Mohon maaf") == "held"
        return conversation

    def escalated_incident(self) -> UUID:
        incident = self.incident()
        self.app.escalate_incident("rina", incident, EscalationTarget.LEGAL)
        self.app.escalate_incident("rina", incident, EscalationTarget.MARKETING_MANAGER)
        return incident

    def frozen_incident(self) -> UUID:
        incident = self.incident()
        self.app.freeze_publishing("lia", incident, "hold promos")
        return incident

    def classified_incident(self) -> UUID:
        incident = self.incident()
        self.app.classify_incident("rina", incident, 2)
        return incident

    def resolved_incident(self) -> UUID:
        incident = self.classified_incident()
        self.app.resolve_incident("rina", incident, "handled")
        return incident

    def reviewed_incident(self) -> UUID:
        incident = self.resolved_incident()
        self.app.review_incident("rina", incident, REVIEW)
        return incident

    def idea(self) -> UUID:
        return self.app.create_content(AUTHOR, "Ide Desember", campaign_id=str(self.campaign))

    def withdrawn(self) -> UUID:
        item = self.draft()
        self.app.withdraw_content("rina", item, "campaign cancelled")
        return item


@dataclass(frozen=True)
class Case:
    action: Action
    setup: Callable[[World], Any]
    run: Callable[[SocmedApplication, str, Any], Any]
    records: tuple[str, ...]  # event types an allowed run records (none for reads)


CASES: dict[str, Case] = {
    "create": Case(Action.CREATE_CONTENT, lambda w: w.campaign,
                   lambda app, a, c: app.create_content(a, "Baru", DRAFT, campaign_id=str(c)),
                   ("Created", "Revised")),
    "revise": Case(Action.REVISE_CONTENT, World.draft,
                   lambda app, a, i: app.revise_content(a, i, Draft("Versi 2", (Platform.X,))),
                   ("Revised",)),
    "submit_for_review": Case(Action.SUBMIT_FOR_REVIEW, World.draft,
                              lambda app, a, i: app.submit_for_review(a, i),
                              ("SubmittedForReview",)),
    "review": Case(Action.REVIEW_CONTENT, World.in_review,
                   lambda app, a, i: app.review_content(a, i, CHECKLIST_KEYS), ("Reviewed",)),
    "submit_for_approval": Case(Action.SUBMIT_FOR_APPROVAL, World.reviewed,
                                lambda app, a, i: app.submit_for_approval(a, i),
                                ("SubmittedForApproval",)),
    "approve": Case(Action.APPROVE_CONTENT, World.awaiting_approval,
                    lambda app, a, i: app.approve_content(a, i), ("Approved",)),
    "request_changes": Case(Action.REQUEST_CHANGES, World.awaiting_approval,
                            lambda app, a, i: app.request_changes(a, i, "tone is off"),
                            ("ChangesRequested",)),
    "schedule": Case(Action.SCHEDULE_CONTENT, World.approved,
                     lambda app, a, i: app.schedule_content(
                         a, i, datetime(2026, 12, 5, 19, tzinfo=WIB)), ("Scheduled",)),
    "publish": Case(Action.PUBLISH_CONTENT, World.due, lambda app, a, _: app.publish_due(a),
                    ("PublicationAttempted", "Published") * 2),
    "reconcile": Case(Action.RECONCILE_PUBLICATION, World.outcome_unknown,
                      lambda app, a, i: app.reconcile_publication(
                          a, i, Platform.X, None, "not on the timeline"),
                      ("PublicationReconciled",)),
    "withdraw": Case(Action.WITHDRAW_CONTENT, World.draft,
                     lambda app, a, i: app.withdraw_content(a, i, "off-brand"), ("Withdrawn",)),
    "archive": Case(Action.ARCHIVE_CONTENT, World.withdrawn,
                    lambda app, a, i: app.archive_content(a, i), ("Archived",)),
    "plan_campaign": Case(Action.PLAN_CAMPAIGN, lambda w: None,
                          lambda app, a, _: app.plan_campaign(a, PLAN), ("CampaignPlanned",)),
    "approve_campaign": Case(Action.APPROVE_CAMPAIGN, World.planned_campaign,
                             lambda app, a, c: app.approve_campaign(a, c),
                             ("CampaignApproved",)),
    "start_campaign": Case(Action.RUN_CAMPAIGN, World.approved_campaign,
                           lambda app, a, c: app.start_campaign(a, c), ("CampaignStarted",)),
    "complete_campaign": Case(Action.RUN_CAMPAIGN, World.running_campaign,
                              lambda app, a, c: app.complete_campaign(a, c),
                              ("CampaignCompleted",)),
    "cancel_campaign": Case(Action.CANCEL_CAMPAIGN, World.running_campaign,
                            lambda app, a, c: app.cancel_campaign(a, c, "budget cut"),
                            ("CampaignCancelled",)),
    "assign_agency": Case(Action.ASSIGN_AGENCY, World.planned_campaign,
                          lambda app, a, c: app.assign_agency(a, c, "maya"),
                          ("AgencyAssigned",)),
    "draft_strategy": Case(Action.DRAFT_STRATEGY, lambda w: None,
                           lambda app, a, _: app.draft_strategy(a, STRATEGY),
                           ("StrategyDrafted",)),
    "edit_strategy": Case(Action.DRAFT_STRATEGY, World.drafted_strategy,
                          lambda app, a, _: app.edit_strategy(a, STRATEGY, "typo"),
                          ("StrategyEdited",)),
    "submit_strategy": Case(Action.DRAFT_STRATEGY, World.drafted_strategy,
                            lambda app, a, _: app.submit_strategy(a), ("StrategySubmitted",)),
    "approve_strategy": Case(Action.APPROVE_STRATEGY, World.submitted_strategy,
                             lambda app, a, _: app.approve_strategy(a, 1),
                             ("StrategyApproved",)),
    "send_back_strategy": Case(Action.APPROVE_STRATEGY, World.submitted_strategy,
                               lambda app, a, _: app.send_back_strategy(a, 1, "sharpen KPIs"),
                               ("StrategySentBack",)),
    "revise_strategy": Case(Action.DRAFT_STRATEGY, World.strategy_in_force,
                            lambda app, a, _: app.revise_strategy(a, STRATEGY, "evaluation"),
                            ("StrategyRevisionStarted",)),
    "record_metrics": Case(Action.RECORD_METRICS, lambda w: None,
                           lambda app, a, _: app.record_metrics(a, [SNAPSHOT]),
                           ("SeriesStarted", "MetricsFetched")),
    "record_evaluation": Case(Action.RECORD_EVALUATION, World.strategy_in_force,
                              lambda app, a, _: app.record_evaluation(a, MEETING),
                              ("EvaluationRecorded",)),
    "plan_slot": Case(Action.PLAN_CALENDAR, World.idea,
                      lambda app, a, i: app.plan_content_slot(
                          a, i, datetime(2026, 12, 7, 19, tzinfo=WIB), (Platform.X,)),
                      ("SlotPlanned",)),
    "open_incident": Case(Action.OPEN_INCIDENT, lambda w: None,
                          lambda app, a, _: app.open_incident(
                              a, "Hoaks promo", IncidentCategory.MISINFORMATION),
                          ("IncidentOpened",)),
    "classify_incident": Case(Action.CLASSIFY_INCIDENT, World.incident,
                              lambda app, a, i: app.classify_incident(a, i, 2),
                              ("IncidentClassified",)),
    "escalate_incident": Case(Action.ESCALATE_INCIDENT, World.incident,
                              lambda app, a, i: app.escalate_incident(
                                  a, i, EscalationTarget.LEGAL, "perlu Legal"),
                              ("IncidentEscalated",)),
    "acknowledge_incident": Case(
        Action.ACKNOWLEDGE_INCIDENT, World.escalated_incident,
        lambda app, a, i: app.acknowledge_incident(
            a, i, EscalationTarget.LEGAL if app.actor(a).role is Role.LEGAL
            else EscalationTarget.MARKETING_MANAGER), ("EscalationAcknowledged",)),
    "log_incident_action": Case(Action.LOG_INCIDENT_ACTION, World.incident,
                                lambda app, a, i: app.log_incident_action(
                                    a, i, ResponseKind.HOLDING_STATEMENT, "Sedang kami cek."),
                                ("ActionLogged",)),
    "freeze_publishing": Case(Action.FREEZE_PUBLISHING, World.incident,
                              lambda app, a, i: app.freeze_publishing(a, i, "tahan promo"),
                              ("PublishingFrozen",)),
    "release_publishing": Case(Action.RELEASE_PUBLISHING, World.frozen_incident,
                               lambda app, a, i: app.release_publishing(a, i, "aman"),
                               ("PublishingReleased",)),
    "resolve_incident": Case(Action.RESOLVE_INCIDENT, World.classified_incident,
                             lambda app, a, i: app.resolve_incident(a, i, "selesai"),
                             ("IncidentResolved",)),
    "review_incident": Case(Action.REVIEW_INCIDENT, World.resolved_incident,
                            lambda app, a, i: app.review_incident(a, i, REVIEW),
                            ("IncidentReviewed",)),
    "close_incident": Case(Action.CLOSE_INCIDENT, World.reviewed_incident,
                           lambda app, a, i: app.close_incident(a, i), ("IncidentClosed",)),
    "apply_configuration": Case(
        Action.CONFIGURE, lambda w: None,
        lambda app, a, _: app.configuration.apply(
            a, evolve(DEFAULT_CONFIGURATION, name="tea"), "role matrix"),
        ("ConfigurationStarted", "ConfigurationApplied")),
    "audit_log": Case(Action.READ_AUDIT_LOG, lambda w: None,
                      lambda app, a, _: app.audit_log(a), ()),
    "checkpoint_signer": Case(Action.OPERATE_STORE, lambda w: None,
                              lambda app, a, _: app.audit.checkpoint_signer(a), ()),
    "add_member": Case(Action.MANAGE_TEAM, lambda w: None,
                       lambda app, a, _: app.add_member(a, "baru", "Baru", Role.AGENCY),
                       ("MemberAdded",)),
    "change_role": Case(Action.MANAGE_TEAM, lambda w: None,
                        lambda app, a, _: app.change_role(a, "sari", Role.LEGAL, "moved"),
                        ("RoleChanged",)),
    "deactivate_member": Case(Action.MANAGE_TEAM, lambda w: None,
                              lambda app, a, _: app.deactivate_member(a, "sari", "left"),
                              ("MemberDeactivated",)),
    "ingest": Case(Action.INGEST_INTERACTIONS, lambda w: None,
                   lambda app, a, _: app.ingest_interactions(a, [COMMENT]),
                   ("ConversationOpened",)),
    "assign_conversation": Case(Action.TRIAGE_INBOX, World.conversation,
                                lambda app, a, c: app.assign_conversation(a, c, "adi"),
                                ("ConversationAssigned",)),
    "reply": Case(Action.REPLY_TO_AUDIENCE, World.conversation,
                  lambda app, a, c: app.reply_to_conversation(a, c, "Halo, kami bantu cek."),
                  ("Replied",)),
    "approve_reply": Case(Action.APPROVE_REPLY, World.held_reply,
                          lambda app, a, c: app.approve_reply(a, c), ("Replied",)),
    "erase": Case(Action.ERASE_PERSONAL_DATA, World.conversation,
                  lambda app, a, _: app.erase_personal_data(a, "instagram:nasabah_1", "PDP-1"),
                  ("PersonalDataErased",)),
}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    publisher = SwitchablePublisher(tmp_path / "outbox", clock)
    services = bootstrap(storage="memory", clock=clock, publisher=publisher)
    app = services.app
    app.initialise("PT Contoh", "rina", "Rina MM")
    for handle, role in (("budi", Role.DIGITAL_MARKETING), ("sari", Role.DIGITAL_MARKETING),
                         ("dewi", Role.DIGITAL_MARKETING), ("adi", Role.SOCIAL_MEDIA_ADMIN),
                         ("lia", Role.LEGAL), ("maya", Role.AGENCY)):
        app.add_member("rina", handle, handle.title(), role)
    campaign = app.plan_campaign(AUTHOR, PLAN)
    app.approve_campaign("rina", campaign)
    app.assign_agency(AUTHOR, campaign, "maya")
    app.start_campaign(AUTHOR, campaign)
    yield World(app, clock, publisher, campaign)
    services.close()


#: Actions of SOP stages whose commands are not built yet; each moves into CASES when its
#: stage's Application commands land, so this set only ever shrinks.
NOT_YET_COMMANDS: set[Action] = set()


def test_every_governed_action_has_a_case() -> None:
    covered = {case.action for case in CASES.values()}
    assert covered | NOT_YET_COMMANDS == set(Action)
    assert {action.name for action in Action} == set(SOP_MATRIX)
    assert not covered & NOT_YET_COMMANDS


def test_every_role_has_an_acting_member() -> None:
    assert set(ACTING) == set(Role)


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.value)
@pytest.mark.parametrize("command", sorted(CASES))
def test_role_may_or_may_not(world: World, command: str, role: Role) -> None:
    case = CASES[command]
    item = case.setup(world)
    app = world.app
    actor = ACTING[role]
    assert app.actor(actor).role is role
    before = app.event_count()
    if allowed(case.action, role):
        case.run(app, actor, item)
        recorded = app.audit_log("rina")[before:] if case.records else ()
        assert tuple(entry.event_type for entry in recorded) == case.records
        assert all(entry.actor_id == actor and entry.actor_role == role.value
                   for entry in recorded)
    else:
        with pytest.raises(PermissionDeniedError) as raised:
            case.run(app, actor, item)
        assert app.event_count() == before, "a refused command wrote an event"
        message = str(raised.value)
        assert actor in message and role.value in message
        for allowed_role in allowed_roles(case.action):
            assert allowed_role in message


def test_the_code_matrix_is_the_sop_matrix() -> None:
    """The code's ROLE_MATRIX, read as names and ids, equals the table written from the SOP:
    one more right anywhere (say Digital Marketing erasing personal data) fails here."""
    from socmed_domain.roles import ROLE_MATRIX, may

    code = {action.name: frozenset(role.value for role in roles)
            for action, roles in ROLE_MATRIX.items()}
    assert code == SOP_MATRIX
    for action in Action:
        for role in Role:
            assert may(role, action) is allowed(action, role), (action, role)


def test_the_sop_table_keeps_the_separation_of_duties() -> None:
    """Spot checks of the SOP's intent on the hand-written table itself."""
    assert SOP_MATRIX["APPROVE_CONTENT"] == {"marketing_manager"}
    assert SOP_MATRIX["PUBLISH_CONTENT"] == {"social_media_admin"}
    assert SOP_MATRIX["MANAGE_TEAM"] == {"marketing_manager"}
    assert SOP_MATRIX["ERASE_PERSONAL_DATA"] == {"legal"}
    for action in ("CREATE_CONTENT", "REVISE_CONTENT"):
        assert "marketing_manager" not in SOP_MATRIX[action]
    agency = {action for action, roles in SOP_MATRIX.items() if "agency" in roles}
    assert agency == {"CREATE_CONTENT", "REVISE_CONTENT", "SUBMIT_FOR_REVIEW"}

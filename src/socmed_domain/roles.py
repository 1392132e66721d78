"""The five SOP-0042 roles and the matrix of what each may do (DESIGN.md, 'Roles').

The matrix is data: a reviewer can read it, a test can enumerate it, and a change to it is a
one-line diff.
"""

from __future__ import annotations

import enum

from socmed_domain.errors import PermissionDeniedError
from socmed_domain.i18n import Term


class Role(enum.Enum):
    """A member's role, named as in the SOP's 'Tanggung Jawab' table."""

    MARKETING_MANAGER = "marketing_manager"
    DIGITAL_MARKETING = "digital_marketing"
    SOCIAL_MEDIA_ADMIN = "social_media_admin"
    LEGAL = "legal"
    AGENCY = "agency"

    @property
    def title_en(self) -> str:
        return _TITLES[self][0]

    @property
    def title_id(self) -> str:
        return _TITLES[self][1]


_TITLES = {
    Role.MARKETING_MANAGER: ("Marketing Manager", "Manajer Pemasaran"),
    Role.DIGITAL_MARKETING: ("Digital Marketing Team", "Tim Digital Marketing"),
    Role.SOCIAL_MEDIA_ADMIN: ("Social Media Admin", "Admin Media Sosial"),
    Role.LEGAL: ("Legal/Compliance", "Tim Legal/Compliance"),
    Role.AGENCY: ("Third-party Agency", "Pihak Ketiga (Agensi)"),
}


class Action(enum.Enum):
    """Everything a member can ask the system to do that the matrix governs."""

    MANAGE_TEAM = "manage the team"
    CREATE_CONTENT = "create content"
    REVISE_CONTENT = "revise content"
    SUBMIT_FOR_REVIEW = "submit content for review"
    REVIEW_CONTENT = "review content"
    SUBMIT_FOR_APPROVAL = "submit content for approval"
    APPROVE_CONTENT = "approve content"
    REQUEST_CHANGES = "request changes to content"
    SCHEDULE_CONTENT = "schedule content"
    PUBLISH_CONTENT = "publish content"
    RECONCILE_PUBLICATION = "settle a publication's outcome"
    WITHDRAW_CONTENT = "withdraw content"
    ARCHIVE_CONTENT = "archive content"
    READ_AUDIT_LOG = "read the audit log"
    PLAN_CAMPAIGN = "plan a campaign"
    APPROVE_CAMPAIGN = "approve a campaign"
    RUN_CAMPAIGN = "start or complete a campaign"
    CANCEL_CAMPAIGN = "cancel a campaign"
    ASSIGN_AGENCY = "assign agencies to a campaign"
    # stage 1: strategy
    DRAFT_STRATEGY = "draft or revise the strategy"
    APPROVE_STRATEGY = "approve the strategy"
    PLAN_CALENDAR = "plan the content calendar"
    # stage 4: monitoring and interaction
    INGEST_INTERACTIONS = "ingest audience interactions"
    TRIAGE_INBOX = "assign, tag and close conversations"
    REPLY_TO_AUDIENCE = "reply to the audience"
    APPROVE_REPLY = "approve a reply during a crisis"
    ERASE_PERSONAL_DATA = "erase an audience member's personal data"
    # stage 5: evaluation and reporting
    RECORD_METRICS = "record platform metrics"
    RECORD_EVALUATION = "record an evaluation meeting"
    # stage 6: risk and crisis
    OPEN_INCIDENT = "open an incident"
    CLASSIFY_INCIDENT = "classify an incident"
    ESCALATE_INCIDENT = "escalate an incident"
    ACKNOWLEDGE_INCIDENT = "acknowledge an incident escalation"
    LOG_INCIDENT_ACTION = "log an incident action"
    FREEZE_PUBLISHING = "freeze publishing"
    RELEASE_PUBLISHING = "release a publishing freeze"
    RESOLVE_INCIDENT = "resolve an incident"
    REVIEW_INCIDENT = "record a post-incident review"
    CLOSE_INCIDENT = "close an incident"
    # the company's rules as data (issue 17)
    CONFIGURE = "change the company's configuration"
    # operating the store itself (records no event of its own)
    OPERATE_STORE = "sign an audit checkpoint"


MM, DM, ADMIN, LEGAL, AGENCY = (
    Role.MARKETING_MANAGER,
    Role.DIGITAL_MARKETING,
    Role.SOCIAL_MEDIA_ADMIN,
    Role.LEGAL,
    Role.AGENCY,
)

ROLE_MATRIX: dict[Action, frozenset[Role]] = {
    Action.MANAGE_TEAM: frozenset({MM}),
    Action.CREATE_CONTENT: frozenset({DM, AGENCY}),
    Action.REVISE_CONTENT: frozenset({DM, AGENCY}),
    Action.SUBMIT_FOR_REVIEW: frozenset({DM, AGENCY}),
    Action.REVIEW_CONTENT: frozenset({DM, LEGAL}),
    Action.SUBMIT_FOR_APPROVAL: frozenset({DM}),
    Action.APPROVE_CONTENT: frozenset({MM}),
    Action.REQUEST_CHANGES: frozenset({MM, LEGAL}),
    Action.SCHEDULE_CONTENT: frozenset({DM, ADMIN}),
    Action.PUBLISH_CONTENT: frozenset({ADMIN}),
    Action.RECONCILE_PUBLICATION: frozenset({ADMIN}),
    Action.WITHDRAW_CONTENT: frozenset({MM, ADMIN, LEGAL}),
    Action.ARCHIVE_CONTENT: frozenset({DM, ADMIN}),
    Action.READ_AUDIT_LOG: frozenset({MM, LEGAL}),
    Action.PLAN_CAMPAIGN: frozenset({DM}),
    Action.APPROVE_CAMPAIGN: frozenset({MM}),
    Action.RUN_CAMPAIGN: frozenset({DM, MM}),
    Action.CANCEL_CAMPAIGN: frozenset({MM}),
    Action.ASSIGN_AGENCY: frozenset({DM, MM}),
    Action.DRAFT_STRATEGY: frozenset({DM, MM}),
    Action.APPROVE_STRATEGY: frozenset({MM}),
    Action.PLAN_CALENDAR: frozenset({DM}),
    Action.INGEST_INTERACTIONS: frozenset({ADMIN, DM}),
    Action.TRIAGE_INBOX: frozenset({ADMIN, DM}),
    Action.REPLY_TO_AUDIENCE: frozenset({ADMIN}),
    Action.APPROVE_REPLY: frozenset({MM, LEGAL}),
    Action.ERASE_PERSONAL_DATA: frozenset({LEGAL}),
    Action.RECORD_METRICS: frozenset({DM, ADMIN}),
    Action.RECORD_EVALUATION: frozenset({MM, DM}),
    Action.OPEN_INCIDENT: frozenset({ADMIN, DM, MM, LEGAL}),
    Action.CLASSIFY_INCIDENT: frozenset({MM}),
    Action.ESCALATE_INCIDENT: frozenset({MM, LEGAL, ADMIN}),
    Action.ACKNOWLEDGE_INCIDENT: frozenset({MM, LEGAL}),
    Action.LOG_INCIDENT_ACTION: frozenset({ADMIN, DM, MM, LEGAL}),
    Action.FREEZE_PUBLISHING: frozenset({MM, LEGAL}),
    Action.RELEASE_PUBLISHING: frozenset({MM}),
    Action.RESOLVE_INCIDENT: frozenset({MM}),
    Action.REVIEW_INCIDENT: frozenset({MM, DM, LEGAL}),
    Action.CLOSE_INCIDENT: frozenset({MM}),
    Action.CONFIGURE: frozenset({MM}),
    Action.OPERATE_STORE: frozenset({MM}),
}


def may(role: Role, action: Action) -> bool:
    """Whether the matrix lets `role` do `action`."""
    return role in ROLE_MATRIX[action]


def check_may(member_id: str, role: Role, action: Action) -> None:
    """Raise PermissionDeniedError naming the allowed roles when `role` may not `action`."""
    if not may(role, action):
        allowed = ", ".join(sorted(r.value for r in ROLE_MATRIX[action]))
        raise PermissionDeniedError(
            actor=member_id, role=role.value, action=Term(action.value), allowed=allowed
        )

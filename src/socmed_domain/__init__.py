"""socmed_domain: SOP-0042 (corporate social media management) as a pure event-sourced domain.

Import the Application and the value objects from here; storage, platforms and the CLI live in
socmed_adapters and socmed_cli.
"""

from socmed_domain.actor import Actor
from socmed_domain.application import SocmedApplication
from socmed_domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    RuleViolationError,
    SocmedError,
)
from socmed_domain.planning.campaign import Campaign, CampaignPlan, CampaignStatus, Period
from socmed_domain.planning.goals import Goal, GoalKind, KpiPeriod, KpiTarget
from socmed_domain.platforms import Platform, platform_named
from socmed_domain.production.content_item import ContentItem, Status
from socmed_domain.production.quality import CHECKLIST_KEYS, QUALITY_CHECKLIST, ContentPolicy
from socmed_domain.production.revision import CaptionVariant, ContentType, Draft, MediaRef
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt, Slot
from socmed_domain.publication.ports import OutcomeUnknownError, Publisher, PublishError
from socmed_domain.roles import ROLE_MATRIX, Action, Role
from socmed_domain.team import Team

__all__ = [
    "CHECKLIST_KEYS",
    "QUALITY_CHECKLIST",
    "ROLE_MATRIX",
    "Action",
    "Actor",
    "Campaign",
    "CampaignPlan",
    "CampaignStatus",
    "CaptionVariant",
    "ConflictError",
    "ContentItem",
    "ContentPolicy",
    "ContentType",
    "Draft",
    "Goal",
    "GoalKind",
    "InvalidInputError",
    "InvalidStateError",
    "KpiPeriod",
    "KpiTarget",
    "MediaRef",
    "NotFoundError",
    "OutboundPost",
    "OutcomeUnknownError",
    "Period",
    "PermissionDeniedError",
    "Platform",
    "PostReceipt",
    "PublishError",
    "Publisher",
    "Role",
    "RuleViolationError",
    "Slot",
    "SocmedApplication",
    "SocmedError",
    "Status",
    "Team",
    "platform_named",
]

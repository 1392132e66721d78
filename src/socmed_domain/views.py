"""Read-side value objects the Application returns: plain, frozen, serialisable.

Front ends render these; none of them exposes an aggregate, so nothing outside the domain can
change state except through the Application's commands.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from socmed_domain.i18n import render
from socmed_domain.planning.campaign import CampaignPlan
from socmed_domain.planning.strategy import StrategyVersion
from socmed_domain.production.content_item import Approval, ReviewOutcome
from socmed_domain.production.revision import Revision
from socmed_domain.production.routing import BoundRoute, StepRecord
from socmed_domain.publication.outcomes import PlatformPublication, Slot


@frozen
class ContentSummary:
    item_id: str
    title: str
    status: str
    revision: int
    revision_sha256: str
    author_id: str
    approved_by: str
    scheduled_at: datetime | None
    platforms: tuple[str, ...]
    published: tuple[str, ...]
    campaign_id: str | None
    updated_at: datetime
    #: When the item was created (the content list's order and keyset cursor).
    created_at: datetime | None = None


@frozen
class ContentDetail:
    summary: ContentSummary
    created_by: str
    created_at: datetime
    revisions: tuple[Revision, ...]
    review: ReviewOutcome | None
    approval: Approval | None
    slot: Slot | None
    publications: tuple[PlatformPublication, ...]
    last_comment: str
    version: int
    #: The approval route bound to the current revision at its submission, the steps
    #: recorded on it, and the keys of those still missing before approval.
    route: BoundRoute | None = None
    steps_recorded: tuple[StepRecord, ...] = ()
    steps_missing: tuple[str, ...] = ()


@frozen
class CampaignSummary:
    campaign_id: str
    name: str
    status: str
    start: datetime
    end: datetime
    platforms: tuple[str, ...]
    budget_idr: Decimal
    agencies: tuple[str, ...]
    planned_by: str
    approved_by: str
    updated_at: datetime


@frozen
class CampaignDetail:
    summary: CampaignSummary
    plan: CampaignPlan
    created_at: datetime
    last_comment: str
    version: int


@frozen
class AuditEntry:
    """One stored event as Legal reads it: position, time, who, what, why."""

    position: int
    at: datetime
    aggregate: str
    aggregate_id: str
    version: int
    event_type: str
    actor_id: str
    actor_role: str
    code: str
    params: dict[str, Any] = field(factory=dict)
    reason: str = ""
    #: How the actor was established (``session:…``, ``token:…``, ``local-cli:…``, …).
    via: str = ""

    @property
    def via_kind(self) -> str:
        """``session``, ``sso``, ``token``, ``local-cli``, ``library`` or ``auth``; empty
        for an event recorded before identity was proven."""
        return via_kind(self.via)

    def summary(self, lang: str = "en") -> str:
        return render(self.code, lang, **self.params)


def via_kind(via: str) -> str:
    """The kind of a `via` (`AuditEntry.via_kind`): the part before its first colon."""
    return via.split(":", 1)[0]


@frozen
class PublishLine:
    """One outcome of a publishing run."""

    item_id: str
    title: str
    platform: str
    #: published | failed | failed_retryable | unknown | expired | blocked | skipped |
    #: held (a crisis freeze) | deferred (a daily quota)
    outcome: str
    url: str = ""
    detail: str = ""


@frozen
class StrategyDetail:
    """The strategy as it stands: the version worked on, the version in force, all versions."""

    status: str
    current: int
    in_force: int
    versions: tuple[StrategyVersion, ...]
    last_comment: str
    updated_at: datetime
    version: int

    @property
    def working(self) -> StrategyVersion:
        return self.versions[self.current - 1]

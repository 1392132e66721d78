"""The monthly report's model (SOP document 'Laporan Kinerja Media Sosial') and what it is built
from. Plain frozen values: renderers (Markdown, HTML, JSON, CSV) only format them.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal

from attrs import field, frozen

from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.evaluation.responses import ConversationRow, ResponseRow
from socmed_domain.i18n import Formatter, render
from socmed_domain.monitoring.sla import (
    DEFAULT_CALENDAR,
    DEFAULT_POLICY,
    BusinessCalendar,
    SlaPolicy,
)
from socmed_domain.months import Month
from socmed_domain.planning.goals import KpiTarget
from socmed_domain.planning.strategy_plan import StrategyPlan
from socmed_domain.platforms import Platform

# ------------------------------------------------------------------ inputs


@frozen
class PublishedPost:
    """One published (content item, platform), with the post's id on the platform."""

    item_id: str
    platform: Platform
    post_id: str
    title: str
    campaign_id: str | None
    content_type: str
    published_at: datetime
    url: str = ""


@frozen
class PlannedPost:
    """One dated (content item, platform) on the content calendar, whatever became of it."""

    item_id: str
    platform: Platform
    at: datetime
    state: str
    campaign_id: str | None


@frozen
class CampaignInfo:
    campaign_id: str
    name: str
    start: datetime
    end: datetime
    kpi_targets: tuple[KpiTarget, ...] = ()


@frozen
class IncidentRow:
    ref: str
    title: str
    level: int | None
    status: str
    opened_at: datetime
    to_first_holding_statement: timedelta | None


@frozen
class ReportInputs:
    """Everything a monthly report is computed from; all of it derived from events."""

    organisation: str
    month: Month
    zone: tzinfo
    generated_at: datetime
    posts: tuple[PublishedPost, ...]  # published in the month
    previous_posts: tuple[PublishedPost, ...]  # published in the month before
    planned: tuple[PlannedPost, ...]  # calendar rows dated in the month
    #: latest snapshot per (platform, post id or "" for the account) measured before the
    #: month's end, and before its start (previous month's posts; followers at the start)
    values: Mapping[tuple[Platform, str], MetricValues]
    start_values: Mapping[tuple[Platform, str], MetricValues]
    strategy: StrategyPlan | None = None
    strategy_version: int = 0
    campaigns: tuple[CampaignInfo, ...] = ()
    incidents: tuple[IncidentRow, ...] = ()
    #: Conversations whose first message came in the month (the stage 4 inbox), and the SLA
    #: targets and business calendar they are judged by.
    conversations: tuple[ConversationRow, ...] = ()
    sla_policy: SlaPolicy = field(default=DEFAULT_POLICY, eq=False)
    business_calendar: BusinessCalendar = field(default=DEFAULT_CALENDAR, eq=False)
    #: The first local day cadence is owed (the store's start); None: the whole month.
    cadence_from: date | None = None


# ------------------------------------------------------------------ the model


@frozen
class Figures:
    """One row of the per-platform or per-campaign table (or the total)."""

    label: str
    posts_planned: int
    posts_published: int
    cadence_target: Decimal | None
    measured: int
    reach: int
    impressions: int
    interactions: int
    video_views: int
    conversions: int
    engagement_rate_pct: Decimal | None
    followers: int | None = None
    follower_growth: int | None = None
    reach_trend_pct: Decimal | None = None
    engagement_rate_trend_pct: Decimal | None = None


@frozen
class PostRow:
    item_id: str
    title: str
    platform: str
    content_type: str
    published_at: datetime
    campaign: str
    reach: int
    interactions: int
    engagement_rate_pct: Decimal | None
    conversions: int
    url: str


@frozen
class GroupRow:
    """Engagement of a group of posts: a posting time slot, or a content format."""

    label: str
    posts: int
    interactions: int
    engagement_rate_pct: Decimal | None


@frozen
class KpiRow:
    scope: str  # "strategy" or the campaign's name
    metric: str
    platform: str  # "all" or the platform
    period: str
    target: Decimal  # as set
    month_target: Decimal  # pro rata for the month
    actual: Decimal | None
    attainment_pct: Decimal | None
    status: str  # met, missed, no_data
    previous: Decimal | None = None
    trend_pct: Decimal | None = None


@frozen
class Insight:
    """A finding or recommendation of a documented rule (insights.py), with its numbers."""

    rule: str
    kind: str  # "finding" or "recommendation"
    params: tuple[tuple[str, str], ...]

    def message(self, lang: str = "en", formatter: Formatter | None = None) -> str:
        """The sentence in `lang`; the edges pass their Babel formatter for the numbers."""
        return render(f"insight.{self.rule}", lang, formatter, **dict(self.params))


@frozen
class MonthlyReport:
    organisation: str
    month: str
    zone: str
    period_start: datetime
    period_end: datetime
    generated_at: datetime
    strategy_version: int
    total: Figures
    platforms: tuple[Figures, ...]
    campaigns: tuple[Figures, ...]
    top_posts: tuple[PostRow, ...]
    bottom_posts: tuple[PostRow, ...]
    time_slots: tuple[GroupRow, ...]
    formats: tuple[GroupRow, ...]
    kpis: tuple[KpiRow, ...]
    incidents: tuple[IncidentRow, ...]
    insights: tuple[Insight, ...]
    #: Response times and SLA attainment of the month's conversations (the stage 4 inbox),
    #: per platform then "all"; empty when there were none (the renderers say so).
    responses: tuple[ResponseRow, ...] = ()

    @property
    def ref(self) -> str:
        """What an evaluation meeting names as the report it discussed."""
        return f"monthly-report:{self.month}"

"""The KPI engine (SOP stage 5, 'analyse performance against the agreed KPIs'): metric
definitions as data, totals over a set of posts, attainment against targets, trend.

Everything here is pure arithmetic on recorded snapshots, in exact decimals (rates rounded
half-up to two places), so a report recomputed from the events gives the very same numbers.
docs/reporting.md renders `METRICS` and `ENGAGEMENT_RULES` as the reference for readers.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from attrs import frozen

from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.planning.goals import KpiPeriod
from socmed_domain.platforms import Platform

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def pct(part: Decimal | int, whole: Decimal | int) -> Decimal | None:
    """part / whole as a percentage with two decimals (None when whole is 0)."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


@frozen
class MetricDefinition:
    """A metric a KPI target may name: what it measures and how it adds up."""

    key: str
    kind: str  # "sum" over posts, "rate" (a percentage), "level" (followers), "count"
    doc: str
    aliases: tuple[str, ...] = ()


METRICS: tuple[MetricDefinition, ...] = (
    MetricDefinition("reach", "sum", "Accounts reached by the month's posts, as each platform "
                     "reports per post, summed over posts (a person reached by two posts "
                     "counts twice)."),
    MetricDefinition("impressions", "sum", "Times the month's posts were shown, summed."),
    MetricDefinition("likes", "sum", "Likes or reactions on the month's posts."),
    MetricDefinition("comments", "sum", "Comments or replies on the month's posts."),
    MetricDefinition("shares", "sum", "Shares, reposts or retweets of the month's posts."),
    MetricDefinition("saves", "sum", "Saves or bookmarks (Instagram, TikTok)."),
    MetricDefinition("clicks", "sum", "Link and post clicks (Facebook, LinkedIn, X)."),
    MetricDefinition("video_views", "sum", "Video views as the platform counts them.",
                     ("views",)),
    MetricDefinition("conversions", "sum", "Conversions attributed to the posts (leads, "
                     "sign-ups) by the platform's or the site's tracking.",
                     ("leads", "signups")),
    MetricDefinition("interactions", "sum", "The platform's engagement actions "
                     "(ENGAGEMENT_RULES), summed.", ("engagements", "engagement")),
    MetricDefinition("engagement_rate_pct", "rate", "Interactions / the platform's "
                     "denominator (ENGAGEMENT_RULES) x 100; over several platforms, the sum "
                     "of interactions over the sum of denominators.",
                     ("engagement_rate", "er", "er_pct")),
    MetricDefinition("followers", "level", "Followers of the account at the end of the "
                     "period (the latest account snapshot before it ends)."),
    MetricDefinition("follower_growth", "sum", "Followers at the end minus followers at "
                     "the start of the period.", ("new_followers",)),
    MetricDefinition("posts_published", "count", "Posts published in the period, one per "
                     "(content item, platform).", ("posts",)),
)
_BY_NAME = {name: d for d in METRICS for name in (d.key, *d.aliases)}


def metric_named(name: str) -> MetricDefinition | None:
    """The definition a KPI target's metric name means, or None (not measured here: e.g.
    'new_debit_card_users' comes from a business system, not from the platforms)."""
    return _BY_NAME.get(name.strip().lower())


@frozen
class EngagementRule:
    """Which actions count as interactions on a platform, and what they are divided by."""

    platform: Platform
    interactions: tuple[str, ...]
    denominator: str
    doc: str


ENGAGEMENT_RULES: dict[Platform, EngagementRule] = {r.platform: r for r in (
    EngagementRule(Platform.INSTAGRAM, ("likes", "comments", "shares", "saves"), "reach",
                   "Instagram Insights: interactions over accounts reached."),
    EngagementRule(Platform.FACEBOOK, ("likes", "comments", "shares", "clicks"), "reach",
                   "Facebook Page insights: reactions, comments, shares and clicks over "
                   "reach."),
    EngagementRule(Platform.LINKEDIN, ("likes", "comments", "shares", "clicks"),
                   "impressions", "LinkedIn page analytics: (clicks + reactions + comments + "
                   "reposts) / impressions."),
    EngagementRule(Platform.TIKTOK, ("likes", "comments", "shares", "saves"), "video_views",
                   "TikTok: interactions over video views (TikTok reports no reach per post "
                   "to most accounts)."),
    EngagementRule(Platform.X, ("likes", "comments", "shares", "clicks"), "impressions",
                   "X analytics: engagements over impressions."),
)}


def interactions(platform: Platform, values: MetricValues) -> int:
    return sum(values.get(name) or 0 for name in ENGAGEMENT_RULES[platform].interactions)


def denominator(platform: Platform, values: MetricValues) -> int:
    return values.get(ENGAGEMENT_RULES[platform].denominator) or 0


@frozen
class Totals:
    """Sums over a set of posts (each with its latest snapshot), and their engagement rate."""

    posts: int = 0
    measured: int = 0  # posts with at least one snapshot
    reach: int = 0
    impressions: int = 0
    likes: int = 0
    comments: int = 0
    shares: int = 0
    saves: int = 0
    clicks: int = 0
    video_views: int = 0
    conversions: int = 0
    interactions: int = 0
    denominator: int = 0

    @property
    def engagement_rate_pct(self) -> Decimal | None:
        return pct(self.interactions, self.denominator)

    def get(self, key: str) -> Decimal | None:
        if key == "engagement_rate_pct":
            return self.engagement_rate_pct
        if key == "posts_published":
            return Decimal(self.posts)
        if not self.measured:
            return None
        value: int = getattr(self, key)
        return Decimal(value)


SUMMED = ("reach", "impressions", "likes", "comments", "shares", "saves", "clicks",
          "video_views", "conversions")


def totals(posts: Iterable[tuple[Platform, MetricValues | None]]) -> Totals:
    """Totals over (platform, latest snapshot or None) pairs, one per published post."""
    sums = dict.fromkeys((*SUMMED, "interactions", "denominator"), 0)
    count = measured = 0
    for platform, values in posts:
        count += 1
        if values is None:
            continue
        measured += 1
        for key in SUMMED:
            sums[key] += values.get(key) or 0
        sums["interactions"] += interactions(platform, values)
        sums["denominator"] += denominator(platform, values)
    return Totals(posts=count, measured=measured, **sums)


def period_factor(period: KpiPeriod, days: int) -> Decimal:
    """How much of a target falls in a month of `days` days (for summed metrics)."""
    if period is KpiPeriod.WEEK:
        return Decimal(days) / Decimal(7)
    if period is KpiPeriod.QUARTER:
        return Decimal(1) / Decimal(3)
    if period is KpiPeriod.YEAR:
        return Decimal(1) / Decimal(12)
    return Decimal(1)  # MONTH, and CAMPAIGN (compared campaign to date)


@frozen
class Attainment:
    target: Decimal  # the target for this month (pro rata for summed metrics)
    actual: Decimal | None
    attainment_pct: Decimal | None  # actual / target x 100
    status: str  # "met", "missed", "no_data" (not measured here)


def attainment(definition: MetricDefinition | None, target: Decimal, period: KpiPeriod,
               days: int, actual: Decimal | None) -> Attainment:
    """Attainment of one target. Summed metrics are pro-rated to the month (a weekly target
    of 3 posts is 13.29 in a 31-day month); rates and levels are compared as they are."""
    if definition is not None and definition.kind in ("sum", "count"):
        target = (target * period_factor(period, days)).quantize(CENT, ROUND_HALF_UP)
    if definition is None or actual is None:
        return Attainment(target, None, None, "no_data")
    share = pct(actual, target) if target else None
    met = actual >= target
    return Attainment(target, actual, share, "met" if met else "missed")


def trend_pct(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Change against the previous month in percent (None without a previous figure)."""
    if current is None or previous is None or not previous:
        return None
    return pct(current - previous, previous)

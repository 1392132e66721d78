"""Builds the monthly report model from its inputs (report_model.py). Pure: the same inputs
always give the same report, which is how 'rebuild from the events gives the same report'
holds.

Conventions (docs/reporting.md): a post belongs to the month it was published in; its numbers
are the latest snapshot measured before the month ended (so a report for a closed month does
not change when later snapshots arrive); the previous month is computed the same way, as of
its own end; times of day are in the report's zone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import ROUND_HALF_UP, Decimal

from attrs import evolve

from socmed_domain.bounds import amount_ok
from socmed_domain.evaluation.insights import derive_insights
from socmed_domain.evaluation.kpi import (
    CENT,
    Totals,
    attainment,
    denominator,
    interactions,
    metric_named,
    pct,
    totals,
    trend_pct,
)
from socmed_domain.evaluation.metrics import ACCOUNT, MetricValues
from socmed_domain.evaluation.report_model import (
    Figures,
    GroupRow,
    KpiRow,
    MonthlyReport,
    PostRow,
    PublishedPost,
    ReportInputs,
)
from socmed_domain.evaluation.responses import response_rows
from socmed_domain.planning.cadence import owed_days
from socmed_domain.planning.goals import KpiTarget
from socmed_domain.platforms import Platform
from socmed_domain.timezones import zone_label

TOP = 5
#: Posting time slots, as hours [start, end) of the day in the report's zone.
SLOTS: tuple[tuple[int, int], ...] = ((0, 6), (6, 10), (10, 14), (14, 18), (18, 22), (22, 24))

Values = Mapping[tuple[Platform, str], MetricValues]


def slot_label(hour: int) -> str:
    for start, end in SLOTS:
        if start <= hour < end:
            return f"{start:02d}:00-{end:02d}:00"
    raise ValueError(hour)  # pragma: no cover - SLOTS cover the day


def _value(values: Values, post: PublishedPost) -> MetricValues | None:
    return values.get((post.platform, post.post_id))


def _totals(posts: Iterable[PublishedPost], values: Values) -> Totals:
    return totals((p.platform, _value(values, p)) for p in posts)


def _followers(values: Values, platform: Platform) -> int | None:
    snapshot = values.get((platform, ACCOUNT))
    return snapshot.followers if snapshot is not None else None


def _growth(inputs: ReportInputs, platform: Platform) -> int | None:
    end = _followers(inputs.values, platform)
    start = _followers(inputs.start_values, platform)
    return end - start if end is not None and start is not None else None


def _figures(label: str, posts: list[PublishedPost], previous: list[PublishedPost],
             inputs: ReportInputs, planned: int, cadence: Decimal | None,
             followers: int | None = None, growth: int | None = None) -> Figures:
    now = _totals(posts, inputs.values)
    before = _totals(previous, inputs.start_values)
    return Figures(
        label=label, posts_planned=planned, posts_published=len(posts),
        cadence_target=cadence, measured=now.measured, reach=now.reach,
        impressions=now.impressions, interactions=now.interactions,
        video_views=now.video_views, conversions=now.conversions,
        engagement_rate_pct=now.engagement_rate_pct, followers=followers,
        follower_growth=growth,
        reach_trend_pct=trend_pct(now.get("reach"), before.get("reach")),
        engagement_rate_trend_pct=trend_pct(now.engagement_rate_pct,
                                            before.engagement_rate_pct))


def _post_row(post: PublishedPost, values: MetricValues, campaign: str) -> PostRow:
    return PostRow(item_id=post.item_id, title=post.title, platform=post.platform.value,
                   content_type=post.content_type, published_at=post.published_at,
                   campaign=campaign, reach=values.reach or 0,
                   interactions=interactions(post.platform, values),
                   engagement_rate_pct=pct(interactions(post.platform, values),
                                           denominator(post.platform, values)),
                   conversions=values.conversions or 0, url=post.url)


def _groups(posts: list[PublishedPost], values: Values,
            key: Callable[[PublishedPost], str], order: list[str]) -> tuple[GroupRow, ...]:
    rows = []
    for label in order:
        members = [p for p in posts if key(p) == label and _value(values, p) is not None]
        if members:
            found = _totals(members, values)
            rows.append(GroupRow(label, len(members), found.interactions,
                                 found.engagement_rate_pct))
    return tuple(rows)


def _cadence(inputs: ReportInputs, platform: Platform) -> Decimal | None:
    """The month's posts owed by the weekly cadence, over the days from the store's start
    (`ReportInputs.cadence_from`) only."""
    weekly = inputs.strategy.cadence(platform) if inputs.strategy else 0
    if not weekly:
        return None
    days = len(owed_days(inputs.month.dates(), inputs.cadence_from))
    return (Decimal(weekly) * days / 7).quantize(CENT, ROUND_HALF_UP)


def _kpi_rows(scope: str, targets: Iterable[KpiTarget], posts: list[PublishedPost],
              previous: list[PublishedPost] | None, inputs: ReportInputs) -> list[KpiRow]:
    rows = []
    for target in targets:
        if not amount_ok(target.target):
            continue  # only in stores written before the bounds: `socmed doctor` names it
        definition = metric_named(target.metric)
        chosen = [p for p in posts if target.platform in (None, p.platform)]
        platforms = [target.platform] if target.platform else list(Platform)
        actual = _actual(definition.key if definition else "", chosen, inputs.values,
                         platforms, inputs)
        before = None
        if previous is not None and definition is not None:
            earlier = [p for p in previous if target.platform in (None, p.platform)]
            before = _actual(definition.key, earlier, inputs.start_values, platforms, None)
        result = attainment(definition, target.target, target.period, inputs.month.day_count,
                            actual)
        rows.append(KpiRow(
            scope=scope, metric=target.metric,
            platform=target.platform.value if target.platform else "all",
            period=target.period.value, target=target.target, month_target=result.target,
            actual=result.actual, attainment_pct=result.attainment_pct,
            status=result.status, previous=before, trend_pct=trend_pct(actual, before)))
    return rows


def _actual(key: str, posts: list[PublishedPost], values: Values,
            platforms: list[Platform], inputs: ReportInputs | None) -> Decimal | None:
    """The measured value of metric `key` over `posts` (None when nothing measured it)."""
    if key == "followers":
        levels = [_followers(values, p) for p in platforms]
        known = [v for v in levels if v is not None]
        return Decimal(sum(known)) if known else None
    if key == "follower_growth":
        if inputs is None:
            return None
        growths = [g for g in (_growth(inputs, p) for p in platforms) if g is not None]
        return Decimal(sum(growths)) if growths else None
    if not key:
        return None
    return _totals(posts, values).get(key)


def build_monthly_report(inputs: ReportInputs) -> MonthlyReport:
    start, end = inputs.month.bounds(inputs.zone)
    posts = sorted(inputs.posts, key=lambda p: (p.published_at, p.platform.value, p.item_id))
    previous = list(inputs.previous_posts)
    names = {c.campaign_id: c.name for c in inputs.campaigns}
    used = [p for p in Platform if any(post.platform is p for post in posts)
            or (inputs.strategy and inputs.strategy.cadence(p))
            or any(row.platform is p for row in inputs.planned)
            or (p, ACCOUNT) in inputs.values]

    platform_rows = tuple(_figures(
        p.value, [x for x in posts if x.platform is p], [x for x in previous if x.platform is p],
        inputs, planned=sum(1 for r in inputs.planned if r.platform is p),
        cadence=_cadence(inputs, p), followers=_followers(inputs.values, p),
        growth=_growth(inputs, p)) for p in used)
    growths = [r.follower_growth for r in platform_rows if r.follower_growth is not None]
    levels = [r.followers for r in platform_rows if r.followers is not None]
    cadences = [r.cadence_target for r in platform_rows if r.cadence_target is not None]
    total = _figures("all", posts, previous, inputs, planned=len(inputs.planned),
                     cadence=sum(cadences, Decimal(0)) if cadences else None,
                     followers=sum(levels) if levels else None,
                     growth=sum(growths) if growths else None)

    campaign_rows = []
    kpis = _kpi_rows("strategy", inputs.strategy.kpi_targets if inputs.strategy else (),
                     posts, previous, inputs)
    for campaign in sorted(inputs.campaigns, key=lambda c: (c.start, c.name)):
        mine = [p for p in posts if p.campaign_id == campaign.campaign_id]
        planned = sum(1 for r in inputs.planned if r.campaign_id == campaign.campaign_id)
        if not mine and not planned and not (campaign.start < end and campaign.end > start):
            continue
        campaign_rows.append(_figures(campaign.name, mine, [], inputs, planned, None))
        kpis += _kpi_rows(campaign.name, campaign.kpi_targets, mine, None, inputs)

    measured = [(p, v) for p in posts if (v := _value(inputs.values, p)) is not None]
    ranked = sorted((_post_row(p, v, names.get(p.campaign_id or "", "")) for p, v in measured
                     if denominator(p.platform, v)),
                    key=lambda r: (-(r.engagement_rate_pct or 0), -r.interactions, r.title,
                                   r.platform))
    top = tuple(ranked[:TOP])
    bottom = tuple(reversed(ranked[max(TOP, len(ranked) - TOP):]))

    def local_slot(post: PublishedPost) -> str:
        return slot_label(post.published_at.astimezone(inputs.zone).hour)

    slots = _groups(posts, inputs.values, local_slot,
                    [f"{a:02d}:00-{b:02d}:00" for a, b in SLOTS])
    formats = _groups(posts, inputs.values, lambda p: p.content_type,
                      sorted({p.content_type for p in posts}))
    incidents = tuple(i for i in inputs.incidents if start <= i.opened_at < end)
    report = MonthlyReport(
        organisation=inputs.organisation, month=str(inputs.month), zone=zone_label(start),
        period_start=start, period_end=end, generated_at=inputs.generated_at,
        strategy_version=inputs.strategy_version, total=total, platforms=platform_rows,
        campaigns=tuple(campaign_rows), top_posts=top, bottom_posts=bottom, time_slots=slots,
        formats=formats, kpis=tuple(kpis), incidents=incidents, insights=(),
        responses=response_rows(
            (c for c in inputs.conversations if start <= c.received_at < end),
            inputs.sla_policy, inputs.business_calendar, min(inputs.generated_at, end)))
    return evolve(report, insights=derive_insights(report))

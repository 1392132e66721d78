"""The KPI engine: metric definitions, engagement per platform, attainment, trend."""

from __future__ import annotations

from decimal import Decimal

import pytest

from socmed_domain.evaluation.kpi import (
    ENGAGEMENT_RULES,
    METRICS,
    attainment,
    interactions,
    metric_named,
    pct,
    totals,
    trend_pct,
)
from socmed_domain.evaluation.metrics import METRIC_NAMES, MetricValues
from socmed_domain.planning.goals import KpiPeriod
from socmed_domain.platforms import Platform

IG, FB, LI, TT, X = (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.LINKEDIN, Platform.TIKTOK,
                     Platform.X)
POST = MetricValues(reach=1000, impressions=2000, likes=40, comments=5, shares=3, saves=2,
                    clicks=10, video_views=800)


def test_every_platform_has_an_engagement_rule_over_known_metrics() -> None:
    assert set(ENGAGEMENT_RULES) == set(Platform)
    for rule in ENGAGEMENT_RULES.values():
        assert set(rule.interactions) <= set(METRIC_NAMES)
        assert rule.denominator in METRIC_NAMES
        assert rule.doc


@pytest.mark.parametrize(("platform", "expected"), [
    (IG, 40 + 5 + 3 + 2), (FB, 40 + 5 + 3 + 10), (LI, 40 + 5 + 3 + 10), (TT, 40 + 5 + 3 + 2),
    (X, 40 + 5 + 3 + 10)])
def test_interactions_follow_each_platforms_definition(platform: Platform,
                                                       expected: int) -> None:
    assert interactions(platform, POST) == expected


def test_engagement_rate_uses_each_platforms_denominator() -> None:
    assert totals([(IG, POST)]).engagement_rate_pct == Decimal("5.00")  # 50 / reach 1000
    assert totals([(LI, POST)]).engagement_rate_pct == Decimal("2.90")  # 58 / impr. 2000
    assert totals([(TT, POST)]).engagement_rate_pct == Decimal("6.25")  # 50 / views 800
    # several platforms: the sum of interactions over the sum of denominators
    assert totals([(IG, POST), (LI, POST)]).engagement_rate_pct == Decimal("3.60")  # 108/3000


def test_totals_count_unmeasured_posts_but_do_not_invent_numbers() -> None:
    found = totals([(IG, None), (IG, None)])
    assert (found.posts, found.measured, found.reach) == (2, 0, 0)
    assert found.get("reach") is None and found.engagement_rate_pct is None
    assert found.get("posts_published") == Decimal(2)


def test_metric_names_and_aliases() -> None:
    assert metric_named("Leads").key == "conversions"  # type: ignore[union-attr]
    assert metric_named("engagement_rate").key == "engagement_rate_pct"  # type: ignore[union-attr]
    assert metric_named("new_debit_card_users") is None
    keys = [d.key for d in METRICS]
    assert len(keys) == len(set(keys)) and all(d.doc for d in METRICS)


def test_summed_targets_are_pro_rated_rates_are_not() -> None:
    weekly = attainment(metric_named("posts_published"), Decimal(3), KpiPeriod.WEEK, 31,
                        Decimal(10))
    assert weekly.target == Decimal("13.29") and weekly.status == "missed"
    assert weekly.attainment_pct == Decimal("75.24")
    yearly = attainment(metric_named("reach"), Decimal(1_200_000), KpiPeriod.YEAR, 30,
                        Decimal(100_000))
    assert (yearly.target, yearly.attainment_pct, yearly.status) == (
        Decimal("100000.00"), Decimal("100.00"), "met")
    rate = attainment(metric_named("engagement_rate_pct"), Decimal("4.5"), KpiPeriod.WEEK,
                      31, Decimal("4.78"))
    assert rate.target == Decimal("4.5") and rate.status == "met"


def test_unmeasurable_or_unmeasured_kpis_have_no_data() -> None:
    assert attainment(None, Decimal(800), KpiPeriod.MONTH, 31, None).status == "no_data"
    assert attainment(metric_named("reach"), Decimal(5), KpiPeriod.MONTH, 31,
                      None).status == "no_data"


def test_trend_against_the_previous_month() -> None:
    assert trend_pct(Decimal(120), Decimal(100)) == Decimal("20.00")
    assert trend_pct(Decimal(75), Decimal(100)) == Decimal("-25.00")
    assert trend_pct(Decimal(75), None) is None and trend_pct(None, Decimal(3)) is None
    assert trend_pct(Decimal(1), Decimal(0)) is None
    assert pct(1, 3) == Decimal("33.33") and pct(2, 3) == Decimal("66.67")

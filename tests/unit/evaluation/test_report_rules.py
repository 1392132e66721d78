"""The monthly report model and its insight rules, on hand-made inputs with known answers."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from attrs import evolve

from socmed_domain.evaluation.metrics import ACCOUNT, MetricValues
from socmed_domain.evaluation.report import build_monthly_report
from socmed_domain.evaluation.report_model import (
    CampaignInfo,
    IncidentRow,
    PlannedPost,
    PublishedPost,
    ReportInputs,
)
from socmed_domain.months import Month
from socmed_domain.planning.goals import Goal, GoalKind, KpiPeriod, KpiTarget
from socmed_domain.planning.strategy_plan import PlatformChoice, StrategyPlan
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB

IG, X = Platform.INSTAGRAM, Platform.X
MONTH = Month(2026, 12)
PLAN = StrategyPlan("Strategi", goals=(Goal(GoalKind.BRAND_AWARENESS),),
                    kpi_targets=(KpiTarget("reach", Decimal(10_000), KpiPeriod.MONTH),
                                 KpiTarget("leads", Decimal(50), KpiPeriod.MONTH, IG),
                                 KpiTarget("engagement_rate_pct", Decimal(4), KpiPeriod.MONTH,
                                           IG)),
                    platforms=(PlatformChoice(IG, "visual", 2), PlatformChoice(X, "news", 3)))


def post(n: int, platform: Platform, kind: str, day: int, hour: int,
         campaign: str | None = None) -> PublishedPost:
    return PublishedPost(f"item-{n}", platform, f"p{n}", f"Post {n}", campaign, kind,
                         datetime(2026, 12, day, hour, tzinfo=WIB), f"https://x.test/{n}")


def ig(reach: int, acts: int) -> MetricValues:
    return MetricValues(reach=reach, likes=acts, conversions=1)


def inputs(**changes: object) -> ReportInputs:
    """Eight Instagram posts (videos in the evening engage 3x more) and two X posts."""
    posts = [post(n, IG, "video" if n < 4 else "image", n + 1, 19 if n < 4 else 9,
                  "c1" if n < 2 else None) for n in range(8)]
    posts += [post(8, X, "text", 10, 12), post(9, X, "text", 11, 12)]
    values = {(p.platform, p.post_id): ig(1000, 90 if p.content_type == "video" else 30)
              for p in posts[:8]}
    values |= {(X, "p8"): MetricValues(impressions=2000, likes=10),
               (X, "p9"): MetricValues(impressions=2000, likes=10),
               (IG, ACCOUNT): MetricValues(followers=5400)}
    base = ReportInputs(
        organisation="PT Contoh", month=MONTH, zone=WIB,
        generated_at=datetime(2027, 1, 2, tzinfo=WIB), posts=tuple(posts),
        previous_posts=(post(20, IG, "image", 20, 9),),
        planned=tuple(PlannedPost(p.item_id, p.platform, p.published_at, "published",
                                  p.campaign_id) for p in posts),
        values=values,
        start_values={(IG, ACCOUNT): MetricValues(followers=5000),
                      (IG, "p20"): ig(2000, 60)},
        strategy=PLAN, strategy_version=1,
        campaigns=(CampaignInfo("c1", "Harbolnas", datetime(2026, 12, 1, tzinfo=WIB),
                                datetime(2026, 12, 14, tzinfo=WIB),
                                (KpiTarget("kartu_baru", Decimal(100), KpiPeriod.CAMPAIGN),)),),
        incidents=(IncidentRow("ab12cd34", "Gangguan", 3, "closed",
                               datetime(2026, 12, 29, 9, tzinfo=WIB), timedelta(minutes=25)),
                   IncidentRow("ef56", "Bulan lalu", 4, "closed",
                               datetime(2026, 11, 29, 9, tzinfo=WIB), None)))
    return evolve(base, **changes)  # type: ignore[arg-type]


def rules(report: object) -> dict[str, list[dict[str, str]]]:
    found: dict[str, list[dict[str, str]]] = {}
    for insight in report.insights:  # type: ignore[attr-defined]
        found.setdefault(insight.rule, []).append(dict(insight.params))
    return found


def test_platform_figures_follower_growth_and_trend() -> None:
    report = build_monthly_report(inputs())
    by = {row.label: row for row in report.platforms}
    ig_row = by["instagram"]
    assert (ig_row.posts_published, ig_row.posts_planned, ig_row.reach) == (8, 8, 8000)
    assert ig_row.interactions == 4 * 90 + 4 * 30
    assert ig_row.engagement_rate_pct == Decimal("6.00")
    assert (ig_row.followers, ig_row.follower_growth) == (5400, 400)
    assert ig_row.cadence_target == Decimal("8.86")  # 2 a week x 31 / 7
    assert ig_row.reach_trend_pct == Decimal("300.00")  # 8000 against 2000
    assert by["x"].engagement_rate_pct == Decimal("0.50")
    assert report.total.posts_published == 10 and report.total.follower_growth == 400
    assert report.ref == "monthly-report:2026-12"


def test_campaign_rows_kpis_top_and_bottom() -> None:
    report = build_monthly_report(inputs())
    assert [(c.label, c.posts_published) for c in report.campaigns] == [("Harbolnas", 2)]
    kpis = {(k.scope, k.metric): k for k in report.kpis}
    assert kpis[("strategy", "reach")].actual == Decimal(8000)
    assert kpis[("strategy", "reach")].status == "missed"
    assert kpis[("strategy", "leads")].actual == Decimal(8)  # conversions on Instagram
    assert kpis[("strategy", "engagement_rate_pct")].status == "met"
    assert kpis[("Harbolnas", "kartu_baru")].status == "no_data"
    assert report.top_posts[0].engagement_rate_pct == Decimal("9.00")
    assert report.bottom_posts[0].platform == "x"
    assert not {r.item_id for r in report.top_posts} & {r.item_id for r in report.bottom_posts}


def test_each_rule_cites_its_numbers() -> None:
    found = rules(build_monthly_report(inputs()))
    # plain digits: the edges format them in the reader's locale (test below)
    assert {"metric": "reach", "scope": "strategy", "platform": "all", "actual": "8000",
            "target": "10000", "attainment": "80"} in found["kpi_missed"]
    assert found["kpi_no_data"][0]["metrics"] == "kartu_baru (Harbolnas)"
    # Instagram: 8 of 8.86 is over 80 %; X: 2 of 13.29 is not
    assert found["under_cadence"] == [{"platform": "X", "published": "2", "target": "13.29",
                                       "share": "15.05", "planned": "2"}]
    assert found["format_wins"][0]["format"] == "video"
    assert found["format_wins"][0]["rate"] == "9" and found["format_wins"][0]["ratio"]
    assert found["slot_wins"][0]["slot"] == "18:00-22:00"
    assert "platform_weak" not in found  # X has 2 measured posts: too few to judge
    assert found["incidents"] == [{"count": "1", "level": "3", "titles": "Gangguan",
                                   "minutes": "25"}]


def test_rules_stay_silent_without_enough_data() -> None:
    report = build_monthly_report(inputs(posts=(), previous_posts=(), planned=()))
    assert {i.rule for i in report.insights} <= {"kpi_missed", "kpi_no_data",
                                                  "under_cadence", "incidents"}
    assert not report.top_posts and not report.time_slots


def test_the_report_is_a_pure_function_of_its_inputs() -> None:
    assert build_monthly_report(inputs()) == build_monthly_report(inputs())


def test_insights_read_in_both_languages() -> None:
    report = build_monthly_report(inputs())
    for insight in report.insights:
        english, indonesian = insight.message("en"), insight.message("id")
        assert english != indonesian and "{" not in english + indonesian


def test_insight_numbers_are_formatted_by_the_edge_in_the_readers_locale() -> None:
    """The rules hand over digits; Babel writes them as the reader's locale does, keeping
    the two decimals of a rate (8,000 and 13.29 in English, 8.000 and 13,29 in Indonesian)."""
    from socmed_adapters.i18n import BABEL

    report = build_monthly_report(inputs())
    by_rule = {i.rule: i for i in report.insights}
    missed = next(i for i in report.insights if i.rule == "kpi_missed"
                  and dict(i.params)["metric"] == "reach")
    assert "reached 8,000 of the month's target 10,000: 80% attained" in missed.message(
        "en", BABEL)
    assert "mencapai 8.000 dari target bulan ini 10.000: tercapai 80%" in missed.message(
        "id", BABEL)
    cadence = by_rule["under_cadence"]
    assert "target of 13.29 for the month (15.05%" in cadence.message("en", BABEL)
    assert "dari target 13,29 untuk bulan ini (15,05%" in cadence.message("id", BABEL)

"""The monthly report's insights and recommendations: explicit rules, each citing its numbers.

A rule reads the report's tables and either stays silent or states what it saw with the
figures behind it, so a reader can check every sentence against the tables above it. No rule
fires on too little data (the MIN_* thresholds). The rules, in the order they are listed:

1. `kpi_missed`      a KPI target below 100 % attainment (each one).
2. `kpi_no_data`     KPI targets whose metric the platforms do not measure (one line).
3. `under_cadence`   a platform with fewer posts published than CADENCE_SHARE of the
                     strategy's posts-per-week target for the month.
4. `format_wins`     a content format whose engagement rate is at least WIN_RATIO times the
                     rate of all other formats together (each side MIN_POSTS posts).
5. `slot_wins`       a posting time slot whose engagement rate is at least WIN_RATIO times
                     the month's rate (MIN_POSTS posts in the slot).
6. `platform_weak`   a platform whose engagement rate is below WEAK_RATIO of the month's
                     rate (MIN_POSTS posts).
7. `reach_drop`      a platform's reach DROP_PCT % or more below the previous month.
8. `incidents`       incidents at level 3 or 4 in the month.

The wording (English and Bahasa Indonesia) is in messages.toml under `insight.<rule>`; numbers
are plain digits there, formatted by the edge's Babel formatter (``{name, number}``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from socmed_domain.evaluation.report_model import Figures, GroupRow, Insight
from socmed_domain.platforms import Platform

if TYPE_CHECKING:
    from socmed_domain.evaluation.report_model import MonthlyReport

MIN_POSTS = 3
WIN_RATIO = Decimal("1.25")
WEAK_RATIO = Decimal("0.5")
CADENCE_SHARE = Decimal("0.8")
DROP_PCT = Decimal(-20)


def _n(value: Decimal | int | None) -> str:
    """A number as a message parameter: plain digits, rates with two decimals ('-' when
    unknown). The edges format it in the reader's locale (``{rate, number}`` in the
    catalogue: 1,234.50 in English, 1.234,50 in Indonesian)."""
    if value is None:
        return "-"
    if isinstance(value, Decimal) and value != value.to_integral_value():
        return str(value.quantize(Decimal("0.01")))
    return str(int(value))


def _name(value: str) -> str:
    """A platform's display name ('instagram' -> 'Instagram'); other labels unchanged."""
    try:
        return Platform(value).label
    except ValueError:
        return value


def _ratio(a: Decimal, b: Decimal) -> str:
    return str((a / b).quantize(Decimal("0.01")))


def _kpis(report: MonthlyReport) -> list[Insight]:
    found = []
    no_data = []
    for kpi in report.kpis:
        if kpi.status == "missed":
            found.append(Insight("kpi_missed", "finding", (
                ("metric", kpi.metric), ("scope", kpi.scope), ("platform", _name(kpi.platform)),
                ("actual", _n(kpi.actual)), ("target", _n(kpi.month_target)),
                ("attainment", _n(kpi.attainment_pct)))))
        elif kpi.status == "no_data":
            no_data.append(f"{kpi.metric} ({kpi.scope})")
    if no_data:
        found.append(Insight("kpi_no_data", "recommendation",
                             (("metrics", ", ".join(no_data)), ("count", str(len(no_data))))))
    return found


def _cadence(platforms: tuple[Figures, ...]) -> list[Insight]:
    found = []
    for row in platforms:
        target = row.cadence_target
        if target and row.posts_published < target * CADENCE_SHARE:
            found.append(Insight("under_cadence", "recommendation", (
                ("platform", _name(row.label)), ("published", str(row.posts_published)),
                ("target", _n(target)), ("share", _n(Decimal(row.posts_published) * 100
                                                     / target)),
                ("planned", str(row.posts_planned)))))
    return found


def _format(formats: tuple[GroupRow, ...]) -> list[Insight]:
    candidates = [g for g in formats if g.posts >= MIN_POSTS and g.engagement_rate_pct]
    if not candidates:
        return []
    best = max(candidates, key=lambda g: (g.engagement_rate_pct or 0, g.label))
    others = [g for g in formats if g is not best]
    posts = sum(g.posts for g in others)
    # The others' rate, weighted by their interactions: interactions / (interactions / rate)
    base = sum((Decimal(g.interactions) * 100 / g.engagement_rate_pct
                for g in others if g.engagement_rate_pct), Decimal(0))
    if posts < MIN_POSTS or not base:
        return []
    rate = (Decimal(sum(g.interactions for g in others)) * 100 / base).quantize(
        Decimal("0.01"))
    assert best.engagement_rate_pct is not None
    if not rate or best.engagement_rate_pct < rate * WIN_RATIO:
        return []
    return [Insight("format_wins", "recommendation", (
        ("format", best.label), ("rate", _n(best.engagement_rate_pct)), ("posts",
                                                                          str(best.posts)),
        ("others_rate", _n(rate)), ("others_posts", str(posts)),
        ("ratio", _ratio(best.engagement_rate_pct, rate))))]


def _slot(report: MonthlyReport) -> list[Insight]:
    overall = report.total.engagement_rate_pct
    candidates = [g for g in report.time_slots
                  if g.posts >= MIN_POSTS and g.engagement_rate_pct is not None]
    if not overall or not candidates:
        return []
    best = max(candidates, key=lambda g: (g.engagement_rate_pct or 0, g.label))
    assert best.engagement_rate_pct is not None
    if best.engagement_rate_pct < overall * WIN_RATIO:
        return []
    return [Insight("slot_wins", "recommendation", (
        ("slot", best.label), ("zone", report.zone), ("rate", _n(best.engagement_rate_pct)),
        ("posts", str(best.posts)), ("overall", _n(overall)),
        ("ratio", _ratio(best.engagement_rate_pct, overall))))]


def _weak(report: MonthlyReport) -> list[Insight]:
    overall = report.total.engagement_rate_pct
    found = []
    for row in report.platforms:
        rate = row.engagement_rate_pct
        if overall and rate is not None and row.measured >= MIN_POSTS and \
                rate < overall * WEAK_RATIO:
            found.append(Insight("platform_weak", "finding", (
                ("platform", _name(row.label)), ("rate", _n(rate)), ("overall", _n(overall)),
                ("posts", str(row.measured)))))
    return found


def _drops(report: MonthlyReport) -> list[Insight]:
    return [Insight("reach_drop", "finding", (
        ("platform", _name(row.label)), ("change", _n(row.reach_trend_pct)),
        ("reach", _n(row.reach))))
        for row in report.platforms
        if row.reach_trend_pct is not None and row.reach_trend_pct <= DROP_PCT]


def _incidents(report: MonthlyReport) -> list[Insight]:
    serious = [i for i in report.incidents if (i.level or 0) >= 3]
    if not serious:
        return []
    first = [i.to_first_holding_statement for i in serious
             if i.to_first_holding_statement is not None]
    minutes = int(max(first).total_seconds() // 60) if first else None
    return [Insight("incidents", "finding", (
        ("count", str(len(serious))), ("level", str(max(i.level or 0 for i in serious))),
        ("titles", "; ".join(i.title for i in serious)),
        ("minutes", "-" if minutes is None else str(minutes))))]


def derive_insights(report: MonthlyReport) -> tuple[Insight, ...]:
    """Every rule's output, in the documented order."""
    return tuple([*_kpis(report), *_cadence(report.platforms), *_format(report.formats),
                  *_slot(report), *_weak(report), *_drops(report), *_incidents(report)])

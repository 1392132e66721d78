"""The monthly report's tables as rows of formatted text, shared by the Markdown and HTML
renderers so both show exactly the same figures."""

from __future__ import annotations

from datetime import tzinfo

from attrs import frozen

from socmed_adapters.reports.monthly_labels import (
    decimal,
    label,
    moment,
    number,
    rate,
    signed,
    span,
    status,
    tenths,
)
from socmed_domain.evaluation.report_model import Figures, GroupRow, MonthlyReport, PostRow
from socmed_domain.evaluation.responses import ResponseRow


@frozen
class Table:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    empty: str = ""  # shown instead of an empty table


def _figures_rows(rows: tuple[Figures, ...], lang: str, first: str) -> Table:
    keys = ("planned", "published", "cadence", "reach", "impressions", "interactions", "er",
            "video_views", "conversions", "followers", "growth", "reach_trend", "er_trend")
    body = []
    for row in rows:
        name = label("all", lang) if row.label == "all" else row.label
        body.append((
            name, number(row.posts_planned, lang), number(row.posts_published, lang),
            tenths(row.cadence_target, lang),
            number(row.reach, lang), number(row.impressions, lang),
            number(row.interactions, lang), rate(row.engagement_rate_pct, lang),
            number(row.video_views, lang), number(row.conversions, lang),
            number(row.followers, lang),
            signed(row.follower_growth, lang),
            rate(row.reach_trend_pct, lang, sign=True),
            rate(row.engagement_rate_trend_pct, lang, sign=True)))
    return Table(first, label(first, lang),
                 (label("platform" if first == "platforms" else "campaign", lang),
                  *(label(k, lang) for k in keys)), tuple(body),
                 empty=label("none", lang))


def _posts(key: str, rows: tuple[PostRow, ...], lang: str, zone: tzinfo) -> Table:
    return Table(key, label(key, lang), (
        label("title_col", lang), label("platform", lang), label("format", lang),
        label("published_at", lang), label("reach", lang), label("interactions", lang),
        label("er", lang), label("conversions", lang)), tuple(
        (r.title, r.platform, r.content_type, moment(r.published_at, zone),
         number(r.reach, lang), number(r.interactions, lang),
         rate(r.engagement_rate_pct, lang), number(r.conversions, lang)) for r in rows),
        empty=label("none", lang))


def _groups(key: str, first: str, rows: tuple[GroupRow, ...], lang: str) -> Table:
    return Table(key, label(key, lang), (label(first, lang), label("posts", lang),
                                         label("interactions", lang), label("er", lang)),
                 tuple((r.label, number(r.posts, lang), number(r.interactions, lang),
                        rate(r.engagement_rate_pct, lang)) for r in rows),
                 empty=label("none", lang))


def _responses(rows: tuple[ResponseRow, ...], lang: str) -> Table:
    keys = ("conversations", "replied", "first_median", "first_mean", "resolved",
            "resolution_median", "resolution_mean", "sla_met", "first_sla_met",
            "resolution_sla_met", "breaches", "waiting", "waiting_outside_hours")
    return Table("responses", label("responses", lang), (
        label("platform", lang), *(label(k, lang) for k in keys)), tuple(
        (label("all", lang) if r.label == "all" else r.label, number(r.conversations, lang),
         number(r.replied, lang), span(r.first_response_median, lang),
         span(r.first_response_mean, lang), number(r.resolved, lang),
         span(r.resolution_median, lang), span(r.resolution_mean, lang),
         rate(r.sla_met_pct, lang), rate(r.first_response_met_pct, lang),
         rate(r.resolution_met_pct, lang), number(r.breaches, lang),
         number(r.waiting, lang), number(r.waiting_outside_hours, lang)) for r in rows),
        empty=label("no_responses", lang))


def tables(report: MonthlyReport, lang: str, zone: tzinfo) -> list[Table]:
    """Every table of the report, in reading order."""
    kpis = Table("kpis", label("kpis", lang), tuple(label(k, lang) for k in (
        "scope", "metric", "platform", "kpi_period", "target", "month_target", "actual",
        "attainment", "status", "trend")), tuple(
        (label("strategy_scope", lang) if k.scope == "strategy" else k.scope, k.metric,
         label("all", lang) if k.platform == "all" else k.platform, k.period,
         decimal(k.target, lang), decimal(k.month_target, lang), decimal(k.actual, lang),
         rate(k.attainment_pct, lang), status(k.status, lang),
         rate(k.trend_pct, lang, sign=True)) for k in report.kpis),
        empty=label("none", lang))
    incidents = Table("incidents", label("incidents", lang), (
        "Ref", label("title_col", lang), label("level", lang), label("status", lang),
        label("opened", lang), label("holding", lang)), tuple(
        (i.ref, i.title, "-" if i.level is None else str(i.level), i.status,
         moment(i.opened_at, zone),
         "-" if i.to_first_holding_statement is None else
         f"{int(i.to_first_holding_statement.total_seconds() // 60)} min")
        for i in report.incidents), empty=label("no_incidents", lang))
    return [
        _figures_rows((*report.platforms, report.total), lang, "platforms"),
        _figures_rows(report.campaigns, lang, "campaigns"),
        kpis,
        _posts("top", report.top_posts, lang, zone),
        _posts("bottom", report.bottom_posts, lang, zone),
        _groups("times", "slot", report.time_slots, lang),
        _groups("formats", "format", report.formats, lang),
        _responses(report.responses, lang),
        incidents,
    ]


def heading_lines(report: MonthlyReport, lang: str, zone: tzinfo) -> list[tuple[str, str]]:
    """(label, value) pairs of the report's heading."""
    return [
        (label("organisation", lang), report.organisation),
        (label("period", lang), f"{moment(report.period_start, zone)} - "
                                f"{moment(report.period_end, zone)}"),
        (label("strategy", lang), str(report.strategy_version or "-")),
        (label("reference", lang), report.ref),
        (label("generated", lang), moment(report.generated_at, zone)),
    ]

"""`socmed dashboard`: the month so far on one terminal screen (SOP stage 5)."""

from __future__ import annotations

from typing import Any

import click

from socmed_cli.context import CliState, pass_state


@click.command()
@click.option("--month", default=None, metavar="YYYY-MM",
              help="The month (default: the current month in the --tz zone).")
@pass_state
def dashboard(state: CliState, month: str | None) -> None:
    """The month so far on one screen: totals, cadence and KPIs (SOP stage 5).

    Totals, each platform against its cadence, KPI attainment, the best post and what the
    insight rules say, from the snapshots recorded up to now.

    \b
    Example:
      socmed dashboard
      socmed --lang id dashboard --month 2026-12
    """
    from rich.columns import Columns
    from rich.panel import Panel
    from rich.table import Table

    from socmed_adapters.i18n import BABEL
    from socmed_adapters.reports.monthly import monthly_report
    from socmed_adapters.reports.monthly_dashboard import cards
    from socmed_adapters.reports.monthly_labels import label, number, rate, signed, tenths
    from socmed_cli.output import console
    from socmed_domain.months import Month

    lang = state.lang
    if month is None:
        now = state.app.clock().astimezone(state.zone)
        chosen = Month(now.year, now.month)
    else:
        chosen = Month.parse(month)
    report = monthly_report(state.services(), chosen, state.zone)
    out = console()
    out.print(f"[bold]{label('title', lang)}: {report.month}[/bold] - {report.organisation}")
    out.print(Columns([Panel(f"[bold]{value}[/bold]", title=name, expand=False)
                       for name, value in cards(report, lang)]))
    platforms = Table(title=label("platforms", lang))
    for key in ("platform", "published", "cadence", "reach", "er", "growth"):
        platforms.add_column(label(key, lang))
    for row in report.platforms:
        platforms.add_row(row.label, f"{row.posts_published}/{row.posts_planned}",
                          tenths(row.cadence_target, lang),
                          number(row.reach, lang), rate(row.engagement_rate_pct, lang),
                          signed(row.follower_growth, lang))
    out.print(platforms)
    out.print(_kpis(report, lang))
    if report.top_posts:
        best = report.top_posts[0]
        out.print(f"{label('top', lang)}: {best.title} ({best.platform}, "
                  f"{rate(best.engagement_rate_pct, lang)})", markup=False)
    for insight in report.insights:
        out.print(f"- {label(insight.kind, lang)}: {insight.message(lang, BABEL)}", markup=False)


def _kpis(report: Any, lang: str) -> Any:
    from rich.table import Table

    from socmed_adapters.reports.monthly_labels import decimal, label, rate

    table = Table(title=label("kpis", lang))
    for key in ("scope", "metric", "platform", "actual", "month_target", "attainment"):
        table.add_column(label(key, lang))
    colours = {"met": "green", "missed": "red", "no_data": "dim"}
    for kpi in report.kpis:
        table.add_row(kpi.scope, kpi.metric, kpi.platform,
                      decimal(kpi.actual, lang), decimal(kpi.month_target, lang),
                      f"[{colours[kpi.status]}]{rate(kpi.attainment_pct, lang)}[/]")
    return table

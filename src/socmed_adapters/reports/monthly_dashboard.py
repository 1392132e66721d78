"""The month at a glance: the six figures `socmed dashboard` shows as cards.

The terminal dashboard and the web console's reports page show the same cards, taken from
the same monthly report model, so a manager reads one set of figures wherever they look.
"""

from __future__ import annotations

import html

from socmed_adapters.reports.monthly_labels import label, number, rate, signed
from socmed_domain.evaluation.report_model import MonthlyReport


def cards(report: MonthlyReport, lang: str) -> list[tuple[str, str]]:
    """(name, value) of each card: published against planned, reach, interactions,
    engagement rate, conversions and follower growth."""
    total = report.total
    return [(label("published", lang), f"{total.posts_published} / {total.posts_planned}"),
            (label("reach", lang), number(total.reach, lang)),
            (label("interactions", lang), number(total.interactions, lang)),
            (label("er", lang), rate(total.engagement_rate_pct, lang)),
            (label("conversions", lang), number(total.conversions, lang)),
            (label("growth", lang), signed(total.follower_growth, lang))]


def cards_html(report: MonthlyReport, lang: str, level: int = 2) -> str:
    """The cards as an HTML section (a description list, one card per figure), with the
    best post of the month under them when there is one."""
    heading = f"h{level}"
    parts = [f'<section id="dashboard" aria-labelledby="dashboard-title">'
             f'<{heading} id="dashboard-title">{html.escape(label("dashboard", lang))}'
             f'</{heading}><dl class="dashboard-cards">']
    parts += [f'<div class="dashboard-card"><dt>{html.escape(name)}</dt>'
              f"<dd>{html.escape(value)}</dd></div>" for name, value in cards(report, lang)]
    parts.append("</dl>")
    if report.top_posts:
        best = report.top_posts[0]
        parts.append(f'<p class="dashboard-top">{html.escape(label("top", lang))}: '
                     f"{html.escape(best.title)} ({html.escape(str(best.platform))}, "
                     f"{html.escape(rate(best.engagement_rate_pct, lang))})</p>")
    parts.append("</section>")
    return "".join(parts)

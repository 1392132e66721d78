"""The monthly report as Markdown: the same tables and insights as the HTML page, no charts."""

from __future__ import annotations

from datetime import tzinfo

from socmed_adapters.i18n import BABEL
from socmed_adapters.reports.monthly_labels import label
from socmed_adapters.reports.monthly_tables import Table, heading_lines, tables
from socmed_domain.evaluation.report_model import MonthlyReport


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table) -> list[str]:
    lines = [f"## {table.title}", ""]
    if not table.rows:
        return [*lines, table.empty, ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.headers) + " |")
    lines.append("|" + "|".join("---" for _ in table.headers) + "|")
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    return [*lines, ""]


def to_markdown(report: MonthlyReport, lang: str, zone: tzinfo) -> str:
    lines = [f"# {label('title', lang)}: {report.month}", ""]
    lines += [f"- **{name}:** {value}" for name, value in heading_lines(report, lang, zone)]
    lines += ["", f"## {label('insights', lang)}", ""]
    if not report.insights:
        lines.append(label("no_insights", lang))
    for insight in report.insights:
        lines.append(f"- **{label(insight.kind, lang)}:** {insight.message(lang, BABEL)}")
    lines.append("")
    for table in tables(report, lang, zone):
        lines += _table(table)
    lines += ["---", "", label("definitions", lang), ""]
    return "\n".join(lines)

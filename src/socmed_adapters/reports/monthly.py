"""The monthly report end to end: computed from the read models, rendered in one format.

The CLI (`socmed report monthly`), the demo and the tests all come through here, so the page a
reader gets and the page a test checks are made the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from typing import Any

from socmed_adapters.reports.monthly_data import to_csv, to_json
from socmed_adapters.reports.monthly_html import to_html
from socmed_adapters.reports.monthly_markdown import to_markdown
from socmed_adapters.reports.monthly_source import SqlReportSource
from socmed_domain.evaluation.report_model import MonthlyReport
from socmed_domain.months import Month

RENDERERS: dict[str, Callable[[MonthlyReport, str, tzinfo], str]] = {
    "html": to_html, "markdown": to_markdown, "json": to_json, "csv": to_csv}
SUFFIXES = {"html": ".html", "markdown": ".md", "json": ".json", "csv": ".csv"}


def monthly_report(services: Any, month: str | Month, zone: tzinfo) -> MonthlyReport:
    """The month's report model, from the events as the read models hold them."""
    report: MonthlyReport = services.app.evaluation.monthly_report_model(
        month, zone, SqlReportSource(services.projector))
    return report


def render(report: MonthlyReport, fmt: str, lang: str, zone: tzinfo) -> str:
    return RENDERERS[fmt](report, lang, zone)

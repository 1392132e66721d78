"""The monthly report as data: JSON (the whole model, exact decimals as strings, times ISO 8601
with offsets) and CSV (one long table: section, row, column, value), for scripts and
spreadsheets."""

from __future__ import annotations

import csv
import enum
import io
import json
from datetime import date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

import attrs

from socmed_adapters.i18n import BABEL
from socmed_domain.evaluation.report_model import MonthlyReport

CSV_HEADER = ("section", "row", "column", "value")


def plain(value: Any, zone: tzinfo) -> Any:
    """Primitives only, in a stable shape."""
    if isinstance(value, datetime):
        return value.astimezone(zone).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, timedelta):
        return int(value.total_seconds())
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [plain(v, zone) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v, zone) for k, v in value.items()}
    if attrs.has(type(value)):
        return {a.name: plain(getattr(value, a.name), zone) for a in attrs.fields(type(value))}
    return value


def to_json(report: MonthlyReport, lang: str, zone: tzinfo) -> str:
    data = plain(report, zone)
    data["ref"] = report.ref
    data["insights"] = [{"rule": i.rule, "kind": i.kind, "params": dict(i.params),
                         "message": i.message(lang, BABEL)} for i in report.insights]
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def to_csv(report: MonthlyReport, lang: str, zone: tzinfo) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for name in ("organisation", "month", "zone", "period_start", "period_end",
                 "generated_at", "strategy_version"):
        writer.writerow(("report", "", name, plain(getattr(report, name), zone)))
    sections: list[tuple[str, Any, str]] = [
        ("total", (report.total,), "label"), ("platform", report.platforms, "label"),
        ("campaign", report.campaigns, "label"), ("top_post", report.top_posts, "title"),
        ("bottom_post", report.bottom_posts, "title"), ("time_slot", report.time_slots, "label"),
        ("format", report.formats, "label"), ("response", report.responses, "label"),
        ("incident", report.incidents, "ref")]
    for section, rows, key in sections:
        for row in rows:
            for field in attrs.fields(type(row)):
                if field.name != key:
                    value = plain(getattr(row, field.name), zone)
                    writer.writerow((section, getattr(row, key), field.name,
                                     "" if value is None else value))
    for kpi in report.kpis:
        name = f"{kpi.scope}/{kpi.metric}/{kpi.platform}"
        for field in attrs.fields(type(kpi)):
            if field.name not in ("scope", "metric", "platform"):
                value = plain(getattr(kpi, field.name), zone)
                writer.writerow(("kpi", name, field.name, "" if value is None else value))
    for index, insight in enumerate(report.insights, start=1):
        writer.writerow(("insight", f"{index}:{insight.rule}", insight.kind,
                         insight.message(lang, BABEL)))
    return buffer.getvalue()

"""The monthly report's charts as inline SVG (matplotlib), readable on screen and on paper.

Built on `matplotlib.figure.Figure` (no pyplot: no global state, safe in any thread), with a
fixed hash salt and no date in the metadata, so the same report gives byte-identical SVG:
rebuilding from the events reproduces the page exactly. Colours are distinguishable in grey
print (each series also differs by hatch) and every bar carries its value as text.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

import matplotlib
from matplotlib.figure import Figure

from socmed_adapters.reports.monthly_labels import label
from socmed_domain.evaluation.report_model import MonthlyReport

COLOURS = ("#1f4e79", "#e07b00", "#6aa84f", "#7f7f7f")
HATCHES = ("", "//", "..", "xx")
RC: dict[str, Any] = {"svg.hashsalt": "socmed-monthly-report", "font.size": 9,
      "axes.spines.top": False, "axes.spines.right": False, "svg.fonttype": "path"}


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]  # drop the XML prolog and DOCTYPE: inline in HTML


def _bars(title: str, categories: Sequence[str], series: Sequence[tuple[str, list[float]]],
          percent: bool = False, line: float | None = None, horizontal: bool = False) -> str:
    """One bar chart; the same figures give the same SVG, so it is drawn once per process
    (drawing is most of a report's time: a report computed again after an event that did not
    change a chart's figures reuses the chart)."""
    return _drawn(title, tuple(categories), tuple((n, tuple(v)) for n, v in series),
                  percent, line, horizontal)


@functools.lru_cache(maxsize=256)
def _drawn(title: str, categories: tuple[str, ...],
           series: tuple[tuple[str, tuple[float, ...]], ...], percent: bool,
           line: float | None, horizontal: bool) -> str:
    with matplotlib.rc_context(RC):  # type: ignore[arg-type]
        figure = Figure(figsize=(7.0, 3.2 if not horizontal else
                                 max(2.4, 0.5 * len(categories) + 1.2)))
        axes = figure.add_subplot()
        count = len(series)
        width = 0.8 / max(count, 1)
        positions = list(range(len(categories)))
        for index, (name, values) in enumerate(series):
            offsets = [p - 0.4 + width * (index + 0.5) for p in positions]
            draw = axes.barh if horizontal else axes.bar
            bars = draw(offsets, values, width, label=name, color=COLOURS[index % 4],
                        hatch=HATCHES[index % 4], edgecolor="white")
            axes.bar_label(bars, labels=[_fmt(v, percent) for v in values], fontsize=7,
                           padding=2)
        if horizontal:
            axes.set_yticks(positions, categories)
            axes.invert_yaxis()
            if line is not None:
                axes.axvline(line, color="#c00000", linestyle="--", linewidth=1)
        else:
            axes.set_xticks(positions, categories)
            if line is not None:
                axes.axhline(line, color="#c00000", linestyle="--", linewidth=1)
        axes.set_title(title, loc="left", fontweight="bold")
        if count > 1:
            axes.legend(frameon=False, fontsize=8)
        return _svg(figure)


def _fmt(value: float, percent: bool) -> str:
    return f"{value:.1f}%" if percent else f"{value:,.0f}"


def _f(value: int | Decimal | None) -> float:
    return float(value) if value is not None else 0.0


def charts(report: MonthlyReport, lang: str) -> list[tuple[str, str]]:
    """(title, svg) of each chart; a chart with nothing to show is left out."""
    found: list[tuple[str, str]] = []
    platforms = [r for r in report.platforms]
    names = [r.label for r in platforms]
    if any(r.reach for r in platforms):
        found.append((label("chart_reach", lang), _bars(
            label("chart_reach", lang), names,
            [(label("reach", lang), [_f(r.reach) for r in platforms])])))
    if any(r.engagement_rate_pct is not None for r in platforms):
        found.append((label("chart_er", lang), _bars(
            label("chart_er", lang), names,
            [(label("er", lang), [_f(r.engagement_rate_pct) for r in platforms])],
            percent=True, line=float(report.total.engagement_rate_pct or 0) or None)))
    if platforms:
        found.append((label("chart_posts", lang), _bars(
            label("chart_posts", lang), names,
            [(label("planned", lang), [_f(r.posts_planned) for r in platforms]),
             (label("published", lang), [_f(r.posts_published) for r in platforms]),
             (label("cadence", lang), [_f(r.cadence_target) for r in platforms])])))
    if report.time_slots:
        found.append((label("chart_times", lang), _bars(
            label("chart_times", lang), [s.label for s in report.time_slots],
            [(label("er", lang), [_f(s.engagement_rate_pct) for s in report.time_slots])],
            percent=True)))
    measured = [k for k in report.kpis if k.attainment_pct is not None]
    if measured:
        found.append((label("chart_kpi", lang), _bars(
            label("chart_kpi", lang),
            [f"{k.metric} ({k.platform}, {k.scope[:18]})" for k in measured],
            [(label("attainment", lang), [_f(k.attainment_pct) for k in measured])],
            percent=True, line=100.0, horizontal=True)))
    return found

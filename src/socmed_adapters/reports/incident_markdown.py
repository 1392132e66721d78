"""The incident report (SOP 'Laporan Insiden') as Markdown and as a self-contained HTML page.

Everything shown comes from the IncidentReport model, which the domain builds from the
incident's events; times are shown in the reader's zone, texts in English or Indonesian.
"""

from __future__ import annotations

import html
from datetime import datetime, timedelta, tzinfo
from typing import Any

from socmed_domain.crisis.report import IncidentReport
from socmed_domain.timezones import zone_label

TIMES = ("to_classified", "to_first_holding_statement", "to_first_escalation",
         "to_required_acknowledgements", "to_resolved", "to_closed")


def label(key: str, lang: str) -> str:
    """The incident report's word `key` (``incident_report.<key>`` in the one catalogue)."""
    from socmed_adapters.i18n import render

    return render(f"incident_report.{key}", lang)


def _time(value: datetime | None, zone: tzinfo) -> str:
    if value is None:
        return "-"
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {zone_label(local)}"


def _span(value: timedelta | None) -> str:
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _cell(text: Any) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def sections(report: IncidentReport, lang: str, zone: tzinfo) -> list[tuple[str, Any]]:
    """The report as (heading, content) pairs; content is a list of (key, value) facts or
    a table (headers, rows). Markdown and HTML both render these."""
    source = (f"{label('alert', lang)} {report.source.removeprefix('alert ')}"
              if report.source != "manual" else label("manual", lang))
    facts = [
        (label("category", lang), report.category.value),
        (label("status", lang), report.status.value),
        (label("level", lang), str(report.level) if report.level is not None else "-"),
        (label("suggested", lang),
         f"{report.suggestion.level}: "
         + "; ".join(r.message(lang) for r in report.suggestion.reasons)
         if report.suggestion else "-"),
        (label("source", lang), source),
        (label("detected", lang), _time(report.detected_at, zone)),
        (label("opened", lang), f"{_time(report.opened_at, zone)} "
                                f"({report.opened_by.member_id})"),
        (label("freeze", lang), label("yes" if report.freezing_publishing else "no", lang)),
    ]
    out: list[tuple[str, Any]] = [(label("summary", lang), facts)]
    heads = [label(k, lang) for k in ("at", "who", "what", "why")]
    out.append((label("timeline", lang), (heads, [
        (_time(e.at, zone), f"{e.actor.member_id} ({e.actor.role.value})", e.what(lang),
         e.reason) for e in report.timeline])))
    out.append((label("decisions", lang), (heads, [
        (_time(e.at, zone), e.actor.member_id, e.what(lang), e.reason)
        for e in report.decisions])))
    out.append((label("escalations", lang), (
        [label(k, lang) for k in ("to", "at", "who", "ack")],
        [(e.target.value, _time(e.at, zone), e.by.member_id,
          f"{e.acknowledged_by.member_id} {_time(e.acknowledged_at, zone)}"
          if e.acknowledged_by else "-") for e in report.escalations])))
    out.append((label("statements", lang), (
        [label(k, lang) for k in ("at", "who", "kind", "text")],
        [(_time(s.at, zone), s.actor.member_id, s.kind.value, s.text)
         for s in report.statements])))
    out.append((label("times", lang), [
        (label(key, lang), _span(getattr(report.response_times, key))) for key in TIMES]))
    pdp = report.pdp
    pdp_facts = [("outcome", pdp.outcome.value)]
    if pdp.due is not None:
        pdp_facts += [("known", _time(pdp.breach_known_at, zone)), ("due", _time(pdp.due, zone))]
        pdp_facts += [(n.recipient.value, _time(n.sent_at, zone)) for n in pdp.notices]
    out.append((label("pdp", lang), pdp_facts))
    out.append((label("resolution", lang), [(label("status", lang), report.resolution or "-")]))
    if report.review is not None:
        review = report.review
        out.append((label("review", lang), [
            (label("timeline", lang), review.timeline_summary),
            (label("worked", lang), review.what_worked),
            (label("did_not", lang), review.what_did_not)]))
        out.append((label("follow_ups", lang), (
            [label(k, lang) for k in ("what", "owner", "due")],
            [(f.action, f.owner_id, f.due.isoformat()) for f in review.follow_ups])))
    return out


def to_markdown(report: IncidentReport, lang: str, zone: tzinfo) -> str:
    lines = [f"# {label('title', lang)}: {report.title} ({report.ref})", "",
             f"_{label('generated', lang)}: {_time(report.generated_at, zone)}_", ""]
    for heading, content in sections(report, lang, zone):
        lines += [f"## {heading}", ""]
        if isinstance(content, tuple):
            headers, rows = content
            if not rows:
                lines += [f"({label('none', lang)})", ""]
                continue
            lines.append("| " + " | ".join(headers) + " |")
            lines.append("|" + "---|" * len(headers))
            lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
        else:
            lines += [f"- **{key}**: {value}" for key, value in content]
        lines.append("")
    return "\n".join(lines)


def to_html(report: IncidentReport, lang: str, zone: tzinfo) -> str:
    e = html.escape
    body = [f"<h1>{e(label('title', lang))}: {e(report.title)} ({e(report.ref)})</h1>",
            f"<p><em>{e(label('generated', lang))}: {e(_time(report.generated_at, zone))}"
            "</em></p>"]
    for heading, content in sections(report, lang, zone):
        body.append(f"<h2>{e(heading)}</h2>")
        if isinstance(content, tuple):
            headers, rows = content
            if not rows:
                body.append(f"<p>({e(label('none', lang))})</p>")
                continue
            body.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in headers)
                        + "</tr></thead><tbody>")
            body += ["<tr>" + "".join(f"<td>{e(str(v))}</td>" for v in row) + "</tr>"
                     for row in rows]
            body.append("</tbody></table>")
        else:
            body.append("<dl>" + "".join(f"<dt>{e(k)}</dt><dd>{e(str(v))}</dd>"
                                         for k, v in content) + "</dl>")
    style = ("body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}"
             "table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;"
             "padding:.3rem;text-align:left;vertical-align:top}dt{font-weight:bold}"
             "@media print{body{margin:0}}")
    return (f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{e(label('title', lang))}: {e(report.title)}</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>\n")

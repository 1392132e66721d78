"""The monthly report as one self-contained HTML page: inline CSS, inline SVG charts, no
script and nothing fetched, so it opens offline, mails as one file and prints cleanly (charts
and tables never split across pages; colours kept)."""

from __future__ import annotations

import html
from datetime import tzinfo

from socmed_adapters.i18n import BABEL
from socmed_adapters.reports.monthly_charts import charts
from socmed_adapters.reports.monthly_labels import label
from socmed_adapters.reports.monthly_tables import Table, heading_lines, tables
from socmed_domain.evaluation.report_model import MonthlyReport

CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; margin: 2em auto; max-width: 70em;
       color: #111; font-size: 11pt; line-height: 1.4; }
h1 { font-size: 18pt; margin-bottom: 0.2em; } h2 { font-size: 13pt; margin-top: 1.6em;
     border-bottom: 1px solid #999; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.1em 1em; }
dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin: 0.5em 0; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.45em; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
th { background: #e8eef5; }
ul.insights li { margin-bottom: 0.4em; } .kind { font-weight: bold; }
figure.chart { margin: 1em 0; break-inside: avoid; page-break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; max-width: 46em; }
footer { margin-top: 2em; font-size: 9pt; color: #444; }
@media print { body { margin: 0; max-width: none; font-size: 10pt; }
  h2 { break-after: avoid; } table, figure.chart { break-inside: avoid; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }
"""


def _numeric(text: str) -> bool:
    stripped = text.replace(",", "").replace(".", "").replace("%", "").lstrip("+-")
    return bool(stripped) and stripped.isdigit()


def _table(table: Table, heading: str = "h2") -> str:
    out = [f'<section id="{table.key}"><{heading}>{html.escape(table.title)}</{heading}>']
    if not table.rows:
        out.append(f"<p>{html.escape(table.empty)}</p></section>")
        return "".join(out)
    out.append("<table><thead><tr>")
    out += [f"<th>{html.escape(h)}</th>" for h in table.headers]
    out.append("</tr></thead><tbody>")
    for row in table.rows:
        cells = [f'<td class="n">{html.escape(c)}</td>' if _numeric(c) else
                 f"<td>{html.escape(c)}</td>" for c in row]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table></section>")
    return "".join(out)


def body(report: MonthlyReport, lang: str, zone: tzinfo, level: int = 1) -> str:
    """The report's content without the page around it: heading, insights, charts, tables.

    The standalone page (`to_html`) and the web console's reports page both show this, so
    the console shows the same report, charts included, as the file a manager mails.
    `level` is the heading level of the title (the console's page has its own h1).
    """
    title = f"{label('title', lang)}: {report.month}"
    h1, h2 = f"h{level}", f"h{level + 1}"
    parts = [f"<{h1}>{html.escape(title)}</{h1}>", '<dl class="meta">']
    parts += [f"<dt>{html.escape(n)}</dt><dd>{html.escape(v)}</dd>"
              for n, v in heading_lines(report, lang, zone)]
    parts.append(f'</dl><section id="insights"><{h2}>{html.escape(label("insights", lang))}'
                 f'</{h2}><ul class="insights">')
    for insight in report.insights:
        parts.append(f'<li data-rule="{insight.rule}"><span class="kind">'
                     f"{html.escape(label(insight.kind, lang))}:</span> "
                     f"{html.escape(insight.message(lang, BABEL))}</li>")
    if not report.insights:
        parts.append(f"<li>{html.escape(label('no_insights', lang))}</li>")
    parts.append(f'</ul></section><section id="charts"><{h2}>'
                 f'{html.escape(label("charts", lang))}</{h2}>')
    for index, (name, svg) in enumerate(charts(report, lang), start=1):
        parts.append(f'<figure class="chart" id="chart-{index}" aria-label="{html.escape(name)}"'
                     f">{svg}</figure>")
    parts.append("</section>")
    for table in tables(report, lang, zone):
        parts.append(_table(table, h2))
    return "".join(parts)


def to_html(report: MonthlyReport, lang: str, zone: tzinfo) -> str:
    title = f"{label('title', lang)}: {report.month}"
    return "".join([
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)} - {html.escape(report.organisation)}</title>",
        f"<style>{CSS}</style></head><body>", body(report, lang, zone),
        f"<footer>{html.escape(label('definitions', lang))}</footer></body></html>\n"])

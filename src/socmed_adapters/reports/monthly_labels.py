"""Words and number formats shared by the monthly report's renderers, in English and Bahasa
Indonesia. Numbers are formatted the same way in every format except JSON and CSV, which keep
raw values for spreadsheets and scripts."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from decimal import Decimal

from socmed_domain.timezones import zone_label

LABELS: dict[str, tuple[str, str]] = {
    "title": ("Social Media Performance Report", "Laporan Kinerja Media Sosial"),
    "organisation": ("Organisation", "Organisasi"),
    "period": ("Period", "Periode"),
    "generated": ("Generated", "Dibuat"),
    "strategy": ("Strategy version in force", "Versi strategi yang berlaku"),
    "reference": ("Reference", "Referensi"),
    "summary": ("Summary", "Ringkasan"),
    "platforms": ("Per platform", "Per platform"),
    "campaigns": ("Per campaign", "Per kampanye"),
    "kpis": ("KPI attainment", "Pencapaian KPI"),
    "top": ("Top content", "Konten terbaik"),
    "bottom": ("Bottom content", "Konten terlemah"),
    "times": ("Best posting times", "Waktu posting terbaik"),
    "formats": ("Content formats", "Format konten"),
    "responses": ("Response times and SLA", "Waktu respons dan SLA"),
    "no_responses": ("No conversation reached the inbox this month, so there are no response "
                     "times or SLA figures.",
                     "Tidak ada percakapan yang masuk ke inbox bulan ini, jadi tidak ada waktu "
                     "respons atau angka SLA."),
    "conversations": ("Conversations", "Percakapan"), "replied": ("Replied", "Dibalas"),
    "first_median": ("First response (median)", "Respons pertama (median)"),
    "first_mean": ("First response (mean)", "Respons pertama (rata-rata)"),
    "resolved": ("Resolved", "Selesai"),
    "resolution_median": ("Resolution (median)", "Penyelesaian (median)"),
    "resolution_mean": ("Resolution (mean)", "Penyelesaian (rata-rata)"),
    "sla_met": ("SLA met", "SLA tercapai"),
    "first_sla_met": ("First response SLA met", "SLA respons pertama tercapai"),
    "resolution_sla_met": ("Resolution SLA met", "SLA penyelesaian tercapai"),
    "breaches": ("SLA breaches", "Pelanggaran SLA"),
    "incidents": ("Incidents", "Insiden"),
    "no_incidents": ("No incident was opened this month.",
                     "Tidak ada insiden yang dibuka bulan ini."),
    "insights": ("Insights and recommendations", "Wawasan dan rekomendasi"),
    "no_insights": ("No rule found anything to report.",
                    "Tidak ada aturan yang menemukan hal untuk dilaporkan."),
    "finding": ("Finding", "Temuan"),
    "recommendation": ("Recommendation", "Rekomendasi"),
    "charts": ("Charts", "Grafik"),
    "none": ("none", "tidak ada"),
    "platform": ("Platform", "Platform"), "campaign": ("Campaign", "Kampanye"),
    "planned": ("Planned", "Rencana"), "published": ("Published", "Terbit"),
    "cadence": ("Cadence target", "Target frekuensi"), "reach": ("Reach", "Jangkauan"),
    "impressions": ("Impressions", "Impresi"), "interactions": ("Interactions", "Interaksi"),
    "er": ("Engagement rate", "Tingkat engagement"),
    "video_views": ("Video views", "Tayangan video"),
    "conversions": ("Conversions", "Konversi"), "followers": ("Followers", "Pengikut"),
    "growth": ("Follower growth", "Pertumbuhan pengikut"),
    "reach_trend": ("Reach vs last month", "Jangkauan vs bulan lalu"),
    "er_trend": ("ER vs last month", "ER vs bulan lalu"),
    "scope": ("Scope", "Cakupan"), "metric": ("Metric", "Metrik"),
    "kpi_period": ("Period", "Periode"), "target": ("Target", "Target"),
    "month_target": ("Target this month", "Target bulan ini"),
    "actual": ("Actual", "Realisasi"), "attainment": ("Attainment", "Pencapaian"),
    "status": ("Status", "Status"), "trend": ("Trend", "Tren"),
    "title_col": ("Title", "Judul"), "format": ("Format", "Format"),
    "published_at": ("Published at", "Terbit pada"), "slot": ("Time slot", "Slot waktu"),
    "posts": ("Posts", "Postingan"), "level": ("Level", "Level"),
    "opened": ("Opened", "Dibuka"), "holding": ("First holding statement",
                                                "Holding statement pertama"),
    "met": ("met", "tercapai"), "missed": ("missed", "tidak tercapai"),
    "no_data": ("no data", "tanpa data"), "all": ("all", "semua"),
    "strategy_scope": ("strategy", "strategi"),
    "chart_reach": ("Reach per platform", "Jangkauan per platform"),
    "chart_er": ("Engagement rate per platform (%)", "Tingkat engagement per platform (%)"),
    "chart_posts": ("Posts: planned, published and cadence target",
                    "Postingan: rencana, terbit dan target frekuensi"),
    "chart_times": ("Engagement rate by posting time (%)",
                    "Tingkat engagement per waktu posting (%)"),
    "chart_kpi": ("KPI attainment (%)", "Pencapaian KPI (%)"),
    "definitions": ("Engagement rate = interactions / the platform's denominator (Instagram "
                    "and Facebook: reach; LinkedIn and X: impressions; TikTok: video views). "
                    "Definitions and rules: docs/reporting.md.",
                    "Tingkat engagement = interaksi / penyebut platform (Instagram dan "
                    "Facebook: jangkauan; LinkedIn dan X: impresi; TikTok: tayangan video). "
                    "Definisi dan aturan: docs/reporting.md."),
}


def label(key: str, lang: str) -> str:
    en, id_ = LABELS[key]
    return id_ if lang == "id" else en


def number(value: int | Decimal | None, lang: str) -> str:
    """1,234,567 (en) or 1.234.567 (id); '-' for no value."""
    if value is None:
        return "-"
    text = f"{int(value):,}"
    return text.replace(",", ".") if lang == "id" else text


def rate(value: Decimal | None, lang: str, sign: bool = False) -> str:
    """4.56% (en) or 4,56% (id); with sign=True a leading + for increases."""
    if value is None:
        return "-"
    text = f"{value:+,.2f}" if sign else f"{value:,.2f}"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text}%"


def decimal(value: Decimal | None, lang: str) -> str:
    """A target or actual: whole numbers as such, fractions with two decimals."""
    if value is None:
        return "-"
    if value == value.to_integral_value():
        return number(value, lang)
    return rate(value, lang)[:-1]


def span(value: timedelta | None, lang: str) -> str:
    """A duration people read at a glance: '45 min', '2 h 05 min', '3 d 4 h' (id: 'mnt',
    'j', 'h'); '-' for no value. Exact seconds are in the JSON and CSV."""
    if value is None:
        return "-"
    minutes = int(value.total_seconds() // 60)
    hour, minute, day = ("j", "mnt", "hr") if lang == "id" else ("h", "min", "d")
    if minutes < 60:
        return f"{minutes} {minute}"
    if minutes < 24 * 60:
        return f"{minutes // 60} {hour} {minutes % 60:02d} {minute}"
    return f"{minutes // 1440} {day} {minutes % 1440 // 60} {hour}"


def moment(value: datetime | None, zone: tzinfo) -> str:
    if value is None:
        return "-"
    local = value.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {zone_label(local)}"


def status(value: str, lang: str) -> str:
    return label(value, lang) if value in LABELS else value

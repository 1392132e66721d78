"""Messages (English and Bahasa Indonesia) of the evaluation stage; merged into socmed_domain.i18n.

Plain data with no imports, so i18n can merge it without an import cycle.
"""

MESSAGES: dict[str, dict[str, str]] = {
    "error.metric_value": {
        "en": "metric {metric} is {value}: give a whole number from 0 to {limit}",
        "id": "metrik {metric} bernilai {value}: berikan bilangan bulat 0 sampai {limit}",
    },
    "error.metric_empty": {
        "en": "the snapshot has no metric at all: give at least one of reach, impressions, "
        "likes, comments, shares, saves, clicks, video_views, followers, conversions",
        "id": "snapshot tidak berisi metrik apa pun: isi minimal satu dari reach, impressions, "
        "likes, comments, shares, saves, clicks, video_views, followers, conversions",
    },
    "error.metric_future": {
        "en": "the snapshot was measured at {at}, after now ({now}): check the time and its "
        "zone",
        "id": "snapshot diukur pada {at}, setelah sekarang ({now}): periksa waktu dan "
        "zonanya",
    },
    "error.metric_post_id": {
        "en": "'{value}' is not a platform post id: use the id the platform gave (letters, "
        "digits, '_', '-', '.', ':'), or leave it empty for the account",
        "id": "'{value}' bukan id postingan platform: gunakan id dari platform (huruf, angka, "
        "'_', '-', '.', ':'), atau kosongkan untuk akun",
    },
    "error.metric_conflict": {
        "en": "snapshots {first} and {second} give different numbers for {platform} {subject} "
        "at {at}: keep the right one",
        "id": "snapshot {first} dan {second} memberi angka berbeda untuk {platform} {subject} "
        "pada {at}: simpan yang benar",
    },
    "error.metric_series": {
        "en": "the snapshot of {subject} does not belong to this series",
        "id": "snapshot {subject} bukan milik seri ini",
    },
    "error.metric_csv": {
        "en": "{path} row {row}, column {column}: {detail}",
        "id": "{path} baris {row}, kolom {column}: {detail}",
    },
    "error.metric_csv_header": {
        "en": "{path}: the header must name platform, post_id, measured_at and at least one "
        "metric ({detail}); see docs/reporting.md",
        "id": "{path}: header harus memuat platform, post_id, measured_at dan minimal satu "
        "metrik ({detail}); lihat docs/reporting.md",
    },
    "error.metrics_fetch": {
        "en": "{platform} insights could not be fetched, so nothing was recorded: {detail}",
        "id": "insight {platform} tidak dapat diambil, jadi tidak ada yang dicatat: {detail}",
    },
    "error.evaluation_future": {
        "en": "the meeting is dated {at}, in the future: record it after it was held",
        "id": "rapat bertanggal {at}, di masa depan: catat setelah rapat berlangsung",
    },
    "error.too_many": {
        "en": "{field} has {count} entries, over the {limit} allowed: keep the essentials",
        "id": "{field} berisi {count} entri, melebihi batas {limit}: simpan yang pokok saja",
    },
    "event.SeriesStarted": {"en": "started the {platform} metrics series of {subject}",
                            "id": "memulai seri metrik {platform} untuk {subject}"},
    "event.MetricsFetched": {"en": "recorded metrics measured at {at} ({source})",
                             "id": "mencatat metrik yang diukur pada {at} ({source})"},
    "event.EvaluationRecorded": {
        "en": "recorded evaluation {ref} of strategy version {version} (report {report})",
        "id": "mencatat evaluasi {ref} atas strategi versi {version} (laporan {report})"},
    # ------------------------------------------------------- insights (insights.py)
    "insight.kpi_missed": {
        "en": "KPI {metric} ({scope}, {platform}) reached {actual} of the month's target "
        "{target}: {attainment}% attained.",
        "id": "KPI {metric} ({scope}, {platform}) mencapai {actual} dari target bulan ini "
        "{target}: tercapai {attainment}%.",
    },
    "insight.kpi_no_data": {
        "en": "{count, plural, one {# KPI target is} other {# KPI targets are}} not measured "
        "by the platforms: {metrics}. Import "
        "them as conversions or report them from the business system.",
        "id": "{count} target KPI tidak diukur oleh platform: {metrics}. Impor sebagai "
        "conversions atau laporkan dari sistem bisnis.",
    },
    "insight.under_cadence": {
        "en": "{platform} is under its cadence: {published, plural, one {# post} other {# posts}} "
        "published against a target "
        "of {target} for the month ({share}%; {planned} on the calendar). Plan and approve "
        "more {platform} posts, or lower its cadence in the strategy.",
        "id": "{platform} di bawah frekuensinya: {published} postingan terbit dari target "
        "{target} untuk bulan ini ({share}%; {planned} di kalender). Rencanakan dan setujui "
        "lebih banyak postingan {platform}, atau turunkan frekuensinya di strategi.",
    },
    "insight.format_wins": {
        "en": "{format} posts outperform the other formats: {rate}% engagement over {posts} "
        "posts against {others_rate}% over {others_posts} ({ratio}x). Give {format} a larger "
        "share of next month's calendar.",
        "id": "Postingan {format} mengungguli format lain: engagement {rate}% dari {posts} "
        "postingan dibanding {others_rate}% dari {others_posts} ({ratio}x). Beri {format} "
        "porsi lebih besar di kalender bulan depan.",
    },
    "insight.slot_wins": {
        "en": "Posts at {slot} {zone} work best: {rate}% engagement over {posts} posts "
        "against {overall}% for the month ({ratio}x). Schedule key posts in that slot.",
        "id": "Postingan pada {slot} {zone} paling efektif: engagement {rate}% dari {posts} "
        "postingan dibanding {overall}% sebulan ({ratio}x). Jadwalkan konten utama di slot "
        "itu.",
    },
    "insight.platform_weak": {
        "en": "{platform} engagement is weak: {rate}% over {posts} measured posts against "
        "{overall}% for all platforms. Review its formats and posting times.",
        "id": "Engagement {platform} lemah: {rate}% dari {posts} postingan terukur dibanding "
        "{overall}% untuk semua platform. Tinjau format dan jam postingnya.",
    },
    "insight.reach_drop": {
        "en": "{platform} reach fell {change}% against the previous month (now {reach}).",
        "id": "Jangkauan {platform} turun {change}% dibanding bulan lalu (kini {reach}).",
    },
    "insight.incidents": {
        "en": "{count, plural, one {# serious incident} other {# serious incidents}} this "
        "month (highest level {level}): {titles}. "
        "Slowest first holding statement: {minutes} min. Review the crisis templates with "
        "the team.",
        "id": "{count} insiden serius bulan ini (level tertinggi {level}): {titles}. Holding "
        "statement pertama paling lambat: {minutes} menit. Tinjau template krisis bersama "
        "tim.",
    },
}

#: Indonesian for action names and verbs (Term) used by this stage's messages.
TERMS_ID: dict[str, str] = {
    "record the evaluation": "mencatat evaluasi",
}

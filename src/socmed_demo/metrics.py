"""The demo month's metrics (SOP stage 5): insights fetched for every published post, account
follower counts, and the month's performance report written at the end.

Every evening at 23:50 WIB the Social Media Admin fetches insights, as a team does from the
platforms' dashboards: posts that turned 1, 3 or 7 days old that day, every published post on
the month's last evening, and the accounts' follower counts on Sundays, on the eve of the month
and on its last day. The numbers are deterministic per seed and plausible for an Indonesian
bank: each platform's typical reach and engagement, more for video and for the evening slot,
conversions mostly from campaign posts, and running totals that settle within about a week
(half of the final figure after one day). `write_reports` then renders the month's report
(HTML and Markdown) into the store folder.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from socmed_adapters.reports.monthly import SUFFIXES, monthly_report, render
from socmed_adapters.reports.monthly_source import SqlReportSource
from socmed_demo.common import DemoTimeline, at
from socmed_domain.evaluation.metrics import ACCOUNT, MetricSnapshot, MetricValues
from socmed_domain.evaluation.report_model import PublishedPost
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB

IG, FB, LI, TT, X = (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.LINKEDIN, Platform.TIKTOK,
                     Platform.X)
FETCHER = "adi.admin"
SOURCE = "demo:insights"
REPORTS_DIR = "reports"
#: A post's typical final audience on each platform (reach; impressions on LinkedIn and X;
#: video views on TikTok), and its typical engagement rate.
AUDIENCE = {IG: 21_000, FB: 12_000, LI: 6_500, TT: 38_000, X: 14_000}
ENGAGEMENT = {IG: Decimal("0.046"), FB: Decimal("0.027"), LI: Decimal("0.034"),
              TT: Decimal("0.061"), X: Decimal("0.017")}
FORMAT_AUDIENCE = {"video": Decimal("1.5"), "carousel": Decimal("1.2"),
                   "infographic": Decimal("1.1"), "image": Decimal("1.0"),
                   "text": Decimal("0.7")}
FORMAT_ENGAGEMENT = {"video": Decimal("1.45"), "carousel": Decimal("1.15"),
                     "infographic": Decimal("1.05"), "image": Decimal("1.0"),
                     "text": Decimal("0.8")}
FOLLOWERS = {IG: (48_200, 55), FB: (125_400, 21), LI: (18_300, 14), TT: (9_100, 96),
             X: (33_700, 7)}  # at the eve of the month, and gained per day
AGES = (1, 3, 7)


def _slot_factor(published_at: datetime) -> tuple[Decimal, Decimal]:
    """(audience, engagement) factors of the time of day: evenings work best."""
    hour = published_at.astimezone(WIB).hour
    if 18 <= hour < 22:
        return Decimal("1.3"), Decimal("1.25")
    if 6 <= hour < 10:
        return Decimal("0.9"), Decimal("0.95")
    return Decimal(1), Decimal(1)


def post_values(post: PublishedPost, seed: int, at: datetime) -> MetricValues:
    """The post's running totals as measured at `at`."""
    rng = random.Random(f"metrics-{seed}-{post.item_id}-{post.platform.value}")
    audience_factor, engagement_factor = _slot_factor(post.published_at)
    kind = post.content_type
    final = (Decimal(AUDIENCE[post.platform]) * FORMAT_AUDIENCE.get(kind, Decimal(1))
             * audience_factor * Decimal(rng.randint(75, 125)) / 100)
    rate = (ENGAGEMENT[post.platform] * FORMAT_ENGAGEMENT.get(kind, Decimal(1))
            * engagement_factor * Decimal(rng.randint(85, 115)) / 100)
    hours = max((at - post.published_at).total_seconds() / 3600, 0)
    share = Decimal(1 - 0.5 ** (hours / 24))
    audience = int(final * share)
    acts = int(final * rate * share)
    likes, comments, shares = int(acts * Decimal("0.7")), int(acts * Decimal("0.1")), \
        int(acts * Decimal("0.08"))
    rest = acts - likes - comments - shares
    conversions = int(final * share * (Decimal("0.0016") if post.campaign_id
                                       else Decimal("0.0003")))
    if post.platform is TT:
        return MetricValues(reach=int(audience * Decimal("0.8")), video_views=audience,
                            likes=likes, comments=comments, shares=shares, saves=rest,
                            conversions=conversions)
    if post.platform in (LI, X):
        return MetricValues(reach=int(audience * Decimal("0.62")), impressions=audience,
                            likes=likes, comments=comments, shares=shares, clicks=rest,
                            conversions=conversions)
    impressions = int(audience * Decimal("1.35"))
    video = int(audience * Decimal("0.7")) if kind == "video" else None
    extra = {"saves": rest} if post.platform is IG else {"clicks": rest}
    return MetricValues(reach=audience, impressions=impressions, likes=likes,
                        comments=comments, shares=shares, video_views=video,
                        conversions=conversions, **extra)


def followers(platform: Platform, seed: int, day: date, first: date) -> int:
    start, per_day = FOLLOWERS[platform]
    days = (day - first).days + 1
    jitter = random.Random(f"followers-{seed}-{platform.value}-{day}").randint(-3, 3)
    return start + per_day * days + jitter * max(days, 0)


def add_metrics(demo: DemoTimeline) -> None:
    """A fetch every evening of the month, and one on its eve for the follower baseline."""
    first, last = demo.days[0], demo.days[-1]
    for day in [first - timedelta(days=1), *demo.days]:
        demo.add(at(day, 23, 50), "metrics: fetch insights",
                 partial(_fetch, demo, day, first, day == last))


def _fetch(demo: DemoTimeline, day: date, first: date, final: bool) -> None:
    now = demo.clock()
    seed = demo.report.seed
    snapshots = []
    source = SqlReportSource(demo.services.projector)
    for post in source.published_posts(now - timedelta(days=max(AGES) + 1), now):
        age = (now - post.published_at).total_seconds() / 86400
        if final or any(a <= age < a + 1 for a in AGES):
            snapshots.append(MetricSnapshot(post.platform, post.post_id, now,
                                            post_values(post, seed, now)))
    if final:  # every post of the month gets its month-end figures
        start = datetime.combine(first, datetime.min.time(), tzinfo=WIB)
        known = {(s.platform, s.post_id) for s in snapshots}
        for post in source.published_posts(start, now):
            if (post.platform, post.post_id) not in known:
                snapshots.append(MetricSnapshot(post.platform, post.post_id, now,
                                                post_values(post, seed, now)))
    if final or day.weekday() == 6 or day < first:
        snapshots += [MetricSnapshot(p, ACCOUNT, now, MetricValues(
            followers=followers(p, seed, day, first))) for p in Platform]
    if snapshots:
        demo.app.evaluation.record_metrics(FETCHER, snapshots, SOURCE)


def report_paths(data_dir: Path, month: str) -> dict[str, Path]:
    return {fmt: data_dir / REPORTS_DIR / f"monthly-report-{month}{SUFFIXES[fmt]}"
            for fmt in ("html", "markdown")}


def write_reports(services: Any, month: str, data_dir: Path, lang: str = "en") -> list[Path]:
    """The month's report as HTML and Markdown in `<data dir>/reports/`."""
    report = monthly_report(services, month, WIB)
    written = []
    for fmt, path in report_paths(data_dir, month).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(render(report, fmt, lang, WIB), encoding="utf-8")
        written.append(path)
    return written

"""Engagement per post, for the prime-time suggestion: each published post on a platform over
the last days with its latest metrics snapshot, turned into the engagement rate the KPI engine
defines for that platform (docs/reporting.md)."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from socmed_adapters.reports.monthly_source import SqlReportSource
from socmed_domain.evaluation.kpi import denominator, interactions, pct
from socmed_domain.platforms import Platform
from socmed_domain.publication.prime_time import Observation


def observations(projector: Any, platform: Platform, now: datetime, days: int,
                 zone: tzinfo) -> list[Observation]:
    source = SqlReportSource(projector)
    latest = source.latest_values(now)
    found = []
    for post in source.published_posts(now - timedelta(days=days), now):
        if post.platform is not platform:
            continue
        values = latest.get((platform, post.post_id))
        if values is None:
            continue
        rate = pct(interactions(platform, values), denominator(platform, values))
        if rate is not None:
            found.append(Observation(post.published_at.astimezone(zone), rate))
    return found

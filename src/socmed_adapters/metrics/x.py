"""X post metrics and the account's followers, through API v2.

- GET /2/tweets?ids=...&tweet.fields=public_metrics,non_public_metrics: up to 100 posts a
  request. `public_metrics` (impression_count, like_count, reply_count, retweet_count,
  quote_count, bookmark_count) for every post; `non_public_metrics` (url_link_clicks,
  user_profile_clicks) only for the account's own posts of the last 30 days, so older posts
  are asked for public metrics only (X refuses the request otherwise). Posts X no longer has
  come back in `errors`, not `data`, and are left out.
- GET /2/users/{id}?user.fields=public_metrics: `public_metrics.followers_count`.

Reposts and quotes both count as shares; link and profile clicks as clicks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from socmed_adapters.metrics.client import MetricsClient, count, total, values_or_none
from socmed_adapters.platforms.base import Deadline
from socmed_adapters.platforms.x import XPublisher
from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.platforms import Platform

PRIVATE_WINDOW = timedelta(days=30)
# A margin, so a post that turns 30 days old while the request travels is asked publicly.
MARGIN = timedelta(hours=1)


def _values(tweet: Mapping[str, Any]) -> MetricValues | None:
    public = tweet.get("public_metrics") or {}
    private = tweet.get("non_public_metrics") or {}
    return values_or_none(
        impressions=count(public.get("impression_count", private.get("impression_count"))),
        likes=count(public.get("like_count")), comments=count(public.get("reply_count")),
        shares=total(public.get("retweet_count"), public.get("quote_count")),
        saves=count(public.get("bookmark_count")),
        clicks=total(private.get("url_link_clicks"), private.get("user_profile_clicks")))


class XMetrics(MetricsClient):
    platform = Platform.X
    publisher_class = XPublisher
    batch_size = 100

    def readable(self, post: PostRef) -> bool:
        return post.post_id.isdigit()

    def read_posts(self, posts: Sequence[PostRef],
                   deadline: Deadline) -> Mapping[str, MetricValues | None]:
        recent_since = self.clock() - PRIVATE_WINDOW + MARGIN
        recent = [p.post_id for p in posts if p.published_at >= recent_since]
        older = [p.post_id for p in posts if p.published_at < recent_since]
        found: dict[str, MetricValues | None] = {}
        for ids, fields in ((recent, "public_metrics,non_public_metrics"),
                            (older, "public_metrics")):
            if ids:
                answer = self.get("/2/tweets", deadline, ids=",".join(ids),
                                  **{"tweet.fields": fields})
                for tweet in answer.get("data") or []:
                    if isinstance(tweet, dict) and tweet.get("id"):
                        found[str(tweet["id"])] = _values(tweet)
        return found

    def read_account(self, deadline: Deadline) -> MetricValues | None:
        user = self.credentials.account_id
        if not user:
            user = str((self.get("/2/users/me", deadline).get("data") or {}).get("id") or "")
        answer = self.get(f"/2/users/{user}", deadline, **{"user.fields": "public_metrics"})
        public = (answer.get("data") or {}).get("public_metrics") or {}
        return values_or_none(followers=count(public.get("followers_count")))

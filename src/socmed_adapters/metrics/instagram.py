"""Instagram media insights and the account's followers, through the Graph API.

- GET /{ig-media-id}/insights?metric=reach,likes,comments,shares,saved,views: lifetime values
  in the Graph `data` shape. `views` (which replaced impressions and plays in 2025) is
  recorded as impressions. Instagram answers an empty `data` while insights are not ready
  (up to 48 hours), and `#10 Not enough viewers` for media with too small an audience: both
  are "no data yet", not errors.
- GET /{ig-user-id}?fields=followers_count: the account's followers.

One request per media. A media the account no longer has (#100/33) is left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from socmed_adapters.metrics.client import count, values_or_none
from socmed_adapters.metrics.facebook import GraphInsightsClient
from socmed_adapters.platforms.base import NOT_FOUND, Deadline, Refusal, Verdict
from socmed_adapters.platforms.facebook import graph_detail, graph_error
from socmed_adapters.platforms.instagram import InstagramPublisher
from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.platforms import Platform

MEDIA_METRICS = ("reach", "likes", "comments", "shares", "saved", "views")
TOO_FEW_VIEWERS = 10  # "(#10) Not enough viewers for the media to show insights"


class InstagramMetrics(GraphInsightsClient):
    platform = Platform.INSTAGRAM
    publisher_class = InstagramPublisher
    insight_metrics = MEDIA_METRICS

    def classify(self, response: httpx.Response) -> Verdict:
        error = graph_error(response)
        if error.get("code") == TOO_FEW_VIEWERS and "viewers" in str(error.get("message")):
            return Refusal(NOT_FOUND, f"no insights yet ({graph_detail(error)})")
        return super().classify(response)

    def post_values(self, metrics: Mapping[str, Any]) -> MetricValues | None:
        return values_or_none(
            reach=count(metrics.get("reach")), likes=count(metrics.get("likes")),
            comments=count(metrics.get("comments")), shares=count(metrics.get("shares")),
            saves=count(metrics.get("saved")), impressions=count(metrics.get("views")))

    def read_account(self, deadline: Deadline) -> MetricValues | None:
        answer = self.get(f"/{self.credentials.account_id}", deadline, fields="followers_count")
        return values_or_none(followers=count(answer.get("followers_count")))

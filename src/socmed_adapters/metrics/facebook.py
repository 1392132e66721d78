"""Facebook Page post insights and the Page's followers, through the Graph API.

- GET /{post-id}/insights?metric=post_impressions,post_impressions_unique,post_clicks,
  post_reactions_by_type_total,post_activity_by_action_type: lifetime values, as
  `{"data": [{"name", "period": "lifetime", "values": [{"value": ...}]}]}`; reactions and
  activity are objects by type (`{"like": 12, "love": 3}`, `{"comment": 4, "share": 2}`).
- GET /{page-id}?fields=followers_count,fan_count: the Page's followers (fans as fallback).

One request per post (the Graph API has no batch read of insights without the batch
endpoint). A post the Page no longer has answers #100 subcode 33 and is left out. The
Instagram client reads the same `data` shape, so the reading lives here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from socmed_adapters.metrics.client import MetricsClient, count, total, values_or_none
from socmed_adapters.platforms.base import NOT_FOUND, Deadline, Refusal, Verdict
from socmed_adapters.platforms.facebook import FacebookPublisher, graph_detail, graph_error
from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.platforms import Platform

POST_METRICS = ("post_impressions", "post_impressions_unique", "post_clicks",
                "post_reactions_by_type_total", "post_activity_by_action_type")
GONE_CODE, GONE_SUBCODE = 100, 33  # "Object ... does not exist, cannot be loaded ..."


def graph_insights(answer: Mapping[str, Any]) -> dict[str, Any]:
    """{metric name: value} of an insights answer (`values[-1].value`, or `total_value`)."""
    found: dict[str, Any] = {}
    for item in answer.get("data") or []:
        if not isinstance(item, dict) or not item.get("name"):
            continue
        rows = item.get("values") or []
        if rows and isinstance(rows[-1], dict) and "value" in rows[-1]:
            found[str(item["name"])] = rows[-1]["value"]
        elif isinstance(item.get("total_value"), dict):
            found[str(item["name"])] = item["total_value"].get("value")
    return found


def by_type_total(value: Any, *types: str) -> int | None:
    """The sum of an object of counts by type (all types, or only `types`)."""
    if not isinstance(value, dict):
        return count(value)
    return total(*(v for k, v in value.items() if not types or k in types))


def graph_gone(response: httpx.Response) -> Verdict:
    """A Graph object that no longer exists (a deleted post) reads as NOT_FOUND."""
    error = graph_error(response)
    if error.get("code") == GONE_CODE and error.get("error_subcode") == GONE_SUBCODE:
        return Refusal(NOT_FOUND, f"not found ({graph_detail(error)})")
    return None


class GraphInsightsClient(MetricsClient):
    """A Graph API client reading each post's lifetime insights (Facebook, Instagram): one
    request per post for `insight_metrics`, read into values by `post_values`."""

    insight_metrics: tuple[str, ...] = ()

    def classify(self, response: httpx.Response) -> Verdict:
        return graph_gone(response) or super().classify(response)

    def post_values(self, metrics: Mapping[str, Any]) -> MetricValues | None:
        raise NotImplementedError

    def read_posts(self, posts: Sequence[PostRef],
                   deadline: Deadline) -> Mapping[str, MetricValues | None]:
        found: dict[str, MetricValues | None] = {}
        for post in posts:
            answer = self.get_one(f"/{post.post_id}/insights", deadline,
                                  metric=",".join(self.insight_metrics))
            if answer is None:
                continue
            found[post.post_id] = self.post_values(graph_insights(answer))
        return found


class FacebookMetrics(GraphInsightsClient):
    platform = Platform.FACEBOOK
    publisher_class = FacebookPublisher
    insight_metrics = POST_METRICS

    def post_values(self, metrics: Mapping[str, Any]) -> MetricValues | None:
        activity = metrics.get("post_activity_by_action_type")
        return values_or_none(
            reach=count(metrics.get("post_impressions_unique")),
            impressions=count(metrics.get("post_impressions")),
            clicks=count(metrics.get("post_clicks")),
            likes=by_type_total(metrics.get("post_reactions_by_type_total")),
            comments=by_type_total(activity, "comment") if activity is not None else None,
            shares=by_type_total(activity, "share") if activity is not None else None)

    def read_account(self, deadline: Deadline) -> MetricValues | None:
        answer = self.get(f"/{self.credentials.account_id}", deadline,
                          fields="followers_count,fan_count")
        followers = count(answer.get("followers_count"))
        return values_or_none(followers=followers if followers is not None
                              else count(answer.get("fan_count")))

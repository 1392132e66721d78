"""TikTok video counts and the creator's followers, through the Display API.

- POST /v2/video/query/?fields=id,view_count,like_count,comment_count,share_count with
  `{"filters": {"video_ids": [...]}}`: up to 20 of the creator's videos a request (scope
  video.list); videos the creator no longer has are simply absent from `data.videos`.
- GET /v2/user/info/?fields=follower_count: `data.user.follower_count` (scope
  user.info.stats).

Only video ids can be asked about: a post uploaded to the creator's inbox is known by its
publish id until the creator finishes it in the app, and is left out. TikTok reports no reach,
so engagement divides by video views (docs/reporting.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from socmed_adapters.metrics.client import MetricsClient, count, values_or_none
from socmed_adapters.platforms.base import Deadline, json_body
from socmed_adapters.platforms.tiktok import TikTokPublisher
from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.platforms import Platform

VIDEO_FIELDS = "id,view_count,like_count,comment_count,share_count"


class TikTokMetrics(MetricsClient):
    platform = Platform.TIKTOK
    publisher_class = TikTokPublisher
    batch_size = 20

    def readable(self, post: PostRef) -> bool:
        return post.post_id.isdigit()

    def read_posts(self, posts: Sequence[PostRef],
                   deadline: Deadline) -> Mapping[str, MetricValues | None]:
        response = self.api.send(
            "POST", "/v2/video/query/", deadline, classify=self.classify,
            params={"fields": VIDEO_FIELDS},
            json={"filters": {"video_ids": [post.post_id for post in posts]}})
        videos = (json_body(response).get("data") or {}).get("videos") or []
        return {str(video["id"]): values_or_none(
            video_views=count(video.get("view_count")), likes=count(video.get("like_count")),
            comments=count(video.get("comment_count")),
            shares=count(video.get("share_count")))
            for video in videos if isinstance(video, dict) and video.get("id")}

    def read_account(self, deadline: Deadline) -> MetricValues | None:
        answer = self.get("/v2/user/info/", deadline, fields="follower_count")
        user = (answer.get("data") or {}).get("user") or {}
        return values_or_none(followers=count(user.get("follower_count")))

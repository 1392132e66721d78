"""LinkedIn post statistics and followers, through the versioned REST API.

For an organization author (urn:li:organization:...):
- GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity=
  {org}&shares=List({urn},...)&ugcPosts=List(...): lifetime `totalShareStatistics` per post
  (impressionCount, uniqueImpressionsCount, likeCount, commentCount, shareCount, clickCount),
  up to 20 posts a request, URNs URL-encoded inside `List()` as Rest.li 2.0 wants.
- GET /rest/networkSizes/{org}?edgeType=COMPANY_FOLLOWED_BY_MEMBER: `firstDegreeSize`, the
  Page's followers.

For a member author (urn:li:person:...), LinkedIn gives no impressions through this API:
GET /rest/socialActions/{urn} gives likes and comments (`likesSummary.totalLikes`,
`commentsSummary.aggregatedTotalComments`), and no follower count is read.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from urllib.parse import quote

from socmed_adapters.metrics.client import MetricsClient, count, values_or_none
from socmed_adapters.platforms.base import Deadline
from socmed_adapters.platforms.linkedin import LinkedInPublisher
from socmed_domain.evaluation.metrics import MetricValues
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.platforms import Platform

ORGANIZATION = "urn:li:organization:"


def _encoded(urn: str) -> str:
    return quote(urn, safe="")


class LinkedInMetrics(MetricsClient):
    platform = Platform.LINKEDIN
    publisher_class = LinkedInPublisher
    batch_size = 20

    @property
    def author(self) -> str:
        return self.credentials.account_id

    @property
    def organization(self) -> bool:
        return self.author.startswith(ORGANIZATION)

    def readable(self, post: PostRef) -> bool:
        return post.post_id.startswith(("urn:li:share:", "urn:li:ugcPost:"))

    def read_posts(self, posts: Sequence[PostRef],
                   deadline: Deadline) -> Mapping[str, MetricValues | None]:
        if not self.organization:
            return {post.post_id: self._social_actions(post.post_id, deadline)
                    for post in posts}
        shares = [p.post_id for p in posts if p.post_id.startswith("urn:li:share:")]
        ugc = [p.post_id for p in posts if p.post_id.startswith("urn:li:ugcPost:")]
        query = f"q=organizationalEntity&organizationalEntity={_encoded(self.author)}"
        for name, urns in (("shares", shares), ("ugcPosts", ugc)):
            if urns:
                query += f"&{name}=List({','.join(_encoded(u) for u in urns)})"
        answer = self.get(f"/rest/organizationalEntityShareStatistics?{query}", deadline)
        found: dict[str, MetricValues | None] = {}
        for element in answer.get("elements") or []:
            urn = element.get("share") or element.get("ugcPost")
            stats = element.get("totalShareStatistics") or {}
            if urn:
                found[str(urn)] = values_or_none(
                    impressions=count(stats.get("impressionCount")),
                    reach=count(stats.get("uniqueImpressionsCount")),
                    likes=count(stats.get("likeCount")),
                    comments=count(stats.get("commentCount")),
                    shares=count(stats.get("shareCount")),
                    clicks=count(stats.get("clickCount")))
        return found

    def _social_actions(self, urn: str, deadline: Deadline) -> MetricValues | None:
        answer = self.get_one(f"/rest/socialActions/{_encoded(urn)}", deadline)
        if answer is None:
            return None
        return values_or_none(
            likes=count((answer.get("likesSummary") or {}).get("totalLikes")),
            comments=count((answer.get("commentsSummary") or {}).get("aggregatedTotalComments")))

    def read_account(self, deadline: Deadline) -> MetricValues | None:
        if not self.organization:
            return None
        answer = self.get(f"/rest/networkSizes/{_encoded(self.author)}", deadline,
                          edgeType="COMPANY_FOLLOWED_BY_MEMBER")
        return values_or_none(followers=count(answer.get("firstDegreeSize")))

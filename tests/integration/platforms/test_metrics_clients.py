"""The platform metrics clients against the local stand-in servers on 127.0.0.1: documented
request shapes, deterministic numbers, 429 then success, one-line token errors, and the
application's fetch recording nothing when a platform fails."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from socmed_adapters.bootstrap import Services
from socmed_adapters.metrics.source import PlatformMetrics, metrics_source_from_config
from socmed_domain.evaluation.metrics import ACCOUNT, MetricValues
from socmed_domain.evaluation.report_model import PublishedPost
from socmed_domain.evaluation.sources import MetricsUnavailable, PostRef
from socmed_domain.platforms import Platform
from socmed_testing.platforms import (
    EXPIRED_TOKEN,
    RATE_LIMIT,
    FakeTime,
    LocalPlatforms,
    fast_policy,
)
from socmed_testing.platforms.common import FOLLOWERS_BASE, post_insights

AGE = timedelta(days=2)


def _seed(local: LocalPlatforms, platform: Platform) -> tuple[str, dict[str, Any]]:
    """A post the server accepted two days ago: (its id as a receipt names it, the post)."""
    if platform is Platform.TIKTOK:
        post = local.tiktok.seed_post("Tips menabung", age=AGE)
        return post["video_id"], post
    post = local.servers[platform].seed_post("Tips menabung", age=AGE)  # type: ignore[attr-defined]
    return str(post["id"]), post


#: The recorded metrics each platform reports, from the server's numbers of the post.
EXPECTED: dict[Platform, Callable[[dict[str, int]], MetricValues]] = {
    Platform.INSTAGRAM: lambda n: MetricValues(
        reach=n["reach"], impressions=n["views"], likes=n["likes"], comments=n["comments"],
        shares=n["shares"], saves=n["saves"]),
    Platform.FACEBOOK: lambda n: MetricValues(
        reach=n["reach"], impressions=n["impressions"], likes=n["likes"],
        comments=n["comments"], shares=n["shares"], clicks=n["clicks"]),
    Platform.LINKEDIN: lambda n: MetricValues(
        reach=n["reach"], impressions=n["impressions"], likes=n["likes"],
        comments=n["comments"], shares=n["shares"], clicks=n["clicks"]),
    Platform.TIKTOK: lambda n: MetricValues(
        video_views=n["views"], likes=n["likes"], comments=n["comments"], shares=n["shares"]),
    Platform.X: lambda n: MetricValues(
        impressions=n["impressions"], likes=n["likes"], comments=n["comments"],
        shares=n["shares"] + n["shares"] // 3, saves=n["saves"],
        clicks=n["clicks"] + n["clicks"] // 4),
}








@pytest.fixture(scope="module")
def shared_source(local: LocalPlatforms, shared_time: FakeTime) -> Iterator[PlatformMetrics]:
    made = metrics_source_from_config(local.credentials(), policy=fast_policy(),
                                      timing=shared_time.timing())
    yield made
    made.close()


@pytest.fixture
def source(shared_source: PlatformMetrics, fake_time: FakeTime) -> PlatformMetrics:
    return shared_source


def _ref(post_id: str) -> PostRef:
    return PostRef(post_id, datetime.now(UTC) - AGE)


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
def test_post_and_account_insights(local: LocalPlatforms, source: PlatformMetrics,
                                   platform: Platform) -> None:
    server = local.servers[platform]
    post_id, post = _seed(local, platform)
    before = len(server.requests)
    found = source.post_insights(platform, [_ref(post_id), _ref("1234567890")])
    numbers = post_insights(post_id, post["created"], server.now())
    expected = EXPECTED[platform](numbers)
    assert set(found) == {post_id}  # the unknown post is left out, not an error
    got = found[post_id]
    # The server's clock moved on a few milliseconds: compare the shape, and the size.
    assert [name for name, v in got.items() if v is not None] == \
        [name for name, v in expected.items() if v is not None]
    assert abs((got.likes or 0) - (expected.likes or 0)) <= 1
    account = source.account_insights(platform)
    assert account is not None and account.followers is not None
    assert account.followers >= FOLLOWERS_BASE - FOLLOWERS_BASE // 20
    assert server.requests[before:], "the client asked the server"
    assert not local.violations()


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
def test_rate_limited_then_answered(local: LocalPlatforms, source: PlatformMetrics,
                                    fake_time: FakeTime, platform: Platform) -> None:
    post_id, _ = _seed(local, platform)
    local.servers[platform].inject(RATE_LIMIT, route="insights", retry_after=7, reset_in=7)
    found = source.post_insights(platform, [_ref(post_id)])
    assert post_id in found
    assert fake_time.slept and max(fake_time.slept) >= 5  # waited as the platform asked


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
def test_an_expired_token_is_one_line(local: LocalPlatforms, source: PlatformMetrics,
                                      platform: Platform) -> None:
    post_id, _ = _seed(local, platform)
    local.servers[platform].inject(EXPIRED_TOKEN, route="insights")
    with pytest.raises(MetricsUnavailable) as raised:
        source.post_insights(platform, [_ref(post_id)])
    message = raised.value.message("en")
    assert "\n" not in message and platform.label in message
    assert "fetch the metrics again" in message or "refused" in message
    assert "insight" in raised.value.message("id")


# ---------------------------------------------------------------------- through the app




def _published(local: LocalPlatforms) -> list[PublishedPost]:
    posts = []
    for platform in Platform:
        post_id, _ = _seed(local, platform)
        posts.append(PublishedPost(f"item-{platform.value}", platform, post_id, "Tips",
                                   None, "image", datetime.now(UTC) - AGE))
    return posts


def test_a_fetch_records_posts_and_accounts_once(local: LocalPlatforms,
                                                 source: PlatformMetrics,
                                                 services: Services) -> None:
    app = services.app
    posts = _published(local)
    first = app.fetch_metrics("adi.admin", source, posts)
    assert first.posts == 5 and not first.missing
    assert first.recorded.recorded == 10 and first.recorded.series_started == 10
    assert first.measured_at.second == 0
    events = app.event_count()
    again = app.fetch_metrics("adi.admin", source, posts)  # same minute, same numbers
    assert again.recorded.recorded == 0 and again.recorded.skipped == 10
    assert app.event_count() == events
    values = {(s.platform, s.post_id) for s in posts} | {(p, ACCOUNT) for p in Platform}
    assert len(values) == 10


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
def test_nothing_is_written_when_a_platform_fails(local: LocalPlatforms,
                                                  source: PlatformMetrics, services: Services,
                                                  platform: Platform) -> None:
    app = services.app
    posts = _published(local)
    before = app.event_count()
    local.servers[platform].inject(EXPIRED_TOKEN, route="*")
    with pytest.raises(MetricsUnavailable):
        app.fetch_metrics("adi.admin", source, posts)
    assert app.event_count() == before


def test_the_right_is_checked_before_any_platform_is_called(local: LocalPlatforms,
                                                            source: PlatformMetrics,
                                                            services: Services) -> None:
    from socmed_domain.errors import SocmedError

    posts = _published(local)
    asked = sum(len(server.requests) for server in local.servers.values())
    with pytest.raises(SocmedError):
        services.app.fetch_metrics("sari.legal", source, posts)
    assert sum(len(server.requests) for server in local.servers.values()) == asked

"""The Instagram adapter against a fake Graph API on 127.0.0.1: containers, faults, find()."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from tests.fakes.platform_servers import (
    CONTAINER_ERROR,
    CONTAINER_EXPIRED,
    DROP,
    ERROR_AFTER_ACCEPT,
    EXPIRED_TOKEN,
    HANG,
    QUOTA_EXHAUSTED,
    RATE_LIMIT,
    REJECTED_MEDIA,
    SERVER_ERROR,
    TOKEN,
    UNAVAILABLE,
    FakeInstagram,
    FakeTime,
    fast_policy,
    unused_port_url,
)

from socmed_adapters.platforms.credentials import PlatformCredentials
from socmed_adapters.platforms.instagram import InstagramPublisher
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

IMAGE = "https://cdn.banknusa.example/social/kpr-desember.jpg"
IMAGE_2 = "https://cdn.banknusa.example/social/kpr-2.jpg"
VIDEO = "https://cdn.banknusa.example/social/kpr.mp4"
BODY = "KPR Desember: bunga 3,5% tetap 3 tahun. #kpr #iklan"


@pytest.fixture
def server() -> Iterator[FakeInstagram]:
    with FakeInstagram() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


def adapter(server: FakeInstagram, clock: FakeTime, *, token: str = TOKEN,
            base_url: str | None = None, **policy: Any) -> InstagramPublisher:
    credentials = PlatformCredentials(Platform.INSTAGRAM, token=token,
                                      account_id=server.user_id,
                                      token_source="SOCMED_INSTAGRAM_TOKEN")
    return InstagramPublisher(credentials, base_url=base_url or f"{server.url}/v24.0",
                              policy=fast_policy(**policy), timing=clock.timing())


def post(*media: str, body: str = BODY, key: str = "item-1:instagram:abc") -> OutboundPost:
    return OutboundPost(item_id="item-1", platform=Platform.INSTAGRAM, body=body,
                        media_uris=media or (IMAGE,), revision_sha256="abc",
                        idempotency_key=key, title="KPR Desember")


def test_an_image_goes_through_limit_container_status_publish_permalink(
        server: FakeInstagram, clock: FakeTime) -> None:
    receipt = adapter(server, clock).publish(post())

    user = server.user_id
    container = next(iter(server.containers))
    media = server.posts[0]["id"]
    assert server.trail() == [
        ("GET", f"/v24.0/{user}/content_publishing_limit"),
        ("POST", f"/v24.0/{user}/media"),
        ("GET", f"/v24.0/{container}"),
        ("POST", f"/v24.0/{user}/media_publish"),
        ("GET", f"/v24.0/{media}"),
    ]
    assert server.calls("container")[0].form == {"image_url": IMAGE, "caption": BODY}
    assert server.calls("publish")[0].form == {"creation_id": container}
    assert all(r.headers["authorization"] == f"Bearer {TOKEN}" for r in server.requests)
    assert not any("access_token" in r.query or "access_token" in r.form
                   for r in server.requests)
    assert receipt.post_id == media
    assert receipt.url == server.posts[0]["permalink"]
    assert receipt.published_at.tzinfo is not None
    assert server.violations == []


def test_a_single_video_is_published_as_a_reel(server: FakeInstagram, clock: FakeTime) -> None:
    adapter(server, clock).publish(post(VIDEO))

    assert server.calls("container")[0].form == {
        "media_type": "REELS", "video_url": VIDEO, "caption": BODY}
    assert server.posts[0]["media_type"] == "VIDEO"
    assert server.violations == []


def test_a_carousel_creates_items_then_a_carousel_container(
        server: FakeInstagram, clock: FakeTime) -> None:
    adapter(server, clock).publish(post(IMAGE, VIDEO))

    first, second, parent = (r.form for r in server.calls("container"))
    assert first == {"image_url": IMAGE, "is_carousel_item": "true"}
    assert second == {"media_type": "VIDEO", "video_url": VIDEO, "is_carousel_item": "true"}
    children = list(server.containers)[:2]
    assert parent == {"media_type": "CAROUSEL", "children": ",".join(children),
                      "caption": BODY}
    assert server.posts[0]["media_type"] == "CAROUSEL_ALBUM"
    assert server.violations == []


def test_the_container_is_polled_until_finished(server: FakeInstagram,
                                                clock: FakeTime) -> None:
    server.processing_reads = 2

    adapter(server, clock).publish(post())

    assert len(server.calls("status")) == 3
    assert clock.slept == [2.0, 2.0]  # the poll interval, not real time
    assert len(server.posts) == 1


def test_polling_is_bounded_and_a_later_attempt_reuses_the_container(
        server: FakeInstagram, clock: FakeTime) -> None:
    server.processing_reads = 100
    instagram = adapter(server, clock, poll_limit=3)

    with pytest.raises(PublishError) as failure:
        instagram.publish(post())
    assert failure.value.retryable
    assert "still processing" in failure.value.reason
    assert server.posts == [] and server.calls("publish") == []

    next(iter(server.containers.values()))["reads_left"] = 0
    receipt = instagram.publish(post())

    assert len(server.calls("container")) == 1  # the first container, reused
    assert [p["id"] for p in server.posts] == [receipt.post_id]


def test_a_container_in_error_is_a_media_failure(server: FakeInstagram,
                                                  clock: FakeTime) -> None:
    server.inject(CONTAINER_ERROR, route="container")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "could not process the media" in failure.value.reason
    assert "2207026" in failure.value.reason
    assert server.calls("publish") == [] and server.posts == []


def test_an_expired_container_is_retryable(server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(CONTAINER_EXPIRED, route="container")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert failure.value.retryable
    assert "expired" in failure.value.reason


def test_rejected_media_is_not_retryable(server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(REJECTED_MEDIA, route="container")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "refused the media" in failure.value.reason
    assert "2207052" in failure.value.reason


def test_a_used_up_quota_stops_before_any_container(server: FakeInstagram,
                                                    clock: FakeTime) -> None:
    server.quota_total = 1
    server.seed_post("an earlier post today")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert failure.value.retryable
    assert "quota is used up (1 of 1 posts in 24 h)" in failure.value.reason
    assert server.calls("container") == []


def test_the_quota_refusal_at_publish_is_retryable_and_keeps_the_container(
        server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(QUOTA_EXHAUSTED)
    instagram = adapter(server, clock)

    with pytest.raises(PublishError) as failure:
        instagram.publish(post())
    assert failure.value.retryable
    assert "quota" in failure.value.reason

    assert instagram.find(post()) is None  # the remembered container is not published
    instagram.publish(post())
    assert len(server.calls("container")) == 1 and len(server.posts) == 1


def test_throttling_is_retried_after_a_backoff(server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(RATE_LIMIT, route="container")

    adapter(server, clock).publish(post())

    assert clock.slept == [0.75]  # 1 s base, equal jitter at 0.5
    assert len(server.calls("container")) == 2 and len(server.posts) == 1


def test_retry_after_is_honoured_when_sent(server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(RATE_LIMIT, route="publish", retry_after=7)

    adapter(server, clock).publish(post())

    assert clock.slept == [7.0]
    assert len(server.calls("publish")) == 2 and len(server.posts) == 1


def test_server_errors_on_reads_are_retried(server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(SERVER_ERROR, route="limit")
    server.inject(UNAVAILABLE, route="status")

    adapter(server, clock).publish(post())

    assert clock.slept == [0.75, 0.75]
    assert len(server.posts) == 1


def test_a_server_error_on_publish_is_resent_only_after_a_look_up(
        server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(SERVER_ERROR)

    adapter(server, clock).publish(post())

    routes = [r.route for r in server.requests]
    assert routes.count("publish") == 2
    assert routes.index("find") > routes.index("publish")  # looked up between the two
    assert len(server.posts) == 1


def test_a_post_accepted_before_a_server_error_is_not_posted_again(
        server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(ERROR_AFTER_ACCEPT)

    receipt = adapter(server, clock).publish(post())

    assert len(server.calls("publish")) == 1
    assert [p["id"] for p in server.posts] == [receipt.post_id]


def test_no_answer_after_publish_is_unknown_and_find_settles_it(
        server: FakeInstagram, clock: FakeTime) -> None:
    server.inject(HANG)
    instagram = adapter(server, clock, request_timeout=0.3)

    with pytest.raises(OutcomeUnknownError) as unknown:
        instagram.publish(post())

    assert "may exist" in str(unknown.value)
    assert len(server.calls("publish")) == 1 and len(server.posts) == 1
    found = instagram.find(post())
    assert found is not None and found.post_id == server.posts[0]["id"]
    again = instagram.publish(post())  # the remembered container reads PUBLISHED
    assert again.post_id == found.post_id
    assert len(server.calls("publish")) == 1 and len(server.posts) == 1


def test_no_answer_to_a_read_is_simply_retried(server: FakeInstagram,
                                               clock: FakeTime) -> None:
    server.inject(HANG, route="limit")

    receipt = adapter(server, clock, request_timeout=0.3).publish(post())

    assert len(server.calls("limit")) == 2  # a read cannot post, so it is sent again
    assert [p["id"] for p in server.posts] == [receipt.post_id]


def test_a_dropped_connection_after_publish_is_unknown(server: FakeInstagram,
                                                       clock: FakeTime) -> None:
    server.inject(DROP)

    with pytest.raises(OutcomeUnknownError):
        adapter(server, clock).publish(post())
    assert len(server.posts) == 1


def test_another_process_finds_the_post_by_caption_and_media_type(
        server: FakeInstagram, clock: FakeTime) -> None:
    published = adapter(server, clock).publish(post())

    found = adapter(server, clock).find(post())

    assert found is not None
    assert (found.post_id, found.url) == (published.post_id, server.posts[0]["permalink"])
    assert adapter(server, clock).find(post(IMAGE, IMAGE_2)) is None  # a carousel is not it


def test_find_ignores_posts_older_than_its_window(server: FakeInstagram,
                                                  clock: FakeTime) -> None:
    server.seed_post(BODY, age=timedelta(days=30))

    assert adapter(server, clock).find(post()) is None
    assert server.calls("find")[0].query["fields"] == "id,caption,media_type,permalink,timestamp"


def test_an_expired_token_asks_to_refresh_the_credential(server: FakeInstagram,
                                                         clock: FakeTime) -> None:
    server.inject(EXPIRED_TOKEN, route="*")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "refresh the credential (SOCMED_INSTAGRAM_TOKEN)" in failure.value.reason
    assert "#190/463" in failure.value.reason


def test_a_wrong_token_is_refused_the_same_way(server: FakeInstagram, clock: FakeTime) -> None:
    with pytest.raises(PublishError) as failure:
        adapter(server, clock, token="not-the-token").publish(post())

    assert not failure.value.retryable and "refresh" in failure.value.reason


def test_an_unreachable_api_is_retryable(server: FakeInstagram, clock: FakeTime) -> None:
    with pytest.raises(PublishError) as failure:
        adapter(server, clock, base_url=unused_port_url()).publish(post())

    assert failure.value.retryable
    assert "could not reach" in failure.value.reason
    assert len(clock.slept) == 3  # four attempts


def test_posts_without_media_or_public_urls_are_refused_before_any_call(
        server: FakeInstagram, clock: FakeTime) -> None:
    instagram = adapter(server, clock)
    text_only = OutboundPost("item-1", Platform.INSTAGRAM, BODY, (), "abc", "k")

    with pytest.raises(PublishError, match="at least one image or video"):
        instagram.publish(text_only)
    with pytest.raises(PublishError, match="public URL"):
        instagram.publish(post("file:///tmp/kpr.jpg"))
    assert server.requests == []

"""The Facebook Page adapter against a fake Graph API on 127.0.0.1."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from tests.fakes.platform_servers import (
    DUPLICATE,
    ERROR_AFTER_ACCEPT,
    EXPIRED_TOKEN,
    HANG,
    RATE_LIMIT,
    REJECTED_MEDIA,
    SERVER_ERROR,
    TOKEN,
    FakeFacebook,
    FakeTime,
    fast_policy,
)

from socmed_adapters.platforms.credentials import PlatformCredentials
from socmed_adapters.platforms.facebook import FacebookPublisher
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

IMAGE = "https://cdn.banknusa.example/social/harbolnas.jpg"
IMAGE_2 = "https://cdn.banknusa.example/social/harbolnas-2.jpg"
VIDEO = "https://cdn.banknusa.example/social/harbolnas.mp4"
BODY = "Harbolnas 12.12: cashback 12% untuk transaksi QRIS. S&K berlaku. #iklan"


@pytest.fixture
def server() -> Iterator[FakeFacebook]:
    with FakeFacebook() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


def adapter(server: FakeFacebook, clock: FakeTime, **policy: Any) -> FacebookPublisher:
    credentials = PlatformCredentials(Platform.FACEBOOK, token=TOKEN, account_id=server.page_id,
                                      token_source="SOCMED_FACEBOOK_TOKEN")
    return FacebookPublisher(credentials, base_url=f"{server.url}/v24.0",
                             policy=fast_policy(**policy), timing=clock.timing())


def post(*media: str, body: str = BODY) -> OutboundPost:
    return OutboundPost(item_id="item-2", platform=Platform.FACEBOOK, body=body,
                        media_uris=media, revision_sha256="def",
                        idempotency_key="item-2:facebook:def", title="Harbolnas")


def test_a_text_post_goes_to_the_page_feed(server: FakeFacebook, clock: FakeTime) -> None:
    receipt = adapter(server, clock).publish(post())

    page, post_id = server.page_id, server.posts[0]["id"]
    assert server.trail() == [("POST", f"/v24.0/{page}/feed"), ("GET", f"/v24.0/{post_id}")]
    assert server.calls("publish")[0].form == {"message": BODY}
    assert server.calls("permalink")[0].query == {"fields": "permalink_url,created_time"}
    assert (receipt.post_id, receipt.url) == (post_id, server.posts[0]["permalink_url"])
    assert server.violations == []


def test_one_photo_is_posted_by_url(server: FakeFacebook, clock: FakeTime) -> None:
    receipt = adapter(server, clock).publish(post(IMAGE))

    assert server.calls("publish")[0].path.endswith("/photos")
    assert server.calls("publish")[0].form == {"url": IMAGE, "message": BODY}
    assert receipt.post_id == server.posts[0]["id"]  # the post id, not the photo id
    assert server.violations == []


def test_several_photos_are_uploaded_unpublished_and_attached(server: FakeFacebook,
                                                              clock: FakeTime) -> None:
    adapter(server, clock).publish(post(IMAGE, IMAGE_2))

    photos = server.calls("photo")
    assert [r.form for r in photos] == [{"url": IMAGE, "published": "false"},
                                        {"url": IMAGE_2, "published": "false"}]
    feed = server.calls("publish")[0].form
    assert feed["message"] == BODY
    assert [json.loads(feed[f"attached_media[{i}]"]) for i in (0, 1)] == [
        {"media_fbid": photo_id} for photo_id in server.photos]
    assert server.posts[0]["media"] == [IMAGE, IMAGE_2]
    assert server.violations == []


def test_a_video_is_posted_by_file_url(server: FakeFacebook, clock: FakeTime) -> None:
    adapter(server, clock).publish(post(VIDEO))

    assert server.calls("publish")[0].path.endswith("/videos")
    assert server.calls("publish")[0].form == {"file_url": VIDEO, "description": BODY}


def test_photos_and_a_video_together_are_refused(server: FakeFacebook,
                                                 clock: FakeTime) -> None:
    with pytest.raises(PublishError, match="either photos or one video") as failure:
        adapter(server, clock).publish(post(IMAGE, VIDEO))
    assert not failure.value.retryable and server.requests == []


def test_a_duplicate_of_a_findable_post_returns_that_post(server: FakeFacebook,
                                                          clock: FakeTime) -> None:
    facebook = adapter(server, clock)
    first = facebook.publish(post())

    second = facebook.publish(post())  # the fake answers #506, as the Graph API does

    assert second.post_id == first.post_id
    assert len(server.posts) == 1


def test_a_duplicate_that_cannot_be_found_fails_for_good(server: FakeFacebook,
                                                         clock: FakeTime) -> None:
    server.seed_post(BODY, age=timedelta(days=40))
    server.inject(DUPLICATE)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "#506" in failure.value.reason and "change the text" in failure.value.reason


def test_a_rejected_photo_is_not_retryable(server: FakeFacebook, clock: FakeTime) -> None:
    server.inject(REJECTED_MEDIA)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post(IMAGE))

    assert not failure.value.retryable and "#324" in failure.value.reason
    assert server.posts == []


def test_throttling_is_retried_with_retry_after(server: FakeFacebook, clock: FakeTime) -> None:
    server.inject(RATE_LIMIT, retry_after=3)

    adapter(server, clock).publish(post())

    assert clock.slept == [3.0]
    assert len(server.calls("publish")) == 2 and len(server.posts) == 1


def test_a_server_error_is_resent_after_a_look_up(server: FakeFacebook,
                                                  clock: FakeTime) -> None:
    server.inject(SERVER_ERROR)

    adapter(server, clock).publish(post())

    assert [r.route for r in server.requests][:3] == ["publish", "find", "publish"]
    assert len(server.posts) == 1


def test_a_post_accepted_before_a_server_error_is_returned(server: FakeFacebook,
                                                           clock: FakeTime) -> None:
    server.inject(ERROR_AFTER_ACCEPT)

    receipt = adapter(server, clock).publish(post())

    assert receipt.post_id == server.posts[0]["id"]
    assert len(server.calls("publish")) == 1


def test_no_answer_is_unknown_and_find_settles_it(server: FakeFacebook,
                                                  clock: FakeTime) -> None:
    server.inject(HANG)
    facebook = adapter(server, clock, request_timeout=0.3)

    with pytest.raises(OutcomeUnknownError):
        facebook.publish(post())

    found = facebook.find(post())
    assert found is not None and found.post_id == server.posts[0]["id"]
    assert found.url == server.posts[0]["permalink_url"]
    assert len(server.posts) == 1


def test_find_reads_further_pages_and_stops_at_its_window(server: FakeFacebook,
                                                          clock: FakeTime) -> None:
    target = server.seed_post(BODY, age=timedelta(days=2))
    for number in range(30):
        server.seed_post(f"another post {number}", age=timedelta(hours=number))

    found = adapter(server, clock).find(post())

    assert found is not None and found.post_id == target["id"]
    finds = server.calls("find")
    assert len(finds) == 2 and finds[1].query["after"] == "cursor-25"
    assert finds[0].query["fields"] == "id,message,created_time,permalink_url"
    assert int(finds[0].query["since"]) > 0
    assert adapter(server, clock, find_window=timedelta(days=1)).find(post()) is None


def test_an_expired_token_asks_to_refresh_the_credential(server: FakeFacebook,
                                                         clock: FakeTime) -> None:
    server.inject(EXPIRED_TOKEN)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "refresh the credential (SOCMED_FACEBOOK_TOKEN)" in failure.value.reason

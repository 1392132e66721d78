"""The LinkedIn adapter against a fake versioned REST API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import quote

import pytest
from tests.fakes.platform_servers import (
    DUPLICATE,
    EXPIRED_TOKEN,
    HANG,
    RATE_LIMIT,
    REJECTED_MEDIA,
    TOKEN,
    UNAVAILABLE,
    FakeLinkedIn,
    FakeTime,
    fast_policy,
)

from socmed_adapters.platforms.credentials import PlatformCredentials
from socmed_adapters.platforms.linkedin import LinkedInPublisher, escape_little_text
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

BODY = "Kami membuka lowongan Data Engineer di Jakarta. Lamar lewat tautan di profil."
RESERVED_BODY = "Promo (KPR) #iklan @BankNusa 50% *hemat* _x_ ~y~ <z> [a] {b} | a\\b"


@pytest.fixture
def server() -> Iterator[FakeLinkedIn]:
    with FakeLinkedIn() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


def adapter(server: FakeLinkedIn, clock: FakeTime, **policy: Any) -> LinkedInPublisher:
    credentials = PlatformCredentials(Platform.LINKEDIN, token=TOKEN, account_id=server.author,
                                      token_source="SOCMED_LINKEDIN_TOKEN")
    return LinkedInPublisher(credentials, base_url=server.url, policy=fast_policy(**policy),
                             timing=clock.timing())


def post(*media: str, body: str = BODY) -> OutboundPost:
    return OutboundPost(item_id="item-3", platform=Platform.LINKEDIN, body=body,
                        media_uris=media, revision_sha256="123",
                        idempotency_key="item-3:linkedin:123", title="Lowongan")


def test_a_text_post_is_created_with_the_versioned_headers(server: FakeLinkedIn,
                                                           clock: FakeTime) -> None:
    receipt = adapter(server, clock).publish(post())

    (request,) = server.requests
    assert (request.method, request.path) == ("POST", "/rest/posts")
    assert request.headers["linkedin-version"] == "202605"
    assert request.headers["x-restli-protocol-version"] == "2.0.0"
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.json == {
        "author": server.author, "commentary": BODY, "visibility": "PUBLIC",
        "distribution": {"feedDistribution": "MAIN_FEED", "targetEntities": [],
                         "thirdPartyDistributionChannels": []},
        "lifecycleState": "PUBLISHED", "isReshareDisabledByAuthor": False}
    urn = server.posts[0]["id"]
    assert receipt.post_id == urn  # from the x-restli-id header
    assert receipt.url == f"https://www.linkedin.com/feed/update/{urn}/"
    assert server.violations == []


def test_every_reserved_character_is_escaped_so_nothing_is_cut(server: FakeLinkedIn,
                                                               clock: FakeTime) -> None:
    adapter(server, clock).publish(post(body=RESERVED_BODY))

    commentary = server.calls("publish")[0].json["commentary"]
    assert commentary == escape_little_text(RESERVED_BODY)
    assert commentary.startswith("Promo \\(KPR\\) \\#iklan \\@BankNusa 50% \\*hemat\\*")
    assert server.posts[0]["text"] == RESERVED_BODY  # what LinkedIn shows, uncut
    assert server.violations == []


def test_an_image_is_fetched_registered_uploaded_and_attached(server: FakeLinkedIn,
                                                              clock: FakeTime) -> None:
    photo = server.media_url("photo.jpg")

    adapter(server, clock).publish(post(photo))

    assert [(r.method, r.route) for r in server.requests] == [
        ("GET", "media_file"), ("POST", "initialize"), ("PUT", "upload"), ("POST", "publish")]
    initialize, upload, publish = server.requests[1:]
    assert initialize.json == {"initializeUploadRequest": {"owner": server.author}}
    assert upload.body == server.media_files["photo.jpg"][0]
    assert upload.headers["authorization"] == f"Bearer {TOKEN}"
    assert "authorization" not in server.requests[0].headers  # never to the media host
    image = next(iter(server.uploads))
    assert publish.json["content"] == {"media": {"id": image}}
    assert server.violations == []


def test_several_images_make_a_multi_image_post(server: FakeLinkedIn,
                                                clock: FakeTime) -> None:
    adapter(server, clock).publish(post(server.media_url("photo.jpg"),
                                        server.media_url("second.jpg")))

    images = list(server.uploads)
    assert server.calls("publish")[0].json["content"] == {
        "multiImage": {"images": [{"id": images[0]}, {"id": images[1]}]}}
    assert server.violations == []


def test_a_video_is_uploaded_in_parts_and_finalized(server: FakeLinkedIn,
                                                    clock: FakeTime) -> None:
    adapter(server, clock).publish(post(server.media_url("clip.mp4")))

    content, _ = server.media_files["clip.mp4"]
    initialize = server.calls("initialize")[0]
    assert initialize.path == "/rest/videos"
    assert initialize.json["initializeUploadRequest"]["fileSizeBytes"] == len(content)
    assert b"".join(r.body for r in server.calls("upload")) == content
    finalize = server.calls("finalize")[0].json["finalizeUploadRequest"]
    video = next(iter(server.uploads))
    assert finalize == {"video": video, "uploadToken": "",
                        "uploadedPartIds": server.uploads[video]["etags"]}
    assert server.calls("publish")[0].json["content"] == {"media": {"id": video}}
    assert server.violations == []


def test_media_that_cannot_be_fetched_is_not_retryable(server: FakeLinkedIn,
                                                       clock: FakeTime) -> None:
    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post(server.media_url("missing.jpg")))

    assert not failure.value.retryable
    assert "could not be fetched (HTTP 404)" in failure.value.reason
    assert server.calls("publish") == []


def test_a_rejected_upload_is_not_retryable(server: FakeLinkedIn, clock: FakeTime) -> None:
    server.inject(REJECTED_MEDIA, route="upload")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post(server.media_url("photo.jpg")))

    assert not failure.value.retryable
    assert "refused the media" in failure.value.reason
    assert server.posts == []


def test_a_duplicate_returns_the_post_it_duplicates(server: FakeLinkedIn,
                                                   clock: FakeTime) -> None:
    linkedin = adapter(server, clock)
    first = linkedin.publish(post())

    second = linkedin.publish(post())  # 422 "Content is a duplicate of urn:li:share:..."

    assert second.post_id == first.post_id and len(server.posts) == 1
    assert server.calls("get")[0].path == f"/rest/posts/{quote(first.post_id, safe='')}"


def test_a_duplicate_of_a_deleted_post_fails_for_good(server: FakeLinkedIn,
                                                      clock: FakeTime) -> None:
    server.inject(DUPLICATE, urn="urn:li:share:7131329065766260736")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "urn:li:share:7131329065766260736, which no longer exists" in failure.value.reason


def test_429_waits_for_retry_after(server: FakeLinkedIn, clock: FakeTime) -> None:
    server.inject(RATE_LIMIT, retry_after=5)

    adapter(server, clock).publish(post())

    assert clock.slept == [5.0] and len(server.posts) == 1
    assert server.calls("find") == []  # 429 means not processed: no look-up needed


def test_a_long_retry_after_fails_retryable_at_once(server: FakeLinkedIn,
                                                    clock: FakeTime) -> None:
    server.inject(RATE_LIMIT, retry_after=86400)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert failure.value.retryable
    assert "asks to wait 86400 s" in failure.value.reason
    assert clock.slept == [] and server.posts == []


def test_503_is_resent_after_a_look_up(server: FakeLinkedIn, clock: FakeTime) -> None:
    server.inject(UNAVAILABLE)

    adapter(server, clock).publish(post())

    assert [r.route for r in server.requests] == ["publish", "find", "publish"]
    assert len(server.posts) == 1


def test_no_answer_is_unknown_and_the_author_finder_settles_it(server: FakeLinkedIn,
                                                                clock: FakeTime) -> None:
    server.inject(HANG)
    linkedin = adapter(server, clock, request_timeout=0.3)

    with pytest.raises(OutcomeUnknownError):
        linkedin.publish(post(body=RESERVED_BODY))

    found = linkedin.find(post(body=RESERVED_BODY))
    assert found is not None and found.post_id == server.posts[0]["id"]
    finder = server.calls("find")[0]
    assert finder.headers["x-restli-method"] == "FINDER"
    assert finder.query["author"] == server.author
    assert server.violations == []


def test_find_matches_the_media_count_and_the_window(server: FakeLinkedIn,
                                                     clock: FakeTime) -> None:
    server.seed_post(BODY, age=timedelta(days=30))
    linkedin = adapter(server, clock)

    assert linkedin.find(post()) is None
    server.seed_post(BODY, age=timedelta(hours=1))
    assert linkedin.find(post()) is not None
    assert linkedin.find(post(server.media_url("photo.jpg"))) is None


def test_an_expired_token_asks_to_refresh_the_credential(server: FakeLinkedIn,
                                                         clock: FakeTime) -> None:
    server.inject(EXPIRED_TOKEN)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "refresh the credential (SOCMED_LINKEDIN_TOKEN)" in failure.value.reason

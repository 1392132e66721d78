"""The TikTok adapter against a fake Content Posting API on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tests.fakes.platform_servers import (
    EXPIRED_TOKEN,
    HANG,
    PUBLISH_FAILED,
    QUOTA_EXHAUSTED,
    RATE_LIMIT,
    REJECTED_MEDIA,
    SERVER_ERROR,
    TOKEN,
    FakeTikTok,
    FakeTime,
    fast_policy,
)

from socmed_adapters.platforms.credentials import PlatformCredentials
from socmed_adapters.platforms.tiktok import TikTokPublisher
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

VIDEO = "https://cdn.banknusa.example/social/tips-menabung.mp4"
PHOTO = "https://cdn.banknusa.example/social/tips-1.jpg"
PHOTO_2 = "https://cdn.banknusa.example/social/tips-2.jpg"
BODY = "3 tips menabung untuk dana darurat 💰 #finansial #tipsmenabung"


@pytest.fixture
def server() -> Iterator[FakeTikTok]:
    with FakeTikTok() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


def adapter(server: FakeTikTok, clock: FakeTime, options: dict[str, str] | None = None,
            **policy: Any) -> TikTokPublisher:
    credentials = PlatformCredentials(Platform.TIKTOK, token=TOKEN, options=options or {},
                                      token_source="SOCMED_TIKTOK_TOKEN")
    return TikTokPublisher(credentials, base_url=server.url, policy=fast_policy(**policy),
                           timing=clock.timing())


def post(*media: str, body: str = BODY, **disclosure: bool) -> OutboundPost:
    return OutboundPost(item_id="item-4", platform=Platform.TIKTOK, body=body,
                        media_uris=media or (VIDEO,), revision_sha256="456",
                        idempotency_key="item-4:tiktok:456", title="Tips menabung",
                        **disclosure)


@pytest.mark.parametrize(("disclosure", "branded", "own_brand", "aigc"), [
    ({}, False, False, False),
    ({"sponsored": True}, True, False, False),
    ({"own_brand": True}, False, True, False),
    ({"ai_generated": True}, False, False, True),
    ({"sponsored": True, "own_brand": True, "ai_generated": True}, True, True, True),
])
def test_the_revision_disclosure_sets_tiktoks_brand_toggles_and_aigc(
        server: FakeTikTok, clock: FakeTime, disclosure: dict[str, bool], branded: bool,
        own_brand: bool, aigc: bool) -> None:
    adapter(server, clock).publish(post(**disclosure))

    info = server.calls("publish")[0].json["post_info"]
    assert info["brand_content_toggle"] is branded
    assert info["brand_organic_toggle"] is own_brand
    assert info.get("is_aigc", False) is aigc
    assert (server.posts[0]["branded"], server.posts[0]["own_brand"],
            server.posts[0]["aigc"]) == (branded, own_brand, aigc)
    assert server.violations == []


def test_photo_posts_carry_the_brand_toggles_too(server: FakeTikTok, clock: FakeTime) -> None:
    adapter(server, clock).publish(post(PHOTO, sponsored=True))

    info = server.calls("publish")[0].json["post_info"]
    assert (info["brand_content_toggle"], info["brand_organic_toggle"]) == (True, False)


def test_sponsored_content_is_never_sent_as_private(server: FakeTikTok,
                                                    clock: FakeTime) -> None:
    with pytest.raises(PublishError, match=r"branded .*private"):
        adapter(server, clock, {"privacy_level": "SELF_ONLY"}).publish(post(sponsored=True))
    assert server.calls("publish") == []


def test_a_video_is_direct_posted_after_creator_info(server: FakeTikTok,
                                                     clock: FakeTime) -> None:
    receipt = adapter(server, clock).publish(post())

    assert server.trail() == [
        ("POST", "/v2/post/publish/creator_info/query/"),
        ("POST", "/v2/post/publish/video/init/"),
        ("POST", "/v2/post/publish/status/fetch/"),
    ]
    init = server.calls("publish")[0]
    assert init.headers["content-type"] == "application/json; charset=UTF-8"
    assert init.json == {
        "post_info": {"title": BODY, "privacy_level": "PUBLIC_TO_EVERYONE",
                      "disable_duet": False, "disable_comment": False, "disable_stitch": True,
                      "brand_content_toggle": False, "brand_organic_toggle": False},
        "source_info": {"source": "PULL_FROM_URL", "video_url": VIDEO}}
    published = server.posts[0]
    assert server.calls("status")[0].json == {"publish_id": published["publish_id"]}
    assert receipt.post_id == published["video_id"]
    assert receipt.url == f"https://www.tiktok.com/@banknusa/video/{published['video_id']}"
    assert server.violations == []


def test_photos_go_to_content_init_as_a_photo_post(server: FakeTikTok,
                                                   clock: FakeTime) -> None:
    body = "3 tips menabung\n1. Sisihkan di awal bulan. 2. Catat. 3. Otomatiskan. #finansial"

    adapter(server, clock).publish(post(PHOTO, PHOTO_2, body=body))

    assert server.calls("publish")[0].json == {
        "media_type": "PHOTO", "post_mode": "DIRECT_POST",
        "post_info": {"title": "3 tips menabung", "description": body,
                      "disable_comment": False, "auto_add_music": True,
                      "privacy_level": "PUBLIC_TO_EVERYONE", "brand_content_toggle": False,
                      "brand_organic_toggle": False},
        "source_info": {"source": "PULL_FROM_URL", "photo_cover_index": 0,
                        "photo_images": [PHOTO, PHOTO_2]}}
    assert server.violations == []


def test_inbox_mode_uploads_for_the_creator_to_finish(server: FakeTikTok,
                                                      clock: FakeTime) -> None:
    receipt = adapter(server, clock, {"post_mode": "inbox"}).publish(post())

    init = server.calls("publish")[0]
    assert init.path == "/v2/post/publish/inbox/video/init/"
    assert init.json == {"source_info": {"source": "PULL_FROM_URL", "video_url": VIDEO}}
    assert receipt.post_id == server.posts[0]["publish_id"]
    assert receipt.url == "https://www.tiktok.com/@banknusa"
    assert server.violations == []


def test_inbox_photos_use_media_upload(server: FakeTikTok, clock: FakeTime) -> None:
    adapter(server, clock, {"post_mode": "inbox"}).publish(post(PHOTO))

    body = server.calls("publish")[0].json
    assert body["post_mode"] == "MEDIA_UPLOAD" and "privacy_level" not in body["post_info"]


def test_the_status_is_polled_while_tiktok_downloads(server: FakeTikTok,
                                                     clock: FakeTime) -> None:
    server.processing_reads = 2

    adapter(server, clock).publish(post())

    assert len(server.calls("status")) == 3 and clock.slept == [2.0, 2.0]


def test_still_processing_after_the_last_check_is_unknown(server: FakeTikTok,
                                                          clock: FakeTime) -> None:
    server.processing_reads = 10
    tiktok = adapter(server, clock, poll_limit=2)

    with pytest.raises(OutcomeUnknownError, match="still processing"):
        tiktok.publish(post())
    with pytest.raises(OutcomeUnknownError, match="still processing"):
        tiktok.find(post())  # the remembered publish id is still in progress

    server.posts[0]["reads_left"] = 0
    found = tiktok.find(post())
    assert found is not None and found.post_id == server.posts[0]["video_id"]
    assert len(server.calls("publish")) == 1


def test_a_failed_pull_of_the_media_is_not_retryable(server: FakeTikTok,
                                                     clock: FakeTime) -> None:
    server.inject(PUBLISH_FAILED, reason="file_format_check_failed")
    tiktok = adapter(server, clock)

    with pytest.raises(PublishError) as failure:
        tiktok.publish(post())

    assert not failure.value.retryable
    assert "file_format_check_failed" in failure.value.reason
    assert tiktok.find(post()) is None


def test_a_privacy_level_the_creator_may_not_use_is_refused_before_posting(
        server: FakeTikTok, clock: FakeTime) -> None:
    server.privacy_options = ["SELF_ONLY"]

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "SOCMED_TIKTOK_PRIVACY_LEVEL" in failure.value.reason
    assert server.calls("publish") == []


def test_a_private_post_has_no_public_id_yet(server: FakeTikTok, clock: FakeTime) -> None:
    server.privacy_options = ["SELF_ONLY"]

    receipt = adapter(server, clock, {"privacy_level": "SELF_ONLY"}).publish(post())

    assert server.calls("publish")[0].json["post_info"]["privacy_level"] == "SELF_ONLY"
    assert receipt.post_id == server.posts[0]["publish_id"]


def test_rate_limit_exceeded_is_retried_without_a_look_up(server: FakeTikTok,
                                                          clock: FakeTime) -> None:
    server.inject(RATE_LIMIT, retry_after=10)

    adapter(server, clock).publish(post())

    assert clock.slept == [10.0]
    assert server.calls("find") == [] and len(server.posts) == 1


def test_too_many_posts_is_a_retryable_quota(server: FakeTikTok, clock: FakeTime) -> None:
    server.inject(QUOTA_EXHAUSTED)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert failure.value.retryable
    assert "spam_risk_too_many_posts" in failure.value.reason


def test_an_unverified_media_domain_is_a_media_failure(server: FakeTikTok,
                                                       clock: FakeTime) -> None:
    server.inject(REJECTED_MEDIA)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "url_ownership_unverified" in failure.value.reason


def test_an_internal_error_is_resent_after_a_look_up(server: FakeTikTok,
                                                     clock: FakeTime) -> None:
    server.inject(SERVER_ERROR)

    adapter(server, clock).publish(post())

    assert [r.route for r in server.requests] == [
        "creator_info", "publish", "find", "publish", "status"]
    assert len(server.posts) == 1 and server.violations == []


def test_no_answer_to_init_is_unknown_and_the_video_list_settles_it(
        server: FakeTikTok, clock: FakeTime) -> None:
    long_body = BODY + " " + "Simpan minimal 10% dari gaji setiap bulan. " * 6
    server.inject(HANG)

    with pytest.raises(OutcomeUnknownError):
        adapter(server, clock, request_timeout=0.3).publish(post(body=long_body))

    found = adapter(server, clock).find(post(body=long_body))  # another process
    assert found is not None and found.post_id == server.posts[0]["video_id"]
    listing = server.calls("find")[0]
    assert listing.query == {"fields": "id,title,video_description,create_time,share_url"}
    assert listing.json == {"max_count": 20}
    assert len(server.posts) == 1


def test_an_expired_token_asks_to_refresh_the_credential(server: FakeTikTok,
                                                         clock: FakeTime) -> None:
    server.inject(EXPIRED_TOKEN, route="creator_info")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "access_token_invalid" in failure.value.reason
    assert "refresh the credential (SOCMED_TIKTOK_TOKEN)" in failure.value.reason


def test_posts_without_media_or_mixing_kinds_are_refused(server: FakeTikTok,
                                                         clock: FakeTime) -> None:
    tiktok = adapter(server, clock)
    with pytest.raises(PublishError, match="need a video or photos"):
        tiktok.publish(OutboundPost("item-4", Platform.TIKTOK, BODY, (), "456", "k"))
    with pytest.raises(PublishError, match="not both"):
        tiktok.publish(post(VIDEO, PHOTO))
    assert server.requests == []

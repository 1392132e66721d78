"""The X adapter against a fake API v2 on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from tests.fakes.platform_servers import (
    DROP,
    EXPIRED_TOKEN,
    HANG,
    RATE_LIMIT,
    REJECTED_MEDIA,
    SERVER_ERROR,
    TOKEN,
    FakeTime,
    FakeX,
    fast_policy,
)

from socmed_adapters.platforms.credentials import PlatformCredentials
from socmed_adapters.platforms.x import XPublisher, x_text_key
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

BODY = "Promo Harbolnas 12.12 & cashback QRIS: cek https://banknusa.example/harbolnas #iklan"


@pytest.fixture
def server() -> Iterator[FakeX]:
    with FakeX() as fake:
        yield fake


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


def adapter(server: FakeX, clock: FakeTime, *, user_id: str = "",
            **policy: Any) -> XPublisher:
    credentials = PlatformCredentials(Platform.X, token=TOKEN, account_id=user_id,
                                      token_source="SOCMED_X_TOKEN")
    return XPublisher(credentials, base_url=server.url, policy=fast_policy(**policy),
                      timing=clock.timing())


def post(*media: str, body: str = BODY) -> OutboundPost:
    return OutboundPost(item_id="item-5", platform=Platform.X, body=body, media_uris=media,
                        revision_sha256="789", idempotency_key="item-5:x:789",
                        title="Harbolnas")


def test_a_text_post_is_one_request(server: FakeX, clock: FakeTime) -> None:
    receipt = adapter(server, clock).publish(post())

    (request,) = server.requests
    assert (request.method, request.path) == ("POST", "/2/tweets")
    assert request.headers["authorization"] == f"Bearer {TOKEN}"
    assert request.json == {"text": BODY}
    post_id = server.posts[0]["id"]
    assert receipt.post_id == post_id
    assert receipt.url == f"https://x.com/i/web/status/{post_id}"
    assert server.violations == []


def test_an_image_is_fetched_and_uploaded_before_the_post(server: FakeX,
                                                          clock: FakeTime) -> None:
    adapter(server, clock).publish(post(server.media_url("photo.jpg")))

    fetch, upload, publish = server.requests
    assert fetch.route == "media_file" and "authorization" not in fetch.headers
    assert upload.path == "/2/media/upload"
    assert upload.form == {"media_category": "tweet_image"}
    assert upload.files["media"] == ("photo.jpg", server.media_files["photo.jpg"][0])
    media_id = next(iter(server.media))
    assert publish.json == {"text": BODY, "media": {"media_ids": [media_id]}}
    assert server.violations == []


def test_a_video_is_uploaded_in_chunks_and_waited_for(server: FakeX, clock: FakeTime) -> None:
    server.processing_reads = 1

    adapter(server, clock).publish(post(server.media_url("clip.mp4")))

    content = server.media_files["clip.mp4"][0]
    media_id = next(iter(server.media))
    assert [(r.method, r.path) for r in server.requests[1:]] == [
        ("POST", "/2/media/upload/initialize"),
        ("POST", f"/2/media/upload/{media_id}/append"),
        ("POST", f"/2/media/upload/{media_id}/finalize"),
        ("GET", "/2/media/upload"),
        ("GET", "/2/media/upload"),
        ("POST", "/2/tweets"),
    ]
    assert server.requests[1].json == {"media_type": "video/mp4", "total_bytes": len(content),
                                       "media_category": "tweet_video"}
    assert server.requests[2].form == {"segment_index": "0"}
    assert server.requests[4].query == {"command": "STATUS", "media_id": media_id}
    assert clock.slept == [1.0, 1.0]  # check_after_secs
    assert server.violations == []


def test_a_video_x_cannot_process_is_not_retryable(server: FakeX, clock: FakeTime) -> None:
    server.inject(REJECTED_MEDIA, route="media_finalize")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post(server.media_url("clip.mp4")))

    assert not failure.value.retryable
    assert "Unsupported video format" in failure.value.reason
    assert server.posts == []


def test_a_rejected_image_is_not_retryable(server: FakeX, clock: FakeTime) -> None:
    server.inject(REJECTED_MEDIA, route="media_upload")

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post(server.media_url("photo.jpg")))

    assert not failure.value.retryable and "refused the media" in failure.value.reason


def test_media_that_cannot_be_fetched_is_not_retryable(server: FakeX, clock: FakeTime) -> None:
    with pytest.raises(PublishError, match=r"could not be fetched \(HTTP 404\)"):
        adapter(server, clock).publish(post(server.media_url("missing.jpg")))
    assert server.calls("media_upload", "publish") == []


def test_a_duplicate_is_found_despite_t_co_links_and_entities(server: FakeX,
                                                               clock: FakeTime) -> None:
    x = adapter(server, clock)
    first = x.publish(post())
    assert "https://t.co/" in server.posts[0]["text"] and "&amp;" in server.posts[0]["text"]

    second = x.publish(post())  # 403 duplicate content -> look it up

    assert second.post_id == first.post_id and len(server.posts) == 1
    assert server.calls("me") and server.calls("find")[0].query["exclude"] == "replies,retweets"


def test_a_duplicate_of_an_old_post_fails_for_good(server: FakeX, clock: FakeTime) -> None:
    server.seed_post(BODY, age=timedelta(days=60))

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "duplicate content" in failure.value.reason
    assert "change the text" in failure.value.reason


def test_429_waits_until_x_rate_limit_reset(server: FakeX, clock: FakeTime) -> None:
    server.inject(RATE_LIMIT, reset_in=5)

    adapter(server, clock).publish(post())

    (wait,) = clock.slept
    assert 3.0 <= wait <= 5.0
    assert len(server.calls("publish")) == 2 and len(server.posts) == 1


def test_a_reset_beyond_the_deadline_fails_retryable_without_waiting(
        server: FakeX, clock: FakeTime) -> None:
    server.inject(RATE_LIMIT, reset_in=3600)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert failure.value.retryable and "asks to wait" in failure.value.reason
    assert clock.slept == [] and server.posts == []


def test_a_server_error_is_resent_after_a_look_up(server: FakeX, clock: FakeTime) -> None:
    server.inject(SERVER_ERROR)

    adapter(server, clock, user_id=server.user_id).publish(post())

    assert [r.route for r in server.requests] == ["publish", "find", "publish"]
    assert len(server.posts) == 1


def test_no_answer_is_unknown_and_find_settles_it(server: FakeX, clock: FakeTime) -> None:
    server.inject(HANG)

    with pytest.raises(OutcomeUnknownError):
        adapter(server, clock, request_timeout=0.3).publish(post(server.media_url("photo.jpg")))

    found = adapter(server, clock).find(post(server.media_url("photo.jpg")))
    assert found is not None and found.post_id == server.posts[0]["id"]
    assert adapter(server, clock).find(post()) is None  # same text, but without the photo
    assert len(server.posts) == 1


def test_a_dropped_connection_is_unknown(server: FakeX, clock: FakeTime) -> None:
    server.inject(DROP)

    with pytest.raises(OutcomeUnknownError):
        adapter(server, clock).publish(post())
    assert len(server.posts) == 1


def test_an_expired_token_asks_to_refresh_the_credential(server: FakeX,
                                                         clock: FakeTime) -> None:
    server.inject(EXPIRED_TOKEN)

    with pytest.raises(PublishError) as failure:
        adapter(server, clock).publish(post())

    assert not failure.value.retryable
    assert "refresh the credential (SOCMED_X_TOKEN)" in failure.value.reason


def test_the_text_key_reduces_what_x_rewrites() -> None:
    assert x_text_key("a &amp; b https://t.co/abc https://t.co/media") == x_text_key(
        "a & b https://banknusa.example/x")
    assert x_text_key("Tips 1\r\n") == x_text_key("Tips 1")
    assert x_text_key("one") != x_text_key("two")


# ---------------------------------------------------------------------- media read from bytes


def read_post(server: FakeX, *names: str) -> OutboundPost:
    """A post as the application sends it: each media item with its probe."""
    from attrs import evolve

    from socmed_adapters.media.probe import probe_bytes
    from socmed_domain.production.revision import MediaRef

    media = tuple(MediaRef(server.media_url(n), probe=probe_bytes(server.media_files[n][0]),
                           kind=probe_bytes(server.media_files[n][0]).kind) for n in names)
    return evolve(post(*(m.uri for m in media)), media=media)


def test_the_media_type_is_read_from_the_bytes_not_the_hosts_header(server: FakeX,
                                                                     clock: FakeTime) -> None:
    content = server.media_files["clip.mp4"][0]
    server.media_files["clip.bin"] = (content, "application/octet-stream")
    adapter(server, clock).publish(post(server.media_url("clip.bin")))

    initialize = server.calls("media_upload")[0]
    assert initialize.json["media_type"] == "video/mp4"
    assert server.violations == []


def test_a_file_whose_name_lies_is_uploaded_as_what_it_is(server: FakeX,
                                                          clock: FakeTime) -> None:
    server.media_files["photo.mp4"] = (server.media_files["photo.jpg"][0], "video/mp4")
    adapter(server, clock).publish(read_post(server, "photo.mp4"))

    upload = server.calls("media_upload")[0]
    assert upload.form == {"media_category": "tweet_image"}
    assert next(iter(server.media.values()))["kind"] == "photo"
    assert server.violations == []


def test_bytes_that_are_no_media_are_refused_before_any_upload(server: FakeX,
                                                               clock: FakeTime) -> None:
    server.media_files["page.jpg"] = (b"<html>not found</html>", "image/jpeg")
    with pytest.raises(PublishError, match="not an image or a video"):
        adapter(server, clock).publish(post(server.media_url("page.jpg")))
    assert server.calls("media_upload", "publish") == []


def test_media_whose_bytes_changed_since_approval_are_refused(server: FakeX,
                                                              clock: FakeTime) -> None:
    approved = read_post(server, "photo.jpg")
    server.media_files["photo.jpg"] = server.media_files["second.jpg"]
    with pytest.raises(PublishError, match="no longer has the approved bytes"):
        adapter(server, clock).publish(approved)
    assert server.calls("media_upload", "publish") == []


def test_a_video_with_a_photo_is_refused_by_the_adapter(server: FakeX, clock: FakeTime) -> None:
    with pytest.raises(PublishError, match="up to 4 photos, or 1 GIF, or 1 video"):
        adapter(server, clock).publish(read_post(server, "photo.jpg", "clip.mp4"))
    assert server.calls("media_upload", "publish") == []


def test_an_animated_gif_with_a_photo_is_refused_by_the_adapter(server: FakeX,
                                                                clock: FakeTime) -> None:
    from socmed_testing.samples import image_bytes

    server.media_files["moving.gif"] = (image_bytes(64, 64, "GIF", frames=3), "image/gif")
    with pytest.raises(PublishError, match="1 GIF"):
        adapter(server, clock).publish(read_post(server, "photo.jpg", "moving.gif"))


def test_the_local_x_refuses_mixed_media_and_unknown_types(server: FakeX) -> None:
    import httpx

    from socmed_testing.samples import image_bytes

    headers = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=server.url, headers=headers) as client:
        def upload(content: bytes) -> httpx.Response:
            return client.post("/2/media/upload", data={"media_category": "tweet_image"},
                               files={"media": ("m", content, "application/octet-stream")})

        assert upload(b"%PDF-1.7 not an image").status_code == 400
        assert upload(image_bytes(8, 8, "BMP")).status_code == 400  # X takes no BMP
        video = client.post("/2/media/upload/initialize", json={
            "media_type": "video/x-msvideo", "total_bytes": 10,
            "media_category": "tweet_video"})
        assert video.status_code == 400
        photo = upload(image_bytes(8, 8)).json()["data"]["id"]
        gif = upload(image_bytes(8, 8, "GIF", frames=2)).json()["data"]["id"]
        mixed = client.post("/2/tweets", json={"text": "x", "media": {"media_ids": [photo,
                                                                                    gif]}})
        assert mixed.status_code == 400
        photos = client.post("/2/tweets", json={"text": "y", "media": {"media_ids": [photo,
                                                                                     photo]}})
        assert photos.status_code == 201 or photos.is_success

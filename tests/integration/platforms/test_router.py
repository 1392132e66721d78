"""The router dispatches by platform to adapters built from configuration, over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.fakes.platform_servers import TOKEN, FakeLinkedIn, FakeTime, FakeX, fast_policy

from socmed_adapters.platforms.credentials import CredentialsError
from socmed_adapters.platforms.instagram import InstagramPublisher
from socmed_adapters.platforms.linkedin import LinkedInPublisher
from socmed_adapters.platforms.router import PlatformRouter, publisher_from_config
from socmed_adapters.platforms.x import XPublisher
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost
from socmed_domain.publication.ports import Publisher, PublishError


@pytest.fixture
def x_server() -> Iterator[FakeX]:
    with FakeX() as fake:
        yield fake


@pytest.fixture
def linkedin_server() -> Iterator[FakeLinkedIn]:
    with FakeLinkedIn() as fake:
        yield fake


def post(platform: Platform, body: str = "Selamat Hari Ibu dari Bank Nusa.") -> OutboundPost:
    return OutboundPost(item_id="item-6", platform=platform, body=body, media_uris=(),
                        revision_sha256="aaa", idempotency_key=f"item-6:{platform.value}:aaa")


def router_for(x_server: FakeX, linkedin_server: FakeLinkedIn) -> PlatformRouter:
    environ = {
        "SOCMED_X_TOKEN": TOKEN,
        "SOCMED_X_BASE_URL": x_server.url,
        "SOCMED_LINKEDIN_TOKEN": TOKEN,
        "SOCMED_LINKEDIN_AUTHOR_URN": linkedin_server.author,
    }
    return publisher_from_config(environ=environ,
                                 base_urls={Platform.LINKEDIN: linkedin_server.url},
                                 policy=fast_policy(), timing=FakeTime().timing())


def test_each_post_goes_to_the_adapter_of_its_platform(x_server: FakeX,
                                                       linkedin_server: FakeLinkedIn) -> None:
    router = router_for(x_server, linkedin_server)

    on_x = router.publish(post(Platform.X))
    on_linkedin = router.publish(post(Platform.LINKEDIN))

    assert router.platforms == (Platform.LINKEDIN, Platform.X)
    assert [p["id"] for p in x_server.posts] == [on_x.post_id]
    assert [p["id"] for p in linkedin_server.posts] == [on_linkedin.post_id]
    found = router.find(post(Platform.X))
    assert found is not None and (found.post_id, found.url) == (on_x.post_id, on_x.url)
    router.close()


def test_the_adapters_are_the_real_ones_with_their_settings(x_server: FakeX,
                                                            linkedin_server: FakeLinkedIn) -> None:
    router = router_for(x_server, linkedin_server)

    x, linkedin = router.publishers[Platform.X], router.publishers[Platform.LINKEDIN]
    assert isinstance(x, XPublisher) and x.api.base_url == x_server.url  # from the variable
    assert isinstance(linkedin, LinkedInPublisher)
    assert linkedin.api.base_url == linkedin_server.url  # from base_urls
    assert linkedin.credentials.token_source == "SOCMED_LINKEDIN_TOKEN"
    router.close()


def test_a_platform_without_an_adapter_is_refused_clearly(x_server: FakeX,
                                                          linkedin_server: FakeLinkedIn) -> None:
    router = router_for(x_server, linkedin_server)

    with pytest.raises(PublishError) as failure:
        router.publish(post(Platform.TIKTOK))
    with pytest.raises(PublishError):
        router.find(post(Platform.TIKTOK))

    assert failure.value.retryable  # nothing was sent; configuring TikTok lets it go out
    assert failure.value.reason == (
        "no publisher is configured for TikTok (configured: linkedin, x): set "
        "SOCMED_TIKTOK_TOKEN (or [tiktok] in SOCMED_PLATFORMS_CONFIG) and publish again")
    assert x_server.requests == [] and linkedin_server.requests == []
    router.close()


def test_the_default_api_roots_are_the_platforms_own() -> None:
    router = publisher_from_config(environ={
        "SOCMED_INSTAGRAM_TOKEN": TOKEN, "SOCMED_INSTAGRAM_ACCOUNT_ID": "1784"})

    instagram = router.publishers[Platform.INSTAGRAM]
    assert isinstance(instagram, InstagramPublisher)
    assert instagram.api.base_url == "https://graph.facebook.com/v24.0"
    router.close()


def test_no_credentials_at_all_is_an_error_not_a_silent_router() -> None:
    with pytest.raises(CredentialsError, match="no platform credentials are configured"):
        publisher_from_config(environ={})


def test_a_router_of_hand_written_publishers_is_a_publisher() -> None:
    class Recording:
        def __init__(self) -> None:
            self.seen: list[OutboundPost] = []

        def publish(self, post: OutboundPost):  # type: ignore[no-untyped-def]
            self.seen.append(post)
            raise PublishError("recorded", False)

        def find(self, post: OutboundPost) -> None:
            return None

    recording = Recording()
    router: Publisher = PlatformRouter({Platform.FACEBOOK: recording})

    with pytest.raises(PublishError, match="recorded"):
        router.publish(post(Platform.FACEBOOK))
    assert router.find(post(Platform.FACEBOOK)) is None
    assert [p.platform for p in recording.seen] == [Platform.FACEBOOK]

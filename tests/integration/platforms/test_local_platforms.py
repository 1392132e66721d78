"""LocalPlatforms: all five local servers at once, wired to the real adapters by configuration."""

from __future__ import annotations

import subprocess
import sys

from socmed_adapters.platforms.router import publisher_from_config
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost
from socmed_testing.platforms import SLOW, FakeTime, LocalPlatforms, fast_policy


def post(platform: Platform, media: str) -> OutboundPost:
    return OutboundPost(item_id="item-9", platform=platform, body="Selamat Natal dari Bank Nusa.",
                        media_uris=(media,), revision_sha256="bbb",
                        idempotency_key=f"item-9:{platform.value}:bbb")


def test_the_publisher_they_configure_posts_once_on_each_platform() -> None:
    with LocalPlatforms() as local:
        publisher = local.publisher(policy=fast_policy(), timing=FakeTime().timing())
        receipts = {p: publisher.publish(post(p, local.media_url("photo.jpg"))) for p in Platform}
        found = {p: publisher.find(post(p, local.media_url("photo.jpg"))) for p in Platform}
        publisher.close()
        posts, violations = local.posts(), local.violations()

    assert violations == {}
    assert {p: len(accepted) for p, accepted in posts.items()} == {p: 1 for p in Platform}
    for platform, receipt in receipts.items():
        again = found[platform]
        assert again is not None and again.post_id == receipt.post_id, platform


def test_their_environment_configures_a_deployment_and_slow_answers_still_arrive() -> None:
    with LocalPlatforms() as local:
        env = local.environ()
        assert set(local.urls.values()) == {env[f"SOCMED_{p.name}_BASE_URL"] for p in Platform}
        publisher = publisher_from_config(environ=env, policy=fast_policy(),
                                          timing=FakeTime().timing())
        local.x.inject(SLOW, before=0.1, after=0.1)
        receipt = publisher.publish(post(Platform.X, local.media_url("photo.jpg")))
        publisher.close()
        assert [p["id"] for p in local.x.posts] == [receipt.post_id]
        assert publisher.platforms == tuple(Platform)


def test_they_run_in_the_foreground_and_print_what_to_export() -> None:
    process = subprocess.Popen([sys.executable, "-m", "socmed_testing.platforms"],
                               stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        lines = [process.stdout.readline() for _ in range(17)]
    finally:
        process.terminate()
        process.wait(10)
    exported = [line for line in lines if line.startswith("export ")]
    assert "export SOCMED_PUBLISHER=platforms\n" in exported
    assert any(line.startswith("export SOCMED_X_BASE_URL=http://127.0.0.1:") for line in lines)
    assert process.returncode == 0

"""`socmed inbox fetch` end to end: a post published through the real adapters to the local
platform servers, the audience's comments, messages and mentions seeded there, fetched over
HTTP, ingested once; an expired token is one line and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from socmed_domain.platforms import Platform
from socmed_testing.platforms import EXPIRED_TOKEN, LocalPlatforms
from tests.cli.helpers import Socmed, assert_one_line_error, event_count

TEXT_PLATFORMS = (Platform.FACEBOOK, Platform.LINKEDIN, Platform.X)


def _publish(run: Socmed, local: LocalPlatforms) -> dict[Platform, str]:
    """One text post on Facebook, LinkedIn and X an hour ago, through the library with the
    platform adapters; returns each platform's post id from the publication log."""
    from socmed_adapters.bootstrap import bootstrap
    from socmed_adapters.clock import ManualClock
    from socmed_domain.production.revision import Draft
    from socmed_testing.platforms import fast_policy
    from tests.conftest import seed_approved

    clock = ManualClock(datetime.now(UTC) - timedelta(hours=2))
    services = bootstrap(run.data_dir, clock=clock,
                         publisher=local.publisher(clock=clock, policy=fast_policy()))
    try:
        app = services.app
        item = seed_approved(app, "Info layanan", Draft(
            "Layanan transfer Bank Nusa normal kembali. Terima kasih atas kesabaran Anda.",
            TEXT_PLATFORMS), manager="joko.mm")
        app.schedule_content("adi.admin", item, clock() + timedelta(minutes=30))
        clock.advance(hours=1)
        lines = app.publish_due("adi.admin")
        assert [line.outcome for line in lines] == ["published"] * 3, lines
        found = {p.platform: p.receipt.post_id for p in app.get_content(item).publications
                 if p.receipt is not None}
    finally:
        services.close()
    return found


@pytest.fixture
def world(team_store) -> Iterator[tuple[Socmed, LocalPlatforms, dict[str, str]]]:  # type: ignore[no-untyped-def]
    run, _ = team_store
    with LocalPlatforms() as local:
        posts = _publish(run, local)
        local.facebook.seed_comment(posts[Platform.FACEBOOK], "Syukurlah sudah normal, "
                                    "makasih min", age=timedelta(minutes=20))
        local.linkedin.seed_comment(posts[Platform.LINKEDIN], "Good to hear, thanks for the "
                                    "quick update.", age=timedelta(minutes=15))
        local.x.seed_reply(posts[Platform.X], "kemarin saldo saya kepotong 2x, kapan "
                           "dikembalikan??", age=timedelta(minutes=10))
        local.x.seed_dm("min tolong cek DM, transfer saya belum masuk",
                        age=timedelta(minutes=5))
        local.instagram.seed_dm("Halo kak, mau tanya cara buka rekening online",
                                sender_id="17841400000000077", age=timedelta(minutes=3))
        env = local.environ()
        del env["SOCMED_TIKTOK_TOKEN"]  # not every platform needs to be configured
        yield run, local, env


def test_fetch_ingests_each_message_once(world) -> None:  # type: ignore[no-untyped-def]
    run, _, env = world
    out = run.ok("--as", "adi.admin", "inbox", "fetch", "--since", "1h", env=env).stdout
    assert "instagram, facebook, linkedin, x" in out
    assert "Ingested 5 new interactions of 5" in out
    listed = run.json("inbox", "list", env=env)
    assert {row["platform"] for row in listed} == {"instagram", "facebook", "linkedin", "x"}
    assert {row["kind"] for row in listed} >= {"comment", "direct_message"}
    events = event_count(run.data_dir)
    again = run.ok("--as", "adi.admin", "inbox", "fetch", env=env).stdout
    assert "Ingested 0 new interactions of 5 (5 already here)" in again
    assert event_count(run.data_dir) == events
    only_x = run.ok("--as", "adi.admin", "inbox", "fetch", "--platform", "x", env=env).stdout
    assert "Fetched from x" in only_x and "of 2 " in only_x


def test_a_platform_that_fails_stops_the_fetch_and_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    run, local, env = world
    before = event_count(run.data_dir)
    local.x.inject(EXPIRED_TOKEN, route="*", times=50)
    line = assert_one_line_error(run("--as", "adi.admin", "inbox", "fetch", env=env))
    assert line.startswith("error: X comments, messages and mentions could not be fetched")
    assert "nothing was ingested" in line and "SOCMED_X_TOKEN" in line
    assert event_count(run.data_dir) == before


def test_bad_input_is_one_line_and_writes_nothing(world) -> None:  # type: ignore[no-untyped-def]
    run, local, env = world
    before = event_count(run.data_dir)
    asked = sum(len(server.requests) for server in local.servers.values())
    assert "yesterday-ish" in assert_one_line_error(
        run("--as", "adi.admin", "inbox", "fetch", "--since", "yesterday-ish", env=env))
    assert_one_line_error(run("--as", "sari.legal", "inbox", "fetch", env=env))
    assert_one_line_error(run("--as", "adi.admin", "inbox", "fetch", "--platform", "myspace",
                              env=env))
    bare = {k: "" for k in env}
    assert "SOCMED_INSTAGRAM_TOKEN" in assert_one_line_error(
        run("--as", "adi.admin", "inbox", "fetch", env=bare))
    assert event_count(run.data_dir) == before
    assert sum(len(server.requests) for server in local.servers.values()) == asked

"""`socmed metrics fetch` end to end: a demo-like store published through the real adapters to
the local platform servers, insights fetched from them, and a monthly report with numbers.

The report of a month counts snapshots measured before the month ends, and the CLI runs on
the real clock, so the store is the demo of the current month played up to now (the demo's
own evening fetches left out): every number in the report then comes from `metrics fetch`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socmed_domain.timezones import WIB
from socmed_testing.platforms import EXPIRED_TOKEN, LocalPlatforms
from tests.cli.helpers import Socmed, assert_one_line_error, event_count

DEMO_FETCH = "metrics: fetch insights"


def _month_so_far(data_dir: Path, local: LocalPlatforms, clock_now: datetime) -> str:
    """The demo of the current month (WIB), played up to an hour ago, publishing to `local`."""
    from socmed_adapters.bootstrap import bootstrap
    from socmed_adapters.clock import ManualClock
    from socmed_demo.common import month_days
    from socmed_demo.month import MediaMirror, build_demo, demo_media_reader
    from socmed_testing.platforms.common import fast_policy

    month = f"{clock_now.astimezone(WIB):%Y-%m}"
    clock = ManualClock(datetime.combine(month_days(month)[0], datetime.min.time(), WIB))
    for server in local.servers.values():
        server.clock = lambda: clock().timestamp()
    publisher = MediaMirror(local.publisher(clock=clock, policy=fast_policy()),
                            local.media_url("").rstrip("/"))
    services = bootstrap(data_dir, clock=clock, publisher=publisher,
                         media_reader=demo_media_reader(data_dir))
    try:
        demo = build_demo(services, clock, month, 42)
        until = clock_now - timedelta(hours=1)
        for step in demo.timeline():
            if step.at <= until and step.label != DEMO_FETCH:
                demo.run_step(step)
    finally:
        services.close()
    return month


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Socmed, LocalPlatforms,
                                                                      str]]:
    now = datetime.now(UTC)
    if now.astimezone(WIB).day < 4:
        pytest.skip("the month so far has no published posts yet (days 1-3)")
    data_dir = tmp_path_factory.mktemp("metrics-fetch") / "store"
    with LocalPlatforms(serve_any_media=True) as local:
        month = _month_so_far(data_dir, local, now)
        yield Socmed(data_dir), local, month


def test_fetch_then_the_monthly_report_has_numbers(
        store: tuple[Socmed, LocalPlatforms, str]) -> None:
    run, local, month = store
    env = local.environ()
    before = run.json("report", "monthly", "--month", month)
    assert before["total"]["reach"] in (0, None, "0")  # nothing measured yet
    out = run.ok("--as", "adi.admin", "metrics", "fetch", "--publisher", "platforms",
                 "--since", f"{month}-01", env=env).stdout
    assert "Fetched insights of" in out and "0 posts without insights" in out
    report = run.json("report", "monthly", "--month", month)
    assert int(report["total"]["reach"]) > 0
    assert int(report["total"]["interactions"]) > 0
    # Every platform that published in the month has its posts measured, and followers.
    for row in report["platforms"]:
        if int(row["posts_published"]):
            assert int(row["measured"]) == int(row["posts_published"]), row
            assert row["followers"] is not None, row
    latest = run.json("metrics", "latest")
    assert {row["platform"] for row in latest if row["post_id"] == "account"} == {
        "instagram", "facebook", "linkedin", "tiktok", "x"}


def test_an_expired_token_is_one_line_and_records_nothing(
        store: tuple[Socmed, LocalPlatforms, str]) -> None:
    run, local, month = store
    before = event_count(run.data_dir)
    local.x.inject(EXPIRED_TOKEN, route="*")
    result = run("--as", "adi.admin", "metrics", "fetch", "--since", f"{month}-01",
                 env=local.environ())
    line = assert_one_line_error(result)
    assert "X insights could not be fetched" in line and "SOCMED_X_TOKEN" in line
    assert event_count(run.data_dir) == before
    local.x.inject(EXPIRED_TOKEN, route="*")
    result = run("--lang", "id", "--as", "adi.admin", "metrics", "fetch", env=local.environ())
    line = assert_one_line_error(result, prefix="galat: ")
    assert "insight X tidak dapat diambil, jadi tidak ada yang dicatat" in line
    local.clear_faults()
    assert_one_line_error(run("--as", "adi.admin", "metrics", "fetch", env={}))  # no tokens
    assert event_count(run.data_dir) == before


def test_only_members_who_record_metrics_may_fetch(
        store: tuple[Socmed, LocalPlatforms, str]) -> None:
    run, local, _ = store
    before = event_count(run.data_dir)
    asked = sum(len(server.requests) for server in local.servers.values())
    assert_one_line_error(run("--as", "sari.legal", "metrics", "fetch", env=local.environ()))
    assert event_count(run.data_dir) == before
    assert sum(len(server.requests) for server in local.servers.values()) == asked

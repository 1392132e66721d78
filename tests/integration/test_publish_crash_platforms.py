"""kill -9 the publisher at random points, many times, against the local platform servers:
zero double posts, zero silent losses (on SQLite and on PostgreSQL).

The five local servers run in this process and outlive every publisher. A child process
(publish_crash_worker) publishes the due items through the real platform adapters and is
killed with SIGKILL at a random moment, again and again, while the servers answer slowly
(so kills land mid-request and between a post's acceptance and its record), throttle (429),
fail (5xx, before or after accepting the post) or drop the connection. The items fall due one
after another as the publisher's clock moves on from round to round, so every kill lands while
there is work. Then one clean run with the clock past STALE_ATTEMPT surfaces every
interrupted attempt as 'unknown', each unknown outcome is settled by looking the post up on
its platform, and what was found absent is published again. Then:

- zero double posts: no (item, platform) is on its platform's accepted posts twice;
- zero silent losses: every (item, platform) has an outcome on record, a post on the platform
  is recorded as published with that post's receipt, and a recorded publication is on the
  platform; with only passing faults, every one ends published;
- the posts on the platforms are exactly as many as the Published and found-by-reconciliation
  events in the log.

The servers' own duplicate checks are switched off, so a post sent twice shows up as two
posts instead of being refused by the platform.
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from socmed_adapters.clock import ManualClock
from socmed_domain.application import STALE_ATTEMPT
from socmed_domain.errors import SocmedError
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import ContentType, Draft, MediaRef
from socmed_domain.publication.outcomes import PublicationState
from socmed_testing.platforms import (
    DROP,
    ERROR_AFTER_ACCEPT,
    RATE_LIMIT,
    SERVER_ERROR,
    SLOW,
    UNAVAILABLE,
    LocalPlatforms,
)
from tests.conftest import seed_approved, seed_team
from tests.integration.publish_crash_worker import ADMIN, POLICY, offset_clock

ROOT = Path(__file__).resolve().parents[2]
ITEMS = 12  # on five platforms each; TikTok's daily quota (15) is not reached
KILLS = 20
SEED = int(os.environ.get("SOCMED_CRASH_SEED", "20261128"))  # another seed, another run
# Item n's slot is SLOTS_FROM + n * STEP from now; in round r the publisher's clock is
# START + r * STEP ahead of the real time, so new items fall due round after round (and the
# first attempts go stale, to be surfaced as unknown, in the last rounds).
SLOTS_FROM = timedelta(minutes=1)
STEP = timedelta(seconds=30)
START = timedelta(seconds=90)
SETTLE = START + KILLS * STEP + STALE_ATTEMPT  # past every slot and every attempt's staleness
MARK = re.compile(r"uji ketahanan nomor (\d+)")

# (kind, route, times, options): what a server may be told before a round.
FAULTS: list[tuple[str, str, int, dict[str, Any]]] = [
    (SLOW, "publish", 2, {"after": 0.5}),     # accepted, answered late: kills land in between
    (SLOW, "publish", 1, {"after": 1.5}),     # answered after the client gave up: unknown
    (SLOW, "*", 3, {"before": 0.2}),          # every step slow: kills land mid-request
    (RATE_LIMIT, "publish", 2, {}),
    (SERVER_ERROR, "publish", 1, {}),         # not processed: looked up, then sent again
    (UNAVAILABLE, "*", 2, {}),
    (ERROR_AFTER_ACCEPT, "publish", 1, {}),   # processed: the look-up finds it
    (DROP, "publish", 1, {}),                 # processed, no answer: unknown
]


@pytest.mark.slow  # kill -9 of real publisher processes
def test_killed_publisher_never_posts_twice_and_never_loses_a_post(backend, tmp_path) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    rng = random.Random(SEED)
    with LocalPlatforms() as local:
        for server in local.servers.values():
            server.refuse_duplicates = False
        items = seed_items(backend, local)
        rounds = kill_repeatedly(backend, local, rng, tmp_path)
        settled = settle(backend, local, items)
        posts = local.posts()
        violations = local.violations()
    figures = check(backend, items, posts, violations)
    figures.update(settled)
    figures.update(kills=len(rounds), kills_mid_work=sum(not idle for idle in rounds),
                   seconds=round(time.monotonic() - started, 1), backend=backend.kind)
    print(f"\npublish crash figures: {figures}")
    assert figures["interrupted"] >= 1, "no kill landed between an attempt and its outcome"


@pytest.mark.parametrize("hung_for", [timedelta(0), STALE_ATTEMPT + timedelta(minutes=1)],
                         ids=["fresh", "stale"])
def test_a_late_answer_after_a_lookup_is_neither_lost_nor_posted_again(  # type: ignore[no-untyped-def]
        backend, hung_for: timedelta) -> None:
    """A lookup while the request is in flight: a fresh attempt may not be settled at all;
    a stale one may be settled as absent, and the platform's late answer is still recorded,
    so the next run does not post again."""
    with LocalPlatforms() as local:
        local.instagram.refuse_duplicates = False
        clock = ManualClock(datetime.now(UTC))
        app = backend.services(clock=clock, publisher=local.publisher(
            policy=POLICY, clock=clock)).app
        seed_team(app)
        draft = Draft("Promo Desember dari Bank Nusa.", (Platform.INSTAGRAM,),
                      ContentType.IMAGE, media=(MediaRef(local.media_url(), "image", "promo"),))
        item = seed_approved(app, "Promo", draft)
        app.schedule_content("adi.admin", item, clock() + timedelta(minutes=1))
        clock.advance(minutes=2)
        local.instagram.inject(SLOW, route="publish", before=0.6)  # media_publish lands late
        running = threading.Thread(target=app.publish_due, args=(ADMIN,))
        running.start()
        time.sleep(0.3)  # the attempt is on record; the post is not on Instagram yet
        clock.advance(seconds=hung_for.total_seconds())
        operator = backend.services(clock=clock, publisher=local.publisher(
            policy=POLICY, clock=clock)).app
        try:  # `socmed publish reconcile --lookup` on the fresh attempt
            receipt = operator.lookup_publication(item, Platform.INSTAGRAM)
            operator.reconcile_publication(ADMIN, item, Platform.INSTAGRAM, receipt, "lookup")
        except SocmedError:
            pass  # refusing to settle an attempt still in flight is a fine answer too
        running.join()
        clock.advance(minutes=1)
        operator.publish_due(ADMIN)
        posted = len(local.instagram.posts)
    state = publication_of(operator, item, Platform.INSTAGRAM)
    assert posted == 1, f"posted {posted} times"
    assert state.state is PublicationState.PUBLISHED and state.receipt is not None


# ---------------------------------------------------------------------- the store


def seed_items(backend, local: LocalPlatforms) -> dict[int, UUID]:  # type: ignore[no-untyped-def]
    """ITEMS approved items on all five platforms, each with one image, due one by one."""
    clock = ManualClock(datetime.now(UTC))
    app = backend.services(clock=clock).app
    seed_team(app)
    image = MediaRef(local.media_url("photo.jpg"), "image", "Kartu ucapan Bank Nusa")
    items = {}
    for n in range(ITEMS):
        draft = Draft(text=f"Salam dari Bank Nusa, uji ketahanan nomor {n:02d}.",
                      platforms=tuple(Platform), content_type=ContentType.IMAGE,
                      media=(image,))
        item = app.create_content("budi.dm", f"Uji {n:02d}", draft)
        app.submit_for_review("budi.dm", item)
        app.review_content("dewi.dm", item, CHECKLIST_KEYS)
        app.submit_for_approval("budi.dm", item)
        app.approve_content("rina.mm", item)
        app.schedule_content("adi.admin", item, clock() + SLOTS_FROM + n * STEP)
        items[n] = item
    return items


# ---------------------------------------------------------------------- the kills


def kill_repeatedly(backend, local: LocalPlatforms, rng: random.Random,  # type: ignore[no-untyped-def]
                    tmp_path: Path) -> list[bool]:
    """KILLS rounds of: a few faults, a publisher started, SIGKILL at a random moment.
    Returns, per round, whether the publisher had gone idle (nothing left it could do)."""
    env = {**os.environ, **local.environ()}
    args = [sys.executable, "-m", "tests.integration.publish_crash_worker",
            str(backend.data_dir), backend.database_url or ""]
    idle = []
    for round_ in range(KILLS):
        for _ in range(3):
            kind, route, times, options = rng.choice(FAULTS)
            rng.choice(list(local.servers.values())).inject(kind, route=route, times=times,
                                                           **options)
        log = tmp_path / f"publisher-{round_:02d}.log"
        env["SOCMED_TEST_CLOCK_OFFSET"] = str((START + round_ * STEP).total_seconds())
        with log.open("wb") as sink:
            child = subprocess.Popen(args, cwd=ROOT, env=env, stdout=sink,
                                     stderr=subprocess.STDOUT)
        try:
            wait_until_ready(child, log)
            time.sleep(rng.uniform(0.05, 0.8))
            assert child.poll() is None, f"the publisher stopped by itself:\n{log.read_text()}"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(10)
        idle.append(log.read_text().rstrip().endswith("idle"))
    return idle


def wait_until_ready(child: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise AssertionError(f"the publisher failed to start:\n{log.read_text()}")
        if log.read_bytes().startswith(b"ready"):
            return
        time.sleep(0.01)
    raise AssertionError("the publisher did not start within 30 s")


# ---------------------------------------------------------------------- settling


def settle(backend, local: LocalPlatforms, items: dict[int, UUID]) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """A clean run past STALE_ATTEMPT, then every unknown outcome settled by a look-up and
    what was absent published again, until nothing is open."""
    local.clear_faults()
    clock = offset_clock(SETTLE)
    app = backend.services(clock=clock, publisher=local.publisher(policy=POLICY,
                                                                  clock=clock)).app
    found = absent = 0
    for _ in range(5):
        app.publish_due(ADMIN)
        open_ = [(item, publication.platform) for item in items.values()
                 for publication in app.get_content(item).publications
                 if publication.state in (PublicationState.UNKNOWN,
                                          PublicationState.ATTEMPTING,
                                          PublicationState.RETRYABLE)]
        if not open_:
            break
        for item, platform in open_:
            state = publication_of(app, item, platform).state
            if state is PublicationState.RETRYABLE:
                continue  # the next run publishes it again
            receipt = app.lookup_publication(item, platform)
            app.reconcile_publication(ADMIN, item, platform, receipt,
                                      "settled by looking the post up on the platform")
            found += receipt is not None
            absent += receipt is None
    return {"reconciled_found": found, "reconciled_absent": absent}


def publication_of(app, item: UUID, platform: Platform):  # type: ignore[no-untyped-def]
    found = [p for p in app.get_content(item).publications if p.platform is platform]
    assert found, f"{item} on {platform.value}: never attempted, nothing on record"
    return found[0]


# ---------------------------------------------------------------------- the checks


def server_ids(platform: Platform, post: dict[str, Any]) -> set[str]:
    if platform is Platform.TIKTOK:
        return {post["publish_id"], post["video_id"]}
    return {post["id"]}


def server_text(platform: Platform, post: dict[str, Any]) -> str:
    return str(post["source_text"] if platform is Platform.X else post["text"])


def check(backend, items: dict[int, UUID], posts: dict[Platform, list[dict[str, Any]]],  # type: ignore[no-untyped-def]
          violations: dict[Platform, list[str]]) -> dict[str, int]:
    app = backend.services().app
    assert violations == {}, violations
    on_server: dict[tuple[int, Platform], list[dict[str, Any]]] = {}
    for platform, accepted in posts.items():
        for post in accepted:
            match = MARK.search(server_text(platform, post))
            assert match, f"a post that is none of ours on {platform.value}: {post}"
            on_server.setdefault((int(match.group(1)), platform), []).append(post)
    doubles = {key: len(found) for key, found in on_server.items() if len(found) > 1}
    assert doubles == {}, f"posted more than once: {doubles}"

    outcomes: Counter[str] = Counter()
    recorded = 0
    for n, item in items.items():
        history = app.content_history(item)
        outcomes.update(e.event_type for e in history)
        outcomes["interrupted"] += sum(1 for e in history
                                       if e.event_type == "PublicationOutcomeUnknown"
                                       and "interrupted" in e.reason + str(e.params))
        recorded += sum(1 for e in history if e.event_type == "Published" or (
            e.event_type == "PublicationReconciled" and e.params.get("found") == "found"))
        for platform in Platform:
            publication = publication_of(app, item, platform)  # never missing
            post = (on_server.get((n, platform)) or [None])[0]
            where = f"item {n:02d} on {platform.value}"
            if post is None:
                assert publication.state is not PublicationState.PUBLISHED, \
                    f"{where}: recorded as published, but the platform has no such post"
            else:
                assert publication.state is PublicationState.PUBLISHED, \
                    f"{where}: on the platform, but recorded as {publication.state.value}"
                assert publication.receipt is not None
                assert publication.receipt.post_id in server_ids(platform, post), where
            assert publication.state is PublicationState.PUBLISHED, \
                f"{where} ended {publication.state.value}: {publication.last_error}"
    total = sum(len(found) for found in on_server.values())
    assert total == recorded, f"{total} posts on the platforms, {recorded} recorded"
    assert total == ITEMS * len(Platform)
    return {"posts": total, "attempts": outcomes["PublicationAttempted"],
            "interrupted": outcomes["interrupted"],
            "unknown": outcomes["PublicationOutcomeUnknown"],
            "failed": outcomes["PublicationFailed"]}

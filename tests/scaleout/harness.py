"""What the scale-out tests and `benchmarks/bench_workers.py` share: a store with items due
one after another on the five local platform servers, `socmed worker --queue` processes
(tests.scaleout.queue_worker) started and killed, waiting until the work is done, settling
what the killed workers left, and the checks.

A post's record and the platform agree, or the test fails:
- no (item, platform) on its platform twice (the servers' own duplicate checks are off);
- every (item, platform) ends published, with the receipt of the post that is on the
  platform (an attempt a killed worker left is surfaced as unknown once stale, looked up on
  its platform and settled: found, or absent and published again);
- every post was made at or after its item's slot (the server's clock is the real time).
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

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.jobs.queue import JobQueue
from socmed_domain.application import STALE_ATTEMPT
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
from tests.integration.publish_crash_worker import ADMIN, POLICY, offset_clock

ROOT = Path(__file__).resolve().parents[2]
MARK = re.compile(r"uji skala nomor (\d+)")
#: No daily quota in the way of a few hundred posts a platform (the defaults: TikTok 15,
#: Instagram 100, LinkedIn 150 a day).
RULES = "".join(f"[{p.value}]\ndaily_quota = 100000\n" for p in Platform)

#: (kind, route, times, options) injected while the workers run.
FAULTS: list[tuple[str, str, int, dict[str, Any]]] = [
    (SLOW, "*", 4, {"before": 0.15}),
    (SLOW, "publish", 2, {"after": 0.4}),
    (SLOW, "publish", 1, {"after": 1.5}),     # answered after the client gave up: unknown
    (RATE_LIMIT, "publish", 2, {}),
    (SERVER_ERROR, "publish", 1, {}),
    (UNAVAILABLE, "*", 2, {}),
    (ERROR_AFTER_ACCEPT, "publish", 1, {}),
    (DROP, "publish", 1, {}),
]


def rules_file(tmp: Path) -> Path:
    path = tmp / "platform_rules.toml"
    path.write_text(RULES)
    return path


def prepare(url: str) -> None:
    """The store with its team and the queue's tables (as `socmed init` makes them), before
    any worker starts."""
    services = bootstrap(None, database_url=url)
    from tests.conftest import seed_team

    seed_team(services.app)
    queue = JobQueue.of(services)
    assert queue is not None
    queue.ensure_schema()
    services.close()


def seed(url: str, local: LocalPlatforms, count: int, spacing: timedelta
         ) -> dict[int, tuple[UUID, datetime]]:
    """`count` approved items on the five platforms, then scheduled: item n due at
    first + n*spacing, the first slot a moment after the last is scheduled; scheduling
    defers each item's job at its slot (the deferral hook)."""
    services = bootstrap(None, database_url=url)
    app = services.app
    queue = JobQueue.of(services)
    assert queue is not None
    image = MediaRef(local.media_url("photo.jpg"), "image", "Kartu ucapan Bank Nusa")
    approved = []
    for n in range(count):
        draft = Draft(text=f"Salam dari Bank Nusa, uji skala nomor {n:04d}.",
                      platforms=tuple(Platform), content_type=ContentType.IMAGE,
                      media=(image,))
        item = app.create_content("budi.dm", f"Skala {n:04d}", draft)
        app.submit_for_review("budi.dm", item)
        app.review_content("dewi.dm", item, CHECKLIST_KEYS)
        app.submit_for_approval("budi.dm", item)
        app.approve_content("rina.mm", item)
        approved.append(item)
    first = datetime.now(UTC) + timedelta(seconds=2 + count * 0.08)
    items = {}
    for n, item in enumerate(approved):
        slot = first + n * spacing
        app.schedule_content("adi.admin", item, slot)
        items[n] = (item, slot)
    assert datetime.now(UTC) < first, "scheduling took longer than planned"
    queue.close()
    services.close()
    return items


class Workers:
    """Worker processes, each logging to a file."""

    def __init__(self, url: str, env: dict[str, str], logs: Path, concurrency: int = 2
                 ) -> None:
        self.url, self.env, self.logs, self.concurrency = url, env, logs, concurrency
        self.children: list[subprocess.Popen[bytes]] = []
        self.killed: list[int] = []

    def start(self, count: int) -> None:
        for _ in range(count):
            index = len(self.children)
            log = self.logs / f"worker-{index}.log"
            with log.open("wb") as sink:
                self.children.append(subprocess.Popen(
                    [sys.executable, "-m", "tests.scaleout.queue_worker", self.url,
                     str(self.concurrency)], cwd=ROOT, env=self.env, stdout=sink,
                    stderr=subprocess.STDOUT))
        deadline = time.monotonic() + 60
        for index, child in enumerate(self.children):
            log = self.logs / f"worker-{index}.log"
            while not log.read_bytes().startswith(b"ready"):
                if child.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"worker {index} did not start:\n{log.read_text()}")
                time.sleep(0.05)

    def kill(self, index: int) -> None:
        """SIGKILL: no cleanup, its jobs stay 'doing', its heartbeat stops."""
        child = self.children[index]
        assert child.poll() is None, self.log(index)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
        self.killed.append(index)

    def log(self, index: int) -> str:
        return (self.logs / f"worker-{index}.log").read_text(errors="replace")

    def stop(self) -> None:
        for child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for index, child in enumerate(self.children):
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.send_signal(signal.SIGKILL)
                child.wait(10)
            if index not in self.killed:
                assert child.returncode == 0, f"worker {index} ended {child.returncode}:\n" \
                    f"{self.log(index)[-3000:]}"


class FaultInjector:
    """A few random faults on random servers every `every` seconds, until stopped."""

    def __init__(self, local: LocalPlatforms, rng: random.Random, every: float = 0.5) -> None:
        self.local, self.rng, self.every = local, rng, every
        self.stopped = threading.Event()
        self.injected = 0
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self.stopped.wait(self.every):
            kind, route, times, options = self.rng.choice(FAULTS)
            self.rng.choice(list(self.local.servers.values())).inject(
                kind, route=route, times=times, **options)
            self.injected += 1

    def __enter__(self) -> FaultInjector:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(5)
        self.local.clear_faults()


def states(app: Any, items: dict[int, tuple[UUID, datetime]]
           ) -> dict[tuple[int, Platform], tuple[PublicationState | None, datetime | None]]:
    found: dict[tuple[int, Platform], tuple[PublicationState | None, datetime | None]] = {}
    for n, (item, _slot) in items.items():
        publications = {p.platform: p for p in app.get_content(item).publications}
        for platform in Platform:
            publication = publications.get(platform)
            found[(n, platform)] = ((publication.state, publication.attempted_at)
                                    if publication else (None, None))
    return found


def wait_done(url: str, items: dict[int, tuple[UUID, datetime]], timeout: float,
              left_after: float = 10.0) -> float:
    """Until every (item, platform) is published, or settled otherwise, or left attempting
    for `left_after` seconds (by a killed worker: the settling surfaces it); the time it
    took to get there (seconds, from the call)."""
    services = bootstrap(None, database_url=url)
    started = time.monotonic()
    try:
        while True:
            now = datetime.now(UTC)
            open_ = [key for key, (state, attempted) in states(services.app, items).items()
                     if state in (None, PublicationState.RETRYABLE) or (
                         state is PublicationState.ATTEMPTING and attempted is not None
                         and now - attempted < timedelta(seconds=left_after))]
            if not open_:
                return time.monotonic() - started
            if time.monotonic() - started > timeout:
                raise AssertionError(f"{len(open_)} posts still open after {timeout} s: "
                                     f"{open_[:10]}")
            time.sleep(0.5)
    finally:
        services.close()


def settle(url: str, local: LocalPlatforms, items: dict[int, tuple[UUID, datetime]]
           ) -> dict[str, int]:
    """What the killed workers left: with the clock past STALE_ATTEMPT, surfaced as
    unknown; each unknown looked up on its platform and reconciled (found, or absent and
    published again), until nothing is open. (Operators do this with
    `socmed publish reconcile --lookup`.)"""
    local.clear_faults()
    clock = offset_clock(STALE_ATTEMPT + timedelta(minutes=1))
    services = bootstrap(None, database_url=url, clock=clock,
                         publisher=local.publisher(policy=POLICY, clock=clock))
    app = services.app
    found = absent = 0
    try:
        for _ in range(5):
            app.publish_due(ADMIN)
            open_ = [(item, platform) for (n, platform), (state, _at)
                     in states(app, items).items() if state in (
                         PublicationState.UNKNOWN, PublicationState.ATTEMPTING,
                         PublicationState.RETRYABLE)
                     for item in [items[n][0]]]
            if not open_:
                break
            for item, platform in open_:
                state = {p.platform: p for p in app.get_content(item).publications}[
                    platform].state
                if state is not PublicationState.UNKNOWN:
                    continue  # the next run surfaces or publishes it
                receipt = app.lookup_publication(item, platform)
                app.reconcile_publication(ADMIN, item, platform, receipt,
                                          "settled by looking the post up on the platform")
                found += receipt is not None
                absent += receipt is None
    finally:
        services.close()
    return {"reconciled_found": found, "reconciled_absent": absent}


def server_ids(platform: Platform, post: dict[str, Any]) -> set[str]:
    if platform is Platform.TIKTOK:
        return {post["publish_id"], post["video_id"]}
    return {post["id"]}


def server_text(platform: Platform, post: dict[str, Any]) -> str:
    return str(post["source_text"] if platform is Platform.X else post["text"])


def check(url: str, local: LocalPlatforms, items: dict[int, tuple[UUID, datetime]]
          ) -> dict[str, Any]:
    """The checks of the module's docstring; figures (counts, lateness after the slot)."""
    assert local.violations() == {}, local.violations()
    on_server: dict[tuple[int, Platform], list[dict[str, Any]]] = {}
    for platform, accepted in local.posts().items():
        for post in accepted:
            match = MARK.search(server_text(platform, post))
            assert match, f"a post that is none of ours on {platform.value}: {post}"
            on_server.setdefault((int(match.group(1)), platform), []).append(post)
    doubles = {key: len(found) for key, found in on_server.items() if len(found) > 1}
    assert doubles == {}, f"posted more than once: {doubles}"
    services = bootstrap(None, database_url=url)
    app = services.app
    outcomes: Counter[str] = Counter()
    late: list[float] = []
    try:
        for n, (item, slot) in items.items():
            history = app.content_history(item)
            outcomes.update(e.event_type for e in history)
            publications = {p.platform: p for p in app.get_content(item).publications}
            for platform in Platform:
                where = f"item {n:04d} on {platform.value}"
                publication = publications.get(platform)
                assert publication is not None, f"{where}: lost (never attempted)"
                posts = on_server.get((n, platform))
                assert posts, f"{where}: not on the platform ({publication.state.value}: " \
                    f"{publication.last_error})"
                assert publication.state is PublicationState.PUBLISHED, \
                    f"{where}: on the platform, but recorded {publication.state.value}"
                assert publication.receipt is not None
                assert publication.receipt.post_id in server_ids(platform, posts[0]), where
                made = float(posts[0]["created"])
                assert made >= slot.timestamp(), \
                    f"{where}: posted {slot.timestamp() - made:.3f} s before its slot"
                late.append(made - slot.timestamp())
    finally:
        services.close()
    late.sort()
    return {"posts": sum(len(p) for p in on_server.values()),
            "attempts": outcomes["PublicationAttempted"],
            "unknown": outcomes["PublicationOutcomeUnknown"],
            "failed": outcomes["PublicationFailed"],
            "late_p50_s": round(late[len(late) // 2], 2),
            "late_max_s": round(late[-1], 2)}


def environ(local: LocalPlatforms, rules: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOCMED_")
           or k.startswith("SOCMED_TEST_")}
    env.update(local.environ())
    env["SOCMED_PLATFORM_RULES"] = str(rules)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT),
                                         env.get("PYTHONPATH", "")])
    return env

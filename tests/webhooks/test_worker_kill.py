"""Webhook deliveries survive `kill -9` of the worker: nothing lost, nothing doubled.

Many signed deliveries (some of them delivered twice, as platforms do) are recorded; then
`socmed worker --loop` runs as a real process and is killed with SIGKILL at random moments,
again and again, while it claims, ingests and marks deliveries done; finally one
`socmed worker --once` finishes. The event log must then hold exactly what one clean,
uninterrupted pass over the same deliveries records on a fresh store: the same events by
type, each comment once. A deterministic companion test stops a worker after each of its
steps in turn (claimed, processed, finished), in process.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from socmed_adapters.bootstrap import Services, bootstrap
from socmed_adapters.monitoring.webhook_inbox import WebhookInbox
from socmed_adapters.monitoring.webhook_receiver import Receiver
from socmed_adapters.monitoring.webhook_worker import WebhookWorker
from tests.cli.helpers import CLEAN_ENV
from tests.conftest import BACKENDS, PostgresSchema, require_postgres, seed_team
from tests.webhooks.helpers import ENV, linkedin_comment, sign

ROOT = Path(__file__).parents[2]
UNIQUE = 120
REPEATED = 40


class Store:
    """A seeded store on one backend, and how a subprocess reaches it."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.schema = None
        if kind == "postgres":
            require_postgres()
            self.schema = PostgresSchema()
        self.folder = folder
        self.url = self.schema.url if self.schema else None
        self.services = bootstrap(folder, database_url=self.url)
        seed_team(self.services.app)
        self.inbox = WebhookInbox.of(self.services)

    def record_deliveries(self) -> None:
        """Through the receiver's own check (signatures verified), as the endpoint does."""
        receiver = Receiver(self.inbox, environ=ENV)
        bodies = [linkedin_comment(n) for n in range(UNIQUE)]
        bodies += [linkedin_comment(n) for n in range(0, UNIQUE, UNIQUE // REPEATED)]
        rows = []
        for body in bodies:
            delivery, error = receiver.check("linkedin", body,
                                             sign("linkedin", body)["X-LI-Signature"])
            assert error is None and delivery.verdict == "valid"
            rows.append(delivery)
        self.inbox.record(rows)

    def topics(self, since: int) -> Counter[str]:
        found = self.services.app.recorder.select_notifications(since + 1, 10**6)
        return Counter(n.topic.rsplit(":", 1)[-1].rsplit(".", 1)[-1] for n in found)

    def position(self) -> int:
        return int(self.services.app.recorder.max_notification_id() or 0)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV}
        env.update(ENV, SOCMED_LANG="en", NO_COLOR="1",
                   PYTHONPATH=os.pathsep.join([str(ROOT / "src"), str(ROOT)]))
        if self.url:
            env["SOCMED_DATABASE_URL"] = self.url
        return env

    def close(self) -> None:
        self.services.close()
        if self.schema is not None:
            self.schema.drop()


@pytest.fixture(params=BACKENDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def stores(kind: str, tmp_path: Path) -> Iterator[tuple[Store, Store]]:
    made = [Store(kind, tmp_path / "killed"), Store(kind, tmp_path / "reference")]
    try:
        yield made[0], made[1]
    finally:
        for store in made:
            store.close()


def worker_process(store: Store, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "socmed_cli.main", "--data-dir", str(store.folder), "--as",
         "adi.admin", "worker", *args], env=store.env(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True)


@pytest.mark.slow  # a dozen worker processes started and killed
def test_kill_9_at_random_points_loses_and_doubles_nothing(
        stores: tuple[Store, Store]) -> None:
    killed, reference = stores
    seed = random.randrange(1 << 30)
    chance = random.Random(seed)
    for store in stores:
        store.record_deliveries()
    start_killed, start_reference = killed.position(), reference.position()

    # The reference: one clean pass in process.
    clean = WebhookWorker.of(reference.services, "adi.admin", mentions=None).drain()
    assert clean.done == UNIQUE + REPEATED
    expected = reference.topics(start_reference)
    assert expected["ConversationOpened"] == UNIQUE

    kills = 0
    progress: list[int] = []
    for _ in range(10):
        process = worker_process(killed, "--loop", "--lease", "1", "--batch", "4",
                                 "--poll", "0.05", "--max-attempts", "50")
        # Once this worker has finished something (so it is mid-way through its work, not
        # still importing), let it run a random while longer, then kill it.
        deadline = time.monotonic() + 30
        while (killed.inbox.status().counts["done"] <= (progress[-1] if progress else 0)
               and process.poll() is None and time.monotonic() < deadline):
            time.sleep(0.02)
        time.sleep(chance.uniform(0.0, 0.3))
        if process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            kills += 1
        process.communicate(timeout=30)
        progress.append(killed.inbox.status().counts["done"])
        if progress[-1] == UNIQUE + REPEATED:
            break
    assert kills >= 3, (seed, kills)
    time.sleep(1.2)  # the last killed worker's lease runs out
    final = worker_process(killed, "--once", "--lease", "1", "--max-attempts", "50")
    out, err = final.communicate(timeout=120)
    assert final.returncode == 0, (seed, out, err)
    assert "Traceback" not in err

    status = killed.inbox.status()
    assert status.counts == {"pending": 0, "done": UNIQUE + REPEATED, "failed": 0,
                             "refused": 0}, (seed, status)
    assert killed.topics(start_killed) == expected, (seed, progress)
    # The kills landed while work was under way, not only before or after it.
    assert any(0 < done < UNIQUE + REPEATED for done in progress), (seed, progress)


class Crash(BaseException):
    """Stands for the process dying: not an Exception, so no handler records anything."""


@pytest.mark.parametrize("step", ["claimed", "processed", "finished"])
def test_a_worker_stopped_after_any_step_is_made_good_by_the_next(
        backend: object, step: str, tmp_path: Path) -> None:
    from tests.conftest import Backend

    assert isinstance(backend, Backend)
    services: Services = backend.services()
    seed_team(services.app)
    inbox = WebhookInbox.of(services)
    receiver = Receiver(inbox, environ=ENV)
    bodies = [linkedin_comment(n) for n in range(6)]
    inbox.record([receiver.check("linkedin", b, sign("linkedin", b)["X-LI-Signature"])[0]
                  for b in bodies])
    before = int(services.app.recorder.max_notification_id() or 0)

    def crash_at_third(name: str, delivery_id: int) -> None:
        if name == step and delivery_id == 3:
            raise Crash

    first = WebhookWorker.of(services, "adi.admin", mentions=None, batch=6,
                             lease=timedelta(seconds=30), step=crash_at_third)
    with pytest.raises(Crash):
        first.run_once()
    claimed = inbox.get(3)
    assert claimed is not None and claimed.state == ("done" if step == "finished"
                                                     else "pending")
    second = WebhookWorker.of(services, "adi.admin", mentions=None, batch=6)
    assert second.run_once().claimed == 0  # the dead worker's lease still holds
    later = datetime.now(UTC) + timedelta(seconds=31)
    report = second.run_once(now=later)
    assert report.done == (3 if step == "finished" else 4)
    assert inbox.status().counts["done"] == 6
    found = services.app.recorder.select_notifications(before + 1, 10**6)
    opened = [n for n in found if n.topic.endswith("ConversationOpened")]
    assert len(opened) == 6  # each comment once, whatever step the first worker died at
    results = {row.id: row.result for row in inbox.all()}
    if step == "processed":  # ingested, not marked: processed again as duplicates
        assert results[3] == {**results[3], "new": 0, "duplicates": 1}


@pytest.mark.slow  # a worker process started and stopped
def test_sigterm_stops_a_looping_worker_cleanly(tmp_path: Path) -> None:
    store = Store("sqlite", tmp_path / "store")
    try:
        store.record_deliveries()
        process = worker_process(store, "--loop", "--poll", "0.1")
        deadline = time.monotonic() + 60
        while store.inbox.status().counts["pending"] and time.monotonic() < deadline:
            time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0, err
        assert err.startswith("Processing webhook deliveries as adi.admin")
        assert err.rstrip().endswith("Worker stopped: the delivery in hand was finished.")
        assert out.count("(LinkedIn): 1 new") == UNIQUE
        assert out.count("(LinkedIn): 0 new, 1 duplicate of 1") == REPEATED
        assert store.inbox.status().counts["done"] == UNIQUE + REPEATED
    finally:
        store.close()

"""Several processes against one store, on SQLite and PostgreSQL: nothing lost, nothing
doubled; conflicts are retried (and reported clearly when retries run out)."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest

from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from tests.conftest import seed_team
from tests.integration import concurrency_workers as workers

PROCESSES = 4

pytestmark = pytest.mark.slow  # concurrent writer processes


def pool():  # type: ignore[no-untyped-def]
    return multiprocessing.get_context("spawn").Pool(PROCESSES)


def test_concurrent_revisions_lose_and_duplicate_nothing(backend, clock) -> None:  # type: ignore[no-untyped-def]
    services = backend.services(clock=clock)
    seed_team(services.app)
    item = services.app.create_content("budi.dm", "Shared draft", Draft(
        text="v0", platforms=(Platform.LINKEDIN,)))
    per_worker = 8
    with pool() as running:
        results = running.starmap(workers.revise_many, [
            (str(backend.data_dir), backend.database_url, str(item), n, per_worker)
            for n in range(PROCESSES)])
    done = sum(r[0] for r in results)
    assert done + sum(r[1] for r in results) == PROCESSES * per_worker
    detail = services.app.get_content(item)
    assert [r.number for r in detail.revisions] == list(range(1, done + 2))
    history = services.app.content_history(item)
    assert [e.version for e in history] == list(range(1, len(history) + 1))
    assert Counter(e.event_type for e in history)["Revised"] == done + 1


def test_concurrent_publishers_post_each_platform_once(backend, clock) -> None:  # type: ignore[no-untyped-def]
    services = backend.services(clock=clock)
    seed_team(services.app)
    app = services.app
    slot = clock() + timedelta(hours=1)
    items = []
    for n in range(6):
        item = app.create_content("budi.dm", f"Item {n}", Draft(
            text=f"Post {n}", platforms=(Platform.LINKEDIN, Platform.X, Platform.FACEBOOK)))
        app.submit_for_review("budi.dm", item)
        app.review_content("dewi.dm", item, CHECKLIST_KEYS)
        app.submit_for_approval("dewi.dm", item)
        app.approve_content("rina.mm", item)
        app.schedule_content("adi.admin", item, slot)
        items.append(item)
    services.close()
    now = (slot + timedelta(minutes=1)).isoformat()
    with pool() as running:
        running.starmap(workers.publish_due, [(str(backend.data_dir), backend.database_url, now)
                                               for _ in range(PROCESSES)])
    calls = (Path(backend.data_dir) / "calls.log").read_text().split()
    assert len(calls) == len(set(calls)) == len(items) * 3, Counter(calls).most_common(3)
    check = backend.services(clock=clock)
    for item in items:
        detail = check.app.get_content(item)
        assert detail.summary.status == "published"
        published = [e for e in check.app.content_history(item) if e.event_type == "Published"]
        assert sorted(e.params["platform"] for e in published) == ["facebook", "linkedin", "x"]

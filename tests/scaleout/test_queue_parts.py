"""The parts of the PostgreSQL job queue one at a time: the deferral at (re)scheduling, the
sweep for an item without a job, a recorded webhook delivery waking a worker, and
`socmed worker --queue` refused on SQLite."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.jobs.queue import JobQueue, publish_lock
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import ContentType, Draft
from socmed_domain.publication.outcomes import PublicationState
from socmed_testing.platforms import LocalPlatforms
from tests.cli.helpers import Socmed, assert_one_line_error
from tests.conftest import PostgresSchema, require_postgres, seed_approved
from tests.scaleout import harness


@pytest.fixture
def schema() -> Iterator[PostgresSchema]:
    require_postgres()
    made = PostgresSchema()
    try:
        yield made
    finally:
        made.drop()


def waiting_jobs(queue: JobQueue, item: Any) -> list[Any]:
    queue._open()
    return list(queue.app.job_manager.list_jobs(queueing_lock=publish_lock(item),
                                                status="todo"))


def x_draft(text: str) -> Draft:
    return Draft(text, (Platform.X,), ContentType.TEXT)


def test_rescheduling_replaces_the_waiting_job(schema: PostgresSchema) -> None:
    harness.prepare(schema.url)
    services = bootstrap(None, database_url=schema.url)
    try:
        queue = JobQueue.of(services)
        assert queue is not None
        item = seed_approved(services.app, "Promo", x_draft("Promo Desember dari Bank Nusa."))
        first = datetime.now(UTC) + timedelta(hours=2)
        services.app.schedule_content("adi.admin", item, first)
        [job] = waiting_jobs(queue, item)
        assert job.scheduled_at == first and job.task_name == "socmed.publish_item"
        later = first + timedelta(days=1)
        services.app.schedule_content("adi.admin", item, later)
        [moved] = waiting_jobs(queue, item)
        assert moved.scheduled_at == later and moved.id != job.id
        assert queue.app.job_manager.get_job_status(job.id).value == "cancelled"
        queue.close()
    finally:
        services.close()


def test_a_due_item_without_a_job_is_published_by_the_sweep(
        schema: PostgresSchema, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scheduled while deferral is off (as if the queue were down): no job waits, and a
    worker's sweep still publishes it, once, at or after its slot."""
    rules = harness.rules_file(tmp_path)
    harness.prepare(schema.url)
    monkeypatch.setenv("SOCMED_JOBS", "off")
    with LocalPlatforms() as local:
        services = bootstrap(None, database_url=schema.url)
        item = seed_approved(services.app, "Promo",
                             x_draft("Promo Desember, uji skala nomor 0000."))
        slot = datetime.now(UTC) + timedelta(seconds=2)
        services.app.schedule_content("adi.admin", item, slot)
        queue = JobQueue.of(services)
        assert queue is not None and waiting_jobs(queue, item) == []
        queue.close()
        pool = harness.Workers(schema.url, harness.environ(local, rules), tmp_path)
        pool.start(1)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                publications = services.app.get_content(item).publications
                if publications and publications[0].state is PublicationState.PUBLISHED:
                    break
                time.sleep(0.3)
        finally:
            pool.stop()
            services.close()
        posts = local.x.posts
    assert len(posts) == 1 and float(posts[0]["created"]) >= slot.timestamp()


def test_a_recorded_delivery_defers_the_webhook_job_and_a_worker_processes_it(
        schema: PostgresSchema, tmp_path: Path) -> None:
    from socmed_adapters.jobs.hooks import webhook_waker
    from socmed_adapters.monitoring.webhook_inbox import NewDelivery, WebhookInbox

    rules = harness.rules_file(tmp_path)
    harness.prepare(schema.url)
    services = bootstrap(None, database_url=schema.url)
    try:
        inbox = WebhookInbox.of(services)
        [delivery] = inbox.record([NewDelivery("linkedin", datetime.now(UTC), b"[1]", {},
                                               "valid", "pending")])
        waker = webhook_waker(services)
        assert waker is not None
        waker._defer()  # what the receiver's on_recorded does, off its event loop
        queue = JobQueue.of(services)
        assert queue is not None
        queue._open()
        assert queue.app.job_manager.list_jobs(task="socmed.process_webhooks", status="todo")
        with LocalPlatforms() as local:
            pool = harness.Workers(schema.url, harness.environ(local, rules), tmp_path)
            pool.start(1)
            try:
                deadline = time.monotonic() + 20
                while (row := inbox.get(delivery)) is not None and row.state == "pending" \
                        and time.monotonic() < deadline:
                    time.sleep(0.2)
            finally:
                pool.stop()
        row = inbox.get(delivery)
        assert row is not None and row.state == "failed" and "not read" in (row.last_error
                                                                              or "")
        queue.close()
    finally:
        services.close()


def test_the_queue_mode_is_refused_on_sqlite(tmp_path: Path) -> None:
    run = Socmed(tmp_path / "store")
    run.ok("init", "--org", "PT Contoh", "--manager", "rina.mm", "--name", "Rina Wijaya")
    result = run("--as", "rina.mm", "worker", "--queue")
    line = assert_one_line_error(result, prefix="")
    assert "--queue needs a PostgreSQL store" in line
    result = run("--lang", "id", "--as", "rina.mm", "worker", "--queue")
    assert "--queue memerlukan penyimpanan PostgreSQL" in assert_one_line_error(result, "")

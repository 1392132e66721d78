"""Bulk ingestion with the assessment on worker processes: the same assessments and the same
stored conversations as assessing inline, on SQLite and PostgreSQL, and the batch reads
(`_find_many`) that make duplicates cheap."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

from socmed_adapters.clock import ManualClock
from socmed_adapters.monitoring.parallel_assess import SMALL_BATCH, ParallelAssessor
from socmed_domain.monitoring.conversation import Conversation
from socmed_domain.monitoring.interaction import (
    InboundInteraction,
    InlineAssessor,
    InteractionKind,
    assess,
)
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB
from tests.conftest import Backend, PostgresSchema, seed_team

TEXTS = Path(__file__).parents[1] / "data" / "sentiment_labelled.jsonl"
START = datetime(2026, 12, 1, 9, 0, tzinfo=WIB)


def _texts() -> list[str]:
    return [json.loads(row)["text"] for row in TEXTS.read_text().splitlines() if row.strip()]


def _interactions(count: int) -> list[InboundInteraction]:
    texts = _texts()
    return [InboundInteraction(
        Platform.INSTAGRAM if n % 2 else Platform.X, InteractionKind.COMMENT, f"m-{n}",
        f"user_{n % 37}", texts[n % len(texts)], START + timedelta(seconds=n),
        author_name=f"Nama {n % 37}", thread_id=f"t-{n // 3}") for n in range(count)]


def test_workers_assess_exactly_as_inline() -> None:
    texts = _texts()
    with ParallelAssessor(2) as assessor:
        assert list(assessor.start(texts)()) == [assess(t) for t in texts]  # maybe here
        assert assessor.wait_until_started()
        assert list(assessor.start(texts)()) == [assess(t) for t in texts]  # by the workers
        small = texts[:SMALL_BATCH - 1]  # assessed here, not shipped
        assert list(assessor.start(small)()) == list(InlineAssessor().start(small)())


def _stored(backend: Backend, clock: ManualClock, parallel: bool,
            rows: list[InboundInteraction]) -> tuple[object, dict[str, tuple[object, ...]]]:
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    if parallel:
        assessor = ParallelAssessor(1)
        app.inbox.assessor = assessor
    try:
        report = app.ingest_interactions("adi.admin", rows, batch=250)
        again = app.ingest_interactions("adi.admin", rows, batch=250)
    finally:
        if parallel:
            assessor.close()
    assert again.new == 0 and again.duplicates == len(rows)
    stored = {}
    for cid in {row.conversation_id for row in rows}:
        conversation = app.find(Conversation, cid)
        assert conversation is not None
        stored[conversation.thread_id] = tuple(
            (m.message_id, m.assessment) for m in conversation.messages)
    return (report.new, report.duplicates, report.conversations_opened), stored


def test_parallel_ingestion_stores_what_inline_does(backend: Backend, clock: ManualClock,
                                                    tmp_path: Path) -> None:
    rows = _interactions(900)
    rows += rows[:40]  # repeats inside the same import
    inline = _stored(backend, clock, False, rows)
    schema = PostgresSchema() if backend.database_url else None
    other = Backend(backend.kind, tmp_path / "other", schema.url if schema else None)
    try:
        parallel = _stored(other, clock, True, rows)
    finally:
        other.close()
        if schema is not None:
            schema.drop()
    assert inline == parallel
    assert inline[0] == (900, 40, len({row.conversation_id for row in rows}))


def test_batch_read_finds_stored_conversations_only(backend: Backend,
                                                    clock: ManualClock) -> None:
    app = backend.services(clock=clock).app
    seed_team(app)
    rows = _interactions(12)
    app.ingest_interactions("adi.admin", rows[:6])
    cids = [row.conversation_id for row in rows]
    found = app.find_many(Conversation, cids)
    assert set(found) == {row.conversation_id for row in rows[:6]}
    for cid, conversation in found.items():
        assert conversation == app.find(Conversation, cid)


def test_an_import_of_repeats_starts_no_worker(backend: Backend, clock: ManualClock) -> None:
    app = backend.services(clock=clock).app
    seed_team(app)
    rows = _interactions(700)
    app.ingest_interactions("adi.admin", rows, batch=250)
    with ParallelAssessor(1) as assessor:
        app.inbox.assessor = assessor
        again = app.ingest_interactions("adi.admin", rows, batch=250)
        assert (again.new, again.duplicates) == (0, 700)
        assert not assessor.started and assessor.pool is None
        more = app.ingest_interactions("adi.admin", _interactions(1400)[700:], batch=250)
        assert more.new == 700 and assessor.started


def test_half_stored_file_threads_across_batches(backend: Backend, clock: ManualClock,
                                                 tmp_path: Path) -> None:
    """Half a file stored before, the whole file again in batches that split threads (and
    repeat a batch's messages in the next): the same conversations as one import of it."""
    rows = _interactions(450)
    rows += rows[90:130]
    app = backend.services(clock=clock).app
    seed_team(app)
    first = app.ingest_interactions("adi.admin", rows[:200], batch=50)
    again = app.ingest_interactions("adi.admin", rows, batch=64)
    assert (first.new, again.new, again.duplicates) == (200, 250, 240)
    schema = PostgresSchema() if backend.database_url else None
    other = Backend(backend.kind, tmp_path / "other", schema.url if schema else None)
    try:
        whole = other.services(clock=clock).app
        seed_team(whole)
        assert whole.ingest_interactions("adi.admin", rows).new == 450
        for cid in {row.conversation_id for row in rows}:
            here, there = app.find(Conversation, cid), whole.find(Conversation, cid)
            assert here is not None and there is not None
            assert [m.message_id for m in here.messages] == \
                [m.message_id for m in there.messages]
    finally:
        other.close()
        if schema is not None:
            schema.drop()


def test_bulk_ingestion_restores_the_collector_and_the_assessor(backend: Backend,
                                                                clock: ManualClock) -> None:
    import gc

    from socmed_adapters.monitoring.bulk import BULK_THRESHOLDS, bulk_ingestion

    app = backend.services(clock=clock).app
    seed_team(app)
    before, inline = gc.get_threshold(), app.inbox.assessor
    with bulk_ingestion(app, workers=1):
        assert isinstance(app.inbox.assessor, ParallelAssessor)
        assert gc.get_threshold() == BULK_THRESHOLDS and gc.get_freeze_count() > 0
        report = app.ingest_interactions("adi.admin", _interactions(600))
    assert report.new == 600
    assert app.inbox.assessor is inline and gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
    try:
        with bulk_ingestion(app):
            raise RuntimeError("the import failed")
    except RuntimeError:
        pass
    assert app.inbox.assessor is inline and gc.get_threshold() == before


def test_bulk_ingestion_leaves_a_host_s_own_frozen_heap_frozen(backend: Backend,
                                                                clock: ManualClock) -> None:
    import gc

    from socmed_adapters.monitoring.bulk import bulk_ingestion

    app = backend.services(clock=clock).app
    seed_team(app)
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with bulk_ingestion(app):
            app.ingest_interactions("adi.admin", _interactions(30))
        assert gc.get_freeze_count() > frozen // 2  # still frozen (some were freed since)
    finally:
        gc.unfreeze()


def test_a_worker_that_dies_falls_back_to_assessing_here() -> None:
    import os
    import signal
    import time

    texts = _texts()
    with ParallelAssessor(1) as assessor:
        assert assessor.wait_until_started()
        assert list(assessor.start(texts)()) == [assess(t) for t in texts]  # by the workers
        assert assessor.pool is not None
        for pid in list(assessor.pool._processes):  # the pool's own record of its workers
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.5)
        assert list(assessor.start(texts)()) == [assess(t) for t in texts]
        assert assessor.pool is None  # and from now on, here
        assert list(assessor.start(texts[:300])()) == [assess(t) for t in texts[:300]]


def test_message_ids_read_from_the_stored_json_are_the_decoded_ones(
        backend: Backend, clock: ManualClock) -> None:
    """Repeats are found by peeking at the stored events' JSON (`SocmedTranscoder.peek`):
    the same ids as decoding the events, escapes and non-ASCII included."""
    app = backend.services(clock=clock).app
    seed_team(app)
    odd = ['q"uote', "back\\slash", "ünï-çødé-😀", "tab\there", "  padded  "]
    rows = [InboundInteraction(Platform.X, InteractionKind.MENTION, message_id, "siti",
                               "halo", START + timedelta(seconds=n), thread_id="t-odd")
            for n, message_id in enumerate(odd)]
    assert app.ingest_interactions("adi.admin", rows).new == len(odd)
    stored = app.inbox.kernel.recorder.select_events_of([rows[0].conversation_id])
    peek = app.inbox.mapper.transcoder.peek
    assert [peek(s.state, "message", "message_id") for s in stored] == \
        [app.inbox.mapper.to_domain_event(s).message.message_id for s in stored] == \
        [m.strip() for m in odd]
    again = app.ingest_interactions("adi.admin", rows)
    assert (again.new, again.duplicates) == (0, len(odd))

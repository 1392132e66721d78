"""The spike check right after an import (`raise_spike_alerts(..., after=IngestLog)`) counts
exactly the negative messages the read model would after catching up, on SQLite and
PostgreSQL: with the read model behind, another writer's messages between the import's
batches, and the read model caught up by another process past part of the import."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update

from socmed_adapters.clock import ManualClock
from socmed_domain.monitoring.ingest_log import IngestLog
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB
from tests.conftest import Backend, seed_team

START = datetime(2026, 12, 10, 8, 0, tzinfo=WIB)
NEGATIVE = "Transfer gagal terus, kecewa banget"
POSITIVE = "Terima kasih, pelayanannya cepat dan ramah"


def _messages(prefix: str, count: int, first: datetime, every: timedelta,
              negative_every: int = 1) -> list[InboundInteraction]:
    return [InboundInteraction(
        Platform.X, InteractionKind.MENTION, f"{prefix}-{n}", f"{prefix}_user{n % 7}",
        NEGATIVE if n % negative_every == 0 else POSITIVE, first + every * n,
        thread_id=f"{prefix}-t{n // 2}") for n in range(count)]


def _alert_ids(app: Any, report: Any, log: IngestLog | None) -> tuple[str, ...]:
    return app.inbox.raise_spike_alerts("adi.admin", report.first_at, report.last_at,
                                        after=log)


def test_same_messages_counted_as_after_catching_up(backend: Backend,
                                                    clock: ManualClock) -> None:
    mine = backend.services(clock=clock)
    other = backend.services(clock=clock)  # another process on the same store
    app = mine.app
    seed_team(app)
    # A calm week before, partly projected (a query caught the read model up), partly not.
    app.ingest_interactions("adi.admin", _messages(
        "week", 60, START - timedelta(days=6), timedelta(hours=2), negative_every=3))
    app.inbox.inbox_index.negative_times(START - timedelta(days=8), START)
    other.app.ingest_interactions("adi.admin", _messages(
        "before", 12, START - timedelta(hours=20), timedelta(hours=1)))

    def burst() -> Iterator[InboundInteraction]:
        """Ours, in batches of 20 (batch k+1 is read after batch k-1 is stored), with the
        other process writing negative messages between our batches, and once projecting
        the read model up to the middle of our import."""
        for n, message in enumerate(_messages("burst", 90, START, timedelta(minutes=1),
                                              negative_every=2)):
            if n in (40, 60, 80):
                other.app.ingest_interactions("adi.admin", _messages(
                    f"between{n}", 5, START + timedelta(minutes=n), timedelta(seconds=10)))
            if n == 40:
                other.app.inbox.inbox_index.negative_times(START, START + timedelta(days=1))
            yield message

    log = IngestLog()
    report = app.inbox.ingest_interactions("adi.admin", burst(), batch=20, log=log)
    assert report.new == 90
    other.app.ingest_interactions("adi.admin", _messages(
        "after", 6, START + timedelta(minutes=45), timedelta(seconds=20)))

    since = START - timedelta(days=9)
    until = report.last_at + timedelta(hours=1)
    quick = app.inbox._negative_times(since, until, log)
    caught_up = app.inbox._negative_times(since, until)  # catches the read model up
    assert quick == caught_up
    assert len(caught_up) == 20 + 12 + 45 + 3 * 5 + 6

    # Another process projected past the position this check reads (a race): its rows
    # beyond that position are not counted twice.
    projector = mine.projector
    tracking = projector.trackers["inbox"].table
    middle = sorted(log._positions)[len(log._positions) // 2]
    with projector.engine.begin() as conn:
        conn.execute(update(tracking).where(tracking.c.projection == "inbox")
                     .values(notification_id=middle))
    assert app.inbox._negative_times(since, until, log) == caught_up


def test_alerts_raised_as_without_the_log(backend: Backend, clock: ManualClock,
                                          tmp_path: Any) -> None:
    """Two identical stores, one checked with the import's log, one without: the same
    alerts (and, checked again, none new)."""
    from tests.conftest import PostgresSchema

    schema = PostgresSchema() if backend.database_url else None
    twin = Backend(backend.kind, tmp_path / "twin", schema.url if schema else None)
    try:
        raised = []
        for side, log in ((backend, IngestLog()), (twin, None)):
            app = side.services(clock=clock).app
            seed_team(app)
            app.ingest_interactions("adi.admin", _messages(
                "calm", 40, START - timedelta(days=5), timedelta(hours=3), negative_every=4))
            report = app.inbox.ingest_interactions("adi.admin", _messages(
                "wave", 120, START, timedelta(minutes=2), negative_every=2), batch=40,
                log=log)
            first = _alert_ids(app, report, log)
            assert first
            assert _alert_ids(app, report, log) == ()
            raised.append(first)
        assert raised[0] == raised[1]
    finally:
        twin.close()
        if schema is not None:
            schema.drop()


def test_the_log_knows_its_positions_and_the_gaps_between() -> None:
    class Note:
        def __init__(self, position: int) -> None:
            self.notification = type("N", (), {"id": position})()
            self.domain_event = object()

    log = IngestLog()
    log.record([Note(p) for p in (5, 6, 7, 10, 11)])
    log.record([Note(15)])
    assert log.others_after(0) == [(1, 4), (8, 9), (12, 14), (16, None)]
    assert log.others_after(6) == [(8, 9), (12, 14), (16, None)]
    assert log.others_after(15) == [(16, None)]
    assert log.negative_times(0, START, START) == []


def test_a_read_model_far_behind_is_caught_up_instead(backend: Backend, clock: ManualClock,
                                                      monkeypatch: Any) -> None:
    """Other writers' events between the read model's position and the import beyond
    BEHIND_LIMIT: the check projects them (once) rather than decoding them on every import;
    the count is the same."""
    import socmed_domain.monitoring.service as service

    mine = backend.services(clock=clock)
    other = backend.services(clock=clock)
    app = mine.app
    seed_team(app)
    other.app.ingest_interactions("adi.admin", _messages(
        "backlog", 40, START - timedelta(hours=30), timedelta(minutes=30)))
    log = IngestLog()
    report = app.inbox.ingest_interactions("adi.admin", _messages(
        "burst", 30, START, timedelta(minutes=1)), log=log)
    since, until = START - timedelta(days=9), report.last_at
    before = {s.name: s.position for s in mine.projector.status()}["inbox"]
    monkeypatch.setattr(service, "BEHIND_LIMIT", 10)
    assert len(app.inbox._negative_times(since, until, log)) == 40 + 30
    status = {s.name: s for s in mine.projector.status()}["inbox"]
    assert status.position > before and status.lag == 0  # projected, not only read

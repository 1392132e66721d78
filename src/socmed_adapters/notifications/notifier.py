"""The notifier: follows the event log with a tracked position, decides, and sends.

Deciding uses the projections' machinery: the log is read after the notifier's position
(`SqlTrackingRecorder`, the projections' tracking table under the name "notifier") in
batches; for each batch, every event is replayed onto its aggregate (`ReplayCache`), the
domain's `decide` says what to send, and the decisions, the watch list of the clocks and the
new position commit in ONE transaction into the outbox. A process killed at any point
resumes from the last committed batch: each notification is decided exactly once (a second
process deciding the same batch loses on the position and rolls back). The clock's
notifications (`scan`) have a dedupe key per threshold and are inserted once each.

Sending drains the outbox: each due row is claimed (a lease), delivered, recorded as an
audited `NotificationSent` event and marked sent. Killed between delivering and marking, the
row is delivered again when its lease runs out (at least once; the receiver sees the same
dedupe key) and recorded once (the record's id is the key). A failed delivery is retried
with the webhook worker's backoff (5 s doubled per attempt, at most 1 h) up to
`max_attempts`, then marked failed (`socmed notify list --status failed`).

Events older than `max_age` (24 h) when first decided tell no one: a notifier started on a
store with a history does not send its past. Digest rows wait for the day's digest hour
($SOCMED_NOTIFY_DIGEST_HOUR, 8 in the store's zone) and go as one message per member and
channel.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from uuid import UUID

from attrs import define, frozen
from eventsourcing.persistence import IntegrityError, Tracking
from sqlalchemy import (
    Column,
    Engine,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError as SqlIntegrityError
from sqlalchemy.exc import OperationalError, ProgrammingError

from socmed_adapters.monitoring.webhook_worker import backoff
from socmed_adapters.notifications.senders import (
    DeliveryError,
    Message,
    Senders,
    SmtpSettings,
)
from socmed_adapters.projections.base import ReplayCache
from socmed_adapters.projections.tracking import SqlTrackingRecorder, tracking_table
from socmed_domain.crisis.incident import Incident
from socmed_domain.i18n import render
from socmed_domain.monitoring.conversation import Conversation
from socmed_domain.notifications.contacts import Channel, ChannelKind, DeliveryMode
from socmed_domain.notifications.decide import Notification, decide, scan
from socmed_domain.notifications.rules import (
    NotificationKind,
    NotificationRules,
)
from socmed_domain.production.content_item import EXPIRABLE, ContentItem
from socmed_domain.timezones import DEFAULT_ZONE

log = logging.getLogger("socmed.notifier")

NAME = "notifier"
BATCH = 500
#: The aggregates whose events can call for a notification (others are skipped undecoded).
WATCHED = ("ContentItem", "Incident", "Conversation", "MonitoringAlert", "Strategy",
           "Campaign")
STATUSES = ("pending", "sent", "failed")


def _tables(metadata: MetaData) -> tuple[Table, Table]:
    outbox = Table(
        "socmed_notify_outbox", metadata,
        Column("dedupe_key", String(64), primary_key=True),
        Column("kind", String(40), nullable=False),
        Column("recipient", String(40), nullable=False),
        Column("channel", String(40), nullable=False),
        Column("channel_kind", String(10), nullable=False),
        Column("address", Text, nullable=False),
        Column("mode", String(10), nullable=False),
        Column("answers", String(200), nullable=False),
        Column("subject", String(200), nullable=False),
        Column("params", Text, nullable=False),
        Column("position", Integer, nullable=False),  # the event's; 0 for the clock's
        Column("decided_at", String(40), nullable=False),
        Column("status", String(10), nullable=False),
        Column("attempts", Integer, nullable=False),
        Column("due", Float, nullable=False),  # epoch seconds: next attempt
        Column("claimed_until", Float, nullable=False),
        Column("last_error", Text, nullable=False),
        Column("sent_at", String(40), nullable=False),
        Index("ix_socmed_notify_outbox_due", "status", "due"),
    )
    watch = Table(
        "socmed_notify_watch", metadata,
        Column("aggregate_id", String(36), primary_key=True),
        Column("what", String(20), nullable=False),
    )
    return outbox, watch


@frozen
class PassReport:
    events: int = 0
    decided: int = 0
    sent: int = 0
    retrying: int = 0
    failed: int = 0

    def __add__(self, other: PassReport) -> PassReport:
        return PassReport(self.events + other.events, self.decided + other.decided,
                          self.sent + other.sent, self.retrying + other.retrying,
                          self.failed + other.failed)

    def as_json(self) -> dict[str, int]:
        return {"events": self.events, "decided": self.decided, "sent": self.sent,
                "retrying": self.retrying, "failed": self.failed}


def _epoch(at: datetime) -> float:
    return at.timestamp()


def _insert(conn: Any, table: Table) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(table)


@define(slots=False)
class Notifier:
    """Decides and sends the notifications of one store."""

    services: Any
    #: Fixed rules (tests); by default the company configuration's in force, per batch.
    rules: NotificationRules | None = None
    senders: Senders | None = None
    batch: int = BATCH
    max_attempts: int = 8
    lease: timedelta = timedelta(seconds=60)
    max_age: timedelta = timedelta(hours=24)
    lang: str = ""
    #: Called between the steps of a batch (tests stop a process there).
    on_step: Callable[[str], None] | None = None

    def __attrs_post_init__(self) -> None:
        self.app = self.services.app
        self.engine: Engine = self.services.engine
        self.metadata = MetaData(schema=self.services.storage.schema)
        tracking_table(self.metadata)
        self.outbox, self.watch = _tables(self.metadata)
        self.tracker = SqlTrackingRecorder(self.engine, NAME, self.metadata, create=False)
        self.cache = ReplayCache(self.app)
        self.lang = self.lang or os.environ.get("SOCMED_LANG", "en")
        if self.senders is None:
            self.senders = Senders(SmtpSettings.from_env(data_dir=self.services.data_dir))
        for attempt in range(5):
            try:
                self.metadata.create_all(self.engine)
                break
            except (OperationalError, ProgrammingError, SqlIntegrityError):
                if attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))

    # ----------------------------------------------------------------- deciding

    def now(self) -> datetime:
        return self.app.now()  # type: ignore[no-any-return]

    def position(self) -> int:
        return self.tracker.max_tracking_id(self.app.name) or 0

    def decide_pending(self) -> tuple[int, int]:
        """Decide for every event after the tracked position: (events, notifications)."""
        events = decided = 0
        races = 0
        while True:
            head = self.app.recorder.max_notification_id() or 0
            position = self.position()
            if position >= head:
                return events, decided
            page = self.app.recorder.select_notifications(start=position + 1,
                                                          limit=self.batch, stop=head)
            if not page:
                return events, decided
            try:
                decided += self._decide_batch(page)
            except (IntegrityError, SqlIntegrityError):
                self.cache.clear()  # another notifier decided this batch first
                races += 1
                if races > 100:
                    raise
                continue
            except BaseException:
                self.cache.clear()
                raise
            events += len(page)

    def rules_in_force(self) -> NotificationRules:
        """The fixed rules, else the company configuration's (`socmed config apply`)."""
        if self.rules is not None:
            return self.rules
        return cast(NotificationRules, self.app.configuration.notification_rules())

    def _decide_batch(self, page: list[Any]) -> int:
        now = self.now()
        audience = self.app.contacts.audience()
        rules = self.rules_in_force()
        rows: list[dict[str, Any]] = []
        watched: dict[str, str | None] = {}
        for stored in page:
            if not any(f":{name}." in stored.topic for name in WATCHED):
                continue
            event = self.app.mapper.to_domain_event(stored)
            voided = None
            if isinstance(event, ContentItem.Revised):
                voided = self._previous_approval(event)
            aggregate = self.cache.advance(event)
            self._watch(watched, aggregate)
            if now - event.timestamp > self.max_age:
                continue
            for notification in decide(event, aggregate, rules, audience, voided=voided):
                rows.append(self._row(notification, stored.id, now))
        self._step("decided")
        with self.engine.begin() as conn:
            if rows:
                conn.execute(_insert(conn, self.outbox).on_conflict_do_nothing(), rows)
            self._write_watch(conn, watched)
            self.tracker.record(conn, Tracking(self.app.name, page[-1].id))
            self._step("committing")
        self._step("committed")
        return len(rows)

    def _previous_approval(self, event: Any) -> Any:
        previous = self.cache.items.get(event.originator_id)
        if previous is None or previous.version != event.originator_version - 1:
            if event.originator_version <= 1:
                return None
            previous = self.app.repository.get(event.originator_id,
                                               version=event.originator_version - 1)
            self.cache.items[event.originator_id] = previous
        return previous.approval

    @staticmethod
    def _watch(watched: dict[str, str | None], aggregate: Any) -> None:
        key = str(aggregate.id)
        if isinstance(aggregate, ContentItem):
            watched[key] = ("content" if aggregate.slot is not None
                            and aggregate.status in EXPIRABLE else None)
        elif isinstance(aggregate, Conversation):
            watched[key] = ("conversation" if aggregate.is_open
                            and aggregate.first_replied_at is None else None)
        elif isinstance(aggregate, Incident):
            watched[key] = ("incident" if aggregate.breach_known_at is not None
                            and aggregate.pdp_notices_missing else None)

    def _write_watch(self, conn: Any, watched: dict[str, str | None]) -> None:
        if not watched:
            return
        ids = list(watched)
        for start in range(0, len(ids), 400):
            conn.execute(self.watch.delete().where(
                self.watch.c.aggregate_id.in_(ids[start:start + 400])))
        rows = [{"aggregate_id": k, "what": v} for k, v in watched.items() if v]
        if rows:
            conn.execute(self.watch.insert(), rows)

    def _row(self, notification: Notification, position: int, now: datetime) -> dict[str, Any]:
        due = now if notification.mode is DeliveryMode.IMMEDIATE else self._digest_time(now)
        return {
            "dedupe_key": notification.dedupe_key, "kind": notification.kind.value,
            "recipient": notification.recipient, "channel": notification.channel.name,
            "channel_kind": notification.channel.kind.value,
            "address": notification.channel.address, "mode": notification.mode.value,
            "answers": notification.answers, "subject": notification.subject,
            "params": json.dumps(dict(notification.params), ensure_ascii=False),
            "position": position, "decided_at": now.isoformat(), "status": "pending",
            "attempts": 0, "due": _epoch(due), "claimed_until": 0.0, "last_error": "",
            "sent_at": ""}

    @staticmethod
    def _digest_time(now: datetime) -> datetime:
        hour = int(os.environ.get("SOCMED_NOTIFY_DIGEST_HOUR", "8"))
        local = now.astimezone(DEFAULT_ZONE)
        at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
        return at if at > local else at + timedelta(days=1)

    def scan_clocks(self) -> int:
        """Decide what the clock calls for now (each threshold once)."""
        with self.engine.connect() as conn:
            watched = conn.execute(select(self.watch.c.aggregate_id, self.watch.c.what)).all()
        by_kind: dict[str, list[UUID]] = {}
        for aggregate_id, what in watched:
            by_kind.setdefault(what, []).append(UUID(aggregate_id))
        if not by_kind:
            return 0
        now = self.now()
        inbox = self.app.inbox
        found = scan(
            now, self.rules_in_force(), self.app.contacts.audience(),
            items=self.app.find_many(ContentItem, by_kind.get("content", [])).values(),
            conversations=self.app.find_many(Conversation,
                                             by_kind.get("conversation", [])).values(),
            incidents=self.app.find_many(Incident, by_kind.get("incident", [])).values(),
            sla_policy=inbox.sla_policy, calendar=inbox.business_calendar)
        if not found:
            return 0
        rows = [self._row(n, 0, now) for n in found]
        with self.engine.begin() as conn:
            result = conn.execute(_insert(conn, self.outbox).on_conflict_do_nothing()
                                  .returning(self.outbox.c.dedupe_key), rows)
            return len(result.all())

    # ------------------------------------------------------------------ sending

    def send_due(self) -> PassReport:
        """Deliver every due row once (claimed first); returns sent, retrying, failed."""
        now = _epoch(self.now())
        with self.engine.connect() as conn:
            due = conn.execute(select(self.outbox).where(
                self.outbox.c.status == "pending", self.outbox.c.due <= now,
                self.outbox.c.claimed_until <= now).order_by(
                self.outbox.c.due, self.outbox.c.dedupe_key).limit(self.batch)).mappings().all()
        groups: dict[tuple[str, str], list[Any]] = {}
        for row in due:
            if row["mode"] == DeliveryMode.DIGEST.value:
                groups.setdefault((row["recipient"], row["channel"]), []).append(row)
            else:
                groups[(row["dedupe_key"], "")] = [row]
        sent = retrying = failed = 0
        for rows in groups.values():
            claimed = [r for r in rows if self._claim(r, now)]
            if not claimed:
                continue
            outcome = self._deliver(claimed)
            sent += outcome[0]
            retrying += outcome[1]
            failed += outcome[2]
        return PassReport(sent=sent, retrying=retrying, failed=failed)

    def _claim(self, row: Any, now: float) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(update(self.outbox).where(
                self.outbox.c.dedupe_key == row["dedupe_key"],
                self.outbox.c.status == "pending",
                self.outbox.c.claimed_until == row["claimed_until"]).values(
                claimed_until=now + self.lease.total_seconds()))
            return result.rowcount == 1

    def _deliver(self, rows: list[Any]) -> tuple[int, int, int]:
        notifications = [self.notification(r) for r in rows]
        channel = notifications[0].channel
        message = self.message(notifications)
        assert self.senders is not None
        try:
            self._step("sending")
            self.senders.deliver(channel, message)
        except DeliveryError as error:
            return self._failed(rows, str(error))
        self._step("delivered")
        for notification, row in zip(notifications, rows, strict=True):
            self.app.contacts.record_sent(notification,
                                               datetime.fromisoformat(row["decided_at"]))
        self._step("recorded")
        with self.engine.begin() as conn:
            conn.execute(update(self.outbox).where(
                self.outbox.c.dedupe_key.in_([r["dedupe_key"] for r in rows])).values(
                status="sent", sent_at=self.now().isoformat(), claimed_until=0.0,
                attempts=self.outbox.c.attempts + 1))
        return len(rows), 0, 0

    def _failed(self, rows: list[Any], error: str) -> tuple[int, int, int]:
        retrying = failed = 0
        with self.engine.begin() as conn:
            for row in rows:
                attempts = row["attempts"] + 1
                if attempts >= self.max_attempts:
                    values: dict[str, Any] = {"status": "failed"}
                    failed += 1
                else:
                    values = {"due": _epoch(self.now()) + backoff(attempts).total_seconds()}
                    retrying += 1
                conn.execute(update(self.outbox).where(
                    self.outbox.c.dedupe_key == row["dedupe_key"]).values(
                    attempts=attempts, last_error=error[:500], claimed_until=0.0, **values))
        log.info("notification delivery failed: %s", error)
        return 0, retrying, failed

    @staticmethod
    def notification(row: Any) -> Notification:
        return Notification(
            row["dedupe_key"], NotificationKind(row["kind"]), row["recipient"],
            Channel(row["channel"], ChannelKind(row["channel_kind"]), row["address"]),
            DeliveryMode(row["mode"]), row["answers"], row["subject"],
            tuple(sorted(json.loads(row["params"]).items())))

    def message(self, notifications: list[Notification]) -> Message:
        lines = []
        for n in notifications:
            lines.append(render(f"notify.kind.{n.kind.value}", self.lang, **n.message_params))
            lines.append(render("notify.footer", self.lang, recipient=n.recipient,
                                kind=n.kind.value, key=n.dedupe_key))
            lines.append("")
        keys = tuple(n.dedupe_key for n in notifications)
        if len(notifications) == 1:
            subject = f"[socmed {keys[0]}] {lines[0]}"
        else:
            subject = (f"[socmed {keys[0]}+{len(keys) - 1}] "
                       + render("notify.digest_subject", self.lang, count=len(keys)))
        return Message(subject=subject[:250], body="\n".join(lines), keys=keys)

    # ----------------------------------------------------------------- running

    def run_once(self) -> PassReport:
        events, decided = self.decide_pending()
        decided += self.scan_clocks()
        return PassReport(events=events, decided=decided) + self.send_due()

    def run(self, stop: threading.Event, poll: float = 1.0) -> None:
        while not stop.is_set():
            try:
                report = self.run_once()
            except Exception:  # a store hiccup must not end the loop; try again
                log.exception("notifier pass failed")
                report = PassReport()
            if report.events == 0 and report.sent == 0:
                stop.wait(poll)

    def rows(self, status: str | None = None) -> list[dict[str, Any]]:
        query = select(self.outbox).order_by(self.outbox.c.decided_at,
                                             self.outbox.c.dedupe_key)
        if status:
            query = query.where(self.outbox.c.status == status)
        with self.engine.connect() as conn:
            return [dict(r) for r in conn.execute(query).mappings().all()]

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as conn:
            found: dict[str, int] = {row[0]: row[1] for row in conn.execute(
                select(self.outbox.c.status, func.count()).group_by(self.outbox.c.status))}
        return {s: int(found.get(s, 0)) for s in STATUSES}

    def retry_failed(self, keys: Iterable[str] = ()) -> int:
        wanted = list(keys)
        statement = update(self.outbox).where(self.outbox.c.status == "failed")
        if wanted:
            statement = statement.where(self.outbox.c.dedupe_key.in_(wanted))
        with self.engine.begin() as conn:
            return int(conn.execute(statement.values(status="pending", attempts=0,
                                                     due=_epoch(self.now()))).rowcount)

    def _step(self, name: str) -> None:
        if self.on_step is not None:
            self.on_step(name)


class NotifierThread:
    """The notifier's loop on a daemon thread, for `socmed serve` and `socmed worker`."""

    def __init__(self, notifier: Notifier, poll: float = 1.0) -> None:
        self.notifier = notifier
        self.poll = poll
        self._stop = threading.Event()
        self._thread = threading.Thread(target=notifier.run, args=(self._stop, poll),
                                        name="socmed-notifier", daemon=True)

    def start(self) -> NotifierThread:
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._thread.join(timeout)


def utc_now() -> datetime:
    return datetime.now(UTC)

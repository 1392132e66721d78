"""A projection follower: one background thread per server process keeps every read model
caught up, so a read never pays for catching up (nor for asking whether it must).

The thread wakes when there may be new events: at once when a reader waits for it, on
PostgreSQL when the recorder's LISTEN/NOTIFY delivers a commit (any process's), and otherwise
every `poll_seconds` (SQLite cannot push; a poll is one `max(id)` query; with notifications,
every second for safety). Each wake catches up from the tracked positions exactly as
`Projector.catch_up` always has, so a crash, a rebuild or a second process following the
same store keeps its guarantees. Without a reader waiting, it catches up at most every
`batch_seconds`: a command's response never waits for it.

The consistency a reader gets (docs/decisions.md, "Reads from a projection follower"):
`Projector.catch_up`, which every read-model query calls first, no longer catches up itself
while a follower runs; it waits until the follower has passed `Kernel.written`, the highest
notification this process recorded. So a member reads their own writes (and every write made
through this process) on the next request; another process's writes show once the follower
has seen them (milliseconds with PostgreSQL's notifications, one poll with SQLite).

The follower also reports Team and MemberAccess events recorded by other processes to the
kernel (`Kernel.access_changed`): the cached team and the web layer's cached principals are
dropped, so a member deactivated or a token revoked elsewhere fails as soon as the follower
has seen the event.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from eventsourcing.utils import get_topic

from socmed_domain.events import AuditedEvent
from socmed_domain.identity.access import MemberAccess
from socmed_domain.team import Team

log = logging.getLogger("socmed.follower")


def _event_topics(*aggregates: type) -> tuple[str, ...]:
    return tuple(sorted(get_topic(cls) for aggregate in aggregates
                        for cls in vars(aggregate).values()
                        if isinstance(cls, type) and issubclass(cls, AuditedEvent)))


#: Seconds between polls of the log while notifications wake the follower (PostgreSQL).
LISTENING_POLL_SECONDS = 1.0

#: The events that change who may act: the team's and every member's access record.
ACCESS_TOPICS = _event_topics(Team, MemberAccess)


class Follower:
    """Keeps `projector` caught up in a daemon thread; `wait_for` blocks a reader until the
    read models have passed a position."""

    def __init__(self, projector: Any, poll_seconds: float = 0.05,
                 wait_seconds: float = 10.0, batch_seconds: float = 0.25) -> None:
        self.projector = projector
        self.kernel = projector.app
        self.poll_seconds = poll_seconds
        #: How long the thread sleeps without a wake: `poll_seconds`, or while the store's
        #: notifications wake it on every commit (PostgreSQL), `LISTENING_POLL_SECONDS`
        #: (a poll is a max(id) query: at 20 a second it was a third of the follower's CPU
        #: under a stream of commands; the notifications make it redundant but for safety).
        self._idle_seconds = poll_seconds
        #: Without a reader waiting, catch up at most this often: a catch-up costs a few
        #: milliseconds of CPU however few events it applies, so under a stream of commands
        #: the events are applied in batches (a reader waiting is served at once).
        self.batch_seconds = batch_seconds
        self._urgent = threading.Event()
        self._last = 0.0
        self.wait_seconds = wait_seconds
        #: Every projection has applied every event up to here.
        self.position = 0
        self._changed = threading.Condition()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._listener: threading.Thread | None = None
        self.failures = 0

    # ------------------------------------------------------------------ life

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and not self._stop.is_set()

    def start(self) -> None:
        """Catch up once in the caller (so the first request finds the read models ready),
        then follow in the background."""
        if self._thread is not None:
            return
        self._catch_up()
        self._thread = threading.Thread(target=self._run, name="socmed-follower", daemon=True)
        self._thread.start()
        self._listen()
        self.projector.follower = self
        self.kernel.access_followed = True

    def stop(self) -> None:
        self.kernel.access_followed = False
        if getattr(self.projector, "follower", None) is self:
            self.projector.follower = None
        self._stop.set()
        self._wake.set()
        for thread in (self._thread, self._listener):
            if thread is not None:
                thread.join(timeout=10)
        with self._changed:
            self._changed.notify_all()

    def poke(self) -> None:
        """There are new events (this process just recorded some): catch up now."""
        self._wake.set()

    # ------------------------------------------------------------- readers

    def wait_for(self, position: int) -> None:
        """Return once every read model has applied every event up to `position`. If the
        follower cannot (it stopped, or failed for longer than `wait_seconds`), the caller
        catches up itself, as it did before there was a follower."""
        if self.position >= position:
            return
        self._urgent.set()
        self._wake.set()
        deadline = time.monotonic() + self.wait_seconds
        with self._changed:
            while self.position < position and self.running:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(min(left, self.poll_seconds))
        if self.position < position:
            self.projector.catch_up_now()

    # ------------------------------------------------------------- the thread

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._idle_seconds)
            self._wake.clear()
            if self._stop.is_set():
                return
            if not self._urgent.is_set():
                early = self._last + self.batch_seconds - time.monotonic()
                if early > 0:
                    self._urgent.wait(early)  # a reader may still ask for it sooner
            self._urgent.clear()
            try:
                self._catch_up()
                self.failures = 0
            except Exception:
                self.failures += 1
                log.exception("projection follower: catch-up failed (%d)", self.failures)
                self._stop.wait(min(5.0, 0.1 * self.failures))

    def _catch_up(self) -> None:
        head = self.projector.head()
        if head <= self.position:
            return
        before = self.position
        self._last = time.monotonic()
        self.projector.catch_up_now(head=head)
        if before and self._access_changed_in(before, head):
            self.kernel.access_changed()
        with self._changed:
            self.position = max(self.position, head)
            self._changed.notify_all()

    def _access_changed_in(self, after: int, upto: int) -> bool:
        """Whether a Team or MemberAccess event was recorded in (after, upto]."""
        found = self.kernel.recorder.select_notifications(
            start=after + 1, limit=1, stop=upto, topics=ACCESS_TOPICS)
        return bool(found)

    def _listen(self) -> None:
        """PostgreSQL: wake on every commit's notification (another process's too). The
        recorder only wakes us (`wait_for_commits`): the catch-up reads what is new."""
        wait_for_commits = getattr(self.kernel.recorder, "wait_for_commits", None)
        if wait_for_commits is None:
            return  # SQLite and memory: the poll

        def listen() -> None:
            try:
                wait_for_commits(self._wake.set, self._stop.is_set)
            except Exception:
                if not self._stop.is_set():
                    log.exception("projection follower: notifications stopped; polling")
            self._idle_seconds = self.poll_seconds
            self._wake.set()

        self._listener = threading.Thread(target=listen, name="socmed-follower-listen",
                                          daemon=True)
        self._listener.start()
        self._idle_seconds = max(self.poll_seconds, LISTENING_POLL_SECONDS)

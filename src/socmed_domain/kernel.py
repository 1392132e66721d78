"""The shared kernel of the application: one eventsourcing Application (one event log, one
audit chain) and what every stage service needs from it.

The kernel loads and saves aggregates (saving with the conflict retry), knows who is acting
(the Team, cached and brought up to date with the few team events since), reads the injected
clock and turns stored events into audit entries. It holds no stage's rules: those live in the
stage services (`socmed_domain/<stage>/service.py`), which the application composes
(`socmed_domain.application.SocmedApplication`). Services reach the kernel through
`StageService`, whose helpers keep the names the stage code has always used.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar, cast
from uuid import UUID, uuid4

from attrs import evolve
from eventsourcing.application import AggregateNotFoundError, Application, ProcessingEvent
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError, Recording

from socmed_domain.access.rules import check_expected_version
from socmed_domain.actor import Actor
from socmed_domain.errors import (
    ConflictError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    SocmedError,
)
from socmed_domain.events import AuditedEvent
from socmed_domain.identity.policy import check_direct_access, check_second_factor
from socmed_domain.identity.principal import ActorRef, Scope, as_principal
from socmed_domain.roles import Action, Role
from socmed_domain.team import TEAM_ID, Team
from socmed_domain.timezones import require_aware
from socmed_domain.views import AuditEntry

Clock = Callable[[], datetime]
A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")

#: How often a command that lost an optimistic-concurrency race reloads and decides again.
CONFLICT_RETRIES = 3
#: How often an outcome that already happened (a platform's answer, a sent reply) is
#: reloaded and recorded again: it must reach the log, so it tries harder than a command.
RECORD_RETRIES = CONFLICT_RETRIES * 3
PAGE = 500
#: The aggregates whose events change who may act (`Kernel.access_generation`).
ACCESS_AGGREGATES = frozenset({"Team", "MemberAccess"})
#: What an id prefix may be made of (so no character acts as a wildcard).
ID_PREFIX = re.compile(r"^[0-9a-f-]+$")
#: While `Kernel.command_on` decides a command whose save checks versions: the aggregates
#: the decision used from a cache without reading them, with the version each was at (None:
#: absent), which the save then checks (`Kernel.decided_on`).
_DECIDED_ON: ContextVar[dict[UUID, int | None] | None] = ContextVar("socmed_decided_on",
                                                                    default=None)


class _CollectedEvents(ProcessingEvent[UUID]):
    """eventsourcing's ProcessingEvent, told our aggregates apart by their class: its own
    check is a runtime Protocol isinstance per object, costlier than the rest of collecting
    (Python 3.11 walks the protocol's members on every check)."""

    def collect_events(self, *objs: Any, **kwargs: Any) -> None:
        for obj in objs:
            if isinstance(obj, Aggregate):
                self.events.extend(obj.collect_events())
                self.aggregates[obj.id] = obj
            elif obj is not None:
                super().collect_events(obj)
        self.saved_kwargs.update(kwargs)


def _project(aggregate: Any, events: Iterable[Any]) -> Any:
    """eventsourcing's projector without its per-event runtime Protocol check (the check
    costs more than applying the event; every stored event here is an Aggregate event)."""
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class Kernel(Application[UUID]):
    """Load, save with the conflict retry, the acting member, the clock, audit entries.

    How events become JSON (the transcoder and the value types it knows) is chosen by the
    application that composes the stages (`SocmedApplication`), since it names every stage's
    value types; the kernel knows none of them."""

    name = "socmed"  # names the event tables and the environment prefix: never change it

    def __init__(self, env: Mapping[str, str] | None = None, *, clock: Clock,
                 new_id: Callable[[], UUID] = uuid4) -> None:
        super().__init__(env=env)
        self._team_cache: Team | None = None
        #: Threads of one process (the HTTP API's pool) bring the cached team up to date
        #: one at a time, so no event is applied to it twice.
        self._team_lock = threading.Lock()
        self.clock = clock
        self.new_id = new_id
        #: Called with the events of every save, once they are recorded (the composition
        #: root adds the job queue's deferral hook here); a listener must not raise.
        self.saved_listeners: list[Callable[[Sequence[Any]], None]] = []
        #: The highest notification id this process has recorded: a read-model reader in
        #: this process waits until the read models have passed it (read-your-writes).
        self.written = 0
        #: Bumped whenever a Team or MemberAccess event is recorded by this process, or is
        #: reported (`access_changed`) by whatever follows the log for other processes'
        #: events: a cached principal or team is fresh while it stays the same.
        self.access_generation = 0
        #: Set by an adapter that follows the log and calls `access_changed` for every
        #: other process's Team or MemberAccess event: the team cache then needs no query
        #: per read (`team_read`). Unset, every `team_read` asks for new team events.
        self.access_followed = False
        self._team_generation = -1
        #: How to bring each cache that `decided_on` vouches for up to date (by aggregate
        #: id): called when a save finds the aggregate moved; returns its version now.
        self._refreshers: dict[UUID, Callable[[], int | None]] = {}

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        """Application.save (eventsourcing 9.5), collecting through `_CollectedEvents`."""
        processing_event = _CollectedEvents()
        processing_event.collect_events(*objs, **kwargs)
        recordings = self._record(processing_event)
        self._note_recorded(recordings)
        self._take_snapshots(processing_event)
        self._notify(recordings)
        self.notify(processing_event.events)  # deprecated in the library, still called
        for listener in self.saved_listeners:
            listener(processing_event.events)
        return recordings

    def _note_recorded(self, recordings: Sequence[Recording[UUID]]) -> None:
        if recordings:
            self.written = max(self.written, max(r.notification.id for r in recordings))
            if any(type(r.domain_event).__qualname__.split(".", 1)[0] in ACCESS_AGGREGATES
                   for r in recordings):
                self.access_changed()

    def access_changed(self) -> None:
        """A Team or MemberAccess event was recorded (by this process or, as a follower of
        the log reports, by another): cached principals and the cached team are stale."""
        with self._team_lock:
            self.access_generation += 1

    # ------------------------------------------------------- clock and actor

    def now(self) -> datetime:
        """The injected clock's time; a naive time is refused."""
        return require_aware(self.clock())

    def actor(self, ref: ActorRef, *, reading: bool = False,
              action: Action | None = None) -> Actor:
        """The member as they act now, with how they were established (`via`); refuses
        unknown and deactivated members, a read-only principal unless `reading`, the CLI's
        `--as` on a store that requires sign-in, and an approval or sign-off (`action`)
        without the second factor the store's policy asks of the member's role."""
        return actor_in(self.team_read(), ref, reading=reading, action=action)

    def team_read(self, *, fresh: bool = False) -> Team:
        """The team for reading roles, kept in memory and brought up to date with the few
        events recorded since (by any process): every command needs it, few change it.
        `fresh` asks the store even when a follower of the log reports no change."""
        with self._team_lock:
            cached = self._team_cache
            generation = self.access_generation
            if (cached is not None and self.access_followed and not fresh
                    and self._team_generation == generation):
                return cached  # no team event since, by this process or any other
            if cached is None:
                cached = self.load_team()
            else:
                for event in self.events.get(TEAM_ID, gt=cached.version):
                    cast(AuditedEvent, event).mutate(cached)
            self._team_cache = cached
            self._team_generation = generation
            return cached

    def team_unread(self) -> Team:
        """The cached team as it is, without asking the store (loaded on first use): for a
        command whose save checks that the team is still at this version."""
        with self._team_lock:
            cached = self._team_cache
        return cached if cached is not None else self.team_read()

    def command_on(self, actor_ref: ActorRef, resolve: Callable[[], UUID],
                   load: Callable[[UUID], A], command: Callable[[A, Actor, datetime], R],
                   kind: str, action: Action | None = None) -> R:
        """The acting member, the aggregate's id, then load, decide and save with the
        conflict retry (`StageService._command_on`).

        Where the recorder checks versions in the saving transaction (`checks_unchanged`:
        our SQLite and PostgreSQL recorders), the member is resolved on the cached team
        without a read, and the save records only if the team is still at the version
        decided on (checked under the writers' lock, so no team event can slip in between).
        A stale team fails the save like a conflict: the team is brought up to date and
        the command decided again. A refusal decided on a stale team (a member added or
        promoted meanwhile) is decided again once the team is read and found to have
        moved. So a command never records on a team older than the log's, one round trip
        less than reading the team first (docs/decisions.md)."""
        if not getattr(self.recorder, "checks_unchanged", False):
            actor = self.actor(actor_ref, action=action)
            aggregate_id = resolve()
            return self.retrying(lambda: load(aggregate_id),
                                 lambda aggregate: command(aggregate, actor, self.now()),
                                 kind, str(aggregate_id)[:8])
        for attempt in range(CONFLICT_RETRIES + 1):
            team = self.team_unread()
            # before deciding: a concurrent refresh only adds a retry
            noted: dict[UUID, int | None] = {TEAM_ID: team.version}
            deciding = _DECIDED_ON.set(noted)  # the rules read from caches (`decided_on`)
            try:
                actor = actor_in(team, actor_ref, action=action)
                aggregate_id = resolve()
                aggregate = load(aggregate_id)
                check_expected_version(aggregate, kind, str(aggregate_id)[:8])
                result = command(aggregate, actor, self.now())
            except SocmedError:
                if attempt < CONFLICT_RETRIES and self._moved(noted):
                    continue  # refused on a team or a rule that has moved since: decide again
                raise
            finally:
                _DECIDED_ON.reset(deciding)
            try:
                self.save(aggregate, unchanged=noted)
            except IntegrityError:
                if attempt == CONFLICT_RETRIES:
                    raise ConflictError(kind=kind, ref=str(aggregate_id)[:8]) from None
                self._moved(noted)
                continue
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def checked_at_save(self, aggregate_id: UUID, refresh: Callable[[], int | None]) -> None:
        """A service keeps `aggregate_id` in memory and asks `decided_on` before reading it
        again; `refresh()` reads it from the store (when a save found it moved) and returns
        its version then (None: absent)."""
        self._refreshers[aggregate_id] = refresh

    def decided_on(self, aggregate_id: UUID, version: int | None) -> bool:
        """Whether a service may use its copy of `aggregate_id` (at `version`, None: not
        stored) without reading the store first: inside `command_on` on a recorder that
        checks versions at save, the copy's version is noted and the save records only if
        the aggregate is still at it (else the copy is refreshed and the command decided
        again), so a command never records on a rule older than the log's. Elsewhere
        (queries, other commands, recorders without the check): False, read it."""
        noted = _DECIDED_ON.get()
        if noted is None or aggregate_id not in self._refreshers:
            return False
        return noted.setdefault(aggregate_id, version) == version

    def _moved(self, noted: Mapping[UUID, int | None]) -> bool:
        """Bring every cache a decision used up to date; whether any had moved."""
        moved = False
        for aggregate_id, version in noted.items():
            if aggregate_id == TEAM_ID:
                moved |= self.team_read(fresh=True).version != version
            else:
                moved |= self._refreshers[aggregate_id]() != version
        return moved

    def load_team(self) -> Team:
        """A fresh copy of the Team (refuses a store that was never initialised)."""
        team = self.find(Team, TEAM_ID)
        if team is None:
            raise InvalidStateError("error.not_initialised")
        return team

    def team_command(self, command: Callable[[Team], None], ref: str) -> None:
        self._team_cache = None  # commands work on a fresh copy, never on the shared one
        self.retrying(self.load_team, command, "team", ref)

    # ------------------------------------------------------------- loading

    def find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        aggregate = self.find_any(aggregate_id)
        if not isinstance(aggregate, cls):
            return None  # absent, or the id of another kind of aggregate (a user's typo)
        return aggregate

    def find_any(self, aggregate_id: UUID) -> Aggregate | None:
        try:
            aggregate: Aggregate = self.repository.get(aggregate_id, projector_func=_project)
        except AggregateNotFoundError:
            return None
        return aggregate

    def find_many(self, cls: type[A], aggregate_ids: Iterable[UUID]) -> dict[UUID, A]:
        """The stored aggregates among `aggregate_ids` (absent ones are left out): one query
        when the recorder can read many aggregates at once (`select_events_of`, our SQLite
        and PostgreSQL recorders), else one read each."""
        wanted = list(dict.fromkeys(aggregate_ids))
        select = getattr(self.recorder, "select_events_of", None)
        if select is None:
            found = {i: self.find(cls, i) for i in wanted}
            return {i: a for i, a in found.items() if a is not None}
        aggregates: dict[UUID, Any] = {}
        for stored in select(wanted):
            event: Any = self.mapper.to_domain_event(stored)
            aggregates[event.originator_id] = event.mutate(aggregates.get(event.originator_id))
        for aggregate in aggregates.values():
            assert isinstance(aggregate, cls)
        return aggregates

    def get(self, cls: type[A], aggregate_id: UUID, kind: str) -> A:
        """The stored aggregate, or NotFoundError naming `kind` and its listing."""
        aggregate = self.find(cls, aggregate_id)
        if aggregate is None:
            raise NotFoundError(kind=kind, ref=str(aggregate_id), listing=f"{kind} list")
        return aggregate

    def notifications(self, topics: Sequence[str] = (), start: int = 1,
                      stop: int | None = None) -> Iterator[Any]:
        """The log's notifications from position `start` to `stop` (inclusive; None: the
        end), of `topics` (none: all), read a page at a time."""
        while True:
            page = self.recorder.select_notifications(start=start, limit=PAGE, stop=stop,
                                                      topics=topics)
            yield from page
            if len(page) < PAGE:
                return
            start = page[-1].id + 1

    def ids_with_topic(self, topic: str) -> Iterator[UUID]:
        """The originator of every event of `topic`, oldest first (a creation event's topic
        lists every aggregate of a kind)."""
        for notification in self.notifications(topics=(topic,)):
            yield UUID(str(notification.originator_id))

    # -------------------------------------------------------------- saving

    def retrying(self, load: Callable[[], A], decide: Callable[[A], R], kind: str,
                 ref: str) -> R:
        """Load, decide, save; on a concurrent write, reload and decide again (the guards
        then see the other writer's change), at most CONFLICT_RETRIES times."""
        for attempt in range(CONFLICT_RETRIES + 1):
            aggregate = load()
            check_expected_version(aggregate, kind, ref)
            result = decide(aggregate)
            try:
                self.save(aggregate)
            except IntegrityError:
                if attempt == CONFLICT_RETRIES:
                    raise ConflictError(kind=kind, ref=ref) from None
                continue
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def save_new(self, aggregate: Aggregate, kind: str, ref: str) -> None:
        """Save once; a concurrent write is a ConflictError (nothing to decide again)."""
        try:
            self.save(aggregate)
        except IntegrityError:
            raise ConflictError(kind=kind, ref=ref) from None

    # --------------------------------------------------------------- audit

    def history(self, aggregate_id: UUID) -> tuple[AuditEntry, ...]:
        """Every event of one aggregate as an audit entry, numbered by its version."""
        return tuple(audit_entry(event.originator_version, event)
                     for event in self.events.get(aggregate_id))

    def event_count(self) -> int:
        return self.recorder.max_notification_id() or 0


class StageService:
    """The base of every stage service: the kernel's helpers under the names the stage code
    has always used (`self.actor`, `self._now`, `self._retrying`, ...), so a service reads
    like the stage it serves. Other services a stage needs are constructor arguments."""

    def __init__(self, kernel: Kernel) -> None:
        self.kernel = kernel

    def actor(self, ref: ActorRef, *, reading: bool = False,
              action: Action | None = None) -> Actor:
        return self.kernel.actor(ref, reading=reading, action=action)

    def new_id(self) -> UUID:
        return self.kernel.new_id()

    @property
    def events(self) -> Any:
        return self.kernel.events

    @property
    def mapper(self) -> Any:
        return self.kernel.mapper

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording[UUID]]:
        return self.kernel.save(*objs, **kwargs)

    def _now(self) -> datetime:
        return self.kernel.now()

    def _find(self, cls: type[A], aggregate_id: UUID) -> A | None:
        return self.kernel.find(cls, aggregate_id)

    def _find_any(self, aggregate_id: UUID) -> Aggregate | None:
        return self.kernel.find_any(aggregate_id)

    def _find_many(self, cls: type[A], aggregate_ids: Iterable[UUID]) -> dict[UUID, A]:
        return self.kernel.find_many(cls, aggregate_ids)

    def _save(self, aggregate: Aggregate, kind: str, ref: str) -> None:
        self.kernel.save_new(aggregate, kind, ref)

    def _retrying(self, load: Callable[[], A], decide: Callable[[A], R], kind: str,
                  ref: str) -> R:
        return self.kernel.retrying(load, decide, kind, ref)

    def _notifications(self, topics: Sequence[str] = (), start: int = 1,
                       stop: int | None = None) -> Iterator[Any]:
        return self.kernel.notifications(topics, start, stop)

    def _command_on(self, actor_id: ActorRef, resolve: Callable[[], UUID],
                    load: Callable[[UUID], A], command: Callable[[A, Actor, datetime], R],
                    kind: str, action: Action | None = None) -> R:
        """The shape of every command on a stored aggregate: the acting member first
        (unknown and deactivated members are refused; `action` names an approval or sign-off
        for the second-factor check), then the aggregate's id, then load, decide and save
        with the conflict retry."""
        return self.kernel.command_on(actor_id, resolve, load, command, kind, action)


def actor_in(team: Team, ref: ActorRef, *, reading: bool = False,
             action: Action | None = None) -> Actor:
    """The Actor a principal acts as in `team`: the single place where an authenticated
    principal becomes the member recorded in an event. It applies the store's access policy
    (identity.policy): `--as` refused where sign-in is required, a read-only principal
    refused for commands, and `action` (an approval or sign-off) refused without the second
    factor the policy asks of the member's role. The role is read now, so a changed role or
    a deactivation takes effect on the principal's next command."""
    principal = as_principal(ref)
    policy = team.access_policy
    check_direct_access(policy, principal)
    if principal.scope is Scope.READ and not reading:
        raise PermissionDeniedError("error.read_only_principal", actor=principal.member_id,
                                    via=principal.via)
    actor = team.actor(principal.member_id)
    if action is not None:
        check_second_factor(policy, principal, actor.role, action)
    return evolve(actor, via=principal.via)


def audit_entry(position: int, event: Any) -> AuditEntry:
    return AuditEntry(**audit_fields(position, event))


#: An event of no audited kind is recorded as done by nobody known.
_UNKNOWN_ACTOR = Actor("unknown", "unknown", Role.LEGAL)


def audit_fields(position: int, event: Any) -> dict[str, Any]:
    """The fields of `audit_entry`, as a dict: what the audit index stores as a row,
    without building the entry only to take it apart again."""
    cls = type(event)
    if isinstance(event, AuditedEvent):
        code, params = event.describe()
        actor = event.actor
        reason = event.stated_reason()
    else:
        code, params, reason = f"event.{cls.__name__}", {}, ""
        actor = _UNKNOWN_ACTOR
    return {"position": position, "at": event.timestamp,
            "aggregate": cls.__qualname__.split(".")[0],
            "aggregate_id": str(event.originator_id), "version": event.originator_version,
            "event_type": cls.__name__, "actor_id": actor.member_id,
            "actor_role": actor.role.value, "via": actor.via, "code": code,
            "params": params, "reason": reason}

"""Stage 4 service (`app.inbox`): ingesting interactions, triaging and answering the inbox,
SLA breaches, spike alerts and erasure.

Ingestion is idempotent and batched: the conversation id is derived from the platform thread,
and a message id already in its conversation is skipped, so a source may deliver the same
message any number of times. A batch's conversations are saved in one transaction; if another
process wrote one of them meanwhile, each conversation of the batch is reloaded and decided
again on its own.

The read side asks an `InboxIndex` port (answered by the inbox read model) for ids and for the
times of negative messages; without one (the in-memory store) it scans the event log.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from functools import partial
from typing import Protocol, TypeVar
from uuid import UUID

from attrs import frozen
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import IntegrityError
from eventsourcing.utils import get_topic

from socmed_domain.actor import Actor
from socmed_domain.crisis.impact import ImpactSignals
from socmed_domain.crisis.incident import IncidentCategory
from socmed_domain.crisis.service import IncidentService
from socmed_domain.errors import (
    ConflictError,
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
)
from socmed_domain.i18n import Term
from socmed_domain.identity.principal import ActorRef
from socmed_domain.kernel import RECORD_RETRIES, Kernel, StageService
from socmed_domain.monitoring.alerts import MonitoringAlert, alert_signals, alert_uuid
from socmed_domain.monitoring.bulk_filter import ConversationFilter
from socmed_domain.monitoring.conversation import Conversation, ProposedReply, SlaClock
from socmed_domain.monitoring.inbox_view import ConversationView, conversation_view
from socmed_domain.monitoring.ingest_log import IngestLog
from socmed_domain.monitoring.interaction import (
    Assessment,
    Assessor,
    InboundInteraction,
    InlineAssessor,
    InteractionSource,
    ReceivedMessage,
    Tag,
    batched,
)
from socmed_domain.monitoring.lexicon import DEFAULT as DEFAULT_LEXICON
from socmed_domain.monitoring.lexicon import Lexicon
from socmed_domain.monitoring.privacy import Erasure
from socmed_domain.monitoring.replies import OutboundReply, ReplyError, ReplySender
from socmed_domain.monitoring.response_guide import render_reply
from socmed_domain.monitoring.sentiment import Polarity
from socmed_domain.monitoring.sla import (
    DEFAULT_CALENDAR,
    DEFAULT_POLICY,
    BusinessCalendar,
    Priority,
    SlaPolicy,
)
from socmed_domain.monitoring.spikes import SpikeConfig, detect_spikes
from socmed_domain.monitoring.vault import PersonalDataVault, parse_subject, subject_id
from socmed_domain.monitoring.watchlist import DEFAULT_WATCHLIST, Watchlist
from socmed_domain.roles import Action, check_may

R = TypeVar("R")

CONVERSATION_OPENED_TOPIC = get_topic(Conversation.ConversationOpened)
MESSAGE_TOPICS = (CONVERSATION_OPENED_TOPIC, get_topic(Conversation.MessageReceived))
INGEST_BATCH = 5000
#: The first batch is small, so storing starts while the next is being assessed.
FIRST_BATCH = 250
#: The spike check after an import reads at most this many other events from the log (those
#: between the read model's position and the import's own); beyond, it catches the read
#: model up instead.
BEHIND_LIMIT = 10_000
#: Replies during an open incident at this level or above wait for approval.
REPLY_APPROVAL_FROM_LEVEL = 3


class InboxRules(Protocol):
    """Where the inbox reads the company's rules: reply templates, lexicon, watchlist and
    SLA (app.configuration answers it; `BuiltInInboxRules` is the built-in default)."""

    def sla_policy(self) -> SlaPolicy: ...

    def business_calendar(self, base: BusinessCalendar) -> BusinessCalendar: ...

    def lexicon(self) -> Lexicon: ...

    def watchlist(self) -> Watchlist: ...

    def render_reply(self, key: str, lang: str, values: Mapping[str, str]) -> str: ...


class BuiltInInboxRules:
    """The built-in rules (the banking pack's)."""

    def sla_policy(self) -> SlaPolicy:
        return DEFAULT_POLICY

    def business_calendar(self, base: BusinessCalendar) -> BusinessCalendar:
        return base

    def lexicon(self) -> Lexicon:
        return DEFAULT_LEXICON

    def watchlist(self) -> Watchlist:
        return DEFAULT_WATCHLIST

    def render_reply(self, key: str, lang: str, values: Mapping[str, str]) -> str:
        return render_reply(key, lang, values)


class InboxIndex(Protocol):
    """Finds conversations without loading them all (the inbox read model answers it)."""

    def conversation_ids_with_prefix(self, prefix: str) -> list[UUID]: ...

    def open_conversation_ids(self) -> list[UUID]: ...

    def conversation_ids_of_subject(self, key_id: str) -> list[UUID]: ...

    def negative_times(self, since: datetime, until: datetime) -> list[datetime]: ...

    def projected_negative_times(self, since: datetime,
                                 until: datetime) -> tuple[int, list[datetime]]:
        """The times of negative messages in [since, until] as far as the read model is
        projected, without catching it up, and the log position it is projected to."""
        ...


@frozen
class IngestReport:
    received: int
    new: int
    duplicates: int
    conversations_opened: int
    first_at: datetime | None
    last_at: datetime | None


class _ReadBatch:
    """A batch of interactions as read for ingestion: their conversation ids, the message
    ids already stored in those conversations (`stored`, absent: not stored), and which
    interactions are not among them (`unknown`: the texts to assess)."""

    def __init__(self, chunk: list[InboundInteraction],
                 stored_message_ids: Callable[[Sequence[UUID]], dict[UUID, set[str]]]) -> None:
        self.chunk = chunk
        self.cids = [inbound.conversation_id for inbound in chunk]
        self.stored = stored_message_ids(self.cids)
        self.unknown = [index for index, (inbound, cid) in enumerate(zip(chunk, self.cids,
                                                                          strict=True))
                        if inbound.message_id.strip() not in self.stored.get(cid, ())]


class InboxService(StageService):
    """Monitoring and audience interaction (SOP stage 4)."""

    def __init__(self, kernel: Kernel, incidents: IncidentService, *,
                 vault: PersonalDataVault | None = None,
                 reply_sender: ReplySender | None = None,
                 inbox_index: InboxIndex | None = None,
                 calendar_source: Callable[[], BusinessCalendar] | None = None,
                 assessor: Assessor | None = None,
                 sla_policy: SlaPolicy | None = None,
                 spike_config: SpikeConfig | None = None,
                 configuration: InboxRules | None = None) -> None:
        super().__init__(kernel)
        #: The company's rules in force: reply templates, watchlist, lexicon, SLA.
        self.configuration: InboxRules = configuration or BuiltInInboxRules()
        self.incidents = incidents
        self.vault = vault  # personal data of the audience
        self.reply_sender = reply_sender
        self.inbox_index = inbox_index
        #: Who reads sentiment and the watchlist at ingestion (adapters may spread it over
        #: other cores for bulk imports; the result is the same).
        self.assessor: Assessor = assessor or InlineAssessor()
        #: A policy given by the caller replaces the configuration's (tests, embedders).
        self._sla_policy = sla_policy
        self.spike_config = spike_config or SpikeConfig()
        #: Builds the business calendar on first use (loading a year's holidays is slow,
        #: and most commands never measure an SLA).
        self.calendar_source = calendar_source
        self._holidays: BusinessCalendar | None = None
        self._calendar: BusinessCalendar | None = None

    @property
    def sla_policy(self) -> SlaPolicy:
        """The SLA targets: the configuration's in force, unless given when built."""
        if self._sla_policy is not None:
            return self._sla_policy
        return self.configuration.sla_policy()

    @sla_policy.setter
    def sla_policy(self, policy: SlaPolicy | None) -> None:
        self._sla_policy = policy

    @property
    def business_calendar(self) -> BusinessCalendar:
        """The business hours of the configuration in force, with the holidays of the
        calendar source (a calendar set here replaces both)."""
        if self._calendar is not None:
            return self._calendar
        if self._holidays is None:
            self._holidays = (self.calendar_source() if self.calendar_source
                              else DEFAULT_CALENDAR)
        return self.configuration.business_calendar(self._holidays)

    @business_calendar.setter
    def business_calendar(self, calendar: BusinessCalendar) -> None:
        self._calendar = calendar

    # -------------------------------------------------------------- ingestion

    def ingest_interactions(self, actor_id: ActorRef, interactions: Iterable[InboundInteraction],
                            batch: int = INGEST_BATCH, *,
                            log: IngestLog | None = None) -> IngestReport:
        """Record every new comment, message and mention; repeats are counted, not stored.

        Each batch is one transaction. A source that raises stops the ingestion: the batches
        stored before stay (the one just before the failure may not, as the next batch is
        read before it is stored). To store nothing on a bad input, read the source whole
        first, as `fetch_interactions` and `socmed inbox ingest` (FileSource.check) do.
        `log` collects what was written, for `raise_spike_alerts(..., after=log)`."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.INGEST_INTERACTIONS)
        counts = {"received": 0, "new": 0, "duplicates": 0, "opened": 0}
        span: list[datetime] = []
        imported: dict[UUID, set[str]] = {}  # message ids stored by this call, per conversation
        for read, assessments in self._assessed(batched(interactions, batch, FIRST_BATCH)):
            self._ingest_batch(actor, read, assessments, counts, span, log, imported)
        return IngestReport(counts["received"], counts["new"], counts["duplicates"],
                            counts["opened"], min(span) if span else None,
                            max(span) if span else None)

    def fetch_interactions(self, actor_id: ActorRef, source: InteractionSource) -> IngestReport:
        """Ingest what a platform source has. The right is checked before any platform is
        asked, and everything is read before anything is stored, so a platform that fails
        (InteractionsUnavailable) leaves the inbox as it was; fetching again is safe."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.INGEST_INTERACTIONS)
        found = list(source.interactions())
        return self.ingest_interactions(actor_id, found)

    def _assessed(self, chunks: Iterable[list[InboundInteraction]]
                  ) -> Iterator[tuple[_ReadBatch, Sequence[Assessment]]]:
        """Each batch, with the message ids already stored in its conversations and the
        assessments of the other messages' texts (repeats are never assessed: a file of
        repeats starts no worker). The next batch is started before this one is handed on,
        so an assessor working elsewhere reads it while this one is stored."""
        waiting: deque[tuple[_ReadBatch, Callable[[], Sequence[Assessment]]]] = deque()
        for chunk in chunks:
            read = _ReadBatch(chunk, self._stored_message_ids)
            waiting.append((read, self.assessor.start(
                [chunk[index].text for index in read.unknown], self.configuration.lexicon(),
                self.configuration.watchlist())))
            if len(waiting) > 1:
                ready, result = waiting.popleft()
                yield ready, result()
        while waiting:
            ready, result = waiting.popleft()
            yield ready, result()

    def _ingest_batch(self, actor: Actor, read: _ReadBatch, assessments: Sequence[Assessment],
                      counts: dict[str, int], span: list[datetime], log: IngestLog | None,
                      imported: dict[UUID, set[str]], retry: bool = False) -> None:
        chunk, cids, stored = read.chunk, read.cids, read.stored
        vault = self._vault()
        before, span_mark = dict(counts), len(span)
        now = self._now()
        changed: dict[UUID, Conversation] = {}
        for inbound in chunk:
            inbound.validate()
        # A repeat is a message id stored when the batch was read (one query for the batch,
        # reading only the ids), or stored since by this import, or met earlier in the batch.
        # Only the stored conversations that get a new message are loaded whole.
        fresh: list[int] = []
        added: dict[UUID, set[str]] = {}  # message ids this batch brings, per conversation
        for index, (inbound, cid) in enumerate(zip(chunk, cids, strict=True)):
            counts["received"] += 1
            message_id = inbound.message_id.strip()
            here = added.setdefault(cid, set())
            if (message_id in here or message_id in stored.get(cid, ())
                    or message_id in imported.get(cid, ())):
                counts["duplicates"] += 1
            else:
                here.add(message_id)
                fresh.append(index)
        loaded: dict[UUID, Conversation | None] = dict(self._find_many(
            Conversation, [cids[index] for index in fresh
                           if cids[index] in stored or cids[index] in imported]))
        late = {index for index in fresh if (conversation := loaded.get(cids[index]))
                is not None and chunk[index].message_id.strip() in conversation.message_ids}
        if late:  # another process stored them since the batch was read
            counts["duplicates"] += len(late)
            fresh = [index for index in fresh if index not in late]
        vault.prefetch({chunk[index].subject for index in fresh
                        if chunk[index].author_handle.strip().lstrip("@")})
        sealed: dict[UUID, list[tuple[InboundInteraction, ReceivedMessage]]] = {}
        # Only new messages are assessed, in one run (faster than one at a time between
        # seals and saves: the analyser's tables stay in the processor's caches).
        position = {index: n for n, index in enumerate(read.unknown)}
        ready = [assessments[position[index]] for index in fresh]
        for index, assessment in zip(fresh, ready, strict=True):
            inbound, cid = chunk[index], cids[index]
            conversation = loaded.get(cid)
            message = self._seal(vault, inbound, assessment)
            sealed.setdefault(cid, []).append((inbound, message))
            changed[cid] = loaded[cid] = self._apply_message(actor, conversation, inbound,
                                                             message, now, counts)
            counts["new"] += 1
            span.append(inbound.received_at)
        if not changed:
            return
        try:
            vault.flush()
        except ConflictError:  # another process keyed one of these subjects first
            if retry:
                raise
            for count, value in before.items():
                counts[count] = value
            del span[span_mark:]
            self._ingest_batch(actor, read, assessments, counts, span, log, imported,
                               retry=True)
            return
        for cid, messages in sealed.items():
            imported.setdefault(cid, set()).update(m.message_id for _, m in messages)
        try:
            recordings = self.save(*changed.values())
        except IntegrityError:  # another process ingested some of these meanwhile
            for cid, messages in sealed.items():
                self._ingest_one(actor, cid, messages, counts)
        except Exception:
            if not self._any_stored(changed.values()):  # the batch's transaction rolled back
                vault.discard_flushed()  # so the keys its events would name go too
            raise
        else:
            if log is not None:  # (a batch saved one by one above is read from the log)
                log.record(recordings)

    def _stored_message_ids(self, cids: Sequence[UUID]) -> dict[UUID, set[str]]:
        """The message ids of each stored conversation among `cids` (absent: not stored),
        read from the message events' JSON without decoding them (one query when the
        recorder reads many aggregates at once)."""
        select = getattr(self.kernel.recorder, "select_events_of", None)
        peek = getattr(self.mapper.transcoder, "peek", None)
        if select is None or peek is None or self.mapper.cipher or self.mapper.compressor:
            return {cid: set(conversation.message_ids) for cid, conversation
                    in self._find_many(Conversation, cids).items()}
        found: dict[UUID, set[str]] = {}
        for event in select(list(dict.fromkeys(cids))):
            ids = found.setdefault(event.originator_id, set())
            if event.topic in MESSAGE_TOPICS:
                ids.add(peek(event.state, "message", "message_id"))
        return found

    def _any_stored(self, aggregates: Iterable[Aggregate]) -> bool:
        """Did the failed save commit after all (an error after the commit)? Then its keys
        stay. If even this cannot be read, they stay too: a key too many is safe, a key
        missing under a stored event is not."""
        try:
            return any(self.kernel.recorder.select_events(a.id, gt=a.version - 1, limit=1)
                       for a in aggregates)
        except Exception:
            return True

    def _ingest_one(self, actor: Actor, cid: UUID,
                    messages: list[tuple[InboundInteraction, ReceivedMessage]],
                    counts: dict[str, int]) -> None:
        def apply_new_messages() -> Conversation | None:
            conversation = self._find(Conversation, cid)
            scratch = {"opened": 0}
            for inbound, message in messages:
                if conversation is not None and message.message_id in conversation.message_ids:
                    continue
                conversation = self._apply_message(actor, conversation, inbound, message,
                                                   self._now(), scratch)
            return conversation

        self._saved_against_concurrent_writes(cid, apply_new_messages)

    def _saved_against_concurrent_writes(self, cid: UUID,
                                         change: Callable[[], Conversation | None]) -> None:
        """Load and change the conversation (`change`), save; on a concurrent write, again,
        up to RECORD_RETRIES times: what it records (a message received, a reply the
        platform accepted) exists already and must not be lost."""
        for _ in range(RECORD_RETRIES):
            conversation = change()
            if conversation is None:
                return
            try:
                self.save(conversation)
            except IntegrityError:
                continue
            return
        raise ConflictError(kind="conversation", ref=str(cid)[:8])

    @staticmethod
    def _apply_message(actor: Actor, conversation: Conversation | None,
                       inbound: InboundInteraction, message: ReceivedMessage, now: datetime,
                       counts: dict[str, int]) -> Conversation:
        if conversation is None:
            counts["opened"] += 1
            return Conversation.open(actor, inbound.conversation_id, inbound.platform,
                                     inbound.thread, message,
                                     message.assessment.suggested_priority, now)
        conversation.receive(actor, message, now)
        return conversation

    @staticmethod
    def _seal(vault: PersonalDataVault, inbound: InboundInteraction,
              assessment: Assessment) -> ReceivedMessage:
        subject = subject_id(inbound.platform, inbound.author_handle)
        handle, name, text = vault.seal_all(subject, inbound.author_handle.strip().lstrip("@"),
                                            inbound.author_name.strip(), inbound.text)
        return ReceivedMessage(
            message_id=inbound.message_id.strip(), kind=inbound.kind,
            received_at=inbound.received_at, author_handle=handle, author_name=name,
            text=text, assessment=assessment, post_id=inbound.post_id.strip())

    # ----------------------------------------------------------------- triage

    def assign_conversation(self, actor_id: ActorRef, ref: str | UUID, assignee_id: str,
                            note: str = "") -> None:
        assignee = self.kernel.team_read().actor(assignee_id)
        self._conversation_command(ref, lambda c, a, now: c.assign(a, assignee, note, now),
                                   actor_id)

    def tag_conversation(self, actor_id: ActorRef, ref: str | UUID, tags: Iterable[Tag]) -> None:
        chosen = tuple(tags)
        self._conversation_command(ref, lambda c, a, now: c.tag(a, chosen, now), actor_id)

    def prioritise_conversation(self, actor_id: ActorRef, ref: str | UUID, priority: Priority,
                                reason: str = "") -> None:
        self._conversation_command(
            ref, lambda c, a, now: c.set_priority(a, priority, reason, now), actor_id)

    def note_conversation(self, actor_id: ActorRef, ref: str | UUID, note: str) -> None:
        self._conversation_command(ref, lambda c, a, now: c.add_note(a, note, now), actor_id)

    def close_conversation(self, actor_id: ActorRef, ref: str | UUID, note: str = "") -> None:
        self._conversation_command(ref, lambda c, a, now: c.close(a, note, now), actor_id)

    def reopen_conversation(self, actor_id: ActorRef, ref: str | UUID, reason: str) -> None:
        self._conversation_command(ref, lambda c, a, now: c.reopen(a, reason, now), actor_id)

    # ------------------------------------------------------------ bulk triage

    def assign_conversations(self, actor_id: ActorRef, refs: Iterable[str | UUID],
                             assignee_id: str, note: str = "", *,
                             where: ConversationFilter | None = None) -> int:
        """Assign many conversations at once (by id, or those `where` matches): all of them
        or none (one transaction)."""
        assignee = self.kernel.team_read().actor(assignee_id)
        return self._bulk(actor_id, refs, lambda c, a, now: c.assign(a, assignee, note, now),
                          where)

    def tag_conversations(self, actor_id: ActorRef, refs: Iterable[str | UUID],
                          tags: Iterable[Tag], *, where: ConversationFilter | None = None,
                          priority: Priority | None = None, reason: str = "") -> int:
        """Set the same tags (and, if given, priority) on many conversations: all of them
        or none."""
        chosen = tuple(tags)

        def tag(conversation: Conversation, actor: Actor, now: datetime) -> None:
            conversation.tag(actor, chosen, now)
            if priority is not None:
                conversation.set_priority(actor, priority, reason, now)
        return self._bulk(actor_id, refs, tag, where)

    def close_conversations(self, actor_id: ActorRef, refs: Iterable[str | UUID],
                            note: str = "", *, where: ConversationFilter | None = None) -> int:
        """Close many conversations: all of them or none."""
        return self._bulk(actor_id, refs, lambda c, a, now: c.close(a, note, now), where)

    def _bulk(self, actor_id: ActorRef, refs: Iterable[str | UUID],
              command: Callable[[Conversation, Actor, datetime], None],
              where: ConversationFilter | None = None) -> int:
        """One decision per conversation, then one save of them all: a refusal of any
        conversation (its state, the member's role) leaves every conversation as it was.
        The conversations are named by id, or chosen by a filter (not both)."""
        actor = self.actor(actor_id)
        refs = list(refs)
        if where is not None:
            if refs:
                raise InvalidInputError("filter.ids_and_filter")
            pool = self._open_conversation_ids() if where.open_only else list(
                self._scan_conversation_ids())
            refs = [cid for cid in pool if where.matches(self._conversation(cid))]
            if not refs:
                raise InvalidStateError("filter.no_match", filter=where.text)
        ids = list(dict.fromkeys(self.resolve_conversation(r) for r in refs))
        if not ids:
            raise InvalidInputError("error.empty", field="conversations")
        now = self._now()
        conversations = [self._conversation(cid) for cid in ids]
        for conversation in conversations:
            command(conversation, actor, now)
        self.save(*conversations)
        return len(conversations)

    # ---------------------------------------------------------------- replies

    def reply_to_conversation(self, actor_id: ActorRef, ref: str | UUID, text: str = "", *,
                              template: str = "", lang: str = "id",
                              values: dict[str, str] | None = None) -> str:
        """Answer through the platform ('sent'), or hold the reply for approval while an
        open incident of level 3 or more is running ('held')."""
        actor = self.actor(actor_id)
        cid = self.resolve_conversation(ref)
        conversation = self._conversation(cid)
        vault = self._vault()
        subject = self._subject_of(conversation)
        if template:
            name = vault.open(conversation.author_name) if conversation.author_name else ""
            handle = subject.partition(":")[2]
            text = self.configuration.render_reply(
                template, lang, {"name": name or handle, **(values or {})})
        body = conversation.check_reply(actor, text)
        sealed = vault.seal(subject, body)
        vault.flush()
        incident = self._reply_gate()
        if incident is not None:
            self._retrying(lambda: self._conversation(cid), lambda c: c.propose_reply(
                actor, sealed, template, incident, self._now()), "conversation", str(cid)[:8])
            return "held"
        receipt = self._send(conversation, body)
        self._record_reply(cid, lambda c: c.record_reply(actor, sealed, receipt, template,
                                                   self._now()))
        return "sent"

    def approve_reply(self, actor_id: ActorRef, ref: str | UUID) -> None:
        """Approve the reply held during an incident and send it (Marketing Manager, Legal)."""
        actor = self.actor(actor_id, action=Action.APPROVE_REPLY)
        cid = self.resolve_conversation(ref)
        conversation = self._conversation(cid)
        proposal: ProposedReply = conversation.check_approval(actor)
        body = self._vault().open(proposal.text)
        if body is None:
            raise InvalidStateError("error.subject_erased", ref=conversation.ref)
        receipt = self._send(conversation, body)
        self._record_reply(cid, lambda c: c.record_reply(actor, proposal.text, receipt,
                                                   proposal.template, self._now(), proposal))

    def _reply_gate(self) -> str | None:
        """The ref of an open incident at level 3 or more, if any (replies then need
        approval). Incidents are few, so scanning them is cheap."""
        for incident_id in self.incidents.incident_ids():
            incident = self.incidents.incident(incident_id)
            if incident.is_open and (incident.level or 0) >= REPLY_APPROVAL_FROM_LEVEL:
                return incident.ref
        return None

    def _send(self, conversation: Conversation, body: str) -> str:
        if self.reply_sender is None:
            raise InvalidStateError("error.no_reply_sender")
        last = conversation.messages[-1].message_id if conversation.messages else ""
        key = f"{conversation.id}:{conversation.version}"
        try:
            receipt = self.reply_sender.send_reply(OutboundReply(
                conversation.platform, conversation.thread_id, last, body, key))
        except ReplyError as error:
            raise InvalidStateError("error.reply_failed", ref=conversation.ref,
                                    reason=error.reason) from None
        return receipt.platform_reply_id

    def _record_reply(self, cid: UUID, record: Callable[[Conversation], None]) -> None:
        """Record what the platform accepted, even if someone wrote to the conversation
        meanwhile (the reply exists: it must not be lost)."""
        def recorded() -> Conversation:
            conversation = self._conversation(cid)
            record(conversation)
            return conversation

        self._saved_against_concurrent_writes(cid, recorded)

    # -------------------------------------------------------- SLA and alerts

    def flag_sla_breaches(self, actor_id: ActorRef) -> tuple[tuple[str, SlaClock], ...]:
        """Record every SLA clock of an open conversation that has run out (the sweep a
        scheduler runs, like `publish due`); returns (conversation ref, clock) flagged."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.TRIAGE_INBOX)
        flagged: list[tuple[str, SlaClock]] = []
        def flag(conversation: Conversation) -> tuple[SlaClock, ...]:
            return conversation.flag_breaches(actor, self._now(), self.sla_policy,
                                              self.business_calendar)

        for cid in self._open_conversation_ids():
            clocks = self._retrying(partial(self._conversation, cid), flag, "conversation",
                                    str(cid)[:8])
            flagged += [(str(cid)[:8], clock) for clock in clocks]
        return tuple(flagged)

    def raise_spike_alerts(self, actor_id: ActorRef, since: datetime, until: datetime, *,
                           after: IngestLog | None = None) -> tuple[str, ...]:
        """Record each spike of negative messages whose window ends in [since, until]; the
        baseline before `since` is read too. Returns the alert ids newly recorded.

        Right `after` an ingestion, given what it wrote: the same messages are counted, but
        the read model is not caught up with them first (see `IngestLog`)."""
        actor = self.actor(actor_id)
        config = self.spike_config
        start = since - config.window * (config.baseline_windows + 1)
        raised = []
        for spike in detect_spikes(self._negative_times(start, until, after), config):
            if not since <= spike.window_end <= until:
                continue
            alert = MonitoringAlert.raise_spike(actor, spike, self._now())
            if self._find(MonitoringAlert, alert.id) is not None:
                continue
            try:
                self.save(alert)
            except IntegrityError:  # another process recorded the same alert
                continue
            raised.append(alert.alert_id)
        return tuple(raised)

    def open_incident_from_alert(self, actor_id: ActorRef, alert_id: str, title: str,
                                 category: IncidentCategory, description: str = "", *,
                                 signals: ImpactSignals | None = None,
                                 aware_at: datetime | None = None,
                                 aware_reason: str = "") -> UUID:
        """Open an incident from a recorded alert: its measurements (negative mentions, the
        baseline, the rate per hour; figures given in `signals` win) and its detection time
        (the end of the alert's window)."""
        alert = self.spike_alert(alert_id)
        assert alert.figures is not None
        return self.incidents.open_incident(
            actor_id, title, category, description, alert_id=alert.alert_id,
            signals=alert_signals(alert.figures, signals),
            detected_at=alert.figures.window_end, aware_at=aware_at, aware_reason=aware_reason)

    def spike_alert(self, alert_id: str) -> MonitoringAlert:
        alert = self._find(MonitoringAlert, alert_uuid(alert_id))
        if alert is None:
            raise NotFoundError(kind="alert", ref=alert_id, listing="report daily")
        return alert

    # ---------------------------------------------------------------- privacy

    def erase_personal_data(self, actor_id: ActorRef, subject: str, reason: str) -> str:
        """Destroy the subject's key (crypto-shredding) and record the erasure; returns the
        destroyed key's id. The event is saved first, so an erasure is never unrecorded."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.ERASE_PERSONAL_DATA)
        canonical = parse_subject(subject)
        vault = self._vault()
        key_id = vault.key_for(canonical)
        if key_id is None:
            raise NotFoundError("error.subject_unknown", subject=canonical)
        conversations = len(self._conversation_ids_of_subject(key_id))
        self._save(Erasure.record(actor, self.new_id(), key_id, reason, conversations,
                                  self._now()), "erasure", key_id[:8])
        vault.erase(canonical)
        return key_id

    # ---------------------------------------------------------------- queries

    def get_conversation(self, ref: str | UUID) -> ConversationView:
        conversation = self._conversation(self.resolve_conversation(ref))
        return conversation_view(conversation, conversation.sla(
            self._now(), self.sla_policy, self.business_calendar))

    def resolve_conversation(self, ref: str | UUID) -> UUID:
        """A full id or a unique prefix (4+ hex characters) of one."""
        text = str(ref).strip().lower()
        matches: list[UUID] = []
        if 4 <= len(text) <= 36 and all(ch in "0123456789abcdef-" for ch in text):
            if self.inbox_index is not None:
                matches = self.inbox_index.conversation_ids_with_prefix(text)
            else:
                matches = [i for i in self._scan_conversation_ids() if str(i).startswith(text)]
        if len(matches) > 1:
            raise InvalidInputError("error.ambiguous", ref=str(ref), count=len(matches),
                                    kind="conversation")
        if not matches:
            raise NotFoundError(kind=Term("conversation"), ref=str(ref), listing="inbox list")
        return matches[0]

    def _scan_conversation_ids(self) -> Iterator[UUID]:
        return self.kernel.ids_with_topic(CONVERSATION_OPENED_TOPIC)

    def _open_conversation_ids(self) -> list[UUID]:
        if self.inbox_index is not None:
            return self.inbox_index.open_conversation_ids()
        return [i for i in self._scan_conversation_ids() if self._conversation(i).is_open]

    def _conversation_ids_of_subject(self, key_id: str) -> list[UUID]:
        if self.inbox_index is not None:
            return self.inbox_index.conversation_ids_of_subject(key_id)
        return [i for i in self._scan_conversation_ids()
                if self._conversation(i).subject_key == key_id]

    def _negative_times(self, since: datetime, until: datetime,
                        after: IngestLog | None = None) -> list[datetime]:
        """Every stored negative message's time in [since, until]: from the read model
        (caught up first), or, `after` an ingestion, from the read model as far as it is
        projected, the ingestion's own messages, and the log's other events after it."""
        if self.inbox_index is None:
            return self._logged_negative_times(since, until)
        if after is None:
            return self.inbox_index.negative_times(since, until)
        position, times = self.inbox_index.projected_negative_times(since, until)
        others = after.others_after(position)
        if sum(last - first + 1 for first, last in others if last is not None) > BEHIND_LIMIT:
            # The read model is far behind (no reader since earlier imports): decoding that
            # backlog here on every import would cost more each time; project it once.
            return self.inbox_index.negative_times(since, until)
        times += after.negative_times(position, since, until)
        for first, last in others:
            times += self._logged_negative_times(since, until, first, last)
        return sorted(times)

    def _logged_negative_times(self, since: datetime, until: datetime, first: int = 1,
                               last: int | None = None) -> list[datetime]:
        """The negative messages' times in [since, until] read from the log, between
        positions `first` and `last` (None: its end)."""
        times = []
        for notification in self._notifications(MESSAGE_TOPICS, first, last):
            event = self.mapper.to_domain_event(notification)
            message: ReceivedMessage = event.message
            if (message.assessment.sentiment is Polarity.NEGATIVE
                    and since <= message.received_at <= until):
                times.append(message.received_at)
        return times

    def _subject_of(self, conversation: Conversation) -> str:
        handle = self._vault().open(conversation.author_handle) \
            if conversation.author_handle else None
        if handle is None:
            raise InvalidStateError("error.subject_erased", ref=conversation.ref)
        return subject_id(conversation.platform, handle)

    def personal_data_vault(self) -> PersonalDataVault:
        """The vault, for a front end revealing what a reader may see; refuses without one."""
        return self._vault()

    def _vault(self) -> PersonalDataVault:
        if self.vault is None:
            raise InvalidStateError("error.no_vault")
        return self.vault

    def _conversation(self, cid: UUID) -> Conversation:
        conversation = self._find(Conversation, cid)
        if conversation is None:
            raise NotFoundError(kind=Term("conversation"), ref=str(cid), listing="inbox list")
        return conversation

    def _conversation_command(self, ref: str | UUID,
                              command: Callable[[Conversation, Actor, datetime], R],
                              actor_id: ActorRef) -> R:
        return self._command_on(actor_id, lambda: self.resolve_conversation(ref),
                                self._conversation, command, "conversation")


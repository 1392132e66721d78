"""What every platform's interaction client shares: the publisher's HTTP client (token, base
URL, deadline, backoff, Retry-After), the conventions that make an API read and a webhook
delivery of the same message one interaction, and the turn of failures into one line.

Conventions (the same as `socmed_adapters.monitoring.webhook_payloads`, so a message seen by
a webhook and again by a fetch lands in the same conversation with the same message id):

- a comment's `thread_id` is the id of the top-level comment it belongs to (its own id when
  it is top-level), `post_id` the post it is on;
- a direct message's `thread_id` is `dm:<the sender's platform id>`; a reply to a thread
  starting with `dm:` is sent as a direct message to that id;
- a mention's `thread_id` is the mentioning post's (or comment's) id; on Instagram
  `mention:<media id>[:<comment id>]`, because a reply to a mention needs the media id;
- our own comments and messages (echoes of the team's replies) are never delivered.

Reads create nothing, so every transient failure is tried again within the deadline
(`PlatformReader`). A reply creates a comment or a message, and no platform takes an
idempotency key: a reply whose answer is lost is looked up in the thread before it is ever
sent again (`create_once`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from typing import Any, ClassVar

from socmed_adapters.platforms.base import AlreadyPosted, Deadline
from socmed_adapters.platforms.reader import PlatformReader
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.monitoring.interaction import (
    InboundInteraction,
    InteractionKind,
    InteractionsUnavailable,
)
from socmed_domain.monitoring.replies import OutboundReply, ReplyError, ReplyReceipt
from socmed_domain.publication.outcomes import PostReceipt
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

AGAIN = "fetch again"
DM_PREFIX = "dm:"


def dm_thread(sender_id: str) -> str:
    return DM_PREFIX + sender_id


def dm_recipient(thread_id: str) -> str | None:
    """The platform id a direct message reply goes to; None when the thread is not a DM."""
    return thread_id[len(DM_PREFIX):] if thread_id.startswith(DM_PREFIX) else None


class InteractionClient(PlatformReader, ABC):
    """One platform's inbox reader and reply sender; subclasses speak the API."""

    again = AGAIN
    unavailable = InteractionsUnavailable
    #: What this platform's API lets an account read (documented per client).
    kinds: ClassVar[frozenset[InteractionKind]] = frozenset(InteractionKind)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lost: set[str] = set()  # idempotency keys of replies whose answer was lost

    # ------------------------------------------------------------------ the ports' halves

    def fetch(self, since: datetime, posts: Sequence[PostRef]) -> list[InboundInteraction]:
        """Every comment (on `posts`), direct message and mention received at or after
        `since`, oldest first; all or nothing (InteractionsUnavailable)."""
        with self.failures():
            found = [i for i in self.read(since, posts) if i.received_at >= since]
        found.sort(key=lambda i: (i.received_at, i.message_id))
        return found

    def send_reply(self, reply: OutboundReply) -> ReplyReceipt:
        """Post the reply; ReplyError (nothing recorded) when the platform refuses it, or
        when its answer was lost and a look-up could not show whether it exists."""
        try:
            return ReplyReceipt(self.post_reply(reply, self.deadline()))
        except PublishError as error:
            raise ReplyError(error.reason) from error

    # ------------------------------------------------------------------ for subclasses

    @abstractmethod
    def read(self, since: datetime, posts: Sequence[PostRef]) -> Iterator[InboundInteraction]:
        """Yield what the platform has since `since` (a little more is fine: `fetch`
        filters); take a fresh `self.deadline()` per request or page."""

    @abstractmethod
    def post_reply(self, reply: OutboundReply, deadline: Deadline) -> str:
        """Send the reply and return the platform's id of it. Send the creating request with
        `creates=True` and a `probe` that finds the same text in the thread, so a lost answer
        is looked up, never blindly re-sent."""

    def create_once(self, key: str, send: Callable[[], str],
                    probe: Callable[[], PostReceipt | None] | None) -> str:
        """Create a reply at most once and return its id. `send` makes the one creating
        request (through `PlatformApi.send(..., creates=True, probe=...)`, which re-sends a
        5xx only after the probe shows the reply absent); `probe` finds our reply with the
        same text in the thread. Every reply is looked for before it is sent, so a member
        who sends again after a lost answer (from another process: each `socmed inbox reply`
        is one) gets the reply that exists instead of a second one. If that look-up fails,
        the send goes ahead, unless this process saw the answer lost (`key` remembered): then
        it is refused, as it might double post. Without a probe a loss is reported as
        final."""
        if probe is not None:
            try:
                found = probe()
            except PublishError:
                if key in self._lost:
                    raise
                found = None
            if found is not None:
                self._lost.discard(key)
                return found.post_id
        try:
            reply_id = send()
        except AlreadyPosted as posted:
            reply_id = posted.receipt.post_id
        except OutcomeUnknownError as error:
            self._lost.add(key)
            if probe is None:
                raise PublishError(f"{error}; {self.platform.label} offers no way to look "
                                   "for it: check the thread before sending it again",
                                   False) from error
            try:
                found = probe()
            except PublishError as failed:
                raise PublishError(f"{error}; the look-up failed too ({failed.reason}): send "
                                   "it again later, it will be looked for first",
                                   True) from error
            if found is None:
                raise PublishError(f"{error}; it is not in the thread: send it again, it "
                                   "will be looked for first", True) from error
            reply_id = found.post_id
        self._lost.discard(key)
        return reply_id

"""What the audience sends: comments, direct messages and mentions (SOP stage 4).

`InboundInteraction` is what an `InteractionSource` (a platform API, a webhook, a file)
delivers: plaintext, never stored as it is. `assess` reads it once, at ingestion (sentiment,
watchlist, suggested priority), and `ReceivedMessage` is what an event keeps: the platform's
ids, the time, the assessment, and the personal parts sealed by the vault.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from typing import Protocol, overload
from uuid import NAMESPACE_URL, UUID, uuid5

from attrs import field, frozen

from socmed_domain.bounds import check_time
from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.monitoring.lexicon import DEFAULT as DEFAULT_LEXICON
from socmed_domain.monitoring.lexicon import Lexicon
from socmed_domain.monitoring.sentiment import Polarity, analyse
from socmed_domain.monitoring.sla import Priority
from socmed_domain.monitoring.vault import SealedText, subject_id
from socmed_domain.monitoring.watchlist import DEFAULT_WATCHLIST, Topic, Watchlist
from socmed_domain.platforms import Platform
from socmed_domain.timezones import require_aware

TEXT_LIMIT = 10_000
ID_LIMIT = 200


class InteractionKind(enum.Enum):
    COMMENT = "comment"
    DIRECT_MESSAGE = "direct_message"
    MENTION = "mention"


class Tag(enum.Enum):
    """Triage tags (SOP: 'record audience feedback to improve content')."""

    QUESTION = "question"
    COMPLAINT = "complaint"
    PRAISE = "praise"
    SPAM = "spam"
    FEEDBACK_PRODUCT = "feedback_product"
    FEEDBACK_SERVICE = "feedback_service"
    FEEDBACK_CONTENT = "feedback_content"

    @property
    def is_feedback(self) -> bool:
        return self.value.startswith("feedback_")


def _text(value: str) -> str:
    return value.strip()


@frozen
class InboundInteraction:
    """One comment, message or mention as a source delivers it (plaintext, in memory only).

    `thread_id` groups messages into one conversation: the DM thread, the top-level comment
    a reply belongs to, or the post that mentions us; without it the message is its own
    thread. `message_id` is the platform's id of this message and makes ingestion idempotent.
    """

    platform: Platform
    kind: InteractionKind
    message_id: str
    author_handle: str
    text: str = field(converter=_text)
    received_at: datetime
    author_name: str = ""
    thread_id: str = ""
    post_id: str = ""  # our post a comment is on, when the platform says

    def validate(self) -> InboundInteraction:
        if not self.message_id.strip():
            raise InvalidInputError("error.empty", field="message id")
        for name, value in (("message id", self.message_id), ("thread id", self.thread_id),
                            ("post id", self.post_id)):
            if len(value) > ID_LIMIT:
                raise InvalidInputError("error.too_long", field=name, length=len(value),
                                        limit=ID_LIMIT)
        if len(self.text) > TEXT_LIMIT:
            raise InvalidInputError("error.too_long", field="message text",
                                    length=len(self.text), limit=TEXT_LIMIT)
        check_time(require_aware(self.received_at), "received_at")
        subject_id(self.platform, self.author_handle)  # refuses an empty handle
        return self

    @property
    def thread(self) -> str:
        return self.thread_id.strip() or self.message_id.strip()

    @property
    def subject(self) -> str:
        return subject_id(self.platform, self.author_handle)

    @property
    def conversation_id(self) -> UUID:
        return conversation_id(self.platform, self.thread)


@lru_cache(maxsize=16_384)
def conversation_id(platform: Platform, thread: str) -> UUID:
    """Deterministic: the same platform thread is always the same conversation, whichever
    process or source ingests it first. Cached: a thread's messages arrive together."""
    return uuid5(NAMESPACE_URL, f"socmed:conversation:{platform.value}:{thread}")


@frozen
class Assessment:
    """What socmed read in a message at ingestion, kept with it for audit and reports."""

    sentiment: Polarity
    score: Decimal
    topics: tuple[Topic, ...]
    lexicon_version: str
    watchlist_version: str

    @property
    def sensitive(self) -> bool:
        return any(t is not Topic.CAMPAIGN for t in self.topics)

    @property
    def suggested_priority(self) -> Priority:
        """Sensitive topics (legal threats, data leaks, safety, SARA, fraud, boycotts) are
        high; everything else starts normal and is re-prioritised at triage."""
        return Priority.HIGH if self.sensitive else Priority.NORMAL


def assess(text: str, lexicon: Lexicon = DEFAULT_LEXICON,
           watchlist: Watchlist = DEFAULT_WATCHLIST) -> Assessment:
    score = analyse(text, lexicon)
    topics: list[Topic] = []
    for hit in watchlist.match(text):
        if hit.topic not in topics:
            topics.append(hit.topic)
    return Assessment(score.label, Decimal(f"{score.score:.3f}"), tuple(topics),
                      lexicon.version, watchlist.version)


@frozen
class ReceivedMessage:
    """One inbound message as stored in an event: no plaintext personal data."""

    message_id: str
    kind: InteractionKind
    received_at: datetime
    author_handle: SealedText
    author_name: SealedText
    text: SealedText
    assessment: Assessment
    post_id: str = ""


class Assessor(Protocol):
    """Reads a batch of texts (`assess` on each), possibly elsewhere: `start` begins the
    work and returns what waits for its result, so ingestion can store one batch while the
    next is being read (adapters run it on other cores for bulk imports)."""

    def start(self, texts: Sequence[str], lexicon: Lexicon = DEFAULT_LEXICON,
              watchlist: Watchlist = DEFAULT_WATCHLIST
              ) -> Callable[[], Sequence[Assessment]]: ...


class InlineAssessor:
    """The default: each text assessed here, and only when its assessment is read (a
    message already stored is never assessed again)."""

    def start(self, texts: Sequence[str], lexicon: Lexicon = DEFAULT_LEXICON,
              watchlist: Watchlist = DEFAULT_WATCHLIST) -> Callable[[], Sequence[Assessment]]:
        return lambda: _OnDemand(texts, lexicon, watchlist)


class LazyAssessments(Sequence[Assessment]):
    """A batch's assessments, each made only when it is read (an import that finds a
    message already stored never reads its assessment). Where it is made is the
    subclass's: here, or by worker processes (`socmed_adapters.monitoring.parallel_assess`)."""

    def __init__(self, texts: Sequence[str], lexicon: Lexicon = DEFAULT_LEXICON,
                 watchlist: Watchlist = DEFAULT_WATCHLIST) -> None:
        self.texts = texts
        self.lexicon = lexicon
        self.watchlist = watchlist

    def __len__(self) -> int:
        return len(self.texts)

    @overload
    def __getitem__(self, index: int) -> Assessment: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Assessment]: ...

    def __getitem__(self, index: int | slice) -> Assessment | Sequence[Assessment]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return self.assessment(index)

    def assessment(self, index: int) -> Assessment:
        raise NotImplementedError


class _OnDemand(LazyAssessments):
    def __init__(self, texts: Sequence[str], lexicon: Lexicon = DEFAULT_LEXICON,
                 watchlist: Watchlist = DEFAULT_WATCHLIST) -> None:
        super().__init__(texts, lexicon, watchlist)
        self.done: dict[int, Assessment] = {}

    def assessment(self, index: int) -> Assessment:
        found = self.done.get(index)
        if found is None:
            found = self.done[index] = assess(self.texts[index], self.lexicon,
                                                     self.watchlist)
        return found


class InteractionSource(Protocol):
    """Anything that delivers interactions: a platform API client, a webhook receiver, a
    file reader. Sources may deliver the same message more than once; ingestion keeps one."""

    def interactions(self) -> Iterator[InboundInteraction]: ...


class InteractionsUnavailable(SocmedError):
    """A platform's comments, messages or mentions could not be read (refused token, rate
    limit outlasting the deadline, ...). Nothing of that platform is ingested, so fetching
    again later is always safe: ingestion is idempotent."""

    code = "error.interactions_fetch"

    def __init__(self, platform: Platform, detail: str) -> None:
        super().__init__(platform=platform.label, detail=detail)


def batched(items: Iterable[InboundInteraction], size: int,
            first: int | None = None) -> Iterator[list[InboundInteraction]]:
    """Lists of `size` items (the last may be shorter). With `first`, the sizes start there
    and double up to `size`: the first batch is ready soon, and the rest share the fixed
    cost of a transaction."""
    current = min(first or size, size)
    batch: list[InboundInteraction] = []
    for item in items:
        batch.append(item)
        if len(batch) >= current:
            yield batch
            batch = []
            current = min(current * 2, size)
    if batch:
        yield batch

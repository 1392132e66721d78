"""The synthetic generator's history at tens of millions of events, written fast.

`synthetic.generate` runs every item through the domain's commands and the application's
save: honest, and about 1,000-3,000 events a second on a shared machine, so 10M events take
hours. Here a base block of items is generated exactly that way, then further blocks are
written by cloning the base block's stored events: each item gets a fresh aggregate id (in
`originator_id` and inside the stored JSON: the idempotency keys, the post ids and their URLs,
the title), and every timestamp moves by the block's span, so block k lies where
`generate` would have put items k*B..k*B+B-1 (an item every 7 minutes). The clones go in
through the application's own event recorder (`insert_events`, many thousands of events a
transaction), which seals them into the audit chain with the same links and checkpoints
as any save: the store is one the application opens, verifies, projects and appends to like
any other. What differs from a fully generated store: the drafts' texts, platforms and
step lengths repeat every base block (the domain rules passed them once; a clone changes no
decision, only who and when).
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from socmed_demo.synthetic import EVENTS_PER_ITEM, STEP_BETWEEN_ITEMS, generate
from socmed_domain.application import SocmedApplication

#: Events of the base block generated through the domain (about 9,090 items).
BASE_EVENTS = 100_000
#: Events per recorder transaction.
CLONE_BATCH = 20_000
_CREATED = b"ContentItem.Created"
_TIMESTAMP = re.compile(rb'"_type_":"datetime_iso","_data_":"([^"]+)"')

History = list[tuple[int, str, bytes]]  # (version, topic, state) of one item


def generate_by_cloning(app: SocmedApplication, events: int, seed: int = 1,
                        base_events: int = BASE_EVENTS, batch: int = CLONE_BATCH,
                        on_progress: Callable[[int], None] | None = None) -> int:
    """Append about `events` events to `app` (whole items, as `generate`): a base block of
    `base_events` generated through the domain, then clones of it; returns the number
    appended."""
    before = app.recorder.max_notification_id() or 0
    written = generate(app, min(events, base_events), seed=seed, items_per_save=200)
    base = _item_histories(app, before)
    if not base:
        return written
    items_wanted = events // EVENTS_PER_ITEM
    rng = random.Random(f"clones-{seed}")
    pending: list[StoredEvent] = []
    number, copy = len(base), 0
    while number < items_wanted:
        copy += 1
        shift = STEP_BETWEEN_ITEMS * len(base) * copy
        moved: dict[bytes, bytes] = {}
        for old_id, history in base:
            if number == items_wanted:
                break
            new_id = UUID(int=rng.getrandbits(128), version=4)
            pending += clone_history(old_id, new_id, history, shift, moved)
            number += 1
            if len(pending) >= batch:
                written += _insert(app, pending)
                if on_progress:
                    on_progress(written)
    if pending:
        written += _insert(app, pending)
    return written


def clone_history(old_id: UUID, new_id: UUID, history: History, shift: timedelta,
                  moved: dict[bytes, bytes] | None = None) -> list[StoredEvent]:
    """One item's stored events under a new id, `shift` later. `moved` caches shifted
    timestamps (the same moment recurs within a block)."""
    cache = {} if moved is None else moved
    old_text, new_text = str(old_id).encode(), str(new_id).encode()
    replacements = (
        (old_text, new_text),  # idempotency keys
        (old_text[:12], new_text[:12]),  # post ids and their URLs
        (b'"Konten ' + old_text[:8], b'"Konten ' + new_text[:8]),  # the title
    )

    def later(match: re.Match[bytes]) -> bytes:
        stamp = match.group(1)
        found = cache.get(stamp)
        if found is None:
            found = cache[stamp] = (datetime.fromisoformat(stamp.decode()) + shift
                                    ).isoformat().encode()
        return b'"_type_":"datetime_iso","_data_":"' + found + b'"'

    out = []
    for version, topic, state in history:
        for old, new in replacements:
            state = state.replace(old, new)
        if old_text[:8] in state:  # somewhere the replacements did not foresee
            raise ValueError(f"the old id {old_id} remains in a clone of {topic}")
        out.append(StoredEvent(originator_id=new_id, originator_version=version, topic=topic,
                               state=_TIMESTAMP.sub(later, state)))
    return out


def _item_histories(app: SocmedApplication, after: int) -> list[tuple[UUID, History]]:
    """The content items written after position `after`, in log order, with their events."""
    histories: dict[UUID, History] = {}
    position = after
    while True:
        page = app.recorder.select_notifications(start=position + 1, limit=5000)
        for n in page:
            oid = n.originator_id if isinstance(n.originator_id, UUID) else UUID(n.originator_id)
            if n.originator_version == 1 and _CREATED not in n.topic.encode():
                continue  # not a content item (the team founded with the first block)
            if n.originator_version == 1:
                histories[oid] = []
            if oid in histories:
                histories[oid].append((n.originator_version, n.topic, bytes(n.state)))
        if len(page) < 5000:
            return list(histories.items())
        position = page[-1].id


def _insert(app: SocmedApplication, pending: list[StoredEvent]) -> int:
    count = len(pending)
    app.recorder.insert_events(pending)
    pending.clear()
    return count

"""A deterministic generator of realistic event histories, for benchmarks and volume tests.

Items go through the real domain commands (so every event is one the rules allow), in memory,
and are saved in chunks: many events per save. Same seed and size, same events.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from socmed_adapters.twitter_text import wired_rules
from socmed_domain.actor import Actor
from socmed_domain.application import SocmedApplication
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.quality import CHECKLIST_KEYS, ContentPolicy
from socmed_domain.production.revision import Draft
from socmed_domain.publication.outcomes import PostReceipt
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

MM = Actor("rina.mm", "Rina Wijaya", Role.MARKETING_MANAGER)
AUTHORS = [Actor(f"dm{n}", f"Digital Marketing {n}", Role.DIGITAL_MARKETING) for n in range(4)]
ADMIN = Actor("adi.admin", "Adi Pratama", Role.SOCIAL_MEDIA_ADMIN)
WORDS = ("promo", "tabungan", "aman", "digital", "hemat", "keluarga", "akhir", "tahun",
         "bunga", "kartu", "cashback", "tips", "finansial", "cerdas", "nasabah")
RULES = wired_rules()
EVENTS_PER_ITEM = 11  # created, revised, review x2, approval x2, scheduled, 2 x (attempt, post)
STEP_BETWEEN_ITEMS = timedelta(minutes=7)  # item n starts 7n minutes after the first


def item_history(rng: random.Random, item_id: UUID, start: datetime) -> ContentItem:
    """One content item from draft to published on two platforms."""
    author = AUTHORS[rng.randrange(len(AUTHORS))]
    reviewer = AUTHORS[(AUTHORS.index(author) + 1) % len(AUTHORS)]
    platforms = tuple(rng.sample([Platform.LINKEDIN, Platform.FACEBOOK, Platform.X], 2))
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
    draft = Draft(text=text.capitalize() + ".", platforms=platforms,
                  hashtags=(rng.choice(WORDS),))
    step = timedelta(minutes=rng.randint(1, 50))
    at = start
    item = ContentItem.create(author, item_id, f"Konten {str(item_id)[:8]}", None, at)
    item.revise(author, draft, "", at := at + step)
    item.submit_for_review(author, "", at := at + step)
    item.review_quality(reviewer, CHECKLIST_KEYS, "ok", ContentPolicy(), RULES,
                        at := at + step)
    item.submit_for_approval(reviewer, "", at := at + step)
    item.approve(MM, None, "", at := at + step)
    slot = at + timedelta(hours=rng.randint(1, 48))
    item.schedule(ADMIN, slot, (), RULES, at := at + step)
    for platform in item.slot.platforms if item.slot else ():
        item.begin_publication(ADMIN, platform, RULES, slot)
        post_id = f"{platform.value}-{str(item_id)[:12]}"
        item.record_published(ADMIN, platform, PostReceipt(
            post_id, f"https://example.invalid/{post_id}", slot), slot)
    return item


def generate(app: SocmedApplication, events: int, seed: int = 1, items_per_save: int = 50,
             on_progress: Callable[[int], None] | None = None) -> int:
    """Append about `events` events to `app` (whole items); returns the number appended."""
    rng = random.Random(seed)
    start = datetime(2026, 1, 1, 8, tzinfo=WIB)
    if not app.team.is_initialised():
        app.team.initialise("PT Sintetis", MM.member_id, MM.name)
    written = 0
    batch: list[ContentItem] = []
    for number in _numbers(events // EVENTS_PER_ITEM):
        item_id = UUID(int=rng.getrandbits(128), version=4)
        batch.append(item_history(rng, item_id, start + STEP_BETWEEN_ITEMS * number))
        if len(batch) == items_per_save:
            written += _save(app, batch)
            if on_progress:
                on_progress(written)
    if batch:
        written += _save(app, batch)
    return written


def _numbers(count: int) -> Iterator[int]:
    yield from range(count)


def _save(app: SocmedApplication, batch: list[Any]) -> int:
    count = sum(len(item.pending_events) for item in batch)
    app.save(*batch)
    batch.clear()
    return count

"""The cloning generator (socmed_demo/synthetic_clones.py), on real SQLite and PostgreSQL:
its store verifies (the audit chain sealed by the application's recorder), its clones are
valid content items under new ids and moved in time, and the projections rebuilt from it
equal the ones caught up live."""

from __future__ import annotations

from uuid import UUID

import pytest

from socmed_adapters.audit.verify import verify
from socmed_demo.synthetic import EVENTS_PER_ITEM, STEP_BETWEEN_ITEMS
from socmed_demo.synthetic_clones import clone_history, generate_by_cloning
from socmed_domain.production.content_item import ContentItem

TABLES = ("content_board", "publication_log", "audit_index", "calendar_posts", "metric_posts")
BASE_ITEMS = 100


def item_ids(app) -> list[UUID]:  # type: ignore[no-untyped-def]
    """The content items in log order."""
    page = app.recorder.select_notifications(start=1, limit=100_000)
    return [n.originator_id for n in page
            if n.originator_version == 1 and "ContentItem.Created" in n.topic]


@pytest.mark.slow  # a few thousand events, replayed twice
def test_a_cloned_store_verifies_and_rebuilds_to_the_live_projections(backend) -> None:  # type: ignore[no-untyped-def]
    services = backend.services()
    app = services.app
    count = generate_by_cloning(app, 330 * EVENTS_PER_ITEM,
                                base_events=BASE_ITEMS * EVENTS_PER_ITEM, batch=700)
    assert count == 330 * EVENTS_PER_ITEM == app.event_count() - 1  # and the team's founding

    report = verify(services.event_tables)
    assert report.ok, report.problems
    assert report.checked == count + 1

    ids = item_ids(app)
    assert len(ids) == len(set(ids)) == 330
    for number in (0, 57, BASE_ITEMS - 1):  # the base item and its clones in blocks 1-2
        base: ContentItem = app.repository.get(ids[number])
        for block in (1, 2):
            clone: ContentItem = app.repository.get(ids[number + block * BASE_ITEMS])
            shift = STEP_BETWEEN_ITEMS * BASE_ITEMS * block
            assert clone.version == base.version == EVENTS_PER_ITEM
            assert clone.title == f"Konten {str(clone.id)[:8]}"
            assert clone.status == base.status
            assert clone.revisions == base.revisions
            assert base.slot is not None and clone.slot is not None
            assert clone.slot.at == base.slot.at + shift
            assert clone.created_on == base.created_on + shift
            for platform, published in clone.publications.items():
                assert published.receipt is not None
                assert published.receipt.post_id == f"{platform.value}-{str(clone.id)[:12]}"
                assert published.idempotency_key.startswith(str(clone.id))
                assert published.attempted_at == base.publications[platform].attempted_at + shift

    projector = services.projector
    projector.catch_up(batch=97)  # live, in small batches
    live = {table: projector.rows(table) for table in TABLES}
    assert len(live["audit_index"]) == count + 1
    assert len(live["publication_log"]) == 2 * 330
    assert projector.rebuild(projector.names()) == count + 1
    assert {table: projector.rows(table) for table in TABLES} == live


def test_a_clone_that_would_keep_the_old_id_is_refused() -> None:
    old, new = UUID(int=1, version=4), UUID(int=2, version=4)
    state = b'{"note":"' + old.hex[:8].encode() + b'"}'  # the id where no field expects it
    with pytest.raises(ValueError, match="remains"):
        clone_history(old, new, [(1, "x:ContentItem.Revised", state)], STEP_BETWEEN_ITEMS)

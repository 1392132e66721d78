"""Bulk triage of the inbox (the console's bulk assign, tag and close): one command over
many conversations, all of them or none, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from tests.conftest import Backend, seed_team

from socmed_domain.errors import InvalidStateError, NotFoundError, SocmedError
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind, Tag
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB


def _world(backend: Backend) -> tuple[Any, list[str]]:
    from socmed_adapters.clock import ManualClock

    services = backend.services(clock=ManualClock(datetime(2026, 12, 10, 9, 0, tzinfo=WIB)))
    seed_team(services.app)
    services.app.inbox.ingest_interactions("adi.admin", [InboundInteraction(
        Platform.X, InteractionKind.MENTION, f"x-{n}", f"warga{n}", "kapan promonya?",
        datetime(2026, 12, 10, 8, n, tzinfo=WIB)) for n in range(5)])
    ids = [r["conversation_id"] for r in services.read_models.inbox_page(
        "adi.admin", services)]
    return services, ids


def test_bulk_assign_tag_and_close_record_one_event_per_conversation(backend: Backend) -> None:
    services, ids = _world(backend)
    inbox = services.app.inbox
    assert inbox.assign_conversations("adi.admin", ids, "adi.admin", "pagi") == 5
    assert inbox.tag_conversations("adi.admin", ids[:2], [Tag.QUESTION]) == 2
    assert inbox.close_conversations("adi.admin", ids[2:]) == 3
    views = {i: inbox.get_conversation(i) for i in ids}
    assert {v.assignee for v in views.values()} == {"adi.admin"}
    assert [views[i].tags for i in ids[:2]] == [(Tag.QUESTION,), (Tag.QUESTION,)]
    assert all(views[i].closed_at is not None for i in ids[2:])


def test_one_refused_conversation_leaves_every_conversation_as_it_was(
        backend: Backend) -> None:
    """Closing five where one is already closed is refused, and the other four stay open
    (nothing was written): all-or-nothing."""
    services, ids = _world(backend)
    inbox = services.app.inbox
    inbox.close_conversation("adi.admin", ids[0])
    before = {i: inbox.get_conversation(i).version for i in ids}
    with pytest.raises(InvalidStateError):
        inbox.close_conversations("adi.admin", ids)
    assert {i: inbox.get_conversation(i).version for i in ids} == before
    with pytest.raises(NotFoundError):
        inbox.assign_conversations("adi.admin", [*ids[1:], "ffffffff"], "adi.admin")
    with pytest.raises(SocmedError):
        inbox.assign_conversations("adi.admin", [], "adi.admin")
    assert {i: inbox.get_conversation(i).version for i in ids} == before


def test_a_role_that_may_not_triage_is_refused_for_the_whole_batch(backend: Backend) -> None:
    from socmed_domain.errors import PermissionDeniedError

    services, ids = _world(backend)
    with pytest.raises(PermissionDeniedError):
        services.app.inbox.tag_conversations("sari.legal", ids, [Tag.SPAM])
    assert all(services.app.inbox.get_conversation(i).tags == () for i in ids)

"""Bulk inbox actions chosen by a filter (`ConversationFilter`): the same all-or-nothing
command over the conversations the filter matches, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from tests.conftest import Backend, seed_team

from socmed_domain.errors import InvalidInputError, InvalidStateError
from socmed_domain.monitoring.bulk_filter import ConversationFilter
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind, Tag
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB


def _world(backend: Backend) -> Any:
    from socmed_adapters.clock import ManualClock

    services = backend.services(clock=ManualClock(datetime(2026, 12, 10, 9, 0, tzinfo=WIB)))
    seed_team(services.app)
    platforms = [Platform.X, Platform.INSTAGRAM, Platform.INSTAGRAM, Platform.FACEBOOK]
    services.app.inbox.ingest_interactions("adi.admin", [InboundInteraction(
        p, InteractionKind.COMMENT, f"m-{n}", f"warga{n}", "kapan promonya?",
        datetime(2026, 12, 10, 8, n, tzinfo=WIB)) for n, p in enumerate(platforms)])
    return services


def _by_platform(services: Any) -> dict[str, list[Any]]:
    found: dict[str, list[Any]] = {}
    for row in services.read_models.inbox_page("adi.admin", services, status=(
            "received", "assigned", "replied", "closed")):
        found.setdefault(row["platform"], []).append(
            services.app.inbox.get_conversation(row["conversation_id"]))
    return found


def test_a_filter_takes_exactly_the_matching_conversations(backend: Backend) -> None:
    services = _world(backend)
    inbox = services.app.inbox
    where = ConversationFilter.parse("status=new platform=instagram")
    assert inbox.assign_conversations("budi.dm", [], "adi.admin", where=where) == 2
    views = _by_platform(services)
    assert [v.assignee for v in views["instagram"]] == ["adi.admin", "adi.admin"]
    assert views["x"][0].assignee is None and views["facebook"][0].assignee is None
    with pytest.raises(InvalidStateError):  # none is new on instagram any more
        inbox.assign_conversations("budi.dm", [], "adi.admin", where=where)
    assert inbox.tag_conversations("budi.dm", [], [Tag.QUESTION], where=ConversationFilter.parse(
        "assignee=none")) == 2
    assert inbox.close_conversations("adi.admin", [], where=ConversationFilter.parse(
        "tag=question")) == 2
    views = _by_platform(services)
    assert views["x"][0].closed_at is not None and views["facebook"][0].closed_at is not None
    assert all(v.closed_at is None for v in views["instagram"])


def test_a_refusal_on_one_matching_conversation_changes_none(backend: Backend) -> None:
    services = _world(backend)
    inbox = services.app.inbox
    x = _by_platform(services)["x"][0]
    inbox.close_conversation("adi.admin", x.conversation_id)
    with pytest.raises(InvalidStateError):  # the closed one cannot be closed again
        inbox.close_conversations("adi.admin", [], where=ConversationFilter.parse(
            "status=new,closed"))
    assert all(v.closed_at is None for p, vs in _by_platform(services).items()
               for v in vs if p != "x")


@pytest.mark.parametrize("text", ["", "colour=red", "status", "status=lost",
                                  "platform=myspace", "status=new status=closed",
                                  "sentiment=angry"])
def test_a_bad_filter_is_refused(text: str) -> None:
    with pytest.raises(InvalidInputError):
        ConversationFilter.parse(text)

"""A command decides on the configuration and the strategy this process keeps in memory,
without reading them first; the save records only if neither has moved since (checked by our
recorders in the saving transaction, as the team is). So rules changed by another process
apply to this process's next command, whether they now refuse what the kept rules allowed,
allow what they refused, or change what a review finds."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from attrs import evolve

from socmed_adapters.clock import ManualClock
from socmed_demo import strategy as demo_strategy
from socmed_domain.configuration.aggregate import CONFIGURATION_ID
from socmed_domain.configuration.model import DEFAULT_CONFIGURATION
from socmed_domain.errors import InvalidInputError
from socmed_domain.planning.strategy import STRATEGY_ID
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.timezones import WIB
from tests.conftest import seed_team

DRAFT = Draft(text="Promo akhir tahun untuk nasabah setia.", platforms=(Platform.LINKEDIN,))


def two_processes(backend: Any) -> tuple[Any, Any]:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    one = backend.services(clock=clock)
    seed_team(one.app)
    return one, backend.services(clock=clock)


def submitted(app: Any) -> Any:
    item = app.content.create("budi.dm", "Uji", DRAFT)
    app.content.submit_for_review("budi.dm", item)
    return item


def reads_of(app: Any, aggregate_id: Any) -> list[Any]:
    """Record every read of `aggregate_id`'s events through the application's store."""
    seen: list[Any] = []
    select = app.recorder.select_events

    def counting(originator_id: Any, *args: Any, **kwargs: Any) -> Any:
        if originator_id == aggregate_id:
            seen.append(originator_id)
        return select(originator_id, *args, **kwargs)

    app.recorder.select_events = counting
    return seen


def test_a_review_reads_neither_the_configuration_nor_the_strategy_once_kept(
        backend: Any) -> None:
    one, _other = two_processes(backend)
    one.app.content.review("dewi.dm", submitted(one.app), CHECKLIST_KEYS)  # kept from here
    item = submitted(one.app)
    configuration, strategy = (reads_of(one.app, CONFIGURATION_ID),
                               reads_of(one.app, STRATEGY_ID))
    one.app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    one.app.content.submit_for_review("budi.dm", one.app.content.create("budi.dm", "B", DRAFT))
    assert (configuration, strategy) == ([], [])
    # outside a command (a query) the configuration is read as before
    one.app.configuration.in_force()
    assert configuration == [CONFIGURATION_ID]


def test_a_banned_phrase_configured_by_another_process_applies_to_the_next_review(
        backend: Any) -> None:
    one, other = two_processes(backend)
    first = one.app.content.review("dewi.dm", submitted(one.app), CHECKLIST_KEYS)
    assert first.passed  # the kept configuration: the built-in one
    item = submitted(one.app)
    banned = evolve(DEFAULT_CONFIGURATION, content=evolve(
        DEFAULT_CONFIGURATION.content, banned_phrases=("nasabah setia",)))
    other.app.configuration.apply("rina.mm", banned, "Legal: no loyalty claims")
    outcome = one.app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    assert not outcome.passed
    assert any("nasabah setia" in str(finding) for finding in outcome.findings)
    assert one.app.content.item(item).status.value == "changes_requested"


def test_a_checklist_item_removed_by_another_process_is_refused_by_the_next_review(
        backend: Any) -> None:
    one, other = two_processes(backend)
    one.app.content.review("dewi.dm", submitted(one.app), CHECKLIST_KEYS)
    item = submitted(one.app)
    shorter = evolve(DEFAULT_CONFIGURATION, checklist=DEFAULT_CONFIGURATION.checklist[1:])
    other.app.configuration.apply("rina.mm", shorter, "one check less")
    removed = DEFAULT_CONFIGURATION.checklist[0].key
    events = one.app.event_count()
    with pytest.raises(InvalidInputError):
        one.app.content.review("dewi.dm", item, (removed,))
    assert one.app.event_count() == events
    kept = tuple(key for key in CHECKLIST_KEYS if key != removed)
    assert set(one.app.content.review("dewi.dm", item, kept).confirmed) == set(kept)


def test_a_checklist_item_added_by_another_process_is_accepted_by_the_next_review(
        backend: Any) -> None:
    one, other = two_processes(backend)
    one.app.content.review("dewi.dm", submitted(one.app), CHECKLIST_KEYS)
    item = submitted(one.app)
    extra = evolve(DEFAULT_CONFIGURATION.checklist[0], key="halal_claims_checked")
    longer = evolve(DEFAULT_CONFIGURATION,
                    checklist=(*DEFAULT_CONFIGURATION.checklist, extra))
    other.app.configuration.apply("rina.mm", longer, "one check more")
    # refused on the kept checklist, decided again once the configuration is seen to move
    outcome = one.app.content.review("dewi.dm", item, (*CHECKLIST_KEYS, extra.key))
    assert extra.key in outcome.confirmed


def test_a_strategy_approved_by_another_process_applies_to_the_next_review(
        backend: Any) -> None:
    one, other = two_processes(backend)
    assert one.app.content.review("dewi.dm", submitted(one.app), CHECKLIST_KEYS).passed
    item = submitted(one.app)
    plan = demo_strategy.APPROVED
    avoided = evolve(plan, brand_voice=evolve(
        plan.brand_voice, words_to_avoid=("akhir tahun",)))
    other.app.planning.draft_strategy("budi.dm", avoided)
    other.app.planning.submit_strategy("budi.dm")
    other.app.planning.approve_strategy("rina.mm", 1)
    outcome = one.app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    assert any("akhir tahun" in str(finding) for finding in outcome.findings)


def test_a_save_that_finds_the_configuration_moved_records_nothing_and_decides_again(
        backend: Any) -> None:
    """The configuration applied between the decision and the save (simulated by applying
    it from the other process while this one decides): the first save is refused and the
    second decision sees the new rules."""
    one, other = two_processes(backend)
    one.app.content.review("dewi.dm", submitted(one.app), CHECKLIST_KEYS)
    item = submitted(one.app)
    banned = evolve(DEFAULT_CONFIGURATION, content=evolve(
        DEFAULT_CONFIGURATION.content, banned_phrases=("nasabah setia",)))
    policy = one.app.content.effective_policy
    applied: list[int] = []

    def policy_then_apply() -> Any:
        found = policy()
        if not applied:
            applied.append(other.app.configuration.apply("rina.mm", banned, "meanwhile"))
        return found

    one.app.content.effective_policy = policy_then_apply
    outcome = one.app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    assert applied == [1]
    assert not outcome.passed  # the second decision, on the applied configuration
    reviews = [e for e in one.app.history(item) if e.event_type == "Reviewed"]
    assert len(reviews) == 1

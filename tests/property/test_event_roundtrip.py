"""Every stored event type survives the application's mapper unchanged (DESIGN.md, 'Events').

Event classes are discovered, not listed: every subclass of AuditedEvent in every module of
socmed_domain. Their field strategies are derived from the type annotations, down through the
attrs value objects they carry; a field of a type this file has no strategy for fails
`test_every_event_class_has_a_strategy`, so a new event type cannot slip past untested.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import importlib
import pkgutil
import types
import typing
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, TypeVar
from uuid import UUID

import attrs
import pytest
from eventsourcing.persistence import JSONTranscoder, Mapper
from eventsourcing.utils import resolve_topic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socmed_domain
from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_domain.events import AuditedEvent
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.revision import Draft
from socmed_domain.team import Team
from socmed_domain.timezones import WIB, WIT, WITA
from socmed_domain.transcoding import ENUMS, VALUE_OBJECTS, converter


def _import_domain() -> None:
    for module in pkgutil.walk_packages(socmed_domain.__path__, "socmed_domain."):
        importlib.import_module(module.name)


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def discover_event_classes() -> list[type[AuditedEvent]]:
    """The storable ones: eventsourcing's metaclass re-creates each nested event class on its
    aggregate (the original stays behind as a base); a stored topic names the re-created one."""
    _import_domain()
    storable = [cls for cls in _subclasses(AuditedEvent)
                if resolve_topic(f"{cls.__module__}:{cls.__qualname__}") is cls]
    return sorted(storable, key=lambda c: c.__qualname__)


EVENT_CLASSES = discover_event_classes()

ZONES = st.sampled_from([UTC, WIB, WITA, WIT, timezone(timedelta(hours=-3, minutes=-30)),
                         timezone(timedelta(hours=5, minutes=45))])
BASE: dict[Any, st.SearchStrategy[Any]] = {
    str: st.text(max_size=20),
    int: st.integers(),
    # Sentiment scores of a configuration's lexicon: JSON keeps a finite float exactly.
    float: st.floats(allow_nan=False, allow_infinity=False),
    bool: st.booleans(),
    # Indonesian zones have had no transitions since 1988; before that, local times in a gap
    # never compare equal across zones (PEP 495), although the instant round-trips.
    datetime: st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 1, 1),
                           timezones=ZONES),
    date: st.dates(),
    # Budgets and KPI targets: exact decimals, any scale (stored as strings, never floats).
    Decimal: st.decimals(allow_nan=False, allow_infinity=False),
    UUID: st.uuids(),
    type(None): st.none(),
}


@functools.cache
def _special() -> dict[Any, st.SearchStrategy[Any]]:
    """Value objects whose constructor checks ranges: generated within them (built once)."""
    from socmed_domain.notifications.rules import (
        NotificationKind,
        NotificationRule,
        NotificationRules,
        Relation,
    )
    from socmed_domain.roles import Role

    rule = st.builds(
        NotificationRule, kind=st.sampled_from(list(NotificationKind)),
        roles=st.lists(st.sampled_from(list(Role)), max_size=3).map(tuple),
        relations=st.lists(st.sampled_from(list(Relation)), max_size=2).map(tuple),
        lead_hours=st.lists(st.floats(min_value=0.25, max_value=720), max_size=3).map(tuple),
        within_minutes=st.integers(0, 1440), enabled=st.booleans())
    rules = st.lists(rule, max_size=4, unique_by=lambda r: r.kind).map(
        lambda found: NotificationRules(tuple(found)))
    return {NotificationRule: rule, NotificationRules: rules}


def strategy_for(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy for any annotation our events use; TypeError for anything unknown."""
    if tp in BASE:
        return BASE[tp]
    special = _special()
    if tp in special:
        return special[tp]
    if isinstance(tp, TypeVar):  # originator_id: TAggregateID
        return st.uuids()
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return st.one_of([strategy_for(arg) for arg in args])
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return st.lists(strategy_for(args[0]), max_size=4).map(tuple)
        return st.tuples(*(strategy_for(arg) for arg in args))
    if origin is dict:
        return st.dictionaries(strategy_for(args[0]), strategy_for(args[1]), max_size=4)
    if origin is list:
        return st.lists(strategy_for(args[0]), max_size=4)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from(list(tp))
    if isinstance(tp, type) and attrs.has(tp):
        hints = typing.get_type_hints(tp)
        return st.builds(tp, **{f.name: strategy_for(hints[f.name])
                                for f in attrs.fields(tp) if f.init})
    raise TypeError(f"no strategy for {tp!r}: add one to tests/property/test_event_roundtrip.py")


def event_strategy(cls: type[AuditedEvent]) -> st.SearchStrategy[AuditedEvent]:
    hints = typing.get_type_hints(cls)
    fields = [f for f in dataclasses.fields(cls) if f.init]
    return st.builds(cls, **{f.name: strategy_for(hints[f.name]) for f in fields})


@pytest.fixture(scope="module")
def apps():  # type: ignore[no-untyped-def]
    clock = ManualClock(datetime(2026, 12, 1, tzinfo=WIB))
    writer = bootstrap(storage="memory", clock=clock)
    reader = bootstrap(storage="memory", clock=clock)  # a fresh process reading it back
    yield writer.app, reader.app
    writer.close()
    reader.close()


def test_discovery_finds_every_nested_event_of_content_item_and_team() -> None:
    nested = {value for aggregate in (ContentItem, Team) for value in vars(aggregate).values()
              if isinstance(value, type) and issubclass(value, AuditedEvent)}
    assert len(nested) == 24  # Team gained AccessPolicyChanged (issue 15); ContentItem
    # ClonedFrom (issue 17, shortcuts) and StepRecorded (issue 17, approval routes)
    assert nested <= set(EVENT_CLASSES)
    assert set(discover_event_classes()) == set(EVENT_CLASSES)
    assert len(EVENT_CLASSES) == len({c.__qualname__ for c in EVENT_CLASSES})


def test_every_event_class_has_a_strategy() -> None:
    for cls in EVENT_CLASSES:
        event_strategy(cls)  # raises TypeError naming the type without a strategy


def test_the_strategy_builder_refuses_unknown_types() -> None:
    class Unknown:
        pass

    with pytest.raises(TypeError):
        strategy_for(Unknown)
    with pytest.raises(TypeError):
        strategy_for(tuple[Unknown, ...])


@pytest.mark.parametrize("cls", EVENT_CLASSES, ids=lambda c: c.__qualname__)
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_event_round_trips_through_the_mapper(apps, cls: type[AuditedEvent], data) -> None:  # type: ignore[no-untyped-def]
    writer, reader = apps
    event = data.draw(event_strategy(cls))
    stored = writer.mapper.to_stored_event(event)
    assert isinstance(stored.state, bytes)
    for app in (writer, reader):
        back = app.mapper.to_domain_event(stored)
        assert type(back) is type(event)
        assert back.__dict__ == event.__dict__
        assert back == event
        # and it encodes to the very same bytes again: the stored form is stable
        assert app.mapper.to_stored_event(back).state == stored.state
    # our transcoder writes exactly what eventsourcing's own JSONTranscoder writes
    library = JSONTranscoder()
    writer.register_transcodings(library)
    assert Mapper(transcoder=library).to_stored_event(event).state == stored.state


# ------------------------------------------------------------------ the value objects


def _attrs_types_in(tp: Any, found: set[type]) -> set[type]:
    if isinstance(tp, type) and attrs.has(tp) and tp not in found:
        found.add(tp)
        for hint in typing.get_type_hints(tp).values():
            _attrs_types_in(hint, found)
    for arg in typing.get_args(tp):
        _attrs_types_in(arg, found)
    return found


def test_every_value_object_an_event_carries_is_registered_with_the_transcoder() -> None:
    carried: set[type] = set()
    for cls in EVENT_CLASSES:
        for hint in typing.get_type_hints(cls).values():
            _attrs_types_in(hint, carried)
    assert carried <= set(VALUE_OBJECTS), carried - set(VALUE_OBJECTS)
    enums = {tp for cls in [*EVENT_CLASSES, *carried]
             for tp in _leaf_types(cls) if isinstance(tp, type) and issubclass(tp, enum.Enum)}
    assert enums <= set(ENUMS), enums - set(ENUMS)


def _leaf_types(cls: type) -> set[Any]:
    leaves: set[Any] = set()

    def walk(tp: Any) -> None:
        leaves.add(tp)
        for arg in typing.get_args(tp):
            walk(arg)

    for hint in typing.get_type_hints(cls).values():
        walk(hint)
    return leaves


@pytest.mark.parametrize("cls", VALUE_OBJECTS, ids=lambda c: c.__name__)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_value_object_round_trips_through_the_converter(cls: type, data) -> None:  # type: ignore[no-untyped-def]
    value = data.draw(strategy_for(cls))
    assert converter.structure(converter.unstructure(value, cls), cls) == value


@given(tags=st.lists(st.text(alphabet="#  \t\u3000aB_", max_size=6), max_size=6))
def test_draft_cleaning_is_idempotent(tags: list[str]) -> None:
    """A stored draft is rebuilt through its converters: cleaning twice must change nothing,
    or the draft read back would hash differently from the one approved."""
    once = Draft("x", (Platform.X,), hashtags=tuple(tags))
    twice = Draft("x", (Platform.X,), hashtags=once.hashtags)
    assert twice == once
    assert twice.sha256() == once.sha256()


def test_discovery_finds_the_campaign_events() -> None:
    from socmed_domain.planning.campaign import Campaign

    nested = {value for value in vars(Campaign).values()
              if isinstance(value, type) and issubclass(value, AuditedEvent)}
    assert {c.__name__ for c in nested} == {
        "CampaignPlanned", "CampaignApproved", "CampaignStarted", "CampaignCompleted",
        "CampaignCancelled", "AgencyAssigned", "AgencyUnassigned", "CampaignPlanRevised"}
    assert nested <= set(EVENT_CLASSES)


def test_discovery_finds_the_strategy_events() -> None:
    from socmed_domain.planning.strategy import Strategy

    nested = {value.__name__ for value in vars(Strategy).values()
              if isinstance(value, type) and issubclass(value, AuditedEvent)}
    assert nested == {"StrategyDrafted", "StrategyEdited", "StrategySubmitted",
                      "StrategySentBack", "StrategyApproved", "StrategyRevisionStarted",
                      "EvaluationRecorded"}
    assert nested <= {c.__name__ for c in EVENT_CLASSES}

"""Stage 5 through the Application: metrics batches, the evaluation meeting, the revision that
follows it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from tests.conftest import seed_team

from socmed_adapters.bootstrap import Services, bootstrap
from socmed_adapters.clock import ManualClock
from socmed_domain.errors import InvalidInputError, InvalidStateError
from socmed_domain.evaluation.meeting import EvaluationMeeting
from socmed_domain.evaluation.metrics import ACCOUNT, MetricSnapshot, MetricValues
from socmed_domain.planning.goals import Goal, GoalKind
from socmed_domain.planning.strategy_plan import PlatformChoice, StrategyPlan
from socmed_domain.platforms import Platform
from socmed_domain.timezones import WIB

AT = datetime(2026, 12, 5, 20, tzinfo=WIB)
PLAN = StrategyPlan("Strategi", goals=(Goal(GoalKind.BRAND_AWARENESS),),
                    platforms=(PlatformChoice(Platform.X, "layanan", 3),))


@pytest.fixture
def services() -> Iterator[Services]:
    made = bootstrap(storage="memory", clock=ManualClock(datetime(2026, 12, 10, 9, tzinfo=WIB)))
    seed_team(made.app)
    yield made
    made.close()


def snap(post: str, at: datetime, **values: int) -> MetricSnapshot:
    return MetricSnapshot(Platform.X, post, at, MetricValues(**values))


def test_a_batch_is_recorded_together_and_a_repeat_records_nothing(services: Services) -> None:
    app = services.app
    batch = [snap("111", AT, impressions=900, likes=12), snap("222", AT, impressions=50),
             snap("111", AT + timedelta(days=1), impressions=1400, likes=20),
             snap(ACCOUNT, AT, followers=33_700)]
    first = app.record_metrics("adi.admin", batch, "csv:test")
    assert (first.recorded, first.skipped, first.series_started) == (4, 0, 3)
    before = app.event_count()
    again = app.record_metrics("budi.dm", batch, "csv:test")
    assert (again.recorded, again.skipped, again.series_started) == (0, 4, 0)
    assert app.event_count() == before


def test_one_bad_snapshot_refuses_the_whole_batch(services: Services) -> None:
    app = services.app
    before = app.event_count()
    with pytest.raises(InvalidInputError):
        app.record_metrics("adi.admin", [snap("111", AT, likes=1),
                                         snap("222", AT + timedelta(days=30), likes=1)])
    with pytest.raises(InvalidInputError) as raised:
        app.record_metrics("adi.admin", [snap("111", AT, likes=1), snap("222", AT, likes=1),
                                         snap("111", AT, likes=2)])
    assert raised.value.message() == (
        "snapshots 1 and 3 give different numbers for x 111 at 2026-12-05T20:00:00+07:00: "
        "keep the right one")
    assert app.event_count() == before


def test_the_evaluation_is_recorded_on_the_strategy_and_the_revision_links_it(
        services: Services) -> None:
    app = services.app
    meeting = EvaluationMeeting(AT, ("rina.mm", "budi.dm"), ("X 6 of 13 posts",),
                                ("X daily at 19:00",), "monthly-report:2026-11")
    with pytest.raises(InvalidStateError):
        app.record_evaluation("rina.mm", meeting)  # no strategy in force yet
    app.draft_strategy("budi.dm", PLAN)
    app.submit_strategy("budi.dm")
    app.approve_strategy("rina.mm", 1)
    assert app.record_evaluation("rina.mm", meeting) == "evaluation-2026-11"
    assert app.record_evaluation("budi.dm", meeting) == "evaluation-2026-11-2"
    number = app.revise_strategy("budi.dm", PLAN, "evaluasi November: X di bawah target",
                                 evaluation_ref="evaluation-2026-11")
    detail = app.get_strategy()
    assert detail.versions[number - 1].evaluation_ref == "evaluation-2026-11"
    found = app.strategy_evaluations()
    assert [(e.ref, e.version_number) for e in found] == [("evaluation-2026-11", 1),
                                                         ("evaluation-2026-11-2", 1)]
    assert found[0].meeting == meeting
    assert [e.event_type for e in app.strategy_history()][-3:] == [
        "EvaluationRecorded", "EvaluationRecorded", "StrategyRevisionStarted"]


@pytest.mark.parametrize("meeting", [
    EvaluationMeeting(AT, (), ("f",), ("d",), "r"),
    EvaluationMeeting(AT, ("rina.mm",), (), ("d",), "r"),
    EvaluationMeeting(AT, ("rina.mm",), ("f",), (" ",), "r"),
    EvaluationMeeting(AT, ("rina.mm", "RINA.MM"), ("f",), ("d",), "r"),
    EvaluationMeeting(AT, ("rina.mm",), ("f",), ("d",), ""),
    EvaluationMeeting(AT + timedelta(days=9), ("rina.mm",), ("f",), ("d",), "r"),
])
def test_an_incomplete_meeting_is_refused(services: Services,
                                          meeting: EvaluationMeeting) -> None:
    app = services.app
    app.draft_strategy("budi.dm", PLAN)
    app.submit_strategy("budi.dm")
    app.approve_strategy("rina.mm", 1)
    before = app.event_count()
    with pytest.raises(InvalidInputError):
        app.record_evaluation("rina.mm", meeting)
    assert app.event_count() == before

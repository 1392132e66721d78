"""Under hypothesis-generated histories (real commands), every listing as of a moment T
equals the same listing read from read models rebuilt from scratch and stopped at the last
event recorded at or before T, on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select
from sqlalchemy.pool import StaticPool
from tests.conftest import BACKENDS, PostgresSchema, require_postgres, seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.calendar.month import month_entries
from socmed_adapters.clock import ManualClock
from socmed_adapters.monitoring.inbox_queries import list_conversations
from socmed_adapters.projections import Projector
from socmed_adapters.projections.projector import PROJECTION_CLASSES
from socmed_adapters.queries import ReadModels
from socmed_domain.crisis.incident import IncidentCategory
from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.months import Month
from socmed_domain.planning.campaign import CampaignPlan, Period
from socmed_domain.planning.service import campaign_summary
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.timezones import WIB

pytestmark = pytest.mark.slow  # random histories, one fresh store each

START = datetime(2026, 12, 1, 8, tzinfo=WIB)
AUTHORS = ("budi.dm", "dewi.dm")
OPERATIONS = st.sampled_from([
    "create", "revise", "submit_review", "review", "submit_approval", "approve",
    "request_changes", "schedule", "publish", "withdraw", "archive",
    "plan_campaign", "approve_campaign", "start_campaign", "cancel_campaign",
    "open_incident", "classify_incident", "resolve_incident",
    "message", "assign", "close_conversation", "pipeline", "pipeline",
])
LIVE = tuple(cls for cls in PROJECTION_CLASSES if not cls.name.endswith("_history"))


class StoppedProjector(Projector):
    """The live read models, rebuilt from position 0 and stopped at `stop`."""

    def __init__(self, app: Any, stop: int) -> None:
        self.stop = stop
        super().__init__(app, create_engine("sqlite://", poolclass=StaticPool,
                                            connect_args={"check_same_thread": False}),
                         classes=LIVE)

    def head(self) -> int:
        return self.stop


@contextmanager
def fresh_store(kind: str, tmp_path: Path, clock: ManualClock) -> Iterator[Any]:
    schema = PostgresSchema() if kind == "postgres" else None
    services = bootstrap(tmp_path / uuid.uuid4().hex, clock=clock,
                         database_url=schema.url if schema else None)
    try:
        yield services
    finally:
        services.close()
        if schema is not None:
            schema.drop()


def run(app: Any, clock: ManualClock, steps: list[tuple[str, int, int]]) -> None:
    items: list[Any] = []
    campaigns: list[Any] = []
    incidents: list[Any] = []
    threads: list[str] = []

    def pick(seq: list[Any], n: int) -> Any:
        return seq[n % len(seq)] if seq else None

    for operation, n, minutes in steps:
        clock.advance(minutes=minutes)
        item, campaign = pick(items, n), pick(campaigns, n)
        incident, thread = pick(incidents, n), pick(threads, n)
        author = AUTHORS[n % len(AUTHORS)]
        try:
            if operation == "create":
                items.append(app.create_content(author, f"Item {len(items)}", Draft(
                    text=f"Teks {n}", platforms=(Platform.LINKEDIN, Platform.X)[: 1 + n % 2]),
                    campaign_id=str(campaign) if campaign and n % 3 == 0 else None))
            elif operation == "plan_campaign":
                campaigns.append(app.plan_campaign("budi.dm", CampaignPlan(
                    f"Kampanye {n}", Period(START + timedelta(days=n % 20),
                                            START + timedelta(days=40 + n)),
                    platforms=(Platform.LINKEDIN, Platform.X)[: 1 + n % 2])))
            elif operation == "open_incident":
                incidents.append(app.open_incident("adi.admin", f"Isu {n}",
                                                   list(IncidentCategory)[n % 3], "rincian"))
            elif operation == "message":
                threads.append(f"t{n % 7}")
                app.ingest_interactions("adi.admin", [InboundInteraction(
                    platform=(Platform.INSTAGRAM, Platform.X)[n % 2],
                    kind=InteractionKind.COMMENT, message_id=f"m{len(threads)}-{n}",
                    author_handle=f"@warga{n % 5}", text=f"Halo {n}",
                    received_at=clock() - timedelta(minutes=n % 30), thread_id=f"t{n % 7}")])
            elif operation == "pipeline" and item:
                # review, approval and a slot in one step, so publications come often
                app.submit_for_review(author, item)
                app.review_content("sari.legal", item, CHECKLIST_KEYS)
                app.submit_for_approval(author, item)
                app.approve_content("rina.mm", item)
                app.schedule_content("adi.admin", item, clock() + timedelta(minutes=5 + n))
            elif operation == "revise" and item:
                app.revise_content(author, item, Draft(text=f"Revisi {n}",
                                                       platforms=(Platform.LINKEDIN,)))
            elif operation == "submit_review" and item:
                app.submit_for_review(author, item)
            elif operation == "review" and item:
                app.review_content(("dewi.dm", "sari.legal")[n % 2], item,
                                   CHECKLIST_KEYS[: 8 - n % 2])
            elif operation == "submit_approval" and item:
                app.submit_for_approval("budi.dm", item)
            elif operation == "approve" and item:
                app.approve_content("rina.mm", item)
            elif operation == "request_changes" and item:
                app.request_changes("sari.legal", item, "perbaiki")
            elif operation == "schedule" and item:
                app.schedule_content("adi.admin", item, clock() + timedelta(minutes=30 + n))
            elif operation == "publish":
                app.publish_due("adi.admin")
            elif operation == "withdraw" and item:
                app.withdraw_content("rina.mm", item, "ditarik")
            elif operation == "archive" and item:
                app.archive_content("adi.admin", item)
            elif operation == "approve_campaign" and campaign:
                app.approve_campaign("rina.mm", campaign)
            elif operation == "start_campaign" and campaign:
                app.start_campaign("budi.dm", campaign)
            elif operation == "cancel_campaign" and campaign:
                app.cancel_campaign("rina.mm", campaign, "batal")
            elif operation == "classify_incident" and incident:
                app.classify_incident("rina.mm", incident, 1 + n % 3, "dinilai")
            elif operation == "resolve_incident" and incident:
                app.resolve_incident("rina.mm", incident, "selesai")
            elif operation == "assign" and thread:
                ref = app.inbox_index.conversation_ids_with_prefix("")
                if ref:
                    app.assign_conversation("adi.admin", ref[n % len(ref)], "adi.admin")
            elif operation == "close_conversation" and thread:
                ref = app.inbox_index.conversation_ids_with_prefix("")
                if ref:
                    app.close_conversation("adi.admin", ref[n % len(ref)], "beres")
        except SocmedError:
            pass


def stopped_listings(app: Any, clock: ManualClock, models: ReadModels,
                     moment: datetime, months: list[Month]) -> dict[str, Any]:
    """Every listing from read models rebuilt to the last event at or before `moment`,
    read with the clock at `moment` (what a reader saw then)."""
    audit = models.projector.table("audit_index")
    with models.engine.connect() as conn:
        stop = conn.execute(select(func.max(audit.c.position)).where(
            audit.c.at <= moment)).scalar() or 0
        campaign_versions = conn.execute(
            select(audit.c.aggregate_id, func.max(audit.c.version), func.min(audit.c.position))
            .where(audit.c.aggregate == "Campaign", audit.c.position <= stop)
            .group_by(audit.c.aggregate_id).order_by(func.min(audit.c.position))).all()
    stopped = StoppedProjector(app, stop)
    stopped.catch_up()
    reads = ReadModels(app, stopped)
    now = clock()
    clock.set(moment)
    try:
        return {
            "position": stop,
            "content": reads.content_list(),
            "content_drafts": reads.content_list("draft", limit=3),
            "publications": reads.publication_log(),
            "calendar": [month_entries(stopped.engine, stopped.table("calendar_posts"),
                                       stopped.table("calendar_campaigns"), m, WIB,
                                       now=moment) for m in months],
            "inbox": list_conversations(SimpleNamespace(projector=stopped), limit=1000),
            "incidents": reads.incidents_for("rina.mm"),
            "open_incidents": reads.incidents_for("rina.mm", open_only=True),
            "campaigns": tuple(campaign_summary(app.repository.get(uuid.UUID(i), version=v))
                               for i, v, _ in campaign_versions),
        }
    finally:
        clock.set(now)


def as_of_listings(models: ReadModels, moment: datetime, months: list[Month]) -> dict[str, Any]:
    return {
        "position": models.position_at(moment),
        "content": models.content_list_as_of(moment),
        "content_drafts": models.content_list_as_of(moment, "draft", limit=3),
        "publications": models.publication_log_as_of(moment),
        "calendar": [models.calendar_month_as_of(moment, m, WIB) for m in months],
        "inbox": models.conversations_as_of(moment, limit=1000),
        "incidents": models.incidents_as_of("rina.mm", moment),
        "open_incidents": models.incidents_as_of("rina.mm", moment, open_only=True),
        "campaigns": models.campaigns_as_of("rina.mm", moment),
    }


@pytest.mark.parametrize("kind", BACKENDS)
def test_as_of_equals_a_rebuild_stopped_there(kind: str, tmp_path: Path) -> None:
    if kind == "postgres":
        require_postgres()

    @settings(max_examples=12 if kind == "postgres" else 25, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(steps=st.lists(st.tuples(OPERATIONS, st.integers(0, 50), st.integers(1, 90)),
                          min_size=3, max_size=45),
           picks=st.lists(st.floats(-0.05, 1.0), min_size=1, max_size=4))
    def check(steps: list[tuple[str, int, int]], picks: list[float]) -> None:
        clock = ManualClock(START)
        with fresh_store(kind, tmp_path, clock) as services:
            app = services.app
            seed_team(app)
            run(app, clock, steps)
            models = services.read_models
            end = clock()
            months = [Month.parse("2026-12"), Month.parse("2027-01")]
            for pick in picks:
                # a moment between events, exactly at one, or before the store began
                moment = START + (end - START) * pick
                moment = moment.replace(microsecond=0)
                assert as_of_listings(models, moment, months) == \
                    stopped_listings(app, clock, models, moment, months)
            assert as_of_listings(models, end, months)["content"] == models.content_list()

    check()


def test_a_moment_in_the_future_is_refused(tmp_path: Path) -> None:
    clock = ManualClock(START)
    with fresh_store("sqlite", tmp_path, clock) as services:
        seed_team(services.app)
        with pytest.raises(InvalidInputError) as refused:
            services.read_models.content_list_as_of(START + timedelta(seconds=1))
        assert refused.value.code == "error.as_of_future"
        assert services.read_models.content_list_as_of(START - timedelta(days=1)) == []

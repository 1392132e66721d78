"""Stage 5 service (`app.evaluation`): record metrics snapshots, record the evaluation
meeting, and build the monthly report model.

The report's posts, calendar and metric snapshots come through the `ReportSource` port, which
the composition root answers from SQL read models (projections of the events); the strategy,
campaigns and incidents are read from their aggregates here. Nothing in a report is typed in
by hand, so recomputing it from the events gives the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, tzinfo
from typing import Protocol
from uuid import UUID

from attrs import frozen
from eventsourcing.persistence import IntegrityError

from socmed_domain.crisis.service import IncidentService
from socmed_domain.errors import ConflictError, InvalidInputError
from socmed_domain.evaluation.meeting import EvaluationMeeting
from socmed_domain.evaluation.metrics import (
    ACCOUNT,
    MetricSnapshot,
    MetricsSeries,
    MetricValues,
    series_id,
)
from socmed_domain.evaluation.report import build_monthly_report
from socmed_domain.evaluation.report_model import (
    CampaignInfo,
    IncidentRow,
    MonthlyReport,
    PlannedPost,
    PublishedPost,
    ReportInputs,
)
from socmed_domain.evaluation.responses import ConversationRow
from socmed_domain.evaluation.sources import MetricsSource, PostRef
from socmed_domain.identity.principal import ActorRef
from socmed_domain.kernel import CONFLICT_RETRIES, Kernel, StageService
from socmed_domain.monitoring.service import InboxService
from socmed_domain.months import Month
from socmed_domain.planning.campaign import Campaign
from socmed_domain.planning.service import PlanningService
from socmed_domain.planning.strategy import STRATEGY_ID, Strategy, StrategyVersion
from socmed_domain.platforms import Platform
from socmed_domain.roles import Action, check_may
from socmed_domain.team import TEAM_ID, Team
from socmed_domain.team_service import TeamService


class ReportSource(Protocol):
    """What the report reads from the read models (answered by socmed_adapters)."""

    def published_posts(self, start: datetime, end: datetime) -> Sequence[PublishedPost]:
        """Posts published in [start, end)."""
        ...

    def planned_posts(self, start: datetime, end: datetime) -> Sequence[PlannedPost]:
        """Content calendar rows dated in [start, end)."""
        ...

    def latest_values(self, before: datetime) -> Mapping[tuple[Platform, str], MetricValues]:
        """The latest snapshot of every series measured before `before`."""
        ...

    def conversations(self, start: datetime, end: datetime) -> Sequence[ConversationRow]:
        """Inbox conversations whose first message arrived in [start, end)."""
        ...


@frozen
class MetricsRecorded:
    recorded: int
    skipped: int  # said nothing new (idempotent re-import or re-fetch)
    series_started: int


@frozen
class MetricsFetchResult:
    """What one fetch did: the recording's answer, plus what the platforms could not say."""

    measured_at: datetime
    posts: int  # posts asked about
    recorded: MetricsRecorded
    missing: tuple[tuple[Platform, str], ...]  # gone from the platform, or no insights yet
    skipped_platforms: tuple[Platform, ...]  # posts there, but the source cannot read it


FETCH_SOURCE = "fetch:platforms"


@frozen
class EvaluationSummary:
    ref: str
    version_number: int
    meeting: EvaluationMeeting


class EvaluationService(StageService):
    """Evaluation and reporting (SOP stage 5)."""

    def __init__(self, kernel: Kernel, team: TeamService, planning: PlanningService,
                 incidents: IncidentService, inbox: InboxService) -> None:
        super().__init__(kernel)
        self.team = team
        self.planning = planning
        self.incidents = incidents
        self.inbox = inbox

    # --------------------------------------------------------------- metrics

    def record_metrics(self, actor_id: ActorRef, snapshots: Iterable[MetricSnapshot],
                       source: str = "import") -> MetricsRecorded:
        """Record a batch of snapshots atomically: every one is checked first, and a bad one
        refuses the whole batch (nothing written). Snapshots that say nothing new are
        skipped, so re-importing the same file records nothing."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.RECORD_METRICS)
        batch = list(snapshots)
        _check_no_conflicts(batch)
        for _attempt in range(CONFLICT_RETRIES + 1):
            now = self._now()
            series: dict[UUID, MetricsSeries] = {}
            recorded = skipped = started = 0
            for snapshot in batch:
                key = series_id(snapshot.platform, snapshot.post_id)
                found = series.get(key) or self._find(MetricsSeries, key)
                if found is None:
                    snapshot.validate(now)
                    found = MetricsSeries.start(actor, snapshot.platform, snapshot.post_id, now)
                    started += 1
                series[key] = found
                if found.record(actor, snapshot, source, now):
                    recorded += 1
                else:
                    skipped += 1
            try:
                self.save(*series.values())
            except IntegrityError:
                continue
            return MetricsRecorded(recorded, skipped, started)
        raise ConflictError(kind="metrics", ref=source)

    def fetch_metrics(self, actor_id: ActorRef, source: MetricsSource,
                      posts: Sequence[PublishedPost],
                      platforms: Iterable[Platform] | None = None) -> MetricsFetchResult:
        """Ask `source` for the insights of `posts` and the accounts of `platforms` (default:
        every platform the source reads), measured now, and record them as one batch.

        The right is checked before any platform is called. Fetches within one minute count
        as one measurement (now, cut to the minute), so fetching twice in a row records
        nothing new; a platform that fails raises MetricsUnavailable before anything is
        recorded (all or nothing, like a CSV)."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.RECORD_METRICS)
        now = self._now()
        measured_at = now.replace(second=0, microsecond=0)  # zones are whole minutes
        wanted = set(Platform) if platforms is None else set(platforms)
        readable = [p for p in Platform if p in wanted and p in source.platforms]
        by_platform: dict[Platform, list[PostRef]] = {}
        for post in posts:
            if post.platform in wanted:
                by_platform.setdefault(post.platform, []).append(
                    PostRef(post.post_id, post.published_at))
        snapshots: list[MetricSnapshot] = []
        missing: list[tuple[Platform, str]] = []
        for platform in readable:
            refs = by_platform.get(platform, [])
            found = source.post_insights(platform, refs) if refs else {}
            for ref in refs:
                values = found.get(ref.post_id)
                if values is None:
                    missing.append((platform, ref.post_id))
                else:
                    snapshots.append(MetricSnapshot(platform, ref.post_id, measured_at, values))
            account = source.account_insights(platform)
            if account is not None:
                snapshots.append(MetricSnapshot(platform, ACCOUNT, measured_at, account))
        recorded = (self.record_metrics(actor_id, snapshots, FETCH_SOURCE) if snapshots
                    else MetricsRecorded(0, 0, 0))
        unread = tuple(p for p in Platform if p in by_platform and p not in readable)
        return MetricsFetchResult(measured_at, sum(len(by_platform.get(p, [])) for p in readable),
                                  recorded, tuple(missing), unread)

    # ------------------------------------------------------------ evaluation

    def record_evaluation(self, actor_id: ActorRef, meeting: EvaluationMeeting) -> str:
        """Record the evaluation meeting on the strategy in force; returns its reference
        ('evaluation-2026-12'), to be named by the revision that adjusts the strategy."""
        return self.planning.strategy_command(
            lambda s, a, now: s.record_evaluation(a, meeting, now), actor_id)

    def strategy_evaluations(self) -> tuple[EvaluationSummary, ...]:
        strategy = self._find(Strategy, STRATEGY_ID)
        if strategy is None:
            return ()
        versions = self._evaluation_versions(strategy)
        return tuple(EvaluationSummary(ref, versions.get(ref, 0), meeting)
                     for ref, meeting in strategy.evaluations.items())

    def _evaluation_versions(self, strategy: Strategy) -> dict[str, int]:
        return {event.ref: event.version_number for event in self.events.get(strategy.id)
                if isinstance(event, Strategy.EvaluationRecorded)}

    # ---------------------------------------------------------------- report

    def monthly_report_model(self, month: str | Month, zone: tzinfo,
                             source: ReportSource) -> MonthlyReport:
        """The month's performance report, computed from the events (via `source`)."""
        chosen = month if isinstance(month, Month) else Month.parse(month)
        start, end = chosen.bounds(zone)
        previous_start, _ = chosen.previous.bounds(zone)
        version = self._version_in_force_at(end)
        inputs = ReportInputs(
            organisation=self.team.organisation(), month=chosen, zone=zone,
            generated_at=self._now(),
            posts=tuple(source.published_posts(start, end)),
            previous_posts=tuple(source.published_posts(previous_start, start)),
            planned=tuple(source.planned_posts(start, end)),
            values=source.latest_values(end), start_values=source.latest_values(start),
            strategy=version.plan if version else None,
            strategy_version=version.number if version else 0,
            campaigns=tuple(self._campaign_infos()),
            incidents=tuple(self._incident_rows()),
            conversations=tuple(source.conversations(start, end)),
            sla_policy=self.inbox.sla_policy,
            business_calendar=self.inbox.business_calendar,
            cadence_from=self._cadence_from(zone))
        return build_monthly_report(inputs)

    def _cadence_from(self, zone: tzinfo) -> date | None:
        """The local day the store started: cadence is owed from then on."""
        team = self._find(Team, TEAM_ID)
        return team.created_on.astimezone(zone).date() if team is not None else None

    def _version_in_force_at(self, moment: datetime) -> StrategyVersion | None:
        """The strategy version in force at `moment` (the month's end)."""
        strategy = self._find(Strategy, STRATEGY_ID)
        if strategy is None:
            return None
        for version in sorted(strategy.versions.values(), key=lambda v: -v.number):
            if version.approved_at is not None and version.approved_at < moment and (
                    version.superseded_at is None or version.superseded_at >= moment):
                return version
        return None

    def _campaign_infos(self) -> Iterable[CampaignInfo]:
        for campaign_id in self.planning.campaign_ids():
            campaign = self._find(Campaign, campaign_id)
            if campaign is None or campaign.plan is None:
                continue
            plan = campaign.plan
            yield CampaignInfo(str(campaign.id), plan.name, plan.period.start, plan.period.end,
                               plan.kpi_targets)

    def _incident_rows(self) -> Iterable[IncidentRow]:
        for report in self.incidents.list_incidents():
            yield IncidentRow(report.ref, report.title, report.level, report.status.value,
                              report.opened_at,
                              report.response_times.to_first_holding_statement)


def _check_no_conflicts(batch: list[MetricSnapshot]) -> None:
    """Two different sets of numbers for the same subject and moment cannot both be true:
    refuse the batch rather than let its order decide (and keep re-imports idempotent)."""
    seen: dict[tuple[Platform, str, datetime], tuple[int, MetricValues]] = {}
    for number, snapshot in enumerate(batch, start=1):
        key = (snapshot.platform, snapshot.post_id, snapshot.measured_at)
        earlier = seen.setdefault(key, (number, snapshot.values))
        if earlier[1] != snapshot.values:
            raise InvalidInputError("error.metric_conflict", subject=snapshot.subject,
                                    platform=snapshot.platform.value,
                                    at=snapshot.measured_at.isoformat(), first=earlier[0],
                                    second=number)

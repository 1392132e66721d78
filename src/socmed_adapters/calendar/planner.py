"""`socmed calendar plan`: fill a month with ideas up to the strategy's cadence targets.

For each platform of the strategy in force and each ISO week of the month, the planner counts
the posts already on the calendar and adds dated ideas for what is missing: spread over the
week's remaining days (days without a post on that platform first), at the platform's prime
hour, each linked to an open campaign that runs then on that platform (special campaigns
first) and titled after one of its key messages, else the strategy's. Running it again adds
nothing once the cadence is met. Ideas publish nothing: they still go through drafting,
review and approval.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, tzinfo

from attrs import frozen

from socmed_adapters.calendar.month import CalendarEntry, iso_weeks, week_target
from socmed_domain.application import SocmedApplication
from socmed_domain.errors import InvalidStateError
from socmed_domain.identity.principal import ActorRef
from socmed_domain.months import Month
from socmed_domain.planning.campaign import OPEN
from socmed_domain.platforms import Platform
from socmed_domain.publication.prime_time import DEFAULT_PRIME_HOURS


@frozen
class PlannedIdea:
    at: datetime
    platform: str
    title: str
    campaign_id: str | None
    item_id: str = ""


@frozen
class _Campaign:
    campaign_id: str
    start: datetime
    end: datetime
    platforms: tuple[str, ...]
    messages: tuple[str, ...]
    special: bool


def plan_month(app: SocmedApplication, actor_id: ActorRef, month: Month, zone: tzinfo,
               entries: Sequence[CalendarEntry], dry_run: bool = False,
               platforms: Sequence[Platform] = ()) -> list[PlannedIdea]:
    plan = app.planning.strategy_in_force()
    if plan is None:
        raise InvalidStateError("error.no_strategy_in_force")
    app.actor(actor_id)  # refuse an unknown member before any work
    now = app.clock()
    campaigns = _open_campaigns(app)
    taken: dict[tuple[str, date], list[int]] = defaultdict(list)
    for entry in entries:
        if entry.counted:
            local = entry.at.astimezone(zone)
            taken[(entry.platform, local.date())].append(local.hour)
    ideas: list[PlannedIdea] = []
    messages = plan.key_messages or ("konten rutin",)
    for choice in plan.platforms:
        if platforms and choice.platform not in platforms:
            continue
        name = choice.platform.value
        hours = DEFAULT_PRIME_HOURS[choice.platform]
        for _week, days in iso_weeks(month):
            have = sum(len(taken[(name, day)]) for day in days)
            missing = week_target(choice.posts_per_week, len(days)) - have
            future = [d for d in days if datetime.combine(d, time(23, 59), zone) > now]
            for day in _spread(future, missing, lambda d, n=name: len(taken[(n, d)])):  # type: ignore[misc]
                hour = next((h for h in hours if h not in taken[(name, day)]), hours[0])
                at = datetime.combine(day, time(hour), zone)
                if at <= now:
                    continue
                taken[(name, day)].append(hour)
                campaign = _campaign_for(campaigns, at, name)
                pool = (campaign.messages if campaign and campaign.messages else messages)
                message = pool[len(ideas) % len(pool)]
                ideas.append(PlannedIdea(at, name, f"{choice.platform.label}: {message}"[:200],
                                         campaign.campaign_id if campaign else None))
    if dry_run:
        return ideas
    ids = app.content.plan_ideas(actor_id, [(i.title, i.at, (Platform(i.platform),), i.campaign_id)
                                            for i in ideas])  # one transaction: all or nothing
    return [PlannedIdea(i.at, i.platform, i.title, i.campaign_id, str(new))
            for i, new in zip(ideas, ids, strict=True)]


def _spread(days: list[date], count: int, load: Callable[[date], int]) -> list[date]:
    """`count` days out of `days`: the emptiest first, spread evenly among equals; more
    than one a day only once every day has its share."""
    chosen: list[date] = []
    while days and len(chosen) < count:
        lightest = min(load(d) + chosen.count(d) for d in days)
        pool = [d for d in days if load(d) + chosen.count(d) == lightest]
        take = min(count - len(chosen), len(pool))
        step = len(pool) / take
        chosen.extend(pool[int(i * step + step / 2)] for i in range(take))
    return sorted(chosen)


def _open_campaigns(app: SocmedApplication) -> list[_Campaign]:
    found = []
    for summary in app.planning.list_campaigns():
        if summary.status not in {s.value for s in OPEN}:
            continue
        detail = app.planning.get_campaign(summary.campaign_id)
        found.append(_Campaign(summary.campaign_id, summary.start, summary.end,
                               summary.platforms, detail.plan.key_messages,
                               detail.plan.special))
    return sorted(found, key=lambda c: (not c.special, c.start))


def _campaign_for(campaigns: list[_Campaign], at: datetime, platform: str) -> _Campaign | None:
    for campaign in campaigns:
        if campaign.start <= at < campaign.end and platform in campaign.platforms:
            return campaign
    return None

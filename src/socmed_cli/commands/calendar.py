"""`socmed calendar`: the monthly content calendar (SOP stage 1)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import click

from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import as_of_option, emit, format_option

month_option = click.option("--month", required=True, metavar="YYYY-MM",
                            help="The month, e.g. 2026-12 (days in the --tz zone, WIB default).")
platform_option = click.option("--platform", default=None, help="Only this platform.")
_INTERVAL = re.compile(r"^(\d+)\s*(m|min|h)$")

ENTRY_COLUMNS = [("date", "Date"), ("time", "Time"), ("platform", "Platform"),
                 ("kind", "Kind"), ("title", "Title"), ("state", "State"),
                 ("campaign", "Campaign"), ("special", "Special"), ("item_id", "ID")]


def _month(text: str) -> Any:
    from socmed_domain.months import Month

    return Month.parse(text)


def _interval(text: str) -> timedelta:
    from socmed_domain.errors import InvalidInputError

    match = _INTERVAL.match(text.strip().lower())
    if not match or int(match.group(1)) == 0:
        raise InvalidInputError("error.bad_interval", value=text)
    value = int(match.group(1))
    return timedelta(hours=value) if match.group(2) == "h" else timedelta(minutes=value)


def _entries(state: CliState, month: Any, platform: str | None, campaign: str | None,
             as_of: str | None = None) -> Any:
    from socmed_domain.platforms import platform_named

    platform_value = platform_named(platform).value if platform else None
    campaign_id = str(state.app.planning.resolve_campaign(campaign)) if campaign else None
    if as_of:
        return state.read_models.calendar_month_as_of(
            state.parse_time(as_of, "--as-of"), month, state.zone, platform_value, campaign_id)
    return state.read_models.calendar_month(month, state.zone, platform_value, campaign_id)


@click.group()
def calendar() -> None:
    """The monthly content calendar: posts per day and platform, holidays, gaps, clashes.

    \b
    Example:
      socmed calendar show --month 2026-12
      socmed calendar show --month 2026-12 --format ics > desember.ics
    """


@calendar.command("show")
@month_option
@platform_option
@click.option("--campaign", default=None, help="Only this campaign's posts (id or prefix).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "ics"]),
              default="table", show_default=True,
              help="table, json, csv, or ics for Google Calendar / Outlook.")
@as_of_option
@pass_state
def show(state: CliState, month: str, platform: str | None, campaign: str | None,
         fmt: str, as_of: str | None) -> None:
    """The month's posts (planned, scheduled, published, expired, withdrawn) by day and
    platform, with their campaign, and the holidays and commercial dates of the month.

    \b
    Example:
      socmed calendar show --month 2026-12 --platform instagram --format csv
    """
    from socmed_adapters.calendar.observances import observances

    chosen = _month(month)
    entries = _entries(state, chosen, platform, campaign, as_of)
    if fmt == "ics":
        from socmed_adapters.calendar.ics import to_ics

        name = f"{state.app.team.organisation()} {chosen}"
        click.echo(to_ics(entries, name, state.app.clock()).decode("utf-8"), nl=False)
        return
    rows: list[dict[str, Any]] = []
    for entry in entries:
        local = entry.at.astimezone(state.zone)
        rows.append({"date": local.date().isoformat(), "time": local.strftime("%H:%M"),
                     "at": entry.at, "platform": entry.platform, "kind": "post",
                     "title": entry.title, "state": entry.state, "campaign": entry.campaign,
                     "campaign_id": entry.campaign_id, "special": entry.special,
                     "item_id": entry.item_id if fmt != "table" else entry.item_id[:8],
                     "url": entry.url})
    data_dir = state.observances_dir()
    for marker in observances(chosen.first, chosen.last, data_dir):
        first = max(marker.start, chosen.first)
        rows.append({"date": first.isoformat(), "time": "", "at": None, "platform": "",
                     "kind": marker.kind, "title": marker.name(state.lang),
                     "state": "" if marker.start == marker.end else
                     f"{marker.start.isoformat()}..{marker.end.isoformat()}",
                     "campaign": "", "campaign_id": None, "special": None, "item_id": "",
                     "url": ""})
    rows.sort(key=lambda r: (r["date"], r["kind"] == "post", r["time"], r["platform"]))
    columns = ENTRY_COLUMNS if fmt == "table" else [
        *ENTRY_COLUMNS, ("at", "At"), ("campaign_id", "Campaign id"), ("url", "URL")]
    emit(rows, columns, fmt, state.zone,
         lang=state.lang, title=f"{chosen}" if fmt == "table" else None)


@calendar.command("check")
@month_option
@platform_option
@click.option("--clash-interval", default="2h", show_default=True, metavar="90m|2h",
              help="Posts on one platform closer than this clash.")
@click.option("--campaign", default=None,
              help="Only this campaign's posts, owed from the campaign's start.")
@format_option
@pass_state
def check(state: CliState, month: str, platform: str | None, clash_interval: str,
          campaign: str | None, fmt: str) -> None:
    """Cadence gaps (a platform below the strategy's posts per week) and clashes (two posts on
    one platform too close together) in the month.

    Cadence is owed from the store's start (or the campaign's); a planned post whose time
    passed unbooked is missed and fills no slot.

    \b
    Example:
      socmed calendar check --month 2026-12 --clash-interval 90m --format json
    """
    from socmed_adapters.calendar.month import cadence_gaps, clashes
    from socmed_cli.i18n import t
    from socmed_domain.errors import InvalidStateError

    chosen = _month(month)
    interval = _interval(clash_interval)
    entries = _entries(state, chosen, platform, campaign)
    plan = state.app.planning.strategy_in_force()
    if plan is None:
        raise InvalidStateError("error.no_strategy_in_force")
    start = state.app.planning.cadence_start(campaign)
    since = start.astimezone(state.zone).date() if start is not None else None
    findings = [f for f in cadence_gaps(entries, plan, chosen, state.zone, since)
                if platform is None or f.platform == entries_platform(platform)]
    findings += clashes(entries, interval)
    emit([{"kind": f.kind, "platform": f.platform, "period": f.period, "count": f.count,
           "target": f.target,
           "detail": t(f.code, state.lang, **f.params) if fmt == "table" else f.detail}
          for f in findings],
         [("kind", "Kind"), ("platform", "Platform"), ("period", "Period"), ("count", "Count"),
          ("target", "Target"), ("detail", "Detail")], fmt, state.zone, lang=state.lang)


def entries_platform(name: str) -> str:
    from socmed_domain.platforms import platform_named

    return platform_named(name).value


@calendar.command("plan")
@month_option
@click.option("--platform", "platforms", multiple=True, help="Only these platforms.")
@click.option("--dry-run", is_flag=True, help="Show the ideas without writing them.")
@as_option
@format_option
@pass_state
def plan(state: CliState, month: str, platforms: tuple[str, ...], dry_run: bool,
         acting_as: str | None, fmt: str) -> None:
    """Fill the month with ideas up to the strategy's cadence targets (Digital Marketing).

    Ideas go on the calendar at each platform's prime hour, linked to an open campaign
    running then; they publish nothing until drafted, reviewed, approved and scheduled.

    \b
    Example:
      socmed --as budi calendar plan --month 2027-01 --dry-run
    """
    from socmed_adapters.calendar.planner import plan_month
    from socmed_domain.platforms import platform_named

    chosen = _month(month)
    wanted = [platform_named(p) for p in platforms]
    if state.is_remote:  # the server plans against its own calendar and strategy
        state.acting(acting_as)  # --as refused through a server
        ideas = state.services().calendar_plan(  # type: ignore[attr-defined]
            chosen, state.zone, wanted, dry_run)
    else:
        entries = _entries(state, chosen, None, None)
        ideas = plan_month(state.app, state.acting(acting_as), chosen, state.zone, entries,
                           dry_run=dry_run, platforms=wanted)
    emit([{"at": i.at, "platform": i.platform, "title": i.title,
           "campaign_id": i.campaign_id or "", "item_id": i.item_id} for i in ideas],
         [("at", "At"), ("platform", "Platform"), ("title", "Title"),
          ("campaign_id", "Campaign"), ("item_id", "ID")], fmt, state.zone, lang=state.lang)
    if fmt == "table":
        state.say("ideas_dry_run" if dry_run else "ideas_planned", count=len(ideas),
                  month=str(chosen))

"""`socmed campaign`: SOP stage 1 campaigns (plan, approve, run) and their agencies."""

from __future__ import annotations

from typing import Any

import click

from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import as_of_option, emit, format_option

GOAL_KINDS = ("brand_awareness", "lead_generation", "customer_engagement")


def _goal(raw: str) -> Any:
    from socmed_domain.planning.goals import Goal, GoalKind

    key = raw.strip().lower()
    return Goal(GoalKind(key)) if key in GOAL_KINDS else Goal(GoalKind.CUSTOM, raw.strip())


def _kpi(raw: str) -> Any:
    """METRIC=VALUE[@PLATFORM], measured over the campaign."""
    from decimal import Decimal, InvalidOperation

    from socmed_domain.planning.goals import KpiPeriod, KpiTarget
    from socmed_domain.platforms import platform_named

    metric, sep, rest = raw.partition("=")
    value, _, platform = rest.partition("@")
    try:
        target = Decimal(value.strip())
    except InvalidOperation:
        target = None
    if not sep or target is None:
        raise click.BadParameter(f"'{raw}' is not METRIC=VALUE[@PLATFORM]", param_hint="--kpi")
    return KpiTarget(metric.strip(), target, KpiPeriod.CAMPAIGN,
                     platform_named(platform) if platform.strip() else None)


def _budget(raw: str) -> Any:
    from decimal import Decimal, InvalidOperation

    try:
        return Decimal(raw.replace("_", "").strip())
    except InvalidOperation:
        raise click.BadParameter(f"'{raw}' is not an amount in rupiah",
                                 param_hint="--budget") from None


@click.group()
def campaign() -> None:
    """Plan, approve and run campaigns; assign agencies to them (SOP stage 1).

    \b
    Example:
      socmed --as budi.dm campaign plan --name "Harbolnas 12.12" \\
          --start "2026-12-01 00:00 WIB" --end "2026-12-13 00:00 WIB" \\
          --platform instagram --goal lead_generation --budget 150000000
    """


@campaign.command("plan")
@click.option("--name", required=True, help="Campaign name.")
@click.option("--start", required=True, help="Start, with a zone: '2026-12-01 00:00 WIB'.")
@click.option("--end", required=True, help="End (exclusive), with a zone.")
@click.option("--platform", "platforms", multiple=True, metavar="PLATFORM",
              help="Platform, repeatable.")
@click.option("--goal", "goals", multiple=True,
              help="brand_awareness, lead_generation, customer_engagement or a custom name; "
              "repeatable.")
@click.option("--kpi", "kpis", multiple=True, metavar="METRIC=VALUE[@PLATFORM]",
              help="KPI target over the campaign, repeatable.")
@click.option("--message", "messages", multiple=True, help="Key message, repeatable.")
@click.option("--budget", default="0", help="Budget in rupiah (IDR).")
@click.option("--special", is_flag=True,
              help="A special campaign (Harbolnas, Ramadan...), marked on the calendar.")
@as_option
@pass_state
def plan(state: CliState, name: str, start: str, end: str, platforms: tuple[str, ...],
         goals: tuple[str, ...], kpis: tuple[str, ...], messages: tuple[str, ...],
         budget: str, special: bool, acting_as: str | None) -> None:
    """Plan a campaign (Digital Marketing); the Marketing Manager approves it.

    \b
    Example:
      socmed --as budi.dm campaign plan --name "Harbolnas 12.12" \\
          --start "2026-12-01 00:00 WIB" --end "2026-12-13 00:00 WIB" \\
          --platform instagram --goal lead_generation --kpi reach=500000@instagram \\
          --budget 150000000 --special
    """
    campaign_plan = _plan(state, name, start, end, platforms, goals, kpis, messages, budget,
                          special)
    campaign_id = state.app.planning.plan_campaign(state.acting(acting_as), campaign_plan)
    state.say("campaign_planned", id=str(campaign_id))


def _plan(state: CliState, name: str, start: str, end: str, platforms: tuple[str, ...],
          goals: tuple[str, ...], kpis: tuple[str, ...], messages: tuple[str, ...],
          budget: str, special: bool) -> Any:
    from socmed_domain.planning.campaign import CampaignPlan, Period
    from socmed_domain.platforms import platform_named

    return CampaignPlan(
        name=name, period=Period(state.parse_time(start, "--start"),
                                          state.parse_time(end, "--end")),
        goals=tuple(_goal(g) for g in goals), kpi_targets=tuple(_kpi(k) for k in kpis),
        platforms=tuple(platform_named(p) for p in platforms), key_messages=messages,
        budget_idr=_budget(budget), special=special)


@campaign.command("revise")
@click.argument("campaign_ref", metavar="CAMPAIGN")
@click.option("--name", required=True, help="Campaign name.")
@click.option("--start", required=True, help="Start, with a zone: '2026-12-01 00:00 WIB'.")
@click.option("--end", required=True, help="End (exclusive), with a zone.")
@click.option("--platform", "platforms", multiple=True, metavar="PLATFORM",
              help="Platform, repeatable.")
@click.option("--goal", "goals", multiple=True, help="Goal, repeatable.")
@click.option("--kpi", "kpis", multiple=True, metavar="METRIC=VALUE[@PLATFORM]",
              help="KPI target over the campaign, repeatable.")
@click.option("--message", "messages", multiple=True, help="Key message, repeatable.")
@click.option("--budget", default="0", help="Budget in rupiah (IDR).")
@click.option("--special", is_flag=True, help="A special campaign, marked on the calendar.")
@click.option("--note", default="", help="What changed; kept in the audit log.")
@as_option
@pass_state
def revise(state: CliState, campaign_ref: str, name: str, start: str, end: str,
           platforms: tuple[str, ...], goals: tuple[str, ...], kpis: tuple[str, ...],
           messages: tuple[str, ...], budget: str, special: bool, note: str,
           acting_as: str | None) -> None:
    """Replace the plan of a campaign that is not yet approved (Digital Marketing).

    \b
    Example:
      socmed --as budi campaign revise 5d1e --name "Harbolnas 12.12" \\
          --start "2026-12-01 00:00 WIB" --end "2026-12-14 00:00 WIB" \\
          --platform instagram --platform x --budget 175000000 --note "one more day"
    """
    campaign_plan = _plan(state, name, start, end, platforms, goals, kpis, messages, budget,
                          special)
    state.app.planning.revise_campaign_plan(state.acting(acting_as), campaign_ref,
                                            campaign_plan, note)
    state.say("campaign_revised", id=campaign_ref)


def _simple(name: str, method: str, say: str, option: str | None, doc: str) -> None:
    @campaign.command(name, help=doc)
    @click.argument("campaign_ref", metavar="CAMPAIGN")
    @as_option
    @pass_state
    def command(state: CliState, /, campaign_ref: str, acting_as: str | None,
                **kwargs: Any) -> None:
        getattr(state.app.planning, method)(state.acting(acting_as), campaign_ref, *kwargs.values())
        state.say(say, id=campaign_ref)

    if option is not None:
        required = option == "reason"
        click.option(f"--{option}", required=required, default=None if required else "",
                     help="Kept in the audit log.")(command)


_simple("approve", "approve_campaign", "campaign_approved", "comment",
        "Approve a planned campaign (Marketing Manager).\n\n\b\nExample:\n"
        "  socmed --as rina.mm campaign approve 5d1e --comment \"budget ok\"")
_simple("start", "start_campaign", "campaign_started", "note",
        "Start an approved campaign.\n\n\b\nExample:\n"
        "  socmed --as budi.dm campaign start 5d1e --note \"launch\"")
_simple("complete", "complete_campaign", "campaign_completed", "note",
        "Complete a running campaign.\n\n\b\nExample:\n"
        "  socmed --as budi.dm campaign complete 5d1e --note \"period over\"")
_simple("cancel", "cancel_campaign", "campaign_cancelled", "reason",
        "Cancel a campaign (Marketing Manager), with a reason.\n\n\b\nExample:\n"
        "  socmed --as rina.mm campaign cancel 5d1e --reason \"product recall\"")


@campaign.command("assign")
@click.argument("campaign_ref", metavar="CAMPAIGN")
@click.argument("member")
@as_option
@pass_state
def assign(state: CliState, campaign_ref: str, member: str, acting_as: str | None) -> None:
    """Assign an agency member to a campaign: it may then work on the campaign's content.

    \b
    Example:
      socmed --as budi.dm campaign assign 5d1e maya.agency
    """
    state.app.planning.assign_agency(state.acting(acting_as), campaign_ref, member)
    state.say("agency_assigned", member=member, id=campaign_ref)


@campaign.command("unassign")
@click.argument("campaign_ref", metavar="CAMPAIGN")
@click.argument("member")
@click.option("--reason", default="", help="Kept in the audit log.")
@as_option
@pass_state
def unassign(state: CliState, campaign_ref: str, member: str, reason: str,
             acting_as: str | None) -> None:
    """Remove an agency member from a campaign: they can no longer touch its content.

    \b
    Example:
      socmed --as budi campaign unassign 5d1e maya --reason "contract ended"
    """
    state.app.planning.unassign_agency(state.acting(acting_as), campaign_ref, member, reason)
    state.say("agency_unassigned", member=member, id=campaign_ref)


@campaign.command("list")
@as_of_option
@format_option
@pass_state
def list_campaigns(state: CliState, as_of: str | None, fmt: str) -> None:
    """List campaigns with their period, status and agencies.

    \b
    Example:
      socmed campaign list
      socmed campaign list --format json
      socmed campaign list --as-of "2026-12-01 09:00 WIB"
    """
    summaries = (state.read_models.campaigns_as_of(None, state.parse_time(as_of, "--as-of"))
                 if as_of else state.app.planning.list_campaigns())
    rows = [{"id": s.campaign_id if fmt != "table" else s.campaign_id[:8], "name": s.name,
             "status": s.status, "start": s.start, "end": s.end,
             "platforms": ", ".join(s.platforms), "budget_idr": str(s.budget_idr),
             "agencies": ", ".join(s.agencies), "approved_by": s.approved_by}
            for s in summaries]
    emit(rows, [("id", "ID"), ("name", "Name"), ("status", "Status"), ("start", "Start"),
                ("end", "End"), ("platforms", "Platforms"), ("budget_idr", "Budget (IDR)"),
                ("agencies", "Agencies"), ("approved_by", "Approved by")], fmt, state.zone,
                     lang=state.lang)


@campaign.command("show")
@click.argument("ref")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for people, json for scripts.")
@pass_state
def show(state: CliState, ref: str, fmt: str) -> None:
    """Show one campaign: plan (period, goals, KPI targets, platforms, budget), agencies, status.

    \b
    Example:
      socmed campaign show 5d1e --format json
    """
    import json

    from socmed_cli.output import console, to_plain

    detail = state.app.planning.get_campaign(ref)
    if fmt == "json":
        click.echo(json.dumps(to_plain(detail, state.zone), ensure_ascii=False, indent=2))
        return
    s, plan = detail.summary, detail.plan
    out = console()
    out.print(f"[bold]{s.name}[/bold]  ({s.campaign_id})")
    from socmed_cli.i18n import code_value, t

    lang = state.lang
    out.print(t("campaign_show_status", lang, status=code_value("status", str(s.status), lang),
                start=state.time(s.start), end=state.time(s.end), budget=s.budget_idr))
    out.print(t("campaign_show_platforms", lang, platforms=", ".join(s.platforms),
                agencies=", ".join(s.agencies) or "-"))
    out.print(t("campaign_show_planned", lang, planned_by=s.planned_by,
                approved_by=s.approved_by or "-"))
    for line in plan.key_messages:
        out.print(t("strategy_show_key_message", lang, message=line), markup=False)
    for target in plan.kpi_targets:
        where = target.platform.value if target.platform else t("all_platforms", lang)
        out.print(t("campaign_show_kpi", lang, metric=target.metric, target=target.target,
                    period=code_value("kind", target.period.value, lang), where=where),
                  markup=False)


@campaign.command("history")
@click.argument("ref")
@format_option
@pass_state
def history(state: CliState, ref: str, fmt: str) -> None:
    """The campaign's full event history: who planned, approved, ran and assigned, and why.

    \b
    Example:
      socmed campaign history 5d1e --format csv
    """
    from socmed_cli.commands.content import emit_audit

    campaign_id = str(state.app.planning.resolve_campaign(ref))
    emit_audit(state, state.read_models.item_history(campaign_id), fmt)

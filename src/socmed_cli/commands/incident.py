"""`socmed incident`: SOP stage 6, risk and crisis management."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import click

from socmed_cli.choices import (
    ESCALATION_TARGET,
    INCIDENT_CATEGORY,
    PDP_RECIPIENT,
    RESPONSE_KIND,
    EnumChoice,
    exposure_flags,
)
from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import as_of_option, emit, format_option

ref_argument = click.argument("ref", metavar="INCIDENT")


def _signals(negative: int | None, baseline: str | None, velocity: str | None,
             reach: int | None, share: str | None, flags: tuple[str, ...]) -> Any:
    """ImpactSignals from the options, or None when no measurement was given."""
    from socmed_domain.crisis.impact import ImpactSignals

    if negative is None and not flags and reach is None:
        return None

    def number(text: str | None, name: str) -> Decimal:
        try:
            return Decimal(text) if text is not None else Decimal(0)
        except InvalidOperation:
            raise click.BadParameter(f"'{text}' is not a number", param_hint=name) from None
    return ImpactSignals(
        negative_mentions=negative or 0, baseline_mean=number(baseline, "--baseline"),
        velocity_per_hour=number(velocity, "--velocity"), estimated_reach=reach or 0,
        negative_share=number(share, "--negative-share"),
        **{flag.replace("-", "_"): True for flag in flags})


signal_options = [
    click.option("--negative", type=int, default=None, help="Negative mentions in the window."),
    click.option("--baseline", default=None, help="Usual negative mentions per window."),
    click.option("--velocity", default=None, help="Negative mentions per hour."),
    click.option("--reach", type=int, default=None, help="Estimated reach."),
    click.option("--negative-share", "share", default=None, help="Share of negative, 0..1."),
    click.option("--flag", "flags", multiple=True,
                 type=EnumChoice(exposure_flags, dashes=True),
                 help="An exposure seen, repeatable."),
]


def with_signals(command: Any) -> Any:
    for option in reversed(signal_options):
        command = option(command)
    return command


@click.group()
def incident() -> None:
    """Open, classify, escalate and close incidents; freeze publishing (SOP stage 6).

    \b
    Example:
      socmed --as adi.admin incident open --title "Gangguan transfer" \\
          --category complaint_wave --negative 120 --baseline 8
      socmed --as rina.mm incident classify 7c1e --level 3
    """


@incident.command("open")
@click.option("--title", required=True, help="What is happening, in a line.")
@click.option("--category", required=True, type=EnumChoice(INCIDENT_CATEGORY))
@click.option("--description", default="", help="More detail.")
@click.option("--alert", "alert_id", default=None,
              help="The recorded monitoring alert it came from (as 'inbox ingest' printed "
              "it; 'report daily' lists them): its "
              "measurements and detection time are taken; figures given here win.")
@click.option("--became-aware-at", "aware_at", default=None,
              help="A personal data breach: when the company became aware of it (with a "
              "zone); the UU PDP 3x24 h clock starts then. Needs --aware-reason.")
@click.option("--aware-reason", default="", help="Why the clock starts at that time.")
@with_signals
@as_option
@pass_state
def open_command(state: CliState, title: str, category: str, description: str,
                 alert_id: str | None, aware_at: str | None, aware_reason: str,
                 negative: int | None, baseline: str | None,
                 velocity: str | None, reach: int | None, share: str | None,
                 flags: tuple[str, ...], acting_as: str | None) -> None:
    """Open an incident, by hand or from an alert, with what monitoring measured.

    \b
    Example:
      socmed --as adi.admin incident open --title "Hoaks promo palsu" \\
          --category misinformation --negative 45 --baseline 5 --reach 80000
      socmed --as adi.admin incident open --alert spike-20261210T020000Z \\
          --title "Gangguan transfer" --category complaint_wave --reach 180000
    """
    from socmed_domain.crisis.impact import suggest_level
    from socmed_domain.crisis.incident import IncidentCategory

    signals = _signals(negative, baseline, velocity, reach, share, flags)
    aware = state.parse_time(aware_at, "--became-aware-at") if aware_at else None
    if alert_id:
        incident_id = state.app.inbox.open_incident_from_alert(
            state.acting(acting_as), alert_id, title, IncidentCategory(category),
            description, signals=signals, aware_at=aware, aware_reason=aware_reason)
        signals = state.app.incidents.incident(incident_id).signals  # as recorded
    else:
        incident_id = state.app.incidents.open_incident(
            state.acting(acting_as), title, IncidentCategory(category), description,
            signals=signals, aware_at=aware, aware_reason=aware_reason)
    if signals is None:
        state.say("incident_opened_no_signals", id=str(incident_id))
        return
    suggestion = suggest_level(signals)
    state.say("incident_opened", id=str(incident_id), level=suggestion.level)
    for reason in suggestion.reasons:
        click.echo(f"  - {reason.message(state.lang)}")


@incident.command("classify")
@ref_argument
@click.option("--level", type=click.IntRange(1, 4), required=True)
@click.option("--reason", default="", help="Why; required when it differs from the suggestion.")
@click.option("--category", type=EnumChoice(INCIDENT_CATEGORY), default=None,
              help="Correct the category.")
@with_signals
@as_option
@pass_state
def classify(state: CliState, ref: str, level: int, reason: str, category: str | None,
             negative: int | None, baseline: str | None, velocity: str | None,
             reach: int | None, share: str | None, flags: tuple[str, ...],
             acting_as: str | None) -> None:
    """Decide the level (Marketing Manager); level 3+ escalates and freezes publishing.

    \b
    Example:
      socmed --as rina.mm incident classify 7c1e --level 3 --reason "media mulai meliput"
    """
    from socmed_domain.crisis.incident import IncidentCategory

    state.app.incidents.classify_incident(
        state.acting(acting_as), ref, level, reason,
        category=IncidentCategory(category) if category else None,
        signals=_signals(negative, baseline, velocity, reach, share, flags))
    report = state.app.incidents.incident_report(ref)
    state.say("incident_classified", id=report.ref, level=level,
              frozen=state_word(state, report.freezing_publishing))


def state_word(state: CliState, value: bool) -> str:
    from socmed_cli.i18n import t

    return t("yes" if value else "no", state.lang)


def _target_command(name: str, method: str, say: str, doc: str) -> None:
    @incident.command(name, help=doc)
    @ref_argument
    @click.option("--to", "target", type=EnumChoice(ESCALATION_TARGET), required=True)
    @click.option("--note", default="", help="Kept in the audit log.")
    @as_option
    @pass_state
    def command(state: CliState, ref: str, target: str, note: str,
                acting_as: str | None) -> None:
        from socmed_domain.crisis.incident import EscalationTarget

        getattr(state.app.incidents, method)(state.acting(acting_as), ref,
                                             EscalationTarget(target), note)
        state.say(say, id=ref, target=target)


_target_command("escalate", "escalate_incident", "incident_escalated",
                "Escalate to Legal, the Marketing Manager or management.\n\n\b\nExample:\n"
                "  socmed --as sari.legal incident escalate 7c1e --to management")
_target_command("acknowledge", "acknowledge_incident", "incident_acknowledged",
                "Acknowledge an escalation sent to your role.\n\n\b\nExample:\n"
                "  socmed --as sari.legal incident acknowledge 7c1e --to legal")


@incident.command("act")
@ref_argument
@click.option("--kind", type=EnumChoice(RESPONSE_KIND), required=True)
@click.option("--text", required=True, help="What was said or done.")
@click.option("--content", "content_ref", default=None, help="The content item, if any.")
@as_option
@pass_state
def act(state: CliState, ref: str, kind: str, text: str, content_ref: str | None,
        acting_as: str | None) -> None:
    """Log a handling step: holding statement, reply, clarification, official statement.

    \b
    Example:
      socmed --as adi.admin incident act 7c1e --kind holding_statement \\
          --text "Kami sedang menangani gangguan transfer."
    """
    from socmed_domain.crisis.incident import ResponseKind

    state.app.incidents.log_incident_action(state.acting(acting_as), ref, ResponseKind(kind), text,
                                  content_ref)
    state.say("incident_action", id=ref, kind=kind)


@incident.command("statement")
@ref_argument
@click.argument("content_ref", metavar="CONTENT")
@click.option("--note", default="", help="Kept in the audit log.")
@as_option
@pass_state
def statement(state: CliState, ref: str, content_ref: str, note: str,
              acting_as: str | None) -> None:
    """Name the content item that is the official statement; during a freeze it goes out
    only after a Legal review and the Marketing Manager's approval.

    \b
    Example:
      socmed --as budi.dm incident statement 7c1e 3f2a
    """
    link = state.app.incidents.link_statement_checked(state.acting(acting_as), ref,
                                                      content_ref, note)
    state.say("incident_statement", id=ref, content=link.content_id[:8])
    if link.warning:
        click.echo(link.message(state.lang))


def _reason_command(name: str, method: str, say: str, doc: str, option: str) -> None:
    @incident.command(name, help=doc)
    @ref_argument
    @click.option(f"--{option}", "text", required=option != "note", default="",
                  help="Kept in the audit log.")
    @as_option
    @pass_state
    def command(state: CliState, ref: str, text: str, acting_as: str | None) -> None:
        getattr(state.app.incidents, method)(state.acting(acting_as), ref, text)
        state.say(say, id=ref)


_reason_command("freeze", "freeze_publishing", "incident_frozen",
                "Freeze all scheduled publishing (Marketing Manager, Legal).\n\n\b\nExample:\n"
                "  socmed --as sari.legal incident freeze 7c1e --reason \"somasi masuk\"",
                "reason")
_reason_command("release", "release_publishing", "incident_released",
                "Release the publishing freeze (Marketing Manager).\n\n\b\nExample:\n"
                "  socmed --as rina.mm incident release 7c1e --reason \"layanan pulih\"",
                "reason")
_reason_command("resolve", "resolve_incident", "incident_resolved",
                "Resolve (Marketing Manager): needs every required acknowledgement.\n\n\b\n"
                "Example:\n  socmed --as rina.mm incident resolve 7c1e --summary \"pulih\"",
                "summary")
_reason_command("close", "close_incident", "incident_closed",
                "Close a reviewed incident (Marketing Manager).\n\n\b\nExample:\n"
                "  socmed --as rina.mm incident close 7c1e", "note")


@incident.command("pdp-notice")
@ref_argument
@click.option("--to", "recipient", type=EnumChoice(PDP_RECIPIENT),
              required=True)
@click.option("--sent", required=True, help="When the written notice went out, with a zone.")
@click.option("--summary", required=True, help="What the notice said.")
@as_option
@pass_state
def pdp_notice(state: CliState, ref: str, recipient: str, sent: str, summary: str,
               acting_as: str | None) -> None:
    """Record a UU PDP written notice of a personal data breach (Pasal 46).

    \b
    Example:
      socmed --as sari.legal incident pdp-notice 7c1e --to data_subjects \\
          --sent "2026-12-11 10:00 WIB" --summary "email ke 312 nasabah"
    """
    from socmed_domain.crisis.incident import PdpRecipient

    state.app.incidents.record_pdp_notice(state.acting(acting_as), ref, PdpRecipient(recipient),
                                state.parse_time(sent, "--sent"), summary)
    state.say("incident_pdp", id=ref, recipient=recipient)


@incident.command("review")
@ref_argument
@click.option("--timeline", "timeline", required=True, multiple=True,
              help="What happened, briefly; repeatable (each kept, one per line).")
@click.option("--worked", required=True, multiple=True,
              help="What worked; repeatable.")
@click.option("--did-not", "did_not", required=True, multiple=True,
              help="What did not work; repeatable.")
@click.option("--follow-up", "follow_ups", multiple=True, metavar="ACTION|OWNER|YYYY-MM-DD",
              help="A follow-up with its owner and due date, repeatable.")
@as_option
@pass_state
def review(state: CliState, ref: str, timeline: tuple[str, ...], worked: tuple[str, ...],
           did_not: tuple[str, ...],
           follow_ups: tuple[str, ...], acting_as: str | None) -> None:
    """Record the post-incident review of a resolved incident.

    \b
    Example:
      socmed --as rina.mm incident review 7c1e --timeline "09.00-12.00" \\
          --worked "holding statement < 1 jam" --did-not "eskalasi lambat" \\
          --follow-up "Latihan eskalasi|adi.admin|2027-01-15"
    """
    from socmed_domain.crisis.incident import FollowUp, PostIncidentReview

    parsed = []
    for raw in follow_ups:
        parts = [p.strip() for p in raw.split("|")]
        try:
            parsed.append(FollowUp(parts[0], parts[1], date.fromisoformat(parts[2])))
        except (IndexError, ValueError):  # the date's range: PostIncidentReview.validate
            raise click.BadParameter(f"'{raw}' is not ACTION|OWNER|YYYY-MM-DD",
                                     param_hint="--follow-up") from None
    state.app.incidents.review_incident(state.acting(acting_as), ref,
                              PostIncidentReview.of_parts(timeline, worked, did_not, parsed))
    state.say("incident_reviewed", id=ref)


@incident.command("aware")
@ref_argument
@click.option("--at", "aware_at", required=True,
              help="When the company became aware of the breach, with a zone.")
@click.option("--reason", required=True, help="Why the clock starts at that time.")
@as_option
@pass_state
def aware(state: CliState, ref: str, aware_at: str, reason: str,
          acting_as: str | None) -> None:
    """Start the UU PDP 3x24 h clock of a breach at the time the company became aware.

    \b
    Example:
      socmed --as sari.legal incident aware 7c1e --at "2026-12-10 14:30 WIB" \\
          --reason "vendor memberi tahu lewat email 14.30"
    """
    when = state.parse_time(aware_at, "--at")
    state.app.incidents.state_breach_awareness(state.acting(acting_as), ref, when, reason)
    report = state.app.incidents.incident_report(ref)
    state.say("incident.aware_stated", id=report.ref, at=state.time(when),
              due=state.time(report.pdp.due) if report.pdp.due else "-")


@incident.command("list")
@click.option("--open", "open_only", is_flag=True, help="Only incidents still open.")
@as_of_option
@format_option
@pass_state
def list_command(state: CliState, open_only: bool, as_of: str | None, fmt: str) -> None:
    """List incidents with their level, status and whether they freeze publishing.

    \b
    Example:
      socmed incident list --open --format json
    """
    reports = (state.read_models.incidents_as_of(
        None, state.parse_time(as_of, "--as-of"), open_only) if as_of
        else state.app.incidents.list_incidents(open_only))
    rows = [{"id": r.ref if fmt == "table" else str(r.incident_id), "title": r.title,
             "category": r.category.value, "level": r.level, "status": r.status.value,
             "freezing": r.freezing_publishing, "opened_at": r.opened_at,
             "pdp": r.pdp.outcome.value, "pdp_due": r.pdp.due,
             "pdp_missing": ", ".join(m.value for m in r.pdp.missing),
             "breach_known_at": r.pdp.breach_known_at}
            for r in reports]
    columns = [("id", "ID"), ("title", "Title"), ("category", "Category"),
               ("level", "Level"), ("status", "Status"), ("freezing", "Freezing"),
               ("opened_at", "Opened"), ("pdp", "UU PDP"), ("pdp_due", "Notices due"),
               ("pdp_missing", "Notices missing")]
    if fmt != "table":
        columns.append(("breach_known_at", "Breach known at"))
    emit(rows, columns, fmt, state.zone, lang=state.lang)


@incident.command("show")
@ref_argument
@format_option
@pass_state
def show(state: CliState, ref: str, fmt: str) -> None:
    """The incident's timeline: every step with who, when and why.

    \b
    Example:
      socmed incident show 7c1e --format csv
    """
    from socmed_cli.commands.content import emit_audit

    emit_audit(state, state.app.incidents.incident_history(ref), fmt)


@incident.command("report")
@ref_argument
@click.option("--format", "fmt", type=click.Choice(["markdown", "html", "json"]),
              default="markdown", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Write to this file instead of the screen.")
@pass_state
def report(state: CliState, ref: str, fmt: str, out: str | None) -> None:
    """The SOP's incident report (Laporan Insiden): timeline, decisions and reasons,
    statements, response times, UU PDP deadline, review.

    \b
    Example:
      socmed --lang id incident report 7c1e --format html --out insiden.html
    """
    import json

    from socmed_adapters.reports.incident_markdown import to_html, to_markdown
    from socmed_cli.output import to_plain

    model = state.app.incidents.incident_report(ref)
    if fmt == "json":
        text = json.dumps(to_plain(model, state.zone), ensure_ascii=False, indent=2) + "\n"
    elif fmt == "html":
        text = to_html(model, state.lang, state.zone)
    else:
        text = to_markdown(model, state.lang, state.zone)
    if out is None:
        click.echo(text, nl=False)
        return
    from pathlib import Path

    Path(out).write_text(text, encoding="utf-8")
    state.say("report_written", path=out)


@incident.command("template")
@click.option("--category", type=EnumChoice(INCIDENT_CATEGORY), required=True)
@click.option("--kind", default="holding_statement", show_default=True,
              help="holding_statement, reply, clarification, ... (see --list).")
@click.option("--set", "values", multiple=True, metavar="NAME=VALUE",
              help="A placeholder's value, repeatable.")
@click.option("--list", "list_only", is_flag=True,
              help="List the category's templates and their placeholders.")
@pass_state
def template(state: CliState, category: str, kind: str, values: tuple[str, ...],
             list_only: bool) -> None:
    """A crisis response template (SOP stage 6), filled in, in the reader's language.

    \b
    Example:
      socmed --lang id incident template --category complaint_wave \\
          --set brand="Bank Nusantara" --set topic="transfer antarbank" \\
          --set hours=2 --set channel="DM @banknusa"
    """
    from socmed_domain.crisis.incident import IncidentCategory
    from socmed_domain.crisis.templates import template_key

    chosen = IncidentCategory(category)
    guide = state.app.configuration  # the templates of the configuration in force
    if list_only:
        for key in guide.crisis_template_keys(chosen.value):
            click.echo(f"{key}: {', '.join(guide.crisis_placeholders(key, state.lang))}")
        return
    filled: dict[str, str] = {}
    for raw in values:
        name, sep, value = raw.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{raw}' is not NAME=VALUE", param_hint="--set")
        filled[name.strip()] = value
    click.echo(guide.render_crisis_template(template_key(chosen, kind), state.lang, **filled))

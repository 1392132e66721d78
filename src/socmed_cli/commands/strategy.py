"""`socmed strategy`: the social media strategy and its versions (SOP stage 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import emit, format_option

file_option = click.option(
    "--file", "path", required=True, type=click.Path(path_type=Path, dir_okay=False),
    help="The strategy as TOML (see docs/examples/strategy-2027.toml).")


def _read(path: Path) -> Any:
    from socmed_adapters.strategy_file import read_strategy_file

    return read_strategy_file(path)


@click.group()
def strategy() -> None:
    """Draft, approve and revise the social media strategy (SOP stage 1).

    \b
    Example:
      socmed --as budi strategy draft --file docs/examples/strategy-2027.toml
      socmed --as budi strategy submit
      socmed --as rina strategy approve --version 1
    """


@strategy.command("draft")
@file_option
@as_option
@pass_state
def draft(state: CliState, path: Path, acting_as: str | None) -> None:
    """Write the first version of the strategy from a TOML file (Digital Marketing).

    \b
    Example:
      socmed --as budi.dm strategy draft --file docs/examples/strategy-2027.toml
    """
    state.app.planning.draft_strategy(state.acting(acting_as), _read(path))
    state.say("strategy_drafted")


@strategy.command("edit")
@file_option
@click.option("--note", default="", help="What changed; kept in the audit log.")
@as_option
@pass_state
def edit(state: CliState, path: Path, note: str, acting_as: str | None) -> None:
    """Replace the draft (or sent-back) version with the file's content.

    \b
    Example:
      socmed --as budi strategy edit --file strategy.toml --note "KPI reach per month"
    """
    state.app.planning.edit_strategy(state.acting(acting_as), _read(path), note)
    state.say("strategy_edited", version=state.app.planning.get_strategy().current)


@strategy.command("submit")
@click.option("--note", default="", help="Kept in the audit log.")
@as_option
@pass_state
def submit(state: CliState, note: str, acting_as: str | None) -> None:
    """Submit the version being drafted to the Marketing Manager.

    \b
    Example:
      socmed --as budi strategy submit --note "ready for the Q1 meeting"
    """
    state.app.planning.submit_strategy(state.acting(acting_as), note)
    state.say("strategy_submitted", version=state.app.planning.get_strategy().current)


@strategy.command("approve")
@click.option("--version", "version", type=int, required=True,
              help="The version you read (socmed strategy show).")
@click.option("--comment", default="", help="Kept in the audit log.")
@as_option
@pass_state
def approve(state: CliState, version: int, comment: str, acting_as: str | None) -> None:
    """Put the submitted version in force (Marketing Manager).

    \b
    Example:
      socmed --as rina strategy approve --version 1 --comment "OK for 2027"
    """
    state.app.planning.approve_strategy(state.acting(acting_as), version, comment)
    state.say("strategy_approved", version=version)


@strategy.command("send-back")
@click.option("--version", "version", type=int, required=True, help="The version you read.")
@click.option("--comment", required=True, help="What to change; kept in the audit log.")
@as_option
@pass_state
def send_back(state: CliState, version: int, comment: str, acting_as: str | None) -> None:
    """Return the submitted version to Digital Marketing with a comment (Marketing Manager).

    \b
    Example:
      socmed --as rina strategy send-back --version 2 --comment "add a TikTok KPI"
    """
    state.app.planning.send_back_strategy(state.acting(acting_as), version, comment)
    state.say("strategy_sent_back", version=version)


@strategy.command("revise")
@file_option
@click.option("--reason", required=True, help="Why the strategy changes (e.g. an evaluation).")
@click.option("--evaluation", default="", help="Reference of the evaluation or report.")
@as_option
@pass_state
def revise(state: CliState, path: Path, reason: str, evaluation: str,
           acting_as: str | None) -> None:
    """Start the next version of the strategy in force; the old one stays in force meanwhile.

    \b
    Example:
      socmed --as budi strategy revise --file strategy.toml \\
          --reason "November evaluation: TikTok under cadence" --evaluation report-2026-11
    """
    number = state.app.planning.revise_strategy(state.acting(acting_as), _read(path), reason,
                                                evaluation)
    state.say("strategy_revision", version=number,
              in_force=state.app.planning.get_strategy().in_force)


@strategy.command("evaluate")
@click.option("--held", required=True, help="When the meeting was held, with a zone.")
@click.option("--attendee", "attendees", multiple=True, required=True,
              help="Who attended (handle or name), repeatable.")
@click.option("--finding", "findings", multiple=True, required=True,
              help="What the meeting found, repeatable.")
@click.option("--decision", "decisions", multiple=True, required=True,
              help="What it decided, repeatable.")
@click.option("--report", "report_ref", required=True, metavar="REF",
              help="The report discussed, e.g. monthly-report:2026-12.")
@as_option
@pass_state
def evaluate(state: CliState, held: str, attendees: tuple[str, ...], findings: tuple[str, ...],
             decisions: tuple[str, ...], report_ref: str, acting_as: str | None) -> None:
    """Record the evaluation meeting of the strategy in force (SOP stage 5; Marketing
    Manager or Digital Marketing). Its reference is what 'strategy revise --evaluation'
    names, so the adjusted version points back to the meeting and the report.

    \b
    Example:
      socmed --as rina.mm strategy evaluate --held "2027-01-05 10:00 WIB" \\
          --attendee rina.mm --attendee budi.dm --attendee adi.admin \\
          --finding "TikTok 1 of 9 posts" --decision "TikTok 2x/minggu via agensi" \\
          --report monthly-report:2026-12
    """
    from socmed_domain.evaluation.meeting import EvaluationMeeting

    meeting = EvaluationMeeting(state.parse_time(held, "--held"), attendees, findings, decisions,
                                report_ref.strip())
    ref = state.app.evaluation.record_evaluation(state.acting(acting_as), meeting)
    state.say("evaluation_recorded", ref=ref, version=state.app.planning.get_strategy().in_force)


@strategy.command("evaluations")
@format_option
@pass_state
def evaluations(state: CliState, fmt: str) -> None:
    """The evaluation meetings recorded on the strategy, oldest first.

    \b
    Example:
      socmed strategy evaluations --format json
    """
    rows = [{"ref": e.ref, "version": e.version_number, "held_at": e.meeting.held_at,
             "report": e.meeting.report_ref, "attendees": e.meeting.attendees,
             "findings": e.meeting.findings, "decisions": e.meeting.decisions}
            for e in state.app.evaluation.strategy_evaluations()]
    emit(rows, [("ref", "Ref"), ("version", "Version"), ("held_at", "Held"),
                ("report", "Report"), ("attendees", "Attendees"), ("findings", "Findings"),
                ("decisions", "Decisions")], fmt, state.zone, lang=state.lang)


@strategy.command("show")
@click.option("--version", "version", type=int, default=None,
              help="A version number (default: the newest).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="table for people, json for scripts.")
@pass_state
def show(state: CliState, version: int | None, fmt: str) -> None:
    """Show a strategy version: goals, KPI targets, audiences, platforms, brand voice.

    \b
    Example:
      socmed strategy show --version 1 --format json
    """
    import json

    from socmed_cli.output import console, to_plain

    detail = state.app.planning.get_strategy()
    number = version or detail.current
    if not 1 <= number <= len(detail.versions):
        raise click.BadParameter(f"there is no version {number}: versions run from 1 to "
                                 f"{len(detail.versions)}", param_hint="--version")
    chosen = detail.versions[number - 1]
    if fmt == "json":
        data = to_plain(chosen, state.zone)
        data["status"] = _version_status(detail, number)
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from socmed_cli.i18n import code_value, t

    lang = state.lang

    def line(code: str, **params: Any) -> None:
        out.print(t(code, lang, **params), markup=False)

    plan, out = chosen.plan, console()
    out.print(f"[bold]{plan.title}[/bold]  " + t(
        "strategy_show_version", lang, version=number,
        status=code_value("status", _version_status(detail, number), lang)))
    line("strategy_show_drafted", drafted_by=chosen.drafted_by,
         drafted_at=state.time(chosen.drafted_at), approved_by=chosen.approved_by or "-",
         approved_at=state.time(chosen.approved_at))
    if chosen.reason:
        line("strategy_show_reason", reason=chosen.reason)
    line("strategy_show_goals", goals=", ".join(g.label for g in plan.goals))
    for target in plan.kpi_targets:
        where = target.platform.value if target.platform else t("all_platforms", lang)
        line("strategy_show_kpi", metric=target.metric, target=target.target,
             period=code_value("kind", target.period.value, lang), where=where)
    for choice in plan.platforms:
        line("strategy_show_platform", platform=choice.platform.value,
             per_week=choice.posts_per_week, reason=choice.reason)
    for audience in plan.audiences:
        line("strategy_show_audience", name=audience.name, age_band=audience.age_band,
             where=", ".join(audience.locations),
             channels=", ".join(p.value for p in audience.platforms),
             hours=audience.active_hours)
    for message in plan.key_messages:
        line("strategy_show_key_message", message=message)
    voice = plan.brand_voice
    line("strategy_show_voice", tone=", ".join(voice.tone),
         avoid=", ".join(voice.words_to_avoid),
         disclosures=", ".join(voice.required_disclosures))


def _version_status(detail: Any, number: int) -> str:
    if number == detail.in_force:
        return "in_force"
    if number == detail.current:
        return str(detail.status)
    return "superseded" if detail.versions[number - 1].approved_by else "abandoned"


@strategy.command("versions")
@format_option
@pass_state
def versions(state: CliState, fmt: str) -> None:
    """List every version of the strategy: who drafted and approved it, and why it changed.

    \b
    Example:
      socmed strategy versions --format csv
    """
    detail = state.app.planning.get_strategy()
    rows = [{"version": v.number, "title": v.plan.title,
             "status": _version_status(detail, v.number), "drafted_by": v.drafted_by,
             "drafted_at": v.drafted_at, "approved_by": v.approved_by,
             "approved_at": v.approved_at, "superseded_at": v.superseded_at,
             "reason": v.reason, "evaluation": v.evaluation_ref} for v in detail.versions]
    emit(rows, [("version", "Version"), ("title", "Title"), ("status", "Status"),
                ("drafted_by", "Drafted by"), ("approved_by", "Approved by"),
                ("approved_at", "Approved at"), ("superseded_at", "Superseded"),
                ("reason", "Reason"), ("evaluation", "Evaluation")], fmt, state.zone,
                     lang=state.lang)


@strategy.command("history")
@format_option
@pass_state
def history(state: CliState, fmt: str) -> None:
    """The strategy's full event history: who drafted, submitted, sent back and approved.

    \b
    Example:
      socmed strategy history --format json
    """
    from socmed_cli.commands.content import emit_audit

    emit_audit(state, state.app.planning.strategy_history(), fmt)


@strategy.command("export")
@click.option("--version", "version", type=int, default=None,
              help="A version number (default: the version in force).")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Write to this file instead of printing.")
@pass_state
def export(state: CliState, version: int | None, output: Path | None) -> None:
    """Write a strategy version as a TOML file, so a revision starts from it ('strategy
    revise --file' takes the edited file back).

    \b
    Example:
      socmed strategy export --output strategy-2028.toml
    """
    from socmed_adapters.strategy_file import strategy_to_toml

    detail = state.app.planning.get_strategy()
    number = version or detail.in_force or detail.current
    if not 1 <= number <= len(detail.versions):
        raise click.BadParameter(f"there is no version {number}: versions run from 1 to "
                                 f"{len(detail.versions)}", param_hint="--version")
    text = strategy_to_toml(detail.versions[number - 1].plan, header=(
        f"# Strategy version {number} (socmed strategy export). Revise it with\n"
        "# socmed strategy revise --file THIS_FILE --reason \"...\"\n\n"))
    if output is None:
        click.echo(text, nl=False)
        return
    from socmed_adapters.atomic_write import write_text_atomically

    write_text_atomically(output, text, prefix=f".{output.name}.")
    state.say("strategy_exported", version=number, path=str(output))

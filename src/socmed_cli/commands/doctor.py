"""`socmed doctor`: name the stored events that hold values outside the documented bounds."""

from __future__ import annotations

import click

from socmed_cli.context import CliState, pass_state
from socmed_cli.i18n import t
from socmed_cli.output import emit, format_option


@click.command("doctor")
@format_option
@pass_state
def doctor(state: CliState, fmt: str) -> None:
    """Check the store for times and numbers outside the documented bounds (read-only).

    Stores written before the bounds were enforced may hold, say, a slot in the year 9999
    or an infinite KPI target. Readers cope with them; this names each such event (position,
    type, field, value) and what to do. Exits 1 when it finds any.

    \b
    Example:
      socmed doctor
    """
    from socmed_adapters.doctor import diagnose

    count, findings = diagnose(state.services().app)
    rows = [{"position": f.position, "event": f.event_type, "aggregate": f.aggregate_id[:8],
             "field": f.field, "value": f.value, "advice": t(f.advice, state.lang)}
            for f in findings]
    if rows or fmt != "table":
        emit(rows, [("position", "Position"), ("event", "Event"), ("aggregate", "Aggregate"),
                    ("field", "Field"), ("value", "Value"), ("advice", "What to do")],
             fmt, state.zone, lang=state.lang)
    if findings:
        click.echo(t("doctor_found", state.lang, count=len(findings), events=count), err=True)
        raise SystemExit(1)
    if fmt == "table":
        click.echo(t("doctor_clean", state.lang, events=count))

"""`socmed report daily`: the Daily Interaction Report (SOP stage 4). The `report` group
adds it with `report.add_command(daily)`."""

from __future__ import annotations

from datetime import date, datetime

import click

from socmed_cli.context import CliState, pass_state
from socmed_cli.output import emit, format_option


@click.command("daily")
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD",
              help="The day, in the display zone (--tz); default today.")
@format_option
@pass_state
def daily(state: CliState, day: str | None, fmt: str) -> None:
    """The Daily Interaction Report (Laporan Interaksi Harian): volumes, sentiment, response
    times, SLA breaches, feedback themes and spike alerts of one day.

    \b
    Example:
      socmed --tz WITA report daily --date 2026-12-10 --format json
    """
    from socmed_adapters.monitoring.daily_report import daily_report
    from socmed_domain.bounds import check_date

    try:
        chosen = date.fromisoformat(day) if day else datetime.now(state.zone).date()
    except ValueError:
        raise click.BadParameter(f"'{day}' is not a date like 2026-12-10",
                                 param_hint="--date") from None
    check_date(chosen, "--date")
    services = state.services()
    model = daily_report(services, chosen, state.zone)
    emit(model.rows(), [("section", "Section"), ("item", "Item"), ("value", "Value")], fmt,
         state.zone, lang=state.lang, title=f"Laporan Interaksi Harian {chosen.isoformat()}")

"""`socmed report`: the SOP's periodic reports (daily interactions, stage 4; the monthly
report of stage 5 joins this group)."""

from __future__ import annotations

import click

from socmed_cli.commands.report_daily import daily
from socmed_cli.commands.report_monthly import monthly


@click.group()
def report() -> None:
    """The SOP's reports: daily interactions and the monthly performance (stages 4-5).

    \b
    Example:
      socmed report daily --date 2026-12-10
      socmed report monthly --month 2026-12 --format html --out laporan-2026-12.html
    """


report.add_command(daily)
report.add_command(monthly)

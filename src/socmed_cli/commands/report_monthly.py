"""`socmed report monthly`: the monthly performance report (SOP stage 5, 'Laporan Kinerja
Media Sosial'). The `report` group adds it with `report.add_command(monthly)`."""

from __future__ import annotations

from pathlib import Path

import click

from socmed_cli.context import CliState, pass_state


@click.command("monthly")
@click.option("--month", required=True, metavar="YYYY-MM", help="The month, e.g. 2026-12.")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown", "json", "csv"]),
              default="markdown", show_default=True,
              help="html: one self-contained page with charts; markdown; json; csv.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file instead of the screen.")
@pass_state
def monthly(state: CliState, month: str, fmt: str, out: Path | None) -> None:
    """The month's report: per platform and campaign reach, engagement, engagement rate,
    conversions, follower growth, posts published against planned, incidents, top and bottom
    content, best posting times, KPI attainment, and the insights of the documented rules
    (docs/reporting.md). Text follows --lang; times follow --tz.

    \b
    Example:
      socmed --lang id report monthly --month 2026-12 --format html --out laporan.html
      socmed report monthly --month 2026-12 --format csv > laporan.csv
    """
    from socmed_adapters.reports.monthly import monthly_report, render
    from socmed_domain.months import Month

    chosen = Month.parse(month)  # a bad month fails before anything is read
    if out is not None:
        _check_folder(out)
    model = (state.read_models.monthly_report(chosen, state.zone)  # type: ignore[attr-defined]
             if state.is_remote else monthly_report(state.services(), chosen, state.zone))
    text = render(model, fmt, state.lang, state.zone)
    if out is None:
        click.echo(text, nl=False)
        return
    write_atomically(out, text)
    state.say("report_written", path=out)


def _check_folder(path: Path) -> None:
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise click.BadParameter(f"folder {folder} does not exist", param_hint="--out")


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to `path` via a temporary file in the same folder, so a failure never
    leaves a half-written report."""
    from socmed_adapters.atomic_write import write_text_atomically

    _check_folder(path)
    write_text_atomically(path, text, prefix=f".{path.name}.")

"""`socmed metrics`: record platform insights as snapshots (SOP stage 5, 'collect performance
data')."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import click

from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import emit, format_option

#: How far back `metrics fetch` looks by default: platforms' numbers settle within days, and
#: a month covers the report that is being prepared.
FETCH_WINDOW = timedelta(days=30)


@click.group()
def metrics() -> None:
    """Post and account insights (reach, engagement, followers ...) recorded as snapshots.

    \b
    Example:
      socmed --as adi.admin metrics import insights-2026-12.csv
      socmed --as adi.admin metrics fetch --since 2026-12-01
      socmed metrics latest --platform instagram
    """


@metrics.command("import")
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--source", default="", help="Where the numbers came from (default: the file "
              "name); kept with each snapshot.")
@as_option
@pass_state
def import_command(state: CliState, path: Path, source: str, acting_as: str | None) -> None:
    """Record every row of a CSV of snapshots (format: docs/reporting.md). The whole file is
    checked first: one bad cell refuses it with its row and column, and nothing is recorded.
    Rows that say nothing new are skipped, so importing the same file again records nothing.

    \b
    Example:
      socmed --as adi.admin metrics import insights-2026-12.csv --source "IG export"
    """
    from socmed_adapters.metrics.csv_import import read_snapshots

    actor = state.acting(acting_as)
    snapshots = read_snapshots(path)
    result = state.app.evaluation.record_metrics(actor, snapshots, source or f"csv:{path.name}")
    state.say("metrics_imported", recorded=result.recorded, skipped=result.skipped,
              series=result.series_started)


@metrics.command("fetch")
@click.option("--publisher", "publisher_kind", type=click.Choice(["platforms"]),
              default="platforms", show_default=True,
              help="Where the insights come from: the platform APIs, with the publishing "
              "credentials (docs/platforms.md). The sandbox outbox has no insights.")
@click.option("--since", default=None, metavar="DATE",
              help="Posts published from this day (YYYY-MM-DD, in --tz) or time (with a zone); "
              "default 30 days ago.")
@click.option("--platform", "platform_names", multiple=True,
              help="Only this platform (repeatable); default every configured one.")
@as_option
@pass_state
def fetch(state: CliState, publisher_kind: str, since: str | None,
          platform_names: tuple[str, ...], acting_as: str | None) -> None:
    """Fetch the insights of every post published since --since, and the accounts' followers,
    from the platforms, and record them as snapshots measured now.

    A platform that fails (expired token, rate limit beyond the deadline) stops the fetch with
    one line, and nothing is recorded; running it again is always safe, and within the same
    minute records nothing new.

    \b
    Example:
      socmed --as adi.admin metrics fetch --since 2026-12-01
      socmed --as adi.admin metrics fetch --platform instagram --platform x
    """
    from socmed_adapters.metrics.source import metrics_source_from_config
    from socmed_adapters.reports.monthly_source import SqlReportSource
    from socmed_domain.platforms import platform_named

    actor = state.acting(acting_as)
    chosen = [platform_named(name) for name in platform_names] or None
    services = state.services()
    if state.is_remote:  # the server fetches, with its own platform credentials
        read, result = services.app.evaluation.fetch_on_server(  # type: ignore[attr-defined]
            _since(state, since) if since else None, chosen or ())
    else:
        now = services.clock()
        start = _since(state, since) if since else now - FETCH_WINDOW
        source = metrics_source_from_config(clock=services.clock)
        try:
            posts = SqlReportSource(services.projector).published_posts(start, now)
            result = services.app.evaluation.fetch_metrics(actor, source, posts, chosen)
        finally:
            source.close()
        read = [p.value for p in (chosen or source.platforms) if p in source.platforms]
    state.say("metrics_fetched", posts=result.posts, at=state.time(result.measured_at),
              platforms=", ".join(read) or "-",
              recorded=result.recorded.recorded, skipped=result.recorded.skipped,
              missing=len(result.missing))
    if result.skipped_platforms:
        state.say("metrics_unread",
                  platforms=", ".join(p.value for p in result.skipped_platforms))


def _since(state: CliState, text: str) -> datetime:
    """A day (its start in the CLI's zone) or a time with a zone."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return state.parse_time(text, "--since")
    return state.day_start(day, "--since")


@metrics.command("latest")
@click.option("--platform", default=None, help="Only this platform.")
@click.option("--as-of", "as_of", default=None,
              help="Latest snapshot measured before this time (with a zone); default now.")
@format_option
@pass_state
def latest(state: CliState, platform: str | None, as_of: str | None, fmt: str) -> None:
    """The latest snapshot of every post and account.

    \b
    Example:
      socmed metrics latest --platform tiktok --as-of "2026-12-15 00:00 WIB" --format csv
    """
    from socmed_adapters.reports.monthly_source import SqlReportSource
    from socmed_domain.evaluation.metrics import METRIC_NAMES
    from socmed_domain.platforms import platform_named

    chosen = platform_named(platform) if platform else None
    before = state.parse_time(as_of, "--as-of") if as_of else state.app.clock()
    values = SqlReportSource(state.services().projector).latest_values(before)
    rows = [{"platform": key[0].value, "post_id": key[1] or "account",
             **{name: snapshot.get(name) for name in METRIC_NAMES}}
            for key, snapshot in sorted(values.items(), key=lambda kv: (kv[0][0].value,
                                                                        kv[0][1]))
            if chosen is None or key[0] is chosen]
    emit(rows, [("platform", "Platform"), ("post_id", "Post id"),
                *((name, name) for name in METRIC_NAMES)], fmt, state.zone, lang=state.lang)

"""`socmed publish`: SOP stage 3 — publish what is due, settle unknown outcomes."""

from __future__ import annotations

from typing import Any

import click

from socmed_cli.context import (
    CliState,
    as_option,
    choose_publisher,
    pass_state,
    publisher_option,
)
from socmed_cli.output import as_of_option, emit, format_option


@click.group()
def publish() -> None:
    """Publish what is due; settle unknown outcomes (SOP stage 3).

    \b
    Example:
      socmed --as adi.admin publish due
    """


@publish.command("due")
@format_option
@publisher_option
@as_option
@pass_state
def due(state: CliState, fmt: str, publisher_kind: str | None, acting_as: str | None) -> None:
    """Publish every approved item whose slot has come; expire unapproved ones.

    Each attempt is recorded before the platform is called, so a crash never causes a
    second post; an attempt with no answer is reported as 'unknown' and never retried.

    \b
    Example:
      socmed --as adi.admin publish due --format json
    """
    choose_publisher(state, publisher_kind)
    lines = state.app.publication.publish_due(state.acting(acting_as))
    if not lines and fmt == "table":
        state.say("nothing_due")
        return
    _emit_lines(state, lines, fmt)


def _emit_lines(state: CliState, lines: Any, fmt: str) -> None:
    rows = [{"id": line.item_id if fmt != "table" else line.item_id[:8], "title": line.title,
             "platform": line.platform, "outcome": line.outcome, "url": line.url,
             "detail": line.detail} for line in lines]
    emit(rows, [("id", "ID"), ("title", "Title"), ("platform", "Platform"),
                ("outcome", "Outcome"), ("url", "URL"), ("detail", "Detail")], fmt, state.zone,
                     lang=state.lang)


@publish.command("run")
@click.option("--once", "mode", flag_value="once", default=True,
              help="One publishing round, then exit (for cron or a systemd timer).")
@click.option("--loop", "mode", flag_value="loop",
              help="Keep publishing until stopped (Ctrl-C or SIGTERM).")
@click.option("--interval", type=click.IntRange(5, 3600), default=60, show_default=True,
              help="Seconds between rounds with --loop.")
@format_option
@publisher_option
@as_option
@pass_state
def run(state: CliState, mode: str, interval: int, fmt: str, publisher_kind: str | None,
        acting_as: str | None) -> None:
    """The scheduler: publish what is due, expire what is unapproved, surface unknowns.

    With --loop it runs a round every --interval seconds until stopped; each round is
    `publish due`, so a round cut short by a crash or a stop loses nothing (the attempt is
    recorded before a platform is called, and an interrupted one is surfaced as unknown).

    \b
    Example:
      socmed --as adi.admin publish run --loop --interval 60 --publisher platforms
    """
    import signal
    import time

    choose_publisher(state, publisher_kind)
    actor = state.acting(acting_as)
    stop = {"now": False}

    def request_stop(_signum: int, _frame: Any) -> None:
        stop["now"] = True

    if mode == "loop":
        signal.signal(signal.SIGTERM, request_stop)
    try:
        while True:
            lines = state.app.publication.publish_due(actor)
            if lines:
                _emit_lines(state, lines, fmt)
            elif mode == "once" and fmt == "table":
                state.say("nothing_due")
            if mode == "once" or stop["now"]:
                return
            deadline = time.monotonic() + interval
            while time.monotonic() < deadline and not stop["now"]:
                time.sleep(min(1.0, deadline - time.monotonic()))
            if stop["now"]:
                return
    except KeyboardInterrupt:
        return


@publish.command("reconcile")
@click.argument("item")
@click.option("--platform", required=True, help="The platform whose outcome is unknown.")
@click.option("--post-id", default=None, help="The post found on the platform.")
@click.option("--url", default=None, help="Its URL.")
@click.option("--absent", is_flag=True, help="Confirmed: the post is not on the platform.")
@click.option("--lookup", is_flag=True, help="Ask the publisher to look the post up.")
@click.option("--note", required=True, help="How it was settled (kept in the audit log).")
@publisher_option
@as_option
@pass_state
def reconcile(state: CliState, item: str, platform: str, post_id: str | None,
              url: str | None, absent: bool, lookup: bool, note: str,
              publisher_kind: str | None, acting_as: str | None) -> None:
    """Settle an unknown outcome: the post was found, or it is confirmed absent.

    \b
    Example:
      socmed --as adi.admin publish reconcile 3f2a --platform x --lookup --note "checked"
    """
    from socmed_domain.platforms import platform_named
    from socmed_domain.publication.outcomes import PostReceipt

    choose_publisher(state, publisher_kind)
    chosen = sum([bool(post_id), absent, lookup])
    if chosen != 1:
        raise click.UsageError("give exactly one of --post-id (with --url), --absent, --lookup")
    target = platform_named(platform)
    receipt: Any = None
    if post_id:
        if not url:
            raise click.UsageError("--post-id needs --url")
        receipt = PostReceipt(post_id=post_id, url=url, published_at=state.services().clock())
    elif lookup:
        receipt = state.app.publication.lookup(item, target)
    state.app.publication.reconcile(state.acting(acting_as), item, target, receipt, note)
    state.say("reconciled", id=item, platform=target.value)


@publish.command("log")
@click.option("--month", default=None, metavar="YYYY-MM", help="Only posts published that month.")
@click.option("--platform", default=None, help="Only this platform.")
@as_of_option
@format_option
@pass_state
def log(state: CliState, month: str | None, platform: str | None, as_of: str | None,
        fmt: str) -> None:
    """The Content Publication Log: every post with URL, time, approver and revision hash.

    \b
    Example:
      socmed publish log --month 2026-12 --format csv > log-publikasi-2026-12.csv
    """
    from socmed_domain.months import Month
    from socmed_domain.platforms import platform_named

    since = until = None
    if month:
        since, until = Month.parse(month).bounds(state.zone)
    chosen = platform_named(platform).value if platform else None
    if as_of:
        rows = state.read_models.publication_log_as_of(
            state.parse_time(as_of, "--as-of"), since=since, until=until, platform=chosen)
    else:
        rows = state.read_models.publication_log(since=since, until=until, platform=chosen)
    if fmt == "table":
        for row in rows:
            row["item_id"] = row["item_id"][:8]
            row["revision_sha256"] = row["revision_sha256"][:12]
    emit(rows, [("published_at", "Published"), ("platform", "Platform"), ("title", "Title"),
                ("url", "URL"), ("approved_by", "Approved by"), ("revision", "Rev"),
                ("revision_sha256", "Revision SHA-256"), ("published_by", "Published by"),
                ("item_id", "Item")] + ([] if fmt == "table" else [
                    ("post_id", "Post id"), ("approved_at", "Approved at"),
                    ("body_sha256", "Body SHA-256"), ("position", "Position")]),
         fmt, state.zone, lang=state.lang)

"""`socmed worker`: process the webhook deliveries the HTTP receiver recorded; on
PostgreSQL, with `--queue`, run the job queue (publishing at slot time and webhook
processing, shared by any number of workers: `socmed_adapters.jobs`).

`socmed inbox listen --no-worker` (or `socmed serve`) records deliveries; this command turns
them into inbox interactions, once in effect even when it is killed mid-way (see
`socmed_adapters.monitoring.webhook_worker`). `status` shows what waits and what failed;
`retry` puts failed deliveries back.
"""

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


def _say(state: CliState, code: str, **params: Any) -> None:
    from socmed_domain.i18n import render

    click.echo(render(code, state.lang, **params))


@click.group(invoke_without_command=True)
@click.option("--once", "mode", flag_value="once", default=True,
              help="Process what is due, then stop (the default).")
@click.option("--loop", "mode", flag_value="loop",
              help="Keep processing until SIGTERM or Ctrl+C.")
@click.option("--batch", type=click.IntRange(1, 1000), default=20, show_default=True,
              help="Deliveries claimed at a time.")
@click.option("--lease", type=click.FloatRange(0.5, 3600), default=60.0, show_default=True,
              help="Seconds a claim holds before another worker may take the delivery "
              "(a worker killed mid-way leaves its claim this long).")
@click.option("--max-attempts", type=click.IntRange(1, 100), default=8, show_default=True,
              help="Failed attempts before a delivery is given up (then see 'worker status').")
@click.option("--poll", type=click.FloatRange(0.05, 600), default=1.0, show_default=True,
              help="With --loop: seconds to wait when nothing is due.")
@click.option("--no-alerts", is_flag=True, help="Do not check for spikes after deliveries.")
@click.option("--notify", "with_notifier", is_flag=True,
              help="Also run the notifier (as 'socmed notify run' does) in this process.")
@click.option("--queue", "mode", flag_value="queue",
              help="PostgreSQL only: run the job queue (each due post published at its slot "
              "by one of any number of workers, webhook deliveries processed) until stopped.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=1, show_default=True,
              help="With --queue: jobs run at once by this process.")
@click.option("--queues", default=None, metavar="NAME,...",
              help="With --queue: only these queues (publishing, webhooks, maintenance; "
              "default all).")
@click.option("--stalled-after", type=click.FloatRange(2, 3600), default=30.0,
              show_default=True,
              help="With --queue: seconds without a heartbeat before a worker's jobs are "
              "taken over by the others.")
@click.option("--no-listen", is_flag=True,
              help="With --queue: poll for jobs (every --poll seconds) instead of being woken "
              "by LISTEN/NOTIFY, which a PgBouncer in transaction pooling mode cannot pass "
              "(docs/scaling.md).")
@publisher_option
@as_option
@pass_state
@click.pass_context
def worker(ctx: click.Context, state: CliState, mode: str, batch: int, lease: float,
           max_attempts: int, poll: float, no_alerts: bool, concurrency: int,
           queues: str | None, stalled_after: float, no_listen: bool, with_notifier: bool,
           publisher_kind: str | None, acting_as: str | None) -> None:
    """Process recorded webhook deliveries into the inbox.

    With --queue (PostgreSQL only), run the job queue shared by any number of workers:
    each due post published at its slot, and webhook deliveries processed.

    \b
    Example:
      socmed --as adi.admin worker --loop
      socmed --as adi.admin worker --queue --concurrency 4 --publisher platforms
      socmed worker status
    """
    if ctx.invoked_subcommand is not None:
        return
    if mode == "queue":
        choose_publisher(state, publisher_kind)
        _run_queue(state, acting_as, concurrency, queues, stalled_after, poll, not no_listen,
                   with_notifier)
        return
    from datetime import timedelta

    from socmed_adapters.monitoring.webhook_worker import WebhookWorker
    from socmed_domain.roles import Action, check_may

    member = state.acting(acting_as)
    services = state.services()
    actor = services.app.actor(member)
    check_may(actor.member_id, actor.role, Action.INGEST_INTERACTIONS)

    def processed(delivery: Any, report: Any) -> None:
        _say(state, "worker.processed", delivery=delivery.id, platform=report.label,
             new=report.new, duplicates=report.duplicates, received=report.received,
             skipped=report.skipped, unread=report.unread)
        for alert in report.alerts:
            _say(state, "inbox.alert", alert=alert)

    processor = WebhookWorker.of(services, member, batch=batch,
                                 lease=timedelta(seconds=lease), max_attempts=max_attempts,
                                 alerts=not no_alerts, on_done=processed)
    notifier = None
    if with_notifier:
        from socmed_adapters.notifications.notifier import Notifier

        notifier = Notifier(services, lang=state.lang)
    if mode == "once":
        report = processor.drain()
        _say(state, "worker.pass", done=report.done, retrying=report.retrying,
             failed=report.failed)
        if notifier is not None:
            _say(state, "notify.cli.pass", **notifier.run_once().as_json())
        return
    from socmed_cli.context import stop_on_signals

    stop = stop_on_signals()
    click.echo(_render(state, "worker.started", member=member.member_id), err=True)
    if notifier is not None:
        from socmed_adapters.notifications.notifier import NotifierThread

        thread = NotifierThread(notifier, poll=poll).start()
    processor.run(stop, poll=poll)
    if notifier is not None:
        thread.stop()
    click.echo(_render(state, "worker.stopped"), err=True)


def _run_queue(state: CliState, acting_as: str | None, concurrency: int, queues: str | None,
               stalled_after: float, poll: float, listen: bool, with_notifier: bool) -> None:
    from socmed_adapters.jobs import worker as queue_worker
    from socmed_adapters.jobs.registry import PUBLISHING, QUEUES, WEBHOOKS
    from socmed_domain.roles import Action, check_may

    member = state.acting(acting_as)
    services = state.services()
    if services.storage.kind != "postgres":
        raise click.UsageError(_render(state, "worker.queue_needs_postgres"))
    chosen = tuple(q.strip() for q in queues.split(",") if q.strip()) if queues else QUEUES
    unknown = sorted(set(chosen) - set(QUEUES))
    if unknown:
        raise click.UsageError(_render(state, "worker.unknown_queue", names=", ".join(unknown),
                                       choices=", ".join(QUEUES)))
    actor = services.app.actor(member)
    if PUBLISHING in chosen:
        check_may(actor.member_id, actor.role, Action.PUBLISH_CONTENT)
    if WEBHOOKS in chosen:
        check_may(actor.member_id, actor.role, Action.INGEST_INTERACTIONS)
    click.echo(_render(state, "worker.queue_started", member=member.member_id,
                       queues=", ".join(chosen), concurrency=concurrency), err=True)
    thread = None
    if with_notifier:
        # beside the queue: the notifier's tracked position and claims already share its
        # work among any number of processes (docs/notifications.md)
        from socmed_adapters.notifications.notifier import Notifier, NotifierThread

        thread = NotifierThread(Notifier(services, lang=state.lang), poll=poll).start()
    try:
        queue_worker.run(services, member, concurrency=concurrency, queues=chosen,
                         stalled_after=stalled_after, poll=min(poll, 5.0),
                         heartbeat=max(1.0, stalled_after / 6), listen_notify=listen)
    finally:
        if thread is not None:
            thread.stop()
    click.echo(_render(state, "worker.queue_stopped"), err=True)


def _render(state: CliState, code: str, **params: Any) -> str:
    from socmed_domain.i18n import render

    return render(code, state.lang, **params)


@worker.command("status")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="A summary for people, or json for scripts.")
@pass_state
def status(state: CliState, fmt: str) -> None:
    """What waits, what is being retried and what failed, with the last error.

    \b
    Example:
      socmed worker status
      socmed worker status --format json
    """
    from socmed_adapters.monitoring.webhook_inbox import WebhookInbox

    found = WebhookInbox.of(state.services()).status()
    if fmt != "table":
        import json

        click.echo(json.dumps(found.as_json(), ensure_ascii=False, indent=2))
        return
    counts = found.counts
    _say(state, "worker.status", pending=counts["pending"], done=counts["done"],
         failed=counts["failed"], refused=counts["refused"])
    if found.oldest_pending is not None:
        _say(state, "worker.status_oldest", when=state.time(found.oldest_pending))
    for row, kind in [*((r, "pending") for r in found.retrying),
                      *((r, "failed") for r in found.failed)]:
        _say(state, "worker.status_row", delivery=row.id, platform=row.platform,
             attempts=row.attempts, kind=kind, error=row.last_error or "-")


@worker.command("retry")
@click.argument("ids", nargs=-1, type=int)
@pass_state
def retry(state: CliState, ids: tuple[int, ...]) -> None:
    """Put failed deliveries (these ids, or all) back to be processed.

    \b
    Example:
      socmed worker retry 41 42
    """
    from socmed_adapters.monitoring.webhook_inbox import WebhookInbox

    count = WebhookInbox.of(state.services()).retry(ids)
    _say(state, "worker.retried", count=count)

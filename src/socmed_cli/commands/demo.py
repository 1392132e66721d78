"""`socmed demo`: a realistic SOP month, end to end, into the configured store."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

from socmed_cli.context import CliState, pass_state
from socmed_cli.i18n import t
from socmed_cli.output import console, emit, progress

MARKER = "demo.marker"


@click.command()
@click.option("--month", default="2026-12", show_default=True, metavar="YYYY-MM",
              help="The month to simulate.")
@click.option("--seed", default=42, show_default=True, type=int,
              help="Seed for the month's variations; same seed and month, same store.")
@click.option("--reset", is_flag=True, help="Replace a store that an earlier demo made.")
@click.option("--quiet", is_flag=True, help="Print only the summary lines.")
@click.option("--platforms", "platforms", type=click.Choice(["sandbox", "local"]),
              default="sandbox", show_default=True,
              help="Publish to the sandbox outbox, or through the real platform adapters to "
              "local stand-ins of all five platforms on 127.0.0.1 (never the internet).")
@click.option("--sign-in", "sign_in", is_flag=True,
              help="After the month, give every member a demo-only password (and a TOTP "
              "secret to the roles that need one) and print them, to sign in to "
              "'socmed serve'. Adds the accounts' audited events to the store.")
@click.option("--pack", type=click.Choice(["banking", "food", "telecom"]), default=None,
              help="Run the month under an industry pack of rules (templates, checklist, "
              "watchlist, SLA, lexicon); default: the built-in banking rules.")
@pass_state
def demo(state: CliState, month: str, seed: int, reset: bool, quiet: bool,
         platforms: str, sign_in: bool, pack: str | None) -> None:
    """Run a realistic SOP-0042 month for PT Bank Digital Nusantara into the store.

    A team of five roles plans, drafts, reviews, approves, schedules and publishes a month of
    content to the sandbox publisher (posts land in the store's outbox folder), with the
    refusals and failures a regulated team meets. Afterwards every other command works on
    the data, e.g. 'socmed --as sari.legal audit log --type Approved'.

    \b
    Example:
      socmed demo --month 2026-12 --seed 7
      socmed --data-dir /tmp/demo-local demo --platforms local
      socmed demo --reset --sign-in
      socmed demo --pack food
    """
    from socmed_adapters.bootstrap import bootstrap, store_exists
    from socmed_adapters.clock import ManualClock, system_clock
    from socmed_adapters.datadir import EVENTS_FILE, OUTBOX_DIR, default_data_dir
    from socmed_adapters.sandbox_publisher import SandboxPublisher
    from socmed_adapters.storage import READ_MODELS_FILE
    from socmed_demo.accounts import set_up_demo_accounts
    from socmed_demo.common import at, month_days
    from socmed_demo.metrics import write_reports
    from socmed_demo.month import FlakyOncePublisher, build_demo, demo_media_reader

    try:
        days = month_days(month)
    except ValueError:
        raise click.BadParameter(f"'{month}' is not YYYY-MM", param_hint="--month") from None
    data_dir = Path(state.data_dir) if state.data_dir else default_data_dir()
    postgres = bool(state.database_url or os.environ.get("SOCMED_DATABASE_URL"))
    if not postgres and store_exists(data_dir):
        if not reset:
            raise click.ClickException(t("demo_not_empty", state.lang, path=data_dir))
        if not (data_dir / MARKER).exists():
            raise click.ClickException(t("demo_reset_refused", state.lang, path=data_dir))
        for path in data_dir.glob(f"{EVENTS_FILE}*"):
            path.unlink()
        for path in data_dir.glob(f"{READ_MODELS_FILE}*"):
            path.unlink()
        shutil.rmtree(data_dir / OUTBOX_DIR, ignore_errors=True)
        shutil.rmtree(data_dir / "reports", ignore_errors=True)
    data_dir.mkdir(parents=True, exist_ok=True)

    clock = ManualClock(at(days[0], 0))
    from contextlib import ExitStack

    stack = ExitStack()
    if platforms == "local":
        from socmed_demo.month import MediaMirror
        from socmed_testing.platforms import LocalPlatforms

        local = stack.enter_context(LocalPlatforms(clock=lambda: clock().timestamp(),
                                                   serve_any_media=True))
        inner: Any = MediaMirror(local.publisher(clock=clock), local.media_url("").rstrip("/"))
    else:
        inner = SandboxPublisher(data_dir / OUTBOX_DIR, clock)
    publisher = FlakyOncePublisher(inner, lose_answer_for="Ucapan Natal")
    try:
        services = bootstrap(data_dir, database_url=state.database_url, clock=clock,
                             publisher=publisher, media_reader=demo_media_reader(data_dir))
    except BaseException:
        stack.close()
        raise

    if postgres and services.app.event_count():
        services.close()
        stack.close()
        raise click.ClickException(t("demo_not_empty", state.lang, path="the database"))
    (data_dir / MARKER).write_text(f"socmed demo {month} seed {seed}\n", encoding="utf-8")
    try:
        from socmed_adapters.configuration_file import read_pack

        month_run = build_demo(services, clock, month, seed,
                               read_pack(pack) if pack else None)
        steps = list(month_run.timeline())
        for step in progress(steps, len(steps), f"SOP month {month}", quiet=quiet):
            month_run.run_step(step)
        report = month_run.finish()
        accounts: tuple[Any, ...] = ()
        if sign_in:
            # Made at the real time, like everything members do on the store after the demo:
            # a TOTP code is claimed at the time it is confirmed, and a simulated month ahead
            # of today would leave every real code looking used already.
            clock.set(system_clock())
            accounts = set_up_demo_accounts(services, "rina.mm")
        services.projector.catch_up()
        written = write_reports(services, month, data_dir, state.lang)
    finally:
        services.close()
        stack.close()

    click.echo(f"socmed demo: {month} for PT Bank Digital Nusantara Tbk (seed {seed}) "
               f"in {data_dir}")
    if not quiet:
        emit(report.posts, [("published_at", "Published"), ("platform", "Platform"),
                            ("title", "Title"), ("url", "URL"), ("approved_by", "Approved by"),
                            ("sha256", "Revision")], "table", state.zone, lang=state.lang,
             title=f"Published posts ({len(report.posts)})")
        _section("What the rules stopped (nothing was written)", report.refusals)
        _section("What went wrong and how it was handled", report.notes)
        audit_rows = [{"event": name, "count": count}
                      for name, count in sorted(report.event_types.items())]
        emit(audit_rows, [("event", "Event type"), ("count", "Count")], "table", state.zone,
             lang=state.lang,
             title=f"Audit summary: {report.events} events")
    click.echo(f"published {len(report.posts)} posts on "
               f"{len({p['platform'] for p in report.posts})} platforms; "
               f"{report.events} events recorded; {len(report.refusals)} refusals")
    click.echo(f"monthly report: {', '.join(str(path) for path in written)}")
    if accounts:
        emit([{"member": a.member_id, "role": a.role, "password": a.password,
               "totp": a.totp_secret or "-"} for a in accounts],
             [("member", "Member"), ("role", "Role"), ("password", "Password"),
              ("totp", "TOTP secret")], "table", state.zone, lang=state.lang,
             title="Demo-only sign-in for 'socmed serve' (this demo store only; never reuse)")
    where = f"--data-dir {data_dir} " if state.data_dir else ""
    click.echo(f"next: socmed {where}--as sari.legal audit log --type Approved")
    if accounts:
        click.echo(f"then: socmed {where}serve, and sign in as a member above")


def _section(title: str, lines: Iterable[str]) -> None:
    out = console()
    out.print(f"[bold]{title}[/bold]")
    for line in lines:
        out.print(f"  - {line}", markup=False)

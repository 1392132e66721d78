"""`socmed projections`: the SQL read models (content board, publication log, audit index)."""

from __future__ import annotations

import sys
from typing import Any

import click

from socmed_cli.context import CliState, pass_state
from socmed_cli.output import emit, format_option


@click.group()
def projections() -> None:
    """Status, catch-up and rebuild of the SQL read models.

    \b
    Example:
      socmed projections status
    """


@projections.command("status")
@format_option
@pass_state
def status(state: CliState, fmt: str) -> None:
    """Each projection's position against the head of the event log.

    \b
    Example:
      socmed projections status --format json
    """
    rows = [{"projection": s.name, "position": s.position, "head": s.head, "lag": s.lag,
             "version": s.version, "needs_rebuild": s.needs_rebuild}
            for s in state.services().projector.status()]
    emit(rows, [("projection", "Projection"), ("position", "Position"), ("head", "Head"),
                ("lag", "Lag"), ("version", "Version"), ("needs_rebuild", "Needs rebuild")],
         fmt, state.zone, lang=state.lang)


def _bar(state: CliState, names: list[str], verb: str):  # type: ignore[no-untyped-def]
    """A rich progress callback on a terminal; None (quiet) when piped."""
    if not sys.stderr.isatty():
        return None, None
    from rich.progress import Progress

    bar = Progress(transient=True)
    tasks: dict[str, Any] = {}

    def advance(name: str, position: int, head: int) -> None:
        if name not in tasks:
            tasks[name] = bar.add_task(f"{verb} {name}", total=head)
        bar.update(tasks[name], completed=position, total=head)

    return bar, advance


@projections.command("catch-up")
@click.argument("names", nargs=-1)
@pass_state
def catch_up(state: CliState, names: tuple[str, ...]) -> None:
    """Apply events recorded since each projection's position.

    \b
    Example:
      socmed projections catch-up audit_index
    """
    projector = state.services().projector
    chosen = _checked(projector, names)
    bar, callback = _bar(state, chosen, "catching up")
    if bar:
        with bar:
            applied = projector.catch_up(chosen, progress=callback)
    else:
        applied = projector.catch_up(chosen)
    for name, count in applied.items():
        click.echo(f"{name}: applied {count} events")


@projections.command("rebuild")
@click.argument("names", nargs=-1)
@pass_state
def rebuild(state: CliState, names: tuple[str, ...]) -> None:
    """Drop a projection (or all) and replay the whole event log into it.

    \b
    Example:
      socmed projections rebuild publication_log
    """
    projector = state.services().projector
    chosen = _checked(projector, names)
    bar, callback = _bar(state, chosen, "rebuilding")
    if not bar:  # one pass for all of them (shared out between processes on a big log)
        count = projector.rebuild(chosen)
        for name in chosen:
            click.echo(f"{name}: rebuilt from {count} events")
        return
    for name in chosen:
        with bar:
            count = projector.rebuild(name, progress=callback)
        click.echo(f"{name}: rebuilt from {count} events")


def _checked(projector, names: tuple[str, ...]) -> list[str]:  # type: ignore[no-untyped-def]
    from socmed_domain.errors import InvalidInputError

    unknown = [n for n in names if n not in projector.names()]
    if unknown:
        raise InvalidInputError("error.unknown_choice", kind="projection",
                                value=", ".join(unknown), choices=", ".join(projector.names()))
    return list(names) or projector.names()


@projections.command("verify")
@pass_state
def verify(state: CliState) -> None:
    """Rebuild every read model into a scratch store and compare it with the live tables row
    by row; exit 1 naming the first row that differs (table, key, column).

    \b
    Example:
      socmed projections verify
    """
    from socmed_cli.commands.audit import _verify_read_models

    _verify_read_models(state)


@projections.command("follow")
@click.option("--poll", default=0.5, show_default=True, help="Seconds between polls (SQLite).")
@pass_state
def follow(state: CliState, poll: float) -> None:
    """Keep the read models caught up until interrupted (a projection worker process).

    On PostgreSQL new events wake it at once (LISTEN/NOTIFY); on SQLite it polls.

    \b
    Example:
      socmed --database-url postgresql://socmed@db/socmed projections follow
    """
    from socmed_domain.bounds import POLL_SECONDS, check_number

    check_number(poll, "--poll", *POLL_SECONDS)
    projector = state.services().projector
    click.echo("following the event log; Ctrl-C to stop", err=True)
    try:
        projector.follow(poll_seconds=poll)
    except KeyboardInterrupt:
        projector.stop_following()

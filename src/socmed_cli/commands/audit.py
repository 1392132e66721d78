"""`socmed audit`: Legal's window on the immutable event log."""

from __future__ import annotations

import click

from socmed_cli.commands.content import AUDIT_COLUMNS, audit_row
from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import emit, format_option


@click.group()
def audit() -> None:
    """Audit queries over the immutable event log (Legal, Marketing Manager).

    \b
    Example:
      socmed --as sari.legal audit log --type Approved --format csv
    """


@audit.command("log")
@click.option("--item", default=None, help="Only this content item (id or prefix).")
@click.option("--actor", "member", default=None, help="Only events by this member.")
@click.option("--type", "event_type", default=None, help="Only this event type, e.g. Approved.")
@click.option("--since", default=None, help="From this time (with a zone), inclusive.")
@click.option("--until", default=None, help="Up to this time (with a zone), exclusive.")
@format_option
@as_option
@pass_state
def log(state: CliState, item: str | None, member: str | None, event_type: str | None,
        since: str | None, until: str | None, fmt: str, acting_as: str | None) -> None:
    """Every recorded event matching the filters, with who, when, what and why.

    \b
    Example:
      socmed --as sari.legal audit log --actor rina.mm --since "2026-12-01 00:00 WIB"
    """
    actor = state.acting(acting_as)
    item_id = str(state.app.resolve_content(item)) if item else None
    entries = state.read_models.audit_log(
        actor, item_id=item_id, member=member, event_type=event_type,
        since=state.parse_time(since) if since else None,
        until=state.parse_time(until) if until else None)
    emit([audit_row(e, state.lang) for e in entries],
         AUDIT_COLUMNS if fmt == "table" else [*AUDIT_COLUMNS, ("aggregate", "Aggregate"),
                                               ("aggregate_id", "Aggregate id"),
                                               ("version", "Version")],
         fmt, state.zone)

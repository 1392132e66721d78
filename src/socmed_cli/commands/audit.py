"""`socmed audit`: Legal's window on the immutable event log."""

from __future__ import annotations

import click

from socmed_cli.commands.content import emit_audit
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
@click.option("--as-of", "as_of", default=None,
              help="The log as it stood at this time (with a zone): events up to it, inclusive.")
@format_option
@as_option
@pass_state
def log(state: CliState, item: str | None, member: str | None, event_type: str | None,
        since: str | None, until: str | None, as_of: str | None, fmt: str,
        acting_as: str | None) -> None:
    """Every recorded event matching the filters, with who, when, what and why.

    \b
    Example:
      socmed --as sari.legal audit log --actor rina.mm --since "2026-12-01 00:00 WIB"
    """
    actor = state.acting(acting_as)
    if event_type is not None:
        from socmed_domain.errors import InvalidInputError
        from socmed_domain.event_types import event_type_names

        known = event_type_names()
        event_type = {name.lower(): name for name in known}.get(event_type.lower(), event_type)
        if event_type not in known:
            from difflib import get_close_matches

            from socmed_domain.i18n import render

            close = get_close_matches(event_type, known, n=3, cutoff=0.6)
            hint = render("hint.did_you_mean", state.lang, names=" / ".join(close)) if close \
                else ""
            raise InvalidInputError("error.unknown_event_type", value=event_type, hint=hint)
    item_id = str(state.app.content.resolve(item)) if item else None
    end = state.parse_time(until, "--until") if until else None
    if as_of:
        from datetime import timedelta

        moment = state.parse_time(as_of, "--as-of") + timedelta(microseconds=1)
        end = min(end, moment) if end else moment
    entries = state.read_models.audit_log(
        actor, item_id=item_id, member=member, event_type=event_type,
        since=state.parse_time(since, "--since") if since else None, until=end)
    emit_audit(state, entries, fmt)


@audit.command("types")
@format_option
@pass_state
def types_command(state: CliState, fmt: str) -> None:
    """Every event type the log can hold, with the aggregate that records it (for --type).

    \b
    Example:
      socmed audit types --format csv
    """
    from socmed_domain.event_types import event_types_by_aggregate

    emit([{"event": name, "aggregate": aggregate}
          for aggregate, names in event_types_by_aggregate().items() for name in names],
         [("event", "Event type"), ("aggregate", "Aggregate")], fmt, state.zone)


@audit.command("verify")
@click.option("--manifest", "manifest", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Also check the links pinned by an earlier export's manifest.")
@format_option
@pass_state
def verify_command(state: CliState, manifest: str | None, fmt: str) -> None:
    """Recompute the hash chain over the event log; exit 1 naming the first tampered position.

    \b
    Example:
      socmed audit verify --manifest bundle-2026-12/manifest.json
    """
    from pathlib import Path

    from socmed_adapters.audit.export import pinned_links
    from socmed_adapters.audit.verify import verify

    pins = pinned_links(Path(manifest)) if manifest else None
    report = verify(state.services().event_tables, pins)
    if fmt != "table" or report.problems:
        emit([{"position": p.position, "kind": p.kind, "detail": p.detail}
              for p in report.problems],
             [("position", "Position"), ("kind", "Kind"), ("detail", "Detail")], fmt,
             state.zone)
    if report.ok:
        if fmt == "table":
            click.echo(f"chain intact: {report.checked} events, head {report.head_position} "
                       f"{report.head_link}")
        return
    first = report.first_problem
    assert first is not None
    count = len(report.problems)
    total = f"at least {count}" if count >= 100 else str(count)
    raise click.ClickException(
        f"audit chain broken: first at position {first.position} ({first.kind}: "
        f"{first.detail}); {total} problem(s) in all")


@audit.command("export")
@click.option("--since", default=None, help="From this time (with a zone), inclusive.")
@click.option("--until", default=None, help="Up to this time (with a zone), exclusive.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder for events.jsonl and manifest.json.")
@as_option
@pass_state
def export_command(state: CliState, since: str | None, until: str | None, out: str,
                   acting_as: str | None) -> None:
    """Export events as JSON Lines with a manifest (counts, links, chain head) for later checks.

    \b
    Example:
      socmed --as sari.legal audit export --since "2026-12-01 00:00 WIB" \\
          --until "2027-01-01 00:00 WIB" --out bundle-2026-12
    """
    from pathlib import Path

    from socmed_adapters.audit.export import export_bundle
    from socmed_domain.roles import Action, check_may

    reader = state.app.actor(state.acting(acting_as))
    check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
    services = state.services()
    manifest = export_bundle(services.event_tables, services.app.mapper, Path(out),
                             state.parse_time(since, "--since") if since else None,
                             state.parse_time(until, "--until") if until else None,
                             services.clock())
    click.echo(f"exported {manifest['count']} events (positions {manifest['first_position']}"
               f"-{manifest['last_position']}) to {out}; last link {manifest['last_link']}")


@audit.command("verify-bundle")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@pass_state
def verify_bundle_command(state: CliState, folder: str) -> None:
    """Check an exported bundle on its own: file hash, every link, the manifest's last link.

    \b
    Example:
      socmed audit verify-bundle bundle-2026-12
    """
    from pathlib import Path

    from socmed_adapters.audit.export import verify_bundle

    problems = verify_bundle(Path(folder))
    if problems:
        raise click.ClickException(f"bundle altered: {problems[0]} ({len(problems)} in all)")
    click.echo(f"bundle intact: {folder}")

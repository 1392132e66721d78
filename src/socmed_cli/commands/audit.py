"""`socmed audit`: Legal's window on the immutable event log."""

from __future__ import annotations

import click

from socmed_cli.choices import EnumChoice, via_kinds
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
@click.option("--via", "via", type=EnumChoice(via_kinds), default=None,
              help="Only events whose actor was established this way: a signed-in session, "
              "single sign-on, an API token, the local CLI's --as, in-process library code, "
              "or while signing in (auth).")
@format_option
@as_option
@pass_state
def log(state: CliState, item: str | None, member: str | None, event_type: str | None,
        since: str | None, until: str | None, as_of: str | None, via: str | None, fmt: str,
        acting_as: str | None) -> None:
    """Every recorded event matching the filters, with who, when, how (via), what and why.

    \b
    Example:
      socmed --as sari.legal audit log --actor rina.mm --since "2026-12-01 00:00 WIB"
      socmed --as sari.legal audit log --via token --format csv
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
        since=state.parse_time(since, "--since") if since else None, until=end, via=via)
    emit_audit(state, entries, fmt)


@audit.command("vias")
@format_option
@as_option
@pass_state
def vias(state: CliState, fmt: str, acting_as: str | None) -> None:
    """Events acted through a session, token or SSO that no recorded sign-in explains.

    socmed records a sign-in for every session it opens and an event for every token it
    creates, so an event through a credential with no such event was caused through a
    credential made in the database, outside socmed (docs/security.md). Exit 1 when any is
    found.

    \b
    Example:
      socmed --as sari.legal audit vias --format csv
    """
    from socmed_cli.commands.content import audit_row
    from socmed_cli.i18n import t

    found = state.read_models.unexplained_vias(state.acting(acting_as))
    if fmt != "table" or found:
        emit([{**audit_row(u.entry, state.lang), "why": u.reason} for u in found],
             [("position", "#"), ("at", "At"), ("actor", "Actor"), ("via", "Via"),
              ("event", "Event"), ("why", "Why")], fmt, state.zone, lang=state.lang)
    if found:
        raise click.ClickException(t("identity.cli.vias_unexplained", state.lang,
                                     count=len(found)))
    if fmt == "table":
        click.echo(t("identity.cli.vias_explained", state.lang))


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

    rows = [{"event": name, "aggregate": aggregate}
            for aggregate, names in event_types_by_aggregate().items() for name in names]
    columns = [("event", "Event type"), ("aggregate", "Aggregate")]
    if fmt == "table" and state.lang != "en":
        # the type is what --type takes: the table keeps it and names it in the reader's words
        rows = [{**row, "type": row["event"]} for row in rows]
        columns = [("type", "Event type"), ("event", "Event"), ("aggregate", "Aggregate")]
    emit(rows, columns, fmt, state.zone, lang=state.lang)


@audit.command("verify")
@click.option("--manifest", "manifest", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Also check the links pinned by an earlier export's manifest.")
@click.option("--witness", "witness", type=click.Path(exists=True), default=None,
              help="Also check the signed checkpoints kept by the witness (file or folder): "
              "no event at or before its newest one removed, changed or inserted.")
@click.option("--public-key", "public_key", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Checkpoint public key (default $SOCMED_AUDIT_VERIFY_KEY, "
              "else audit-verify-key.pem in the configuration directory).")
@click.option("--read-models", "read_models", is_flag=True, default=False,
              help="Also rebuild every read model into a scratch store and compare it with "
              "the live tables row by row.")
@format_option
@pass_state
def verify_command(state: CliState, manifest: str | None, witness: str | None,
                   public_key: str | None, read_models: bool, fmt: str) -> None:
    """Recompute the hash chain over the event log; exit 1 naming the first tampered position.

    A keyed store (HMAC) is refused without SOCMED_AUDIT_KEY: without the key nothing can be
    vouched for.

    \b
    Example:
      socmed audit verify --manifest bundle-2026-12/manifest.json
      socmed audit verify --witness /mnt/worm/socmed-witness.jsonl
    """
    from pathlib import Path

    from socmed_adapters.audit.export import pinned_links
    from socmed_adapters.audit.signing import load_public_key, verify_key_path
    from socmed_adapters.audit.verify import verify
    from socmed_cli.i18n import t

    witnessed = None
    if state.is_remote:  # the server verifies its own chain with its own key
        from socmed_adapters.remote.services import RemoteUnsupportedError

        given = [name for name, value in (("--manifest", manifest), ("--witness", witness),
                                          ("--public-key", public_key),
                                          ("--read-models", read_models)) if value]
        if given:
            raise RemoteUnsupportedError(what=", ".join(given))
        report = state.services().audit_verify()  # type: ignore[attr-defined]
    else:
        pins = pinned_links(Path(manifest)) if manifest else None
        key_path = verify_key_path(public_key)
        public = load_public_key(key_path) if key_path else None
        witnessed = _witness(witness, public) if witness else None
        report = verify(state.services().event_tables, pins, public_key=public,
                        witness=witnessed)
    if fmt != "table" or report.problems:
        emit([{"position": p.position, "kind": p.kind, "detail": p.detail}
              for p in report.problems],
             [("position", "Position"), ("kind", "Kind"), ("detail", "Detail")], fmt,
             state.zone, lang=state.lang)
    if not report.ok:
        first = report.first_problem
        assert first is not None
        count = len(report.problems)
        total = f"at least {count}" if count >= 100 else str(count)
        raise click.ClickException(t("audit_broken", state.lang, position=first.position,
                                     kind=first.kind, detail=first.detail, total=total))
    if fmt == "table":
        click.echo(t("audit_intact", state.lang, checked=report.checked,
                     head=report.head_position, link=report.head_link))
        if report.mode != "sha256" or report.signed_checked or witnessed is not None:
            parts = [t("audit_links", state.lang, mode=report.mode)]
            if report.signed_checked:
                parts.append(t("audit_signed", state.lang, signed=report.signed_checked))
            if witnessed is not None:
                parts.append(t("audit_witnessed", state.lang, witnessed=report.witnessed_head))
            click.echo("; ".join(parts))
        if report.signed_unchecked:
            click.echo(t("audit_note_unchecked", state.lang, count=report.signed_unchecked),
                       err=True)
        if report.unmarked:
            click.echo(t("audit_note_unmarked", state.lang), err=True)
    if read_models:
        _verify_read_models(state)


def _witness(path: str, public: object | None) -> list:  # type: ignore[type-arg]
    """The witness's checkpoints; one that cannot be read at all is one error line. Without
    the public key a witness proves nothing (anyone could have appended to it)."""
    from pathlib import Path

    from socmed_adapters.audit.witness import read_witness
    from socmed_domain.errors import InvalidInputError

    if public is None:
        raise InvalidInputError("error.audit_no_verify_key", what="--witness")
    try:
        checkpoints, problems = read_witness(Path(path))
    except (OSError, ValueError) as error:
        raise InvalidInputError("error.audit_witness", path=path,
                                detail=str(error)[:120]) from None
    if problems:
        raise InvalidInputError("error.audit_witness", path=path, detail=problems[0][:120])
    return checkpoints


def _verify_read_models(state: CliState) -> None:
    from socmed_adapters.projections.verify import verify_read_models
    from socmed_cli.i18n import t

    report = verify_read_models(state.services().projector)
    if not report.ok:
        first = report.differences[0]
        raise click.ClickException(t("read_models_differ", state.lang,
                                     projection=first.projection, detail=first.describe(),
                                     count=len(report.differences)))
    click.echo(t("read_models_ok", state.lang, tables=report.tables, rows=report.rows,
                 position=report.position))


@audit.command("keygen")
@click.option("--dir", "folder", type=click.Path(file_okay=False), default=None,
              help="Where to write the key pair (default: the configuration directory, "
              "$SOCMED_CONFIG_DIR or ~/.config/socmed).")
@pass_state
def keygen_command(state: CliState, folder: str | None) -> None:
    """Create the Ed25519 key pair that signs audit checkpoints (never stored in the database).

    \b
    Example:
      socmed audit keygen --dir /etc/socmed
    """
    from pathlib import Path

    from socmed_adapters.audit.signing import default_config_dir, generate_key_pair
    from socmed_cli.i18n import t

    private, public = generate_key_pair(Path(folder) if folder else default_config_dir())
    click.echo(t("audit_keygen", state.lang, private=private, public=public))


@audit.command("checkpoint")
@pass_state
def checkpoint_command(state: CliState) -> None:
    """Sign the chain's head now, keep it in the store and append it to the witness.

    The witness is the file or folder $SOCMED_AUDIT_WITNESS names (for example
    /mnt/worm/witness.jsonl, on storage the database host cannot rewrite).

    \b
    Example:
      socmed audit checkpoint
    """
    from socmed_adapters.audit.checkpoint import sign_checkpoint
    from socmed_cli.i18n import t

    signed = sign_checkpoint(state.services())
    if signed is None:
        raise click.ClickException(t("audit_empty", state.lang))
    if not signed.created:
        click.echo(t("audit_checkpoint_exists", state.lang, position=signed.position))
        return
    click.echo(t("audit_checkpoint", state.lang, position=signed.position, link=signed.link,
                 witness=f"; witness {signed.witness}" if signed.witness else ""))


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

    start = state.parse_time(since, "--since") if since else None
    end = state.parse_time(until, "--until") if until else None
    if state.is_remote:  # the server exports (and checks the role); the folder is here
        state.acting(acting_as)  # --as refused through a server
        manifest = state.services().audit_bundle(  # type: ignore[attr-defined]
            start, end, Path(out))
    else:
        reader = state.app.actor(state.acting(acting_as))
        check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
        services = state.services()
        manifest = export_bundle(services.event_tables, services.app.mapper, Path(out),
                                 start, end, services.clock())
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

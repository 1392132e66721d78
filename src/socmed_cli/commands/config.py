"""`socmed config`: the company's rules as data (issue 17): apply a file or an industry pack,
show a version, export it back to TOML, list the versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import emit, format_option

PACK_NAMES = ("banking", "food", "telecom")


@click.group()
def config() -> None:
    """The company's configuration: templates, checklist, watchlist, SLA, lexicon, rules.

    \b
    Example:
      socmed --as rina.mm config apply --pack food --reason "we sell tea"
      socmed config show
      socmed config export > company.toml
    """


@config.command("apply")
@click.argument("path", required=False, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--pack", type=click.Choice(PACK_NAMES), default=None,
              help="Apply one of the shipped industry packs instead of a file.")
@click.option("--reason", default="", help="Why the rules change; kept in the audit log.")
@as_option
@pass_state
def apply(state: CliState, path: Path | None, pack: str | None, reason: str,
          acting_as: str | None) -> None:
    """Put a configuration file (or a pack) in force as the next version (Marketing Manager).

    The whole file is checked first: a problem is one line naming the file, the field and
    what is allowed, and nothing is applied.

    \b
    Example:
      socmed --as rina.mm config apply company.toml --reason "BPOM wording from Legal"
    """
    from socmed_adapters.configuration_file import read_configuration_file, read_pack

    if (path is None) == (pack is None):
        raise click.UsageError("give a FILE or --pack NAME (one of them)")
    chosen = read_pack(pack) if pack else read_configuration_file(path)  # type: ignore[arg-type]
    source = f"pack {pack}" if pack else str(path)
    version = state.app.configuration.apply(state.acting(acting_as), chosen, reason, source)
    state.say("config_applied", version=version, name=chosen.name)


def _version(state: CliState, version: int | None) -> Any:
    return state.app.configuration.show(None, version)


@config.command("show")
@click.option("--version", "version", type=int, default=None,
              help="A version number (default: the one in force; 0 is the built-in default).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "toml"]), default="table",
              show_default=True, help="table for people, json for scripts, toml to edit.")
@pass_state
def show(state: CliState, version: int | None, fmt: str) -> None:
    """Show a configuration version: what each section holds, who applied it and why.

    \b
    Example:
      socmed config show --version 1 --format json
    """
    from socmed_adapters.configuration_file import configuration_to_dict, configuration_to_toml

    chosen = _version(state, version)
    config_ = chosen.configuration
    if fmt == "toml":
        click.echo(configuration_to_toml(config_), nl=False)
        return
    if fmt == "json":
        from socmed_cli.output import to_plain

        click.echo(json.dumps({
            "version": chosen.version, "applied_at": to_plain(chosen.applied_at, state.zone),
            "applied_by": chosen.applied_by, "reason": chosen.reason, "source": chosen.source,
            "changed": list(chosen.changed),
            "configuration": configuration_to_dict(config_)}, ensure_ascii=False, indent=2))
        return
    state.say("config_show", version=chosen.version, name=config_.name,
              description=config_.description, by=chosen.applied_by or "-",
              at=state.time(chosen.applied_at), source=chosen.source or "-",
              reason=chosen.reason or "-")
    lang = state.lang
    rows = [
        {"section": "reply_templates", "holds": ", ".join(config_.reply_templates)},
        {"section": "checklist", "holds": ", ".join(config_.checklist_keys)},
        {"section": "watchlist", "holds": f"{config_.watchlist.version}: " + ", ".join(
            f"{name} ({len(terms)})" for name, terms in config_.watchlist.terms.items())},
        {"section": "sla", "holds": "; ".join(
            f"{p} {t.first_response_minutes}/{t.resolution_minutes} min"
            for p, t in config_.sla.targets.items()) + "; " + ", ".join(
            f"{day[:3]} {' '.join(hours) or '-'}"
            for day, hours in config_.sla.business_hours.items())},
        {"section": "lexicon", "holds": ", ".join(
            f"{term} {score:+g}" for term, score in config_.lexicon.terms.items()) or "-"},
        {"section": "content", "holds": ", ".join(config_.content.banned_phrases) + " | "
         + ", ".join(config_.content.required_disclosures)},
        {"section": "crisis_templates", "holds": ", ".join(config_.crisis_templates)},
    ]
    import attrs

    listed = {row["section"] for row in rows} | {"name", "description"}
    # a section added later shows in short until it gets a summary of its own
    rows += [{"section": a.name, "holds": _short(getattr(config_, a.name))}
             for a in attrs.fields(type(config_)) if a.name not in listed]
    emit(rows, [("section", "Section"), ("holds", "Holds")], "table", state.zone, lang=lang)


@config.command("export")
@click.option("--version", "version", type=int, default=None,
              help="A version number (default: the one in force).")
@click.option("--output", "-o", "output", type=click.Path(path_type=Path, dir_okay=False),
              default=None, help="Write to this file instead of printing.")
@pass_state
def export(state: CliState, version: int | None, output: Path | None) -> None:
    """Write a configuration version as TOML: edit it and apply it as the next version.

    \b
    Example:
      socmed config export --output company.toml
    """
    from socmed_adapters.configuration_file import configuration_to_toml

    text = configuration_to_toml(_version(state, version).configuration)
    if output is None:
        click.echo(text, nl=False)
        return
    from socmed_adapters.atomic_write import write_text_atomically

    write_text_atomically(output, text, prefix=f".{output.name}.")
    state.say("config_exported", path=str(output))


@config.command("history")
@format_option
@pass_state
def history(state: CliState, fmt: str) -> None:
    """Every configuration version: who applied it, when, from where, and what changed.

    \b
    Example:
      socmed config history --format json
    """
    rows = [{"version": v.version, "name": v.configuration.name, "applied_at": v.applied_at,
             "applied_by": v.applied_by, "source": v.source, "changed": ", ".join(v.changed),
             "reason": v.reason}
            for v in state.app.configuration.history()]
    emit(rows, [("version", "Version"), ("name", "Name"), ("applied_at", "Applied"),
                ("applied_by", "By"), ("source", "Source"), ("changed", "Changed"),
                ("reason", "Reason")], fmt, state.zone, lang=state.lang)


def _short(value: Any) -> str:
    from socmed_domain.transcoding import converter

    text = json.dumps(converter.unstructure(value), ensure_ascii=False, default=str)
    return text if len(text) <= 300 else text[:297] + "..."

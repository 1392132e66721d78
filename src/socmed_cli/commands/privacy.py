"""`socmed privacy`: erasure of an audience member's personal data (UU PDP), by Legal."""

from __future__ import annotations

import click

from socmed_cli.context import CliState, as_option, pass_state


@click.group()
def privacy() -> None:
    """Personal data of the audience (UU PDP, Law 27/2022).

    \b
    Example:
      socmed --as sari.legal privacy erase --subject instagram:budi_99 --reason "PDP-17"
    """


@privacy.command("erase")
@click.option("--subject", required=True, metavar="PLATFORM:HANDLE",
              help="The audience member, e.g. instagram:budi_99.")
@click.option("--reason", required=True, help="The request it answers (kept in the audit log).")
@as_option
@pass_state
def erase(state: CliState, subject: str, reason: str, acting_as: str | None) -> None:
    """Destroy the subject's key: their names, handles and messages become unreadable in
    every event and read model, for good (crypto-shredding). Legal only.

    \b
    Example:
      socmed --as sari.legal privacy erase --subject x:@siti_rahma --reason "permintaan #PDP-17"
    """
    from socmed_domain.i18n import render

    key_id = state.app.inbox.erase_personal_data(state.acting(acting_as), subject, reason)
    click.echo(render("privacy.erased", state.lang, key=key_id[:8]))

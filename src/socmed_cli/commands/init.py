"""`socmed init`: create the store and its first Marketing Manager."""

from __future__ import annotations

import click

from socmed_cli.context import CliState, pass_state


@click.command()
@click.option("--org", "organisation", required=True, help="The company, e.g. 'PT Nusa Digital'.")
@click.option("--manager", required=True, metavar="HANDLE",
              help="Handle of the first Marketing Manager, e.g. rina.mm.")
@click.option("--name", required=True, help="Full name of the Marketing Manager.")
@click.option("--pack", type=click.Choice(("banking", "food", "telecom")), default=None,
              help="Apply an industry pack of rules as the first configuration (default: "
                   "the built-in banking rules).")
@pass_state
def init(state: CliState, organisation: str, manager: str, name: str,
         pack: str | None) -> None:
    """Create the store and its first Marketing Manager (who then adds the team).

    \b
    Example:
      socmed init --org "PT Nusa Digital" --manager rina.mm --name "Rina Wijaya"
    """
    services = state.services(create=True)
    from socmed_cli.context import os_user

    services.app.team.initialise(organisation, manager, name, via=f"local-cli:{os_user()}")
    from socmed_adapters.monitoring.webhook_inbox import WebhookInbox

    WebhookInbox.of(services)  # the webhook inbox's table, made by the role that owns the store
    from socmed_adapters.jobs.queue import JobQueue

    queue = JobQueue.of(services)
    if queue is not None:  # PostgreSQL: the job queue's tables, beside the events
        queue.ensure_schema()
    where = (services.storage.database_url.split("@")[-1] if services.storage.database_url
             else services.data_dir)
    state.say("initialised", org=organisation, path=where, member=manager)
    if pack is None:
        return
    from socmed_adapters.configuration_file import read_pack
    from socmed_domain.identity.principal import Principal

    chosen = read_pack(pack)
    if chosen == services.app.configuration.in_force():
        state.say("config_pack_default", pack=pack)
        return
    version = services.app.configuration.apply(
        Principal(manager, f"local-cli:{os_user()}"), chosen, "socmed init --pack",
        f"pack {pack}")
    state.say("config_applied", version=version, name=chosen.name)

"""`socmed team`: members and their SOP roles; every change is an audited event."""

from __future__ import annotations

import click

from socmed_cli.choices import ROLE, EnumChoice
from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import emit, format_option


@click.group()
def team() -> None:
    """Members and their SOP roles.

    \b
    Example:
      socmed --as rina.mm team add budi.dm --name "Budi Santoso" --role digital_marketing
    """


@team.command("add")
@click.argument("handle")
@click.option("--name", required=True, help="Full name.")
@click.option("--role", type=EnumChoice(ROLE), required=True, help="SOP role.")
@as_option
@pass_state
def add(state: CliState, handle: str, name: str, role: str, acting_as: str | None) -> None:
    """Add a member with a role (Marketing Manager only).

    \b
    Example:
      socmed --as rina.mm team add sari.legal --name "Sari Lestari" --role legal
    """
    from socmed_domain.roles import Role

    state.app.team.add_member(state.acting(acting_as), handle, name, Role(role))
    state.say("member_added", member=handle, role=role)


@team.command("set-role")
@click.argument("handle")
@click.argument("role", type=EnumChoice(ROLE))
@click.option("--reason", required=True, help="Why the role changes (kept in the audit log).")
@as_option
@pass_state
def set_role(state: CliState, handle: str, role: str, reason: str,
             acting_as: str | None) -> None:
    """Change a member's role (Marketing Manager only).

    \b
    Example:
      socmed --as rina.mm team set-role budi.dm social_media_admin --reason "rotation"
    """
    from socmed_domain.roles import Role

    state.app.team.change_role(state.acting(acting_as), handle, Role(role), reason)
    state.say("role_changed", member=handle, role=role)


@team.command("deactivate")
@click.argument("handle")
@click.option("--reason", required=True, help="Why (kept in the audit log).")
@as_option
@pass_state
def deactivate(state: CliState, handle: str, reason: str, acting_as: str | None) -> None:
    """Deactivate a member; their past actions stay in the log.

    \b
    Example:
      socmed --as rina.mm team deactivate agency.x --reason "contract ended"
    """
    state.app.team.deactivate_member(state.acting(acting_as), handle, reason)
    state.say("deactivated", member=handle)


@team.command("list")
@format_option
@pass_state
def list_members(state: CliState, fmt: str) -> None:
    """List members, roles and who granted them.

    \b
    Example:
      socmed team list --format json
    """
    rows = [{"member": m.member_id, "name": m.name, "role": m.role.value,
             "role_title": m.role.title_id if state.lang == "id" else m.role.title_en,
             "active": m.active, "granted_by": m.granted_by}
            for m in state.app.team.list_members()]
    emit(rows, [("member", "Member"), ("name", "Name"), ("role", "Role"),
                ("role_title", "Role title"), ("active", "Active"), ("granted_by", "Granted by")],
         fmt, state.zone, lang=state.lang)

"""`socmed team`: members and their SOP roles; every change is an audited event."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from socmed_cli.choices import ROLE, EnumChoice
from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import emit, format_option

if TYPE_CHECKING:
    from socmed_domain.roles import Role


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


@team.command("invite")
@click.argument("handle")
@as_option
@pass_state
def invite(state: CliState, handle: str, acting_as: str | None) -> None:
    """Give a member a one-time set-up code for their password (Marketing Manager only).

    The code is shown once and expires after 72 hours; a new invitation replaces it (also
    how a forgotten password is reset). The member runs 'socmed account setup'.

    \b
    Example:
      socmed --as rina.mm team invite budi.dm
    """
    code = state.app.identity.invite(state.acting(acting_as), handle)
    state.say("identity.cli.invited", member=handle, code=code.code,
              expires=state.time(code.expires_at))


@team.command("policy")
@click.option("--require-auth/--no-require-auth", "require_auth", default=None,
              help="Require signing in (refuse --as on this store), or allow --as again.")
@click.option("--second-factor-roles", "second_factor_roles", default=None,
              metavar="ROLE,ROLE", help="The roles that need a second factor (TOTP) to "
              "approve or sign off, comma-separated; 'none' for no role.")
@click.option("--lockout-threshold", "lockout_threshold", type=int, default=None,
              help="Failed sign-ins in a row that lock a member out (3-20).")
@click.option("--lockout-minutes", "lockout_minutes", type=int, default=None,
              help="How long a lock-out lasts, in minutes (1-1440).")
@click.option("--reason", default="", help="Why (kept in the audit log).")
@format_option
@as_option
@pass_state
def policy(state: CliState, require_auth: bool | None, second_factor_roles: str | None,
           lockout_threshold: int | None, lockout_minutes: int | None, reason: str,
           fmt: str, acting_as: str | None) -> None:
    """Show the store's access policy, or change it (Marketing Manager; audited).

    \b
    Examples:
      socmed team policy
      socmed --as rina.mm team policy --second-factor-roles marketing_manager,legal --reason "SOP"
      socmed --as rina.mm team policy --require-auth --reason "going live"
    """
    changing = (require_auth, second_factor_roles, lockout_threshold, lockout_minutes)
    if any(value is not None for value in changing):
        roles = _roles(second_factor_roles) if second_factor_roles is not None else None
        current = state.app.identity.set_policy(
            state.acting(acting_as), require_authentication=require_auth,
            second_factor_roles=roles, lockout_threshold=lockout_threshold,
            lockout_minutes=lockout_minutes, reason=reason)
        if fmt == "table":  # json and csv stay one parseable document
            state.say("identity.cli.policy_changed")
    else:
        current = state.app.identity.policy()
    emit([{"require_auth": current.require_authentication,
           "second_factor_roles": ", ".join(r.value for r in current.second_factor_roles),
           "lockout_threshold": current.lockout_threshold,
           "lockout_minutes": current.lockout_minutes}],
         [("require_auth", "Sign-in required"), ("second_factor_roles", "Second factor for"),
          ("lockout_threshold", "Lock-out after"), ("lockout_minutes", "Lock-out minutes")],
         fmt, state.zone, lang=state.lang)


def _roles(text: str) -> list[Role]:
    from socmed_domain.errors import InvalidInputError
    from socmed_domain.roles import Role

    names = [name.strip() for name in text.split(",") if name.strip()]
    if names == ["none"]:
        return []
    known = {role.value: role for role in Role}
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise InvalidInputError("error.unknown_choice", kind="role", value=", ".join(unknown),
                                choices=", ".join(known))
    return [known[name] for name in names]

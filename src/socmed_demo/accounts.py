"""Demo-only sign-in for the demo's members, so the tour can go on with `socmed serve`.

The demo store is a showroom: its members get passwords and, for the roles the access policy
asks a second factor of, TOTP secrets, made here through the same identity service a real
team uses (invitation code, account set-up, TOTP enrolment confirmed with a code) and printed
once by `socmed demo`, marked as demo-only. Nothing here is used outside the demo command.
"""

from __future__ import annotations

import secrets

import pyotp
from attrs import frozen

from socmed_adapters.bootstrap import Services
from socmed_domain.identity.principal import Principal


@frozen
class DemoAccount:
    """One demo member's sign-in: printed once, valid only on the demo store."""

    member_id: str
    role: str
    password: str
    totp_secret: str = ""


def set_up_demo_accounts(services: Services, manager_id: str) -> tuple[DemoAccount, ...]:
    """Invite every active member (as the Marketing Manager, from the demo's own process),
    set each one's demo password with the invitation code, and enrol and confirm TOTP for the
    roles the store's access policy names."""
    app = services.app
    identity = app.identity
    policy = identity.policy()
    accounts = []
    for member in app.team.list_members():
        if not member.active:
            continue
        setup = identity.invite(manager_id, member.member_id)
        password = f"demo-{member.member_id}-{secrets.token_hex(4)}"
        identity.set_up_account(member.member_id, setup.code, password)
        secret = ""
        if member.role in policy.second_factor_roles:
            own = Principal(member.member_id, "library")
            secret = identity.enrol_totp(own).secret
            identity.confirm_totp(own, pyotp.TOTP(secret).at(app.now()))
        accounts.append(DemoAccount(member.member_id, member.role.value, password, secret))
    return tuple(accounts)

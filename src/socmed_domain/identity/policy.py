"""The store's access policy, and the checks that turn a principal into an acting member.

The policy is part of the Team aggregate (the team is read for every command, so the policy
takes effect on the next command of any process) and changed only by a Marketing Manager as
an audited event (`Team.AccessPolicyChanged`). It says:

* whether the store requires authentication: then direct store access with the CLI's `--as`
  (a ``local-cli:`` principal) is refused for every command;
* which roles need a second factor (TOTP) to approve or sign off: a principal of such a role
  whose session was opened without one is refused for those actions;
* after how many consecutive failed sign-ins a member is locked out, and for how long.

Direct store access (``local-cli``, allowed only while the store does not require
authentication) and in-process library calls run with the store's own credentials: they are
not asked for a second factor (there is no sign-in to add one to); see docs/decisions.md,
"Identity".
"""

from __future__ import annotations

from attrs import field, frozen

from socmed_domain.errors import InvalidInputError, PermissionDeniedError
from socmed_domain.i18n import Term
from socmed_domain.identity.principal import Principal
from socmed_domain.roles import Action, Role

#: The roles that approve or sign off in the SOP, who need a second factor by default.
DEFAULT_SECOND_FACTOR_ROLES: tuple[Role, ...] = (Role.MARKETING_MANAGER, Role.LEGAL)
DEFAULT_LOCKOUT_THRESHOLD = 5
DEFAULT_LOCKOUT_MINUTES = 15
LOCKOUT_THRESHOLD_RANGE = (3, 20)
LOCKOUT_MINUTES_RANGE = (1, 24 * 60)

#: Approvals and sign-offs (and managing the team and this policy, which could otherwise
#: lift the requirement): what a role the policy names may do only with a second factor.
#: `REVIEW_CONTENT` is Legal's compliance sign-off (of statements too); a Digital Marketing
#: peer review needs a second factor only when the policy names that role.
SECOND_FACTOR_ACTIONS: frozenset[Action] = frozenset({
    Action.APPROVE_CONTENT, Action.APPROVE_STRATEGY, Action.APPROVE_CAMPAIGN,
    Action.APPROVE_REPLY, Action.REVIEW_CONTENT, Action.MANAGE_TEAM,
})

#: Principals established by running with the store's own credentials: never asked for a
#: second factor (the store's own `--as` is refused outright when authentication is required).
DIRECT_VIA_KINDS = frozenset({"local-cli", "library"})


def _sorted_roles(roles: tuple[Role, ...] | list[Role] | frozenset[Role]) -> tuple[Role, ...]:
    order = list(Role)
    return tuple(sorted(set(roles), key=order.index))


@frozen
class AccessPolicy:
    """How members of this store must prove who they are (see the module's docstring)."""

    require_authentication: bool = False
    second_factor_roles: tuple[Role, ...] = field(default=DEFAULT_SECOND_FACTOR_ROLES,
                                                  converter=_sorted_roles)
    lockout_threshold: int = DEFAULT_LOCKOUT_THRESHOLD
    lockout_minutes: int = DEFAULT_LOCKOUT_MINUTES

    def checked(self) -> AccessPolicy:
        """The policy, refused when a number is outside its documented range."""
        for name, value, (low, high) in (
                ("lockout_threshold", self.lockout_threshold, LOCKOUT_THRESHOLD_RANGE),
                ("lockout_minutes", self.lockout_minutes, LOCKOUT_MINUTES_RANGE)):
            if not low <= value <= high:
                raise InvalidInputError("error.policy_out_of_range", field=name, value=value,
                                        low=low, high=high)
        return self

    def needs_second_factor(self, role: Role, action: Action) -> bool:
        return action in SECOND_FACTOR_ACTIONS and role in self.second_factor_roles


def check_direct_access(policy: AccessPolicy, principal: Principal) -> None:
    """Refuse the CLI's direct store access (`--as`) on a store that requires sign-in."""
    if policy.require_authentication and principal.via_kind == "local-cli":
        raise PermissionDeniedError("error.authentication_required",
                                    actor=principal.member_id)


def check_second_factor(policy: AccessPolicy, principal: Principal, role: Role,
                        action: Action) -> None:
    """Refuse an approval or sign-off by a role the policy names, from a principal that did
    not prove a second factor (a session opened with a password only, or an API token)."""
    if (principal.second_factor or principal.via_kind in DIRECT_VIA_KINDS
            or not policy.needs_second_factor(role, action)):
        return
    raise PermissionDeniedError("error.second_factor_needed", actor=principal.member_id,
                                role=role.value, action=Term(action.value))

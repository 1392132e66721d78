"""The team: members and the SOP role each holds, recorded as events so role changes are audited.

There is one Team aggregate per store. Its first member, a Marketing Manager, is created by
`socmed init`; after that only a Marketing Manager grants or changes roles.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from attrs import evolve, frozen
from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError, InvalidStateError, NotFoundError
from socmed_domain.events import AuditedEvent
from socmed_domain.identity.policy import AccessPolicy
from socmed_domain.roles import Action, Role, check_may

TEAM_ID: UUID = uuid5(NAMESPACE_URL, "socmed:team")
HANDLE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{1,31}$")


@frozen
class Member:
    member_id: str
    name: str
    role: Role
    active: bool = True
    granted_by: str = ""

    def as_actor(self) -> Actor:
        return Actor(member_id=self.member_id, name=self.name, role=self.role)


def check_handle(handle: str) -> str:
    if not HANDLE_RE.fullmatch(handle):
        raise InvalidInputError("error.bad_handle", value=handle)
    return handle


class Team(Aggregate):
    """Who may act, and as what."""

    def __init__(self) -> None:
        self.organisation = ""
        self.members: dict[str, Member] = {}
        #: How members must prove who they are (identity.policy); stores older than the
        #: policy have the default one.
        self.access_policy = AccessPolicy()

    class Founded(AuditedEvent, Aggregate.Created):
        """The store's first Marketing Manager, who founds the team (`socmed init`)."""

        organisation: str

        def apply(self, team: Team) -> None:
            team.organisation = self.organisation
            team.members = {
                self.actor.member_id: Member(
                    self.actor.member_id, self.actor.name, self.actor.role, True, "init"
                )
            }

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.Founded", {"organisation": self.organisation})

    class MemberAdded(AuditedEvent):
        member: Member

        def apply(self, team: Team) -> None:
            team.members[self.member.member_id] = self.member

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.MemberAdded", {
                "member": self.member.member_id, "role": self.member.role.value})

    class RoleChanged(AuditedEvent):
        member_id: str
        role: Role
        reason: str

        def apply(self, team: Team) -> None:
            team.members[self.member_id] = evolve(team.members[self.member_id], role=self.role)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.RoleChanged", {"member": self.member_id, "role": self.role.value})

    class MemberDeactivated(AuditedEvent):
        member_id: str
        reason: str

        def apply(self, team: Team) -> None:
            team.members[self.member_id] = evolve(team.members[self.member_id], active=False)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.MemberDeactivated", {"member": self.member_id})

    class AccessPolicyChanged(AuditedEvent):
        """The store's access policy, as a whole, after a Marketing Manager changed it."""

        policy: AccessPolicy
        reason: str

        def apply(self, team: Team) -> None:
            team.access_policy = self.policy

        def describe(self) -> tuple[str, dict[str, Any]]:
            policy = self.policy
            return ("event.AccessPolicyChanged", {
                "required": "yes" if policy.require_authentication else "no",
                "roles": ", ".join(r.value for r in policy.second_factor_roles) or "-",
                "threshold": policy.lockout_threshold, "minutes": policy.lockout_minutes})

    @classmethod
    def found(cls, organisation: str, manager_id: str, manager_name: str, at: datetime,
              via: str = "library") -> Team:
        check_handle(manager_id)
        if not manager_name.strip():
            raise InvalidInputError("error.empty", field="name")
        actor = Actor(manager_id, manager_name.strip(), Role.MARKETING_MANAGER, via)
        return cls._create(
            cls.Founded, id=TEAM_ID, timestamp=at, actor=actor,
            organisation=organisation.strip(),
        )

    def member(self, member_id: str) -> Member:
        try:
            return self.members[member_id]
        except KeyError:
            raise NotFoundError(kind="member", ref=member_id, listing="team list") from None

    def actor(self, member_id: str) -> Actor:
        """The member as an Actor, refusing unknown and deactivated members."""
        member = self.member(member_id)
        if not member.active:
            raise InvalidStateError("error.member_inactive", member=member_id)
        return member.as_actor()

    def add_member(self, actor: Actor, member_id: str, name: str, role: Role,
                   at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        check_handle(member_id)
        if not name.strip():
            raise InvalidInputError("error.empty", field="name")
        if member_id in self.members:
            raise InvalidInputError("error.member_exists", member=member_id)
        member = Member(member_id, name.strip(), role, True, actor.member_id)
        self.trigger_event(self.MemberAdded, timestamp=at, actor=actor, member=member)

    def change_role(self, actor: Actor, member_id: str, role: Role, reason: str,
                    at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        member = self.member(member_id)
        if member.role is Role.MARKETING_MANAGER and role is not Role.MARKETING_MANAGER:
            self._check_not_last_manager(member_id)
        self.trigger_event(self.RoleChanged, timestamp=at, actor=actor, member_id=member_id,
                           role=role, reason=reason)

    def deactivate(self, actor: Actor, member_id: str, reason: str, at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        member = self.member(member_id)
        if member.role is Role.MARKETING_MANAGER:
            self._check_not_last_manager(member_id)
        self.trigger_event(self.MemberDeactivated, timestamp=at, actor=actor,
                           member_id=member_id, reason=reason)

    def _check_not_last_manager(self, member_id: str) -> None:
        managers = [m for m in self.members.values()
                    if m.active and m.role is Role.MARKETING_MANAGER]
        if [m.member_id for m in managers] == [member_id]:
            raise InvalidStateError("error.last_manager", member=member_id)

    def set_access_policy(self, actor: Actor, policy: AccessPolicy, reason: str,
                          at: datetime) -> None:
        check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        policy = policy.checked()
        if policy == self.access_policy:
            raise InvalidInputError("error.policy_unchanged")
        self.trigger_event(self.AccessPolicyChanged, timestamp=at, actor=actor, policy=policy,
                           reason=reason.strip())

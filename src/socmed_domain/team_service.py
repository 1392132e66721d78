"""The team service (`app.team`): founding the store's team and changing its members.

Only a Marketing Manager changes the team (the role matrix, checked by the Team aggregate);
the last active Marketing Manager cannot be demoted or deactivated.
"""

from __future__ import annotations

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidStateError
from socmed_domain.identity.principal import LIBRARY_VIA, ActorRef
from socmed_domain.kernel import StageService, actor_in
from socmed_domain.roles import Action, Role
from socmed_domain.team import TEAM_ID, Member, Team

MANAGE = Action.MANAGE_TEAM


class TeamService(StageService):
    """Who works here, as what."""

    def initialise(self, organisation: str, manager_id: str, manager_name: str,
                   via: str = LIBRARY_VIA) -> None:
        """Found the team with its first Marketing Manager (`socmed init`); `via` says how
        the founder reached the store (the CLI passes ``local-cli:<os user>``)."""
        if self._find(Team, TEAM_ID) is not None:
            raise InvalidStateError("error.already_initialised")
        self._save(Team.found(organisation, manager_id, manager_name, self._now(), via),
                   "team", "")

    def is_initialised(self) -> bool:
        return self._find(Team, TEAM_ID) is not None

    def add_member(self, actor_id: ActorRef, member_id: str, name: str, role: Role) -> None:
        self.kernel.team_command(lambda team: team.add_member(
            actor_in(team, actor_id, action=MANAGE), member_id, name, role, self._now()), member_id)

    def change_role(self, actor_id: ActorRef, member_id: str, role: Role, reason: str) -> None:
        self.kernel.team_command(lambda team: team.change_role(
            actor_in(team, actor_id, action=MANAGE), member_id, role, reason, self._now()),
            member_id)

    def deactivate_member(self, actor_id: ActorRef, member_id: str, reason: str) -> None:
        self.kernel.team_command(lambda team: team.deactivate(
            actor_in(team, actor_id, action=MANAGE), member_id, reason, self._now()), member_id)

    def list_members(self) -> tuple[Member, ...]:
        return tuple(sorted(self.kernel.team_read().members.values(),
                            key=lambda m: m.member_id))

    def organisation(self) -> str:
        return self.kernel.team_read().organisation

    def actor(self, ref: ActorRef, *, reading: bool = False,
              action: Action | None = None) -> Actor:
        """The member as they act now; refuses unknown and deactivated members (and what
        the store's access policy refuses, see `kernel.actor_in`)."""
        return self.kernel.actor(ref, reading=reading, action=action)

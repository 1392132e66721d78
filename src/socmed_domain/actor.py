"""Who did something: every event carries one, so Legal can always answer 'who, as what'."""

from __future__ import annotations

from attrs import frozen

from socmed_domain.roles import Role


@frozen
class Actor:
    """The acting member as they were when they acted (role changes later do not rewrite it)."""

    member_id: str
    name: str
    role: Role
    #: How the member was established when they acted (see `identity.principal.Principal`);
    #: empty on events recorded before identity was proven.
    via: str = ""

    def __str__(self) -> str:
        return f"{self.member_id} ({self.role.value})"


SYSTEM_ACTOR = Actor(member_id="system", name="socmed scheduler", role=Role.SOCIAL_MEDIA_ADMIN)

"""Single sign-on: what an OpenID Connect identity is, as the domain sees it.

A company that already runs an identity provider (Google Workspace, Microsoft Entra ID,
Keycloak, ...) wants its staff to sign in to socmed with it. The provider proves an identity
(`issuer`, `subject`, and maybe an `email` it says it verified); the relying party that checks
the provider's ID token (signature, iss, aud, exp, nonce) is an adapter
(`socmed_adapters.identity.oidc`), and which member the identity is, is decided by
`app.identity.sign_in_sso` (socmed_domain.identity.service): the member linked to
(issuer, subject), else the one active member whose recorded work email is the provider's
*verified* email (then linked, audited). An unverified email, an unknown identity and a
deactivated member are refused.

Matching by email needs the provider to verify emails. For a provider that does not (or a
member without a work email), a Marketing Manager links the provider's subject to the member
explicitly (`app.sso.link_subject`): the same audited `SsoLinked` event of the member's access
record that the first email match records, refused when that subject is already linked to
another member (two members behind one identity would make the match ambiguous). This
module also holds the checks of issuers and subjects the relying party shares.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from attrs import frozen

from socmed_domain.errors import InvalidInputError, InvalidStateError
from socmed_domain.identity.access import MemberAccess, access_id
from socmed_domain.identity.principal import ActorRef, issuer_host
from socmed_domain.kernel import StageService
from socmed_domain.roles import Action, check_may

#: OpenID Connect: "sub" is at most 255 ASCII characters; the issuer is an https URL.
SUBJECT_LIMIT = 255
ISSUER_LIMIT = 500
ISSUER_RE = re.compile(r"^https?://[^/\s?#@]+(/[^\s?#]*)?$")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def check_issuer(issuer: str) -> str:
    """An issuer identifier as OpenID Connect defines it: an https URL without query or
    fragment (plain http only on the loopback, for a provider on this machine in tests).
    Compared exactly as given (OIDC Discovery 4.3), so it is not rewritten here."""
    if len(issuer) > ISSUER_LIMIT or not ISSUER_RE.fullmatch(issuer):
        raise InvalidInputError("error.sso_bad_issuer", value=issuer)
    host = issuer_host(issuer)
    hostname = host.split("]")[0] + "]" if host.startswith("[") else host.split(":")[0]
    if issuer.startswith("http://") and hostname not in LOOPBACK_HOSTS:
        raise InvalidInputError("error.sso_bad_issuer", value=issuer)
    return issuer


def check_subject(subject: str) -> str:
    """A provider's subject identifier: 1 to 255 printable characters."""
    if not subject or len(subject) > SUBJECT_LIMIT or not subject.isprintable():
        raise InvalidInputError("error.sso_bad_subject", value=subject)
    return subject


@frozen
class SubjectLink:
    """A provider identity (issuer, subject) linked to a member."""

    member_id: str
    issuer: str
    subject: str


class SingleSignOnService(StageService):
    """`app.sso`: the Marketing Manager's explicit links of provider subjects to members
    (matching itself is `app.identity.sign_in_sso`)."""

    def link_subject(self, actor_id: ActorRef, member_id: str, issuer: str,
                     subject: str) -> None:
        """Link the provider's subject (the ID token's ``sub`` at `issuer`) to a member, who
        then signs in with it whatever email the provider states. Replaces the member's
        earlier link at that issuer; refused when another member holds this subject."""
        actor = self.actor(actor_id, action=Action.MANAGE_TEAM)
        check_may(actor.member_id, actor.role, Action.MANAGE_TEAM)
        team = self.kernel.team_read()
        team.member(member_id)  # an unknown member is refused
        check_issuer(issuer)
        check_subject(subject)
        holder = next((link.member_id for link in self._links(team.members)
                       if link.issuer == issuer and link.subject == subject), None)
        if holder is not None and holder != member_id:
            raise InvalidStateError("error.sso_subject_taken", subject=subject, member=holder)

        def load() -> MemberAccess:
            found = self._find(MemberAccess, access_id(member_id))
            return found if found is not None else MemberAccess.open(member_id, actor,
                                                                     self._now())

        def decide(access: MemberAccess) -> None:
            if access.sso_links.get(issuer) != subject:
                access.link_sso(actor, issuer, subject, self._now())

        self._retrying(load, decide, "access", member_id)

    def links(self, actor_id: ActorRef) -> tuple[SubjectLink, ...]:
        """Every linked provider identity, by member (a Marketing Manager's reading)."""
        reader = self.actor(actor_id, reading=True)
        check_may(reader.member_id, reader.role, Action.MANAGE_TEAM)
        return self._links(self.kernel.team_read().members)

    def _links(self, member_ids: Iterable[str]) -> tuple[SubjectLink, ...]:
        accesses = self._find_many(MemberAccess, [access_id(m) for m in member_ids])
        return tuple(sorted(
            (SubjectLink(access.member_id, issuer, subject)
             for access in accesses.values() for issuer, subject in access.sso_links.items()),
            key=lambda link: (link.member_id, link.issuer)))

"""Which events were caused through a credential that no recorded event explains.

The credential tables are outside the audit chain, so a database writer can add a session or
a token row for a secret of their choosing and act through the server as any member
(docs/security.md, "What a database writer can and cannot forge"). What they cannot do is
make the log explain it: socmed records a `SignedIn` event (with the session's public prefix)
for every session it opens, a `TokenCreated` for every token, a `TokenRevoked` when one is
revoked, and an `SsoLinked` before single sign-on acts for a member. So every event whose
`via` is ``session:<prefix>``, ``token:<id>`` or ``sso:<host>`` must follow such an event of
the same member; one that does not was caused through a credential made outside socmed.
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

from socmed_domain.identity.principal import issuer_host
from socmed_domain.views import AuditEntry

#: The event types that explain a credential, and the via kinds they explain.
EXPLAINING_TYPES = ("SignedIn", "TokenCreated", "TokenRevoked", "SsoLinked")
CHECKED_KINDS = ("session", "token", "sso")


@frozen
class Unexplained:
    """An event caused through a credential the log does not explain, and why."""

    entry: AuditEntry
    #: "no_sign_in" (no SignedIn of this session by this member before it), "no_token"
    #: (no TokenCreated of this token for this member before it), "revoked_token" (used
    #: after its TokenRevoked), "no_sso_link" (no SsoLinked of this host for this member).
    reason: str


def unexplained(entries: Iterable[AuditEntry]) -> list[Unexplained]:
    """The entries (in log order; at least every explaining event and every event acting
    through a checked kind) whose `via` no earlier event of the same member explains."""
    sessions: set[tuple[str, str]] = set()
    tokens: dict[str, str] = {}
    revoked: set[str] = set()
    links: set[tuple[str, str]] = set()
    found: list[Unexplained] = []
    for entry in sorted(entries, key=lambda e: e.position):
        kind, _, ref = entry.via.partition(":")
        reason = ""
        if kind == "session" and (entry.actor_id, ref) not in sessions:
            reason = "no_sign_in"
        elif kind == "token":
            if tokens.get(ref) != entry.actor_id:
                reason = "no_token"
            elif ref in revoked:
                reason = "revoked_token"
        elif kind == "sso" and (entry.actor_id, ref) not in links:
            reason = "no_sso_link"
        if reason:
            found.append(Unexplained(entry, reason))
        if entry.aggregate != "MemberAccess":
            continue
        if entry.event_type == "SignedIn":
            sessions.add((entry.actor_id, str(entry.params.get("session", ""))))
        elif entry.event_type == "TokenCreated":
            tokens[str(entry.params.get("token", ""))] = entry.actor_id
        elif entry.event_type == "TokenRevoked":
            revoked.add(str(entry.params.get("token", "")))
        elif entry.event_type == "SsoLinked":
            links.add((entry.actor_id, issuer_host(str(entry.params.get("issuer", "")))))
    return found

"""The audit queries (`app.audit`): the whole event log as audit entries, filtered.

Reading the log is a right of its own (READ_AUDIT_LOG). The CLI's `audit log` reads the audit
index read model instead; this scan serves tests and the in-memory store.
"""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from socmed_domain.actor import Actor
from socmed_domain.identity.principal import ActorRef
from socmed_domain.identity.provenance import Unexplained, unexplained
from socmed_domain.kernel import Kernel, StageService, audit_entry
from socmed_domain.production.service import ContentService
from socmed_domain.roles import Action, check_may
from socmed_domain.timezones import require_aware
from socmed_domain.views import AuditEntry


class AuditService(StageService):
    """Who did what, when and why, from the event log."""

    def __init__(self, kernel: Kernel, content: ContentService) -> None:
        super().__init__(kernel)
        self.content = content

    def checkpoint_signer(self, actor_id: ActorRef) -> Actor:
        """The member about to sign a checkpoint of the audit chain (an operation on the
        store, which records no event of its own), refused unless the role matrix lets
        their role (a read-only principal is refused too: a checkpoint is written)."""
        actor = self.actor(actor_id)
        check_may(actor.member_id, actor.role, Action.OPERATE_STORE)
        return actor

    def log(self, actor_id: ActorRef, *, item: str | UUID | None = None,
            member: str | None = None, event_type: str | None = None,
            since: datetime | None = None,
            until: datetime | None = None, via: str | None = None) -> tuple[AuditEntry, ...]:
        """Every recorded event matching the filters, in the order it was stored; `via`
        is a kind (``session``, ``sso``, ``token``, ``local-cli``, ``library``, ``auth``)."""
        reader = self.actor(actor_id, reading=True)
        check_may(reader.member_id, reader.role, Action.READ_AUDIT_LOG)
        item_id = self.content.resolve(item) if item is not None else None
        wanted_type = event_type.lower() if event_type else None
        entries = []
        for notification in self._notifications():
            if item_id is not None and notification.originator_id != item_id:
                continue
            event = self.mapper.to_domain_event(notification)
            entry = audit_entry(notification.id, event)
            if member is not None and entry.actor_id != member:
                continue
            if wanted_type is not None and entry.event_type.lower() != wanted_type:
                continue
            if via is not None and entry.via_kind != via:
                continue
            if since is not None and entry.at < require_aware(since):
                continue
            if until is not None and entry.at >= require_aware(until):
                continue
            entries.append(entry)
        return tuple(entries)

    def unexplained_vias(self, actor_id: ActorRef) -> tuple[Unexplained, ...]:
        """Events caused through a session, token or single sign-on that no recorded
        sign-in, token creation or link explains (identity.provenance): credentials made
        in the database, outside socmed."""
        return tuple(unexplained(self.log(actor_id)))

    def event_count(self) -> int:
        return self.kernel.event_count()

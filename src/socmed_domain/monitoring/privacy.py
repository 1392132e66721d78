"""Erasure of an audience member's personal data (UU PDP Pasal 8 and 16: the right to have
personal data deleted), by crypto-shredding.

The erasure is itself an event, so the audit log shows who erased, when and why; it names
only the destroyed key's opaque id, never the person. Stored events are not edited (they
cannot be: the audit chain seals them); destroying the key makes every sealed value of that
person unreadable in events and read models alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError
from socmed_domain.events import AuditedEvent
from socmed_domain.roles import Action, check_may
from socmed_domain.timezones import require_aware

REASON_LIMIT = 1000


class Erasure(Aggregate):
    """One erasure request carried out."""

    def __init__(self) -> None:
        self.key_id = ""
        self.reason = ""

    class PersonalDataErased(AuditedEvent, Aggregate.Created):
        key_id: str
        reason: str
        conversations: int

        def apply(self, erasure: Erasure) -> None:
            erasure.key_id, erasure.reason = self.key_id, self.reason

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.PersonalDataErased", {"key": self.key_id[:8],
                                                 "conversations": self.conversations})

    @classmethod
    def record(cls, actor: Actor, erasure_id: UUID, key_id: str, reason: str,
               conversations: int, at: datetime) -> Erasure:
        check_may(actor.member_id, actor.role, Action.ERASE_PERSONAL_DATA)
        reason = reason.strip()
        if not reason:
            raise InvalidInputError("error.empty", field="reason")
        if len(reason) > REASON_LIMIT:
            raise InvalidInputError("error.too_long", field="reason", length=len(reason),
                                    limit=REASON_LIMIT)
        return cls._create(cls.PersonalDataErased, id=erasure_id, timestamp=require_aware(at),
                           actor=actor, key_id=key_id, reason=reason,
                           conversations=conversations)

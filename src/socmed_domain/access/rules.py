"""Object-level access: what a member may read, and the client's expected version of a write.

The role matrix says what each role may *do*. Reading needs rules too once members reach the
store over a network instead of sitting at its console: an agency sees the content and the
campaigns it is assigned to and nothing of the rest of the company; audience personal data
(handles, names, message texts) is shown only to the roles that answer, triage or erase it.
Entry points ask these functions (through the services); none decides on its own.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from attrs import define

from socmed_domain.actor import Actor
from socmed_domain.errors import PermissionDeniedError, SocmedError
from socmed_domain.i18n import Term
from socmed_domain.roles import Role


class Readable(enum.Enum):
    """A read model a member may or may not read (the value names it inside messages)."""

    CONTENT = "content"
    CAMPAIGNS = "campaign"
    CALENDAR = "the calendar"
    STRATEGY = "the strategy"
    PUBLICATION_LOG = "the publication log"
    AUDIT_LOG = "the audit log"
    INBOX = "the inbox"
    INCIDENTS = "incidents"
    REPORTS = "reports"
    METRICS = "metrics"
    TEAM = "the team"
    PROJECTIONS = "projections"


ALL_ROLES = frozenset(Role)
STAFF = ALL_ROLES - {Role.AGENCY}

#: Who may read what. An agency reads content, campaigns and the calendar, each narrowed to
#: the campaigns it is assigned to, and the strategy (its brand voice is what it writes to).
READ_MATRIX: dict[Readable, frozenset[Role]] = {
    Readable.CONTENT: ALL_ROLES,
    Readable.CAMPAIGNS: ALL_ROLES,
    Readable.CALENDAR: ALL_ROLES,
    Readable.STRATEGY: ALL_ROLES,
    Readable.PUBLICATION_LOG: STAFF,
    Readable.AUDIT_LOG: frozenset({Role.MARKETING_MANAGER, Role.LEGAL}),
    Readable.INBOX: STAFF,
    Readable.INCIDENTS: STAFF,
    Readable.REPORTS: STAFF,
    Readable.METRICS: STAFF,
    Readable.TEAM: ALL_ROLES,
    Readable.PROJECTIONS: STAFF,
}

#: The roles whose work needs audience personal data in clear: the admin answers, the digital
#: team triages, Legal erases. The Marketing Manager approves held replies (our text, not the
#: audience's) and reads reports (counts), so sees pseudonyms; an agency sees no inbox at all.
PERSONAL_DATA_ROLES = frozenset({Role.SOCIAL_MEDIA_ADMIN, Role.DIGITAL_MARKETING, Role.LEGAL})


def check_may_read(actor: Actor, what: Readable) -> None:
    """Refuse a member whose role may not read `what`."""
    if actor.role not in READ_MATRIX[what]:
        raise PermissionDeniedError("error.not_visible", actor=actor.member_id,
                                    role=actor.role.value, what=Term(what.value))


def sees_personal_data(actor: Actor) -> bool:
    """Whether audience handles, names and texts are shown to `actor` in clear."""
    return actor.role in PERSONAL_DATA_ROLES


def is_agency(actor: Actor) -> bool:
    return actor.role is Role.AGENCY


# ------------------------------------------------------------ expected versions

class StaleVersionError(SocmedError):
    """The client decided on a version of the record that is no longer the current one
    (HTTP 412): nothing was written; read again and decide again."""

    code = "error.stale_version"

    @property
    def current(self) -> int:
        return int(self.params["current"])


@define
class _Expectation:
    version: int
    aggregate_id: Any = None  # the first aggregate a command loads is the one expected


_EXPECTED: ContextVar[_Expectation | None] = ContextVar("socmed_expected_version",
                                                        default=None)


@contextmanager
def expecting_version(version: int | None) -> Iterator[None]:
    """Within the block, the first aggregate a command loads must be at `version`, else the
    command raises StaleVersionError before deciding anything (checked again on every
    conflict retry, so a write racing in between is caught too). `None` expects nothing."""
    token = _EXPECTED.set(None if version is None else _Expectation(version))
    try:
        yield
    finally:
        _EXPECTED.reset(token)


def check_expected_version(aggregate: Any, kind: str, ref: str) -> None:
    """Called by the kernel after loading an aggregate for a command."""
    expected = _EXPECTED.get()
    if expected is None:
        return
    if expected.aggregate_id is None:
        expected.aggregate_id = aggregate.id
    elif expected.aggregate_id != aggregate.id:
        return
    if aggregate.version != expected.version:
        raise StaleVersionError(kind=Term(kind), ref=ref, expected=expected.version,
                                current=aggregate.version)

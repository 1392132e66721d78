"""Notification kinds and the rules that say who receives each, as data.

A rule names a kind and its recipients by role (every active member holding it) and by
relation to the thing notified (the author, the approver, the assignee, the member who must
acknowledge an escalation), with the lead times of the time-driven kinds: hours before a
slot, minutes before an SLA runs out, hours into the UU PDP clock. Which event or clock
raises which kind is the domain's knowledge (`decide`); whom it reaches is the company's.

The SOP defaults are `default_rules.toml` beside this module, read through the one cattrs
converter (`load_rules`), so a company's configuration file can replace them with the same
shape (`[[rules]]` tables).
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping
from typing import Any

from attrs import field, frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.roles import Role


class NotificationKind(enum.Enum):
    """What a member can be told (each can have its own channels and digest or immediate)."""

    AWAITING_REVIEW = "awaiting_review"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVAL_VOIDED = "approval_voided"
    SLOT_UNAPPROVED = "slot_unapproved"
    SLOT_EXPIRED = "slot_expired"
    OUTCOME_UNKNOWN = "outcome_unknown"
    PUBLICATION_FAILED = "publication_failed"
    AWAITING_LEGAL = "awaiting_legal"
    SLA_DUE_SOON = "sla_due_soon"
    SLA_BREACHED = "sla_breached"
    SPIKE_ALERT = "spike_alert"
    INCIDENT_OPENED = "incident_opened"
    INCIDENT_ESCALATED = "incident_escalated"
    ACKNOWLEDGEMENT_AWAITED = "acknowledgement_awaited"
    PDP_CLOCK = "pdp_clock"
    STRATEGY_AWAITS_APPROVAL = "strategy_awaits_approval"
    CAMPAIGN_AWAITS_APPROVAL = "campaign_awaits_approval"


class Relation(enum.Enum):
    """A recipient named by their part in what is notified, not by role."""

    AUTHOR = "author"  # the item's creator and its current revision's author; a plan's author
    APPROVER = "approver"  # who approved (for a voided approval: who had approved)
    ASSIGNEE = "assignee"  # the conversation's assignee
    ACKNOWLEDGER = "acknowledger"  # the role that must acknowledge an escalation


#: The kinds decided by the clock (`decide.scan`) rather than by an event.
TIMED_KINDS = frozenset({NotificationKind.SLOT_UNAPPROVED, NotificationKind.SLA_DUE_SOON,
                         NotificationKind.PDP_CLOCK})


def _tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(value)


@frozen
class NotificationRule:
    """Who is told of `kind`: members with any of `roles`, and those in `relations`.

    `lead_hours` are the thresholds of the timed kinds (hours before a slot for
    slot_unapproved; hours since the breach became known for pdp_clock); `within_minutes`
    is how long before an SLA runs out sla_due_soon fires. A disabled rule tells no one."""

    kind: NotificationKind
    roles: tuple[Role, ...] = field(default=(), converter=_tuple)
    relations: tuple[Relation, ...] = field(default=(), converter=_tuple)
    lead_hours: tuple[float, ...] = field(default=(), converter=_tuple)
    within_minutes: int = 0
    enabled: bool = True

    def __attrs_post_init__(self) -> None:
        if any(h <= 0 or h > 24 * 30 for h in self.lead_hours):
            raise InvalidInputError("error.notify_rule_hours", kind=self.kind.value)
        if not 0 <= self.within_minutes <= 24 * 60:
            raise InvalidInputError("error.notify_rule_minutes", kind=self.kind.value)


@frozen
class NotificationRules:
    """One rule per kind (a kind without a rule tells no one)."""

    rules: tuple[NotificationRule, ...] = field(converter=_tuple)

    def __attrs_post_init__(self) -> None:
        kinds = [r.kind for r in self.rules]
        doubled = sorted({k.value for k in kinds if kinds.count(k) > 1})
        if doubled:
            raise InvalidInputError("error.notify_rule_twice", kinds=", ".join(doubled))

    def for_kind(self, kind: NotificationKind) -> NotificationRule | None:
        for rule in self.rules:
            if rule.kind is kind and rule.enabled:
                return rule
        return None


def rules_from_data(data: Mapping[str, Any]) -> NotificationRules:
    """Rules from parsed TOML/JSON (``{"rules": [{"kind": ..., "roles": [...]}, ...]}``),
    through the one converter; a wrong value is InvalidInputError naming what is allowed."""
    from socmed_domain.transcoding import converter

    try:
        return converter.structure(dict(data), NotificationRules)
    except InvalidInputError:
        raise
    except Exception as error:  # cattrs' ClassValidationError and the enums' ValueError
        raise InvalidInputError("error.notify_rules", detail=_first_cause(error),
                                kinds=", ".join(k.value for k in NotificationKind),
                                roles=", ".join(r.value for r in Role),
                                relations=", ".join(r.value for r in Relation)) from None


def _first_cause(error: BaseException) -> str:
    nested = getattr(error, "exceptions", None)
    if nested:
        return _first_cause(nested[0])
    note = "; ".join(getattr(error, "__notes__", []) or [])
    return f"{error} ({note})" if note else str(error)


def load_rules(text: str) -> NotificationRules:
    """Rules from a TOML text (the shape of `default_rules.toml`)."""
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError("error.notify_rules", detail=str(error),
                                kinds="", roles="", relations="") from None
    return rules_from_data(data)


@functools.cache
def default_notification_rules() -> NotificationRules:
    """The SOP's defaults, read from `default_rules.toml` once."""
    from importlib import resources

    text = resources.files(__package__).joinpath("default_rules.toml").read_text(
        encoding="utf-8")
    return load_rules(text)


def __getattr__(name: str) -> NotificationRules:
    """`DEFAULT_NOTIFICATION_RULES`, the SOP's defaults (SOP-0042 stages 1-6): what a store
    notifies until configured. Read from `default_rules.toml` on first use, so importing the
    domain (every CLI start, `--help` included) parses no file."""
    if name == "DEFAULT_NOTIFICATION_RULES":
        return default_notification_rules()
    raise AttributeError(name)

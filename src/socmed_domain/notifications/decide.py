"""The decision: which notifications an event, or the clock, calls for.

`decide` is a pure function of one event, the state of its aggregate after it (and, for an
edit, the approval the edit voided), the rules, the team and the members' contacts. `scan`
is the clock's counterpart: scheduled items still unapproved before their slot, SLAs about to
run out, the UU PDP clock with notices missing. Each result carries a dedupe key, the hash
of the rule's kind, what it answers (the event's aggregate id and version, or for the clock
the thing, its deadline and the threshold crossed), the recipient and the channel: the same
input always gives the same keys, so a notification decided twice is stored once and a
receiver can tell a repeated delivery.

Nobody is told of what they did themselves, except of the outcomes a sweep they ran recorded
(`OUTCOMES`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from attrs import frozen

from socmed_domain.crisis.incident import ACKNOWLEDGED_BY, Incident, IncidentStatus
from socmed_domain.monitoring.alerts import MonitoringAlert
from socmed_domain.monitoring.conversation import Conversation, SlaClock
from socmed_domain.monitoring.sla import (
    DEFAULT_CALENDAR,
    DEFAULT_POLICY,
    BusinessCalendar,
    SlaPolicy,
    SlaStatus,
)
from socmed_domain.notifications.contacts import Channel, DeliveryMode, MemberContacts
from socmed_domain.notifications.rules import (
    NotificationKind,
    NotificationRules,
    Relation,
)
from socmed_domain.planning.campaign import Campaign
from socmed_domain.planning.strategy import Strategy
from socmed_domain.production.content_item import EXPIRABLE, Approval, ContentItem
from socmed_domain.roles import Role
from socmed_domain.team import Member

K = NotificationKind
#: Kinds that report what happened to something (a platform's answer, a clock that ran out,
#: a spike) rather than what a member did: the member who ran the sweep that recorded it is
#: told too (an admin's scheduled `publish due` must not hide its own failures from them).
OUTCOMES = frozenset({K.SLOT_EXPIRED, K.OUTCOME_UNKNOWN, K.PUBLICATION_FAILED,
                      K.SLA_BREACHED, K.SPIKE_ALERT})


@frozen
class Notification:
    """One notification to send: to one member, through one of their channels."""

    dedupe_key: str
    kind: NotificationKind
    recipient: str
    channel: Channel
    mode: DeliveryMode
    answers: str  # the event ("<aggregate id>:<version>") or the clock ("...:<threshold>")
    subject: str  # what it is about, e.g. "content 1a2b3c4d"
    params: tuple[tuple[str, str], ...] = ()

    @property
    def message_params(self) -> dict[str, str]:
        return dict(self.params)


def dedupe_key(kind: NotificationKind, answers: str, recipient: str, channel: str) -> str:
    text = "\x1f".join((kind.value, answers, recipient, channel))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@frozen
class Audience:
    """Who could be told: the team's members and their contacts."""

    members: Mapping[str, Member]
    contacts: Mapping[str, MemberContacts]


@frozen
class _Occasion:
    kind: NotificationKind
    answers: str
    subject: str
    related: Mapping[Relation, tuple[str, ...]]
    params: Mapping[str, Any]
    actor: str = ""


def event_ref(event: Any) -> str:
    return f"{event.originator_id}:{event.originator_version}"


def decide(event: Any, aggregate: Any, rules: NotificationRules, audience: Audience, *,
           voided: Approval | None = None) -> tuple[Notification, ...]:
    """The notifications `event` calls for; `aggregate` is its state after the event and
    `voided` the approval an edit (ContentItem.Revised) voided, if any."""
    occasions = list(_occasions(event, aggregate, voided))
    return tuple(n for o in occasions for n in _address(o, rules, audience))


def _item_authors(item: ContentItem) -> tuple[str, ...]:
    authors = [item.created_by]
    if item.current_revision is not None:
        authors.append(item.current_revision.author_id)
    return tuple(dict.fromkeys(a for a in authors if a))


def _occasions(event: Any, aggregate: Any, voided: Approval | None) -> Iterable[_Occasion]:
    actor = getattr(getattr(event, "actor", None), "member_id", "")
    ref = event_ref(event)

    def occasion(kind: NotificationKind, subject: str,
                 related: Mapping[Relation, Any] | None = None, /, **params: Any) -> _Occasion:
        return _Occasion(kind, ref, subject, related or {}, params,
                         "" if kind in OUTCOMES else actor)

    if isinstance(aggregate, ContentItem):
        item = aggregate
        subject = f"content {item.ref}"
        authors = {Relation.AUTHOR: _item_authors(item)}
        common = {"title": item.title, "ref": item.ref}
        if isinstance(event, ContentItem.SubmittedForReview):
            yield occasion(K.AWAITING_REVIEW, subject, authors, **common)
        elif isinstance(event, ContentItem.SubmittedForApproval):
            yield occasion(K.AWAITING_APPROVAL, subject, authors, **common)
        elif isinstance(event, ContentItem.Revised) and voided is not None:
            yield occasion(K.APPROVAL_VOIDED, subject,
                           {**authors, Relation.APPROVER: (voided.approver_id,)},
                           revision=str(voided.revision_number), by=actor, **common)
        elif isinstance(event, ContentItem.Expired):
            yield occasion(K.SLOT_EXPIRED, subject, authors,
                           at=event.scheduled_at.isoformat(), **common)
        elif isinstance(event, ContentItem.PublicationOutcomeUnknown):
            yield occasion(K.OUTCOME_UNKNOWN, subject, authors, platform=event.platform.value,
                           **common)
        elif isinstance(event, ContentItem.PublicationFailed):
            yield occasion(K.PUBLICATION_FAILED, subject, authors,
                           platform=event.platform.value, reason=event.reason[:200], **common)
    elif isinstance(aggregate, Incident):
        subject = f"incident {aggregate.ref}"
        common = {"title": aggregate.title, "ref": aggregate.ref}
        if isinstance(event, Incident.IncidentOpened):
            yield occasion(K.INCIDENT_OPENED, subject, category=event.category.value, **common)
        elif isinstance(event, Incident.IncidentEscalated):
            yield occasion(K.INCIDENT_ESCALATED, subject, target=event.target.value, **common)
            yield occasion(K.ACKNOWLEDGEMENT_AWAITED, subject,
                           {Relation.ACKNOWLEDGER: (f"@{ACKNOWLEDGED_BY[event.target].value}",)},
                           target=event.target.value, **common)
        elif isinstance(event, Incident.StatementLinked):
            yield occasion(K.AWAITING_LEGAL, subject, what="statement",
                           item=event.content_item_id[:8], **common)
    elif isinstance(aggregate, Conversation):
        subject = f"conversation {aggregate.ref}"
        assignee = {Relation.ASSIGNEE: (aggregate.assignee,) if aggregate.assignee else ()}
        common = {"title": aggregate.platform.value, "ref": aggregate.ref}
        if isinstance(event, Conversation.ReplyProposed):
            yield occasion(K.AWAITING_LEGAL, subject, assignee, what="reply",
                           item=aggregate.ref, **common)
        elif isinstance(event, Conversation.SlaBreached):
            yield occasion(K.SLA_BREACHED, subject, assignee, clock=event.clock.value,
                           due=event.due_at.isoformat(), **common)
    elif isinstance(aggregate, MonitoringAlert) and isinstance(
            event, MonitoringAlert.SpikeAlertRaised):
        yield occasion(K.SPIKE_ALERT, f"alert {event.alert_id}", title=event.alert_id,
                       ref=event.alert_id, count=str(event.figures.count))
    elif isinstance(aggregate, Strategy) and isinstance(event, Strategy.StrategySubmitted):
        yield occasion(K.STRATEGY_AWAITS_APPROVAL, "strategy",
                       title=str(event.version_number), ref=str(event.version_number))
    elif isinstance(aggregate, Campaign) and isinstance(
            event, Campaign.CampaignPlanned | Campaign.CampaignPlanRevised):
        yield occasion(K.CAMPAIGN_AWAITS_APPROVAL, f"campaign {aggregate.ref}",
                       {Relation.AUTHOR: (aggregate.planned_by,)},
                       title=aggregate.name, ref=aggregate.ref)


def _address(occasion: _Occasion, rules: NotificationRules,
             audience: Audience) -> Iterable[Notification]:
    rule = rules.for_kind(occasion.kind)
    if rule is None:
        return
    chosen: dict[str, None] = {}
    for member in sorted(audience.members.values(), key=lambda m: m.member_id):
        if member.active and member.role in rule.roles:
            chosen[member.member_id] = None
    for relation in rule.relations:
        for who in occasion.related.get(relation, ()):
            if who.startswith("@"):  # a role named by the relation (the acknowledger)
                role = Role(who[1:])
                chosen.update({m.member_id: None for m in audience.members.values()
                               if m.active and m.role is role})
            elif who in audience.members and audience.members[who].active:
                chosen[who] = None
    chosen.pop(occasion.actor, None)
    params = tuple(sorted((k, str(v)) for k, v in occasion.params.items()))
    for recipient in sorted(chosen):
        contacts = audience.contacts.get(recipient)
        if contacts is None:
            continue
        for channel, mode in contacts.routes(occasion.kind):
            yield Notification(
                dedupe_key(occasion.kind, occasion.answers, recipient, channel.name),
                occasion.kind, recipient, channel, mode, occasion.answers, occasion.subject,
                params)


# ------------------------------------------------------------------ the clock


def scan(now: datetime, rules: NotificationRules, audience: Audience, *,
         items: Iterable[ContentItem] = (), conversations: Iterable[Conversation] = (),
         incidents: Iterable[Incident] = (), sla_policy: SlaPolicy = DEFAULT_POLICY,
         calendar: BusinessCalendar = DEFAULT_CALENDAR) -> tuple[Notification, ...]:
    """What the clock calls for at `now`. Each threshold has its own dedupe key, so a scan
    repeated every minute tells each recipient once per threshold; of the thresholds already
    crossed only the latest fires (a store that starts 1 h before a slot says '2 h', not also
    '24 h')."""
    found: list[Notification] = []
    for occasion in _timed(now, rules, items, conversations, incidents, sla_policy, calendar):
        found.extend(_address(occasion, rules, audience))
    return tuple(found)


def _timed(now: datetime, rules: NotificationRules, items: Iterable[ContentItem],
           conversations: Iterable[Conversation], incidents: Iterable[Incident],
           sla_policy: SlaPolicy, calendar: BusinessCalendar) -> Iterable[_Occasion]:
    slot_rule = rules.for_kind(K.SLOT_UNAPPROVED)
    if slot_rule is not None and slot_rule.lead_hours:
        for item in items:
            if item.slot is None or item.status not in EXPIRABLE or now >= item.slot.at:
                continue
            crossed = [h for h in slot_rule.lead_hours
                       if now >= item.slot.at - timedelta(hours=h)]
            if crossed:
                hours = min(crossed)
                yield _Occasion(
                    K.SLOT_UNAPPROVED, f"{item.id}:slot:{item.slot.at.isoformat()}:{hours:g}h",
                    f"content {item.ref}", {Relation.AUTHOR: _item_authors(item)},
                    {"title": item.title, "ref": item.ref, "hours": f"{hours:g}",
                     "at": item.slot.at.isoformat()})
    sla_rule = rules.for_kind(K.SLA_DUE_SOON)
    if sla_rule is not None and sla_rule.within_minutes:
        window = timedelta(minutes=sla_rule.within_minutes)
        for conversation in conversations:
            if not conversation.is_open or conversation.first_received_at is None:
                continue
            check = conversation.sla(now, sla_policy, calendar)[SlaClock.FIRST_RESPONSE]
            if check.status in (SlaStatus.MET, SlaStatus.BREACHED):
                continue
            if check.due_at - now <= window:
                yield _Occasion(
                    K.SLA_DUE_SOON,
                    f"{conversation.id}:sla:{check.due_at.isoformat()}:"
                    f"{sla_rule.within_minutes}m",
                    f"conversation {conversation.ref}",
                    {Relation.ASSIGNEE: (conversation.assignee,) if conversation.assignee
                     else ()},
                    {"title": conversation.platform.value, "ref": conversation.ref,
                     "minutes": str(sla_rule.within_minutes), "due": check.due_at.isoformat()})
    pdp_rule = rules.for_kind(K.PDP_CLOCK)
    if pdp_rule is not None and pdp_rule.lead_hours:
        for incident in incidents:
            known = incident.breach_known_at
            missing = incident.pdp_notices_missing
            if known is None or not missing or incident.status is not IncidentStatus.OPEN:
                continue
            crossed = [h for h in pdp_rule.lead_hours if now >= known + timedelta(hours=h)]
            if crossed:
                hours = max(crossed)
                yield _Occasion(
                    K.PDP_CLOCK, f"{incident.id}:pdp:{known.isoformat()}:{hours:g}h",
                    f"incident {incident.ref}", {},
                    {"title": incident.title, "ref": incident.ref, "hours": f"{hours:g}",
                     "missing": ", ".join(r.value for r in missing),
                     "due": (incident.pdp_notice_due or known).isoformat()})

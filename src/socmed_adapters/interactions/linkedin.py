"""LinkedIn (Community Management API, versioned /rest/): comments on our posts and mentions
of our organization, and replies to them. LinkedIn has no messaging API for organizations,
so direct messages are not read (`kinds`) and a `dm:` thread cannot be answered.

Read (r_organization_social / r_organization_social_feed; every request with
`LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`, URNs URL-encoded):
- GET /rest/socialActions/{post urn}/comments?start=&count=: the top-level comments of each
  post in `posts`, paged by start/count until a short page; then, for each comment with
  replies, GET /rest/socialActions/{comment urn}/comments (LinkedIn nests one level only).
  message_id is the comment URN, thread_id the top-level comment's URN, post_id the post URN.
- GET /rest/organizationalEntityNotifications?q=criteria&organizationalEntity={org}
  &actions=List(SHARE_MENTION,COMMENT_MENTION)&timeRange=(start:..,end:..): mentions of the
  organization; the mentioning share or comment URN is both message_id and thread_id, the
  text comes from `decoratedGeneratedActivity` (`share` or `comment`, as webhook deliveries
  decorate it), or from GET /rest/posts/{urn} for an undecorated share.

Comments by our organization are skipped. The author is the actor URN (LinkedIn gives no
public handle to this API).

Reply (w_organization_social): POST /rest/socialActions/{target}/comments with `actor` (our
organization), `object` (the post or activity), `message.text` and, under a comment,
`parentComment` (the top-level comment: LinkedIn flattens deeper replies). A reply whose
answer is lost is looked for among the target's comments before anything is sent again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any
from urllib.parse import quote, unquote

from socmed_adapters.interactions.client import InteractionClient, dm_recipient
from socmed_adapters.platforms.base import (
    Deadline,
    json_body,
    parse_time,
    same_text,
)
from socmed_adapters.platforms.linkedin import LinkedInPublisher, unescape_little_text
from socmed_domain.evaluation.sources import PostRef
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.monitoring.replies import OutboundReply
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import PostReceipt
from socmed_domain.publication.ports import PublishError

PAGE = 50
MENTIONS = "List(SHARE_MENTION,COMMENT_MENTION)"
#: LinkedIn keeps organization notifications for 60 days.
NOTIFICATION_WINDOW = timedelta(days=60)
PROBE_MARGIN = timedelta(minutes=10)
COMMENT_URN = re.compile(r"^urn:li:comment:\((urn:li:[A-Za-z]+:[^,]+),([^)]+)\)$")
POST_PREFIXES = ("urn:li:share:", "urn:li:ugcPost:", "urn:li:activity:")


def encoded(urn: str) -> str:
    return quote(urn, safe="")


def comment_object(urn: str) -> str:
    """The post or activity a comment URN names: urn:li:comment:(<object>,<id>)."""
    match = COMMENT_URN.match(urn)
    return match.group(1) if match else ""


def _epoch_ms(value: Any) -> float | None:
    return value / 1000 if isinstance(value, int | float) else None


def _text(element: Mapping[str, Any]) -> str:
    """A comment's `message.text` (plain text: mentions are attributes), or a decorated
    activity's `text`."""
    message = element.get("message")
    text = message.get("text") if isinstance(message, Mapping) else message
    return str(text or element.get("text") or "")


def full_urn(value: Any) -> str:
    """A comment URN in full: notifications sometimes name the object without 'urn:li:'
    ('urn:li:comment:(activity:1,2)'), as `webhook_payloads.linkedin_urn` also reads it."""
    urn = str(value or "").strip()
    for short in ("activity:", "share:", "ugcPost:"):
        urn = urn.replace(f"({short}", f"(urn:li:{short}")
    return urn


class LinkedInInteractions(InteractionClient):
    platform = Platform.LINKEDIN
    publisher_class = LinkedInPublisher
    kinds = frozenset({InteractionKind.COMMENT, InteractionKind.MENTION})

    @property
    def organization(self) -> str:
        return self.credentials.account_id

    # ------------------------------------------------------------------ read

    def read(self, since: datetime, posts: Sequence[PostRef]) -> Iterator[InboundInteraction]:
        for post in posts:
            if post.post_id.startswith(POST_PREFIXES):
                yield from self._comments_on(post.post_id, since)
        if self.organization.startswith("urn:li:organization:"):
            yield from self._mentions(since)

    def _comments(self, target: str) -> Iterator[dict[str, Any]]:
        start = 0
        while True:
            answer = self.get(f"/rest/socialActions/{encoded(target)}/comments",
                              start=start, count=PAGE)
            elements = answer.get("elements") or []
            yield from elements
            if len(elements) < PAGE:
                return
            start += PAGE

    def _comments_on(self, post: str, since: datetime) -> Iterator[InboundInteraction]:
        for comment in self._comments(post):
            urn = self._urn(comment, post)
            found = self._comment(comment, urn, urn, post, since)
            if found is not None:
                yield found
            summary = comment.get("commentsSummary") or {}
            if summary.get("aggregatedTotalComments", 1):
                for reply in self._comments(urn):
                    found = self._comment(reply, self._urn(reply, post), urn, post, since)
                    if found is not None:
                        yield found

    @staticmethod
    def _urn(comment: Mapping[str, Any], post: str) -> str:
        urn = comment.get("commentUrn") or comment.get("$URN")
        if urn:
            return str(urn)
        target = str(comment.get("object") or post)
        return f"urn:li:comment:({target},{comment['id']})"

    def _comment(self, comment: Mapping[str, Any], urn: str, thread: str, post: str,
                 since: datetime) -> InboundInteraction | None:
        actor = str(comment.get("actor") or "")
        created = parse_time(_epoch_ms((comment.get("created") or {}).get("time")),
                             self.clock())
        text = _text(comment)
        if actor == self.organization or not text or created < since:
            return None
        return InboundInteraction(self.platform, InteractionKind.COMMENT, urn, actor, text,
                                  created, thread_id=thread, post_id=post)

    def _mentions(self, since: datetime) -> Iterator[InboundInteraction]:
        now = self.clock()
        start_ms = int(max(since, now - NOTIFICATION_WINDOW).timestamp() * 1000)
        query = (f"q=criteria&organizationalEntity={encoded(self.organization)}"
                 f"&actions={MENTIONS}"
                 f"&timeRange=(start:{start_ms},end:{int(now.timestamp() * 1000)})")
        start = 0
        while True:
            answer = self.get(f"/rest/organizationalEntityNotifications?{query}"
                              f"&start={start}&count={PAGE}")
            elements = answer.get("elements") or []
            for element in elements:
                found = self._mention(element)
                if found is not None:
                    yield found
            if len(elements) < PAGE:
                return
            start += PAGE

    def _mention(self, element: Mapping[str, Any]) -> InboundInteraction | None:
        decorated = element.get("decoratedGeneratedActivity") or {}
        activity = decorated.get("share") or decorated.get("comment") or {}
        urn = full_urn(activity.get("entity") or element.get("generatedActivity")
                       or element.get("sourcePost"))
        author, text = str(activity.get("owner") or ""), _text(activity)
        if not text and urn.startswith(("urn:li:share:", "urn:li:ugcPost:")):
            post = self.get_one(f"/rest/posts/{encoded(urn)}") or {}
            author = str(post.get("author") or author)
            text = unescape_little_text(str(post.get("commentary") or ""))
        if not urn or not text.strip() or not author or author == self.organization:
            return None
        when = parse_time(_epoch_ms(element.get("lastModifiedAt")), self.clock())
        return InboundInteraction(self.platform, InteractionKind.MENTION, urn, author, text,
                                  when, thread_id=urn)

    # ------------------------------------------------------------------ reply

    def post_reply(self, reply: OutboundReply, deadline: Deadline) -> str:
        if dm_recipient(reply.thread_id) is not None:
            raise PublishError("LinkedIn offers organizations no messaging API, so a direct "
                               "message cannot be answered from here: answer it on LinkedIn",
                               retryable=False)
        target = reply.thread_id or reply.in_reply_to
        parent = comment_object(target)
        body: dict[str, Any] = {"actor": self.organization, "object": parent or target,
                                "message": {"text": reply.text}}
        if parent:
            body["parentComment"] = target
        started = self.clock() - PROBE_MARGIN
        probe = partial(self._find_reply, target, reply.text, started, deadline)
        path = f"/rest/socialActions/{encoded(target)}/comments"

        def send() -> str:
            response = self.api.send("POST", path, deadline, creates=True, probe=probe,
                                     json=body, classify=self.classify)
            answer = json_body(response)
            urn = str(answer.get("commentUrn") or answer.get("$URN") or "")
            created = unquote(response.headers.get("x-restli-id", "")) or str(
                answer.get("id") or "")
            if not urn and created:
                urn = created if created.startswith("urn:") else \
                    f"urn:li:comment:({parent or target},{created})"
            if not urn:
                raise PublishError("LinkedIn accepted the comment without naming it; look in "
                                   "the thread before replying again", False)
            return urn

        return self.create_once(reply.idempotency_key, send, probe)

    def _find_reply(self, target: str, text: str, since: datetime,
                    deadline: Deadline) -> PostReceipt | None:
        start = 0
        while True:
            answer = json_body(self.api.send(
                "GET", f"/rest/socialActions/{encoded(target)}/comments", deadline,
                params={"start": start, "count": PAGE}, classify=self.classify))
            elements = answer.get("elements") or []
            for comment in elements:
                created = parse_time(_epoch_ms((comment.get("created") or {}).get("time")),
                                     self.clock())
                if (comment.get("actor") == self.organization and created >= since
                        and same_text(_text(comment), text)):
                    return PostReceipt(self._urn(comment, target), "", created)
            if len(elements) < PAGE:
                return None
            start += PAGE


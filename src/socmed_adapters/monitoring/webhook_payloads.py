"""The shapes of verified webhook payloads, read into `InboundInteraction`s.

- Meta (`object` "instagram" or "page"): `entry[].changes[]` with field `comments` (Instagram:
  `from.username`, `media.id`, `parent_id`), `mentions` (Instagram: only ids, no text: the
  Graph API must fetch those, so they are counted as `unread`), `feed` with `item` "comment"
  and `verb` "add" (Facebook: `from`, `post_id`, `comment_id`, `parent_id`, `message`,
  `created_time`) and `mention` (Facebook: `sender_id`, `sender_name`, `post_id`, `message`);
  and `entry[].messaging[]` (direct messages: `sender.id`, `message.mid`, `message.text`,
  `timestamp` in milliseconds; echoes of our own messages are skipped).
- X (Account Activity): `for_user_id`, `tweet_create_events[]` (v1.1 tweets: a reply to us is
  a comment, anything else a mention; our own tweets and retweets are skipped) and
  `direct_message_events[]` of type `message_create` with the `users` map for handles.
- TikTok: the documented envelope (`client_key`, `event`, `create_time`, `user_openid`,
  `content` as a JSON string); `comment.*` events carry `comment_id`, `video_id`,
  `parent_comment_id`, `text`, `create_time` and `user` (`username`, `display_name`) in
  `content`. Other events (authorization, video status) are skipped.

Anything else in a payload (likes, edits, deletions, other fields) is counted as skipped:
the inbox takes what the audience says to us, nothing more.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from attrs import define, field

from socmed_domain.bounds import TIME_CEILING, TIME_FLOOR, TIME_RANGE_TEXT, quote
from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.platforms import Platform

COMMENT, DM, MENTION = (InteractionKind.COMMENT, InteractionKind.DIRECT_MESSAGE,
                        InteractionKind.MENTION)
LABELS = {"meta": "Meta", "x": "X", "tiktok": "TikTok", "linkedin": "LinkedIn"}


@define
class WebhookBatch:
    """What one delivery holds: interactions, and counts of what the inbox does not take."""

    interactions: list[InboundInteraction] = field(factory=list)
    skipped: int = 0  # likes, edits, our own messages, other event types
    unread: int = 0  # mentions delivered as ids only (the API must fetch their text)
    #: Instagram @mentions as (media id, comment id) ids, for `InstagramInteractions.mentioned`
    mention_ids: list[tuple[str, str]] = field(factory=list)


def epoch(value: Any) -> datetime:
    """Unix seconds or milliseconds (Meta and X use both), as an aware UTC time."""
    number = float(value)
    if not math.isfinite(number):
        raise InvalidInputError("error.time_range", field="time", value=quote(value),
                                range=TIME_RANGE_TEXT)
    if number > 10**11:
        number /= 1000
    if not TIME_FLOOR.timestamp() <= number < TIME_CEILING.timestamp():
        raise InvalidInputError("error.time_range", field="time", value=quote(value),
                                range=TIME_RANGE_TEXT)
    return datetime.fromtimestamp(number, UTC)


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def parse_payload(family: str, payload: Mapping[str, Any]) -> WebhookBatch:
    parser: Callable[[Mapping[str, Any], WebhookBatch], None] = {
        "meta": _meta, "x": _x, "tiktok": _tiktok, "linkedin": _linkedin}[family]
    batch = WebhookBatch()
    try:
        parser(payload, batch)
        for item in batch.interactions:
            item.validate()
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError,
            OSError, RecursionError) as error:
        # A signed but malformed delivery is the sender's mistake (400), never ours (500):
        # platforms retry a 500 forever.
        raise InvalidInputError("error.webhook_payload", platform=LABELS[family],
                                detail=f"missing or malformed {error}") from None
    except SocmedError as error:
        raise InvalidInputError("error.webhook_payload", platform=LABELS[family],
                                detail=error.message("en")) from None
    return batch


# ------------------------------------------------------------------------- Meta

def _meta(payload: Mapping[str, Any], batch: WebhookBatch) -> None:
    platforms = {"instagram": Platform.INSTAGRAM, "page": Platform.FACEBOOK}
    if payload.get("object") not in platforms:
        raise ValueError(f"'object' {payload.get('object')!r} (instagram or page)")
    platform = platforms[payload["object"]]
    for entry in payload["entry"]:
        own = _s(entry.get("id"))
        when = epoch(entry["time"]) if entry.get("time") else None
        for change in entry.get("changes", ()):
            _meta_change(platform, own, when, change["field"], change["value"], batch)
        for event in entry.get("messaging", ()):
            _meta_message(platform, own, event, batch)


def _meta_change(platform: Platform, own: str, when: datetime | None, name: str,
                 value: Mapping[str, Any], batch: WebhookBatch) -> None:
    sender = value.get("from") or {}
    if _s(sender.get("id")) == own:  # our own reply, echoed
        batch.skipped += 1
    elif platform is Platform.INSTAGRAM and name == "comments":
        comment_id = _s(value["id"])
        batch.interactions.append(InboundInteraction(
            platform, COMMENT, comment_id, _s(sender["username"]), _s(value["text"]),
            _when(value, when), thread_id=_s(value.get("parent_id")) or comment_id,
            post_id=_s((value.get("media") or {}).get("id"))))
    elif platform is Platform.INSTAGRAM and name == "mentions":
        batch.unread += 1
        if value.get("media_id"):
            batch.mention_ids.append((_s(value["media_id"]), _s(value.get("comment_id"))))
    elif platform is Platform.FACEBOOK and name == "feed":
        _facebook_comment(value, sender, when, batch)
    elif platform is Platform.FACEBOOK and name == "mention" and value.get("message") \
            and value.get("verb", "add") == "add":
        message_id = _s(value.get("comment_id") or value["post_id"])
        batch.interactions.append(InboundInteraction(
            platform, MENTION, message_id, _s(value["sender_id"]), _s(value["message"]),
            _when(value, when), author_name=_s(value.get("sender_name")),
            thread_id=message_id))
    elif name in ("mention", "mentions"):
        batch.unread += 1
    else:
        batch.skipped += 1


def _facebook_comment(value: Mapping[str, Any], sender: Mapping[str, Any],
                      when: datetime | None, batch: WebhookBatch) -> None:
    if value.get("item") != "comment" or value.get("verb") != "add" or not value.get("message"):
        batch.skipped += 1
        return
    comment_id, post_id = _s(value["comment_id"]), _s(value["post_id"])
    parent = _s(value.get("parent_id"))
    batch.interactions.append(InboundInteraction(
        Platform.FACEBOOK, COMMENT, comment_id, _s(sender["id"]), _s(value["message"]),
        _when(value, when), author_name=_s(sender.get("name")),
        thread_id=parent if parent and parent != post_id else comment_id, post_id=post_id))


def _meta_message(platform: Platform, own: str, event: Mapping[str, Any],
                  batch: WebhookBatch) -> None:
    message = event.get("message") or {}
    sender = _s((event.get("sender") or {}).get("id"))
    if not message.get("text") or message.get("is_echo") or sender == own:
        batch.skipped += 1
        return
    batch.interactions.append(InboundInteraction(
        platform, DM, _s(message["mid"]), sender, _s(message["text"]),
        epoch(event["timestamp"]), thread_id=f"dm:{sender}"))


def _when(value: Mapping[str, Any], fallback: datetime | None) -> datetime:
    if value.get("created_time"):
        return epoch(value["created_time"])
    if fallback is None:
        raise ValueError("'time' of the entry")
    return fallback


# ---------------------------------------------------------------------------- X

def _x(payload: Mapping[str, Any], batch: WebhookBatch) -> None:
    own = _s(payload["for_user_id"])
    for tweet in payload.get("tweet_create_events", ()):
        _tweet(own, tweet, batch)
    users = payload.get("users") or {}
    for event in payload.get("direct_message_events", ()):
        create = event.get("message_create") or {}
        sender = _s(create.get("sender_id"))
        text = _s((create.get("message_data") or {}).get("text"))
        if event.get("type") != "message_create" or sender == own or not text:
            batch.skipped += 1
            continue
        user = users.get(sender) or {}
        batch.interactions.append(InboundInteraction(
            Platform.X, DM, _s(event["id"]), _s(user.get("screen_name")) or sender, text,
            epoch(event["created_timestamp"]), author_name=_s(user.get("name")),
            thread_id=f"dm:{sender}"))
    batch.skipped += sum(len(v) for k, v in payload.items()
                         if k.endswith("_events") and k not in (
                             "tweet_create_events", "direct_message_events")
                         and isinstance(v, list))


def _tweet(own: str, tweet: Mapping[str, Any], batch: WebhookBatch) -> None:
    user = tweet["user"]
    if _s(user["id_str"]) == own or "retweeted_status" in tweet:
        batch.skipped += 1
        return
    text = _s((tweet.get("extended_tweet") or {}).get("full_text") or tweet["text"])
    tweet_id = _s(tweet["id_str"])
    parent = _s(tweet.get("in_reply_to_status_id_str"))
    to_us = _s(tweet.get("in_reply_to_user_id_str")) == own and bool(parent)
    batch.interactions.append(InboundInteraction(
        Platform.X, COMMENT if to_us else MENTION, tweet_id, _s(user["screen_name"]), text,
        parsedate_to_datetime(tweet["created_at"]), author_name=_s(user.get("name")),
        thread_id=tweet_id if to_us or not parent else parent,
        post_id=parent if to_us else ""))


# ----------------------------------------------------------------------- TikTok

def _tiktok(payload: Mapping[str, Any], batch: WebhookBatch) -> None:
    event = _s(payload["event"])
    if not event.startswith("comment."):
        batch.skipped += 1
        return
    content = payload["content"]
    comment = json.loads(content) if isinstance(content, str) else content
    if comment.get("is_owner") or comment.get("action", "create") not in ("create", "insert"):
        batch.skipped += 1
        return
    user = comment.get("user") or {}
    comment_id = _s(comment["comment_id"])
    parent = _s(comment.get("parent_comment_id"))
    batch.interactions.append(InboundInteraction(
        Platform.TIKTOK, COMMENT, comment_id,
        _s(user.get("username") or user["unique_id"]),
        _s(comment["text"]), epoch(comment.get("create_time") or payload["create_time"]),
        author_name=_s(user.get("display_name")),
        thread_id=parent if parent and parent != "0" else comment_id,
        post_id=_s(comment.get("video_id"))))


# --------------------------------------------------------------------- LinkedIn

LINKEDIN_TYPE = "ORGANIZATION_SOCIAL_ACTION_NOTIFICATIONS"
#: Post URNs (the API client names posts by these, never by the activity URN).
POST_URNS = ("urn:li:share:", "urn:li:ugcPost:")


def _linkedin(payload: Mapping[str, Any], batch: WebhookBatch) -> None:
    kind = payload.get("type", LINKEDIN_TYPE)
    if kind != LINKEDIN_TYPE:
        batch.skipped += 1
        return
    notifications = payload["notifications"]
    if not isinstance(notifications, list):
        raise TypeError("'notifications' (a list)")
    for notification in notifications:
        _linkedin_notification(notification, batch)


def linkedin_urn(value: Any) -> str:
    """A comment URN in full: the generated activity sometimes names its parent without the
    'urn:li:' prefix ('urn:li:comment:(activity:1,2)'), the decorated entity with it."""
    urn = _s(value).strip()
    for short in ("activity:", "share:", "ugcPost:"):
        urn = urn.replace(f"({short}", f"(urn:li:{short}")
    return urn


def _linkedin_notification(note: Mapping[str, Any], batch: WebhookBatch) -> None:
    action = _s(note["action"]).upper()
    decorated = note.get("decoratedGeneratedActivity") or {}
    activity = decorated.get("comment") or decorated.get("share") or {}
    source = note.get("decoratedSourcePost") or {}
    ours = _s(note.get("organizationalEntity"))
    if action == "COMMENT":
        author = _s(activity.get("owner") or note.get("actor"))
        message_id = linkedin_urn(activity.get("entity") or note["generatedActivity"])
        parent = linkedin_urn(activity.get("parentComment"))
        if not parent and _s(activity.get("object")).startswith("urn:li:comment:"):
            parent = linkedin_urn(activity["object"])
        thread, post_id = parent or message_id, _linkedin_post(note, source)
    elif action.endswith("_MENTION"):
        # The id as the API client reads the same notification: the decorated activity's
        # entity, else the generated activity, else the source post.
        message_id = linkedin_urn(activity.get("entity") or note.get("generatedActivity")
                                  or note["sourcePost"])
        if action == "SHARE_MENTION" and not activity:
            activity = source  # the mentioning post itself, when only it is decorated
        author = _s(activity.get("owner") or note.get("actor"))
        thread, post_id = message_id, ""
    else:  # LIKE, SHARE, ADMIN_COMMENT, COMMENT_EDIT, COMMENT_DELETE, ...
        batch.skipped += 1
        return
    if ours and author == ours:  # our page's own comment or post
        batch.skipped += 1
        return
    text = _s(activity.get("text") or (activity.get("message") or {}).get("text")
              or (activity.get("commentary") or ""))
    if not text.strip() or not author:  # not decorated: the API must fetch it
        batch.unread += 1
        return
    batch.interactions.append(InboundInteraction(
        Platform.LINKEDIN, MENTION if action.endswith("_MENTION") else COMMENT, message_id,
        author, text, epoch(note.get("lastModifiedAt") or (activity.get("created") or {})["time"]),
        thread_id=thread, post_id=post_id))


def _linkedin_post(note: Mapping[str, Any], source: Mapping[str, Any]) -> str:
    """The post's share or ugcPost URN (`sourcePost` may be its activity URN)."""
    for candidate in (_s(note.get("sourcePost")), _s(source.get("entity"))):
        if candidate.startswith(POST_URNS):
            return candidate
    return _s(note.get("sourcePost") or source.get("entity"))

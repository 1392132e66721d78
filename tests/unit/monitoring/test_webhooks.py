"""Webhook signatures (real HMACs) and payload shapes of Meta, X, TikTok and LinkedIn."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from socmed_adapters.monitoring.webhook_payloads import linkedin_urn
from socmed_adapters.monitoring.webhooks import (
    LINKEDIN,
    META,
    TIKTOK,
    X,
    family_of,
    linkedin_challenge,
    meta_challenge,
    secret_for,
    verified_batch,
    verify_linkedin,
    verify_meta,
    verify_tiktok,
    verify_x,
    x_crc_response,
)
from socmed_domain.errors import InvalidInputError, PermissionDeniedError
from socmed_domain.monitoring.interaction import InteractionKind
from socmed_domain.platforms import Platform

DATA = Path(__file__).parents[2] / "data" / "webhooks"
SECRET = b"app-secret-0f9e8d7c"
NOW = datetime(2026, 12, 29, 9, 30, tzinfo=UTC)


def meta_sign(body: bytes, secret: bytes = SECRET) -> str:
    return "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()


def x_sign(body: bytes, secret: bytes = SECRET) -> str:
    return "sha256=" + base64.b64encode(hmac.new(secret, body, hashlib.sha256).digest()).decode()


def tiktok_sign(body: bytes, stamp: int, secret: bytes = SECRET) -> str:
    digest = hmac.new(secret, f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},s={digest}"


def linkedin_sign(body: bytes, secret: bytes = SECRET) -> str:
    """As LinkedIn documents it: hex HMAC-SHA256 of "hmacsha256=" + the body."""
    return hmac.new(secret, b"hmacsha256=" + body, hashlib.sha256).hexdigest()


def test_meta_signature_accepts_the_body_and_refuses_any_change() -> None:
    body = (DATA / "instagram_comments.json").read_bytes()
    verify_meta(body, meta_sign(body), SECRET)
    verify_meta(body, meta_sign(body).upper().replace("SHA256=", "sha256="), SECRET)
    with pytest.raises(PermissionDeniedError) as bad:
        verify_meta(body + b" ", meta_sign(body), SECRET)
    assert "does not match" in bad.value.message("en")
    with pytest.raises(PermissionDeniedError) as missing:
        verify_meta(body, None, SECRET)
    assert "header is missing" in missing.value.message("en")
    assert "tidak ada" in missing.value.message("id")
    with pytest.raises(PermissionDeniedError):
        verify_meta(body, meta_sign(body, b"another secret"), SECRET)


def test_meta_subscription_handshake() -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": "nusa-token",
              "hub.challenge": "1158201444"}
    assert meta_challenge(params, "nusa-token") == "1158201444"
    with pytest.raises(PermissionDeniedError):
        meta_challenge({**params, "hub.verify_token": "guess"}, "nusa-token")
    with pytest.raises(PermissionDeniedError):
        meta_challenge(params, "")


def test_x_crc_and_signature() -> None:
    # The CRC answer is the base64 HMAC-SHA256 of the token under the consumer secret.
    expected = base64.b64encode(hmac.new(SECRET, b"crc-abc", hashlib.sha256).digest()).decode()
    assert x_crc_response("crc-abc", SECRET) == {"response_token": f"sha256={expected}"}
    body = (DATA / "x_activity.json").read_bytes()
    verify_x(body, x_sign(body), SECRET)
    with pytest.raises(PermissionDeniedError):
        verify_x(body, meta_sign(body), SECRET)  # hex is not X's encoding
    with pytest.raises(PermissionDeniedError):
        verify_x(body, "", SECRET)


def test_tiktok_signature_with_a_timestamp_tolerance() -> None:
    body = (DATA / "tiktok_comment.json").read_bytes()
    stamp = int(NOW.timestamp())
    verify_tiktok(body, tiktok_sign(body, stamp - 60), SECRET, NOW)
    with pytest.raises(PermissionDeniedError) as stale:
        verify_tiktok(body, tiktok_sign(body, stamp - 3600), SECRET, NOW)
    assert "replay" in stale.value.message("en")
    forged_time = tiktok_sign(body, stamp - 3600).replace(f"t={stamp - 3600}", f"t={stamp}")
    with pytest.raises(PermissionDeniedError) as forged:
        verify_tiktok(body, forged_time, SECRET, NOW)
    assert "does not match" in forged.value.message("en")
    for header in (None, "", "s=abc", f"t={stamp}", "t=x,s=00"):
        with pytest.raises(PermissionDeniedError):
            verify_tiktok(body, header, SECRET, NOW)


def test_instagram_comments_replies_and_dms() -> None:
    body = (DATA / "instagram_comments.json").read_bytes()
    batch = verified_batch(META, body, meta_sign(body), SECRET, NOW)
    items = batch.interactions
    assert [(i.kind, i.author_handle) for i in items] == [
        (InteractionKind.COMMENT, "dinda.rahma"), (InteractionKind.COMMENT, "yoga_p"),
        (InteractionKind.DIRECT_MESSAGE, "998877")]
    first, reply, dm = items
    assert first.platform is Platform.INSTAGRAM
    assert first.post_id == "18000000000000042"
    assert reply.thread == first.thread == "17865799348089039"  # one conversation
    assert first.received_at == datetime.fromtimestamp(1798536000, UTC)
    assert dm.thread == "dm:998877"
    assert dm.received_at == datetime(2026, 12, 29, 9, 20, 55, 123000, tzinfo=UTC)
    assert (batch.skipped, batch.unread) == (1, 1)  # our own reply; a mention without text


def test_facebook_comment_and_mention() -> None:
    body = (DATA / "facebook_feed.json").read_bytes()
    batch = verified_batch(META, body, meta_sign(body), SECRET, NOW)
    comment, mention = batch.interactions
    assert comment.platform is Platform.FACEBOOK and comment.kind is InteractionKind.COMMENT
    assert comment.author_name == "Rudi Hartono"
    assert comment.thread == "880000000000001_1200000000000001"
    assert comment.post_id == "104000000000001_880000000000001"
    assert mention.kind is InteractionKind.MENTION and "mantap" in mention.text
    assert batch.skipped == 1  # the like


def test_x_tweets_and_dms() -> None:
    body = (DATA / "x_activity.json").read_bytes()
    batch = verified_batch(X, body, x_sign(body), SECRET, NOW)
    mention, comment, dm = batch.interactions
    assert (mention.kind, mention.author_handle) == (InteractionKind.MENTION, "fajar_nug")
    assert mention.received_at == datetime(2026, 12, 29, 1, 30, tzinfo=UTC)
    assert comment.kind is InteractionKind.COMMENT
    assert comment.post_id == "1872999999999999000"
    assert (dm.kind, dm.author_handle, dm.author_name) == (
        InteractionKind.DIRECT_MESSAGE, "putri_ayu", "Putri A")
    assert batch.skipped == 2  # our own reply, a like


def test_tiktok_comment_and_other_events() -> None:
    body = (DATA / "tiktok_comment.json").read_bytes()
    batch = verified_batch(TIKTOK, body, tiktok_sign(body, int(NOW.timestamp())), SECRET, NOW)
    (comment,) = batch.interactions
    assert (comment.platform, comment.author_handle, comment.post_id) == (
        Platform.TIKTOK, "nadya.kirana", "7451000000000000009")
    assert comment.thread == "7452000000000000001"
    other = b'{"client_key": "k", "event": "authorization.removed", "create_time": 1, ' \
        b'"user_openid": "u", "content": "{\\"reason\\": 1}"}'
    sig = tiktok_sign(other, int(NOW.timestamp()))
    assert verified_batch(TIKTOK, other, sig, SECRET, NOW).skipped == 1


def test_malformed_payloads_are_one_message() -> None:
    body = b'{"object": "instagram", "entry": [{"id": "1", "changes": [{"field": "comments",' \
        b' "value": {"id": "c1", "text": "hai"}}]}]}'
    with pytest.raises(InvalidInputError) as error:
        verified_batch(META, body, meta_sign(body), SECRET, NOW)
    assert error.value.message("en").startswith("webhook from Meta not read")
    with pytest.raises(InvalidInputError):
        verified_batch(META, b"[1]", meta_sign(b"[1]"), SECRET, NOW)
    with pytest.raises(InvalidInputError):
        verified_batch(META, b"nope", meta_sign(b"nope"), SECRET, NOW)


def test_linkedin_signature() -> None:
    body = (DATA / "linkedin_notifications.json").read_bytes()
    verify_linkedin(body, linkedin_sign(body), SECRET)
    verify_linkedin(body, linkedin_sign(body).upper(), SECRET)
    verify_linkedin(body, "hmacsha256=" + linkedin_sign(body), SECRET)
    # The other reading of the documentation: the digest of the bare body, labelled.
    bare = hmac.new(SECRET, body, hashlib.sha256).hexdigest()
    verify_linkedin(body, f"hmacsha256={bare}", SECRET)
    with pytest.raises(PermissionDeniedError) as bad:
        verify_linkedin(body + b"\n", linkedin_sign(body), SECRET)
    assert "X-LI-Signature signature does not match" in bad.value.message("en")
    for header in (None, "", "hmacsha256=", linkedin_sign(body, b"another secret"),
                   base64.b64encode(bytes.fromhex(linkedin_sign(body))).decode()):
        with pytest.raises(PermissionDeniedError):
            verify_linkedin(body, header, SECRET)
    with pytest.raises(PermissionDeniedError) as missing:
        verify_linkedin(body, None, SECRET)
    assert "header is missing" in missing.value.message("en")


def test_linkedin_validation_challenge() -> None:
    code = "890e4665-4dfe-4ab1-b689-ed553bceeed0"
    answer = linkedin_challenge(code, SECRET)
    assert answer == {"challengeCode": code, "challengeResponse": hmac.new(
        SECRET, code.encode(), hashlib.sha256).hexdigest()}
    assert len(answer["challengeResponse"]) == 64
    with pytest.raises(InvalidInputError):
        linkedin_challenge("", SECRET)


def test_linkedin_comments_replies_and_mentions() -> None:
    body = (DATA / "linkedin_notifications.json").read_bytes()
    batch = verified_batch(LINKEDIN, body, linkedin_sign(body), SECRET, NOW)
    comment, reply, share_mention, comment_mention = batch.interactions
    top = "urn:li:comment:(urn:li:activity:7410000000000000001,7410000000000000101)"
    assert (comment.platform, comment.kind) == (Platform.LINKEDIN, InteractionKind.COMMENT)
    assert comment.message_id == comment.thread == top
    assert comment.author_handle == "urn:li:person:Rk3mTq9XyA"
    assert comment.post_id == "urn:li:share:7410000000000000000"  # not the activity URN
    assert comment.received_at == datetime(2026, 12, 29, 9, 20, tzinfo=UTC)
    assert reply.thread == top and reply.message_id.endswith(",7410000000000000102)")
    assert reply.text == "Sama, saya juga belum bisa transfer."  # from message.text
    assert reply.post_id == comment.post_id
    assert (share_mention.kind, share_mention.message_id, share_mention.thread) == (
        InteractionKind.MENTION, "urn:li:share:7410000000000000200",
        "urn:li:share:7410000000000000200")
    assert share_mention.post_id == ""
    assert comment_mention.kind is InteractionKind.MENTION
    assert comment_mention.message_id == comment_mention.thread == (
        "urn:li:comment:(urn:li:ugcPost:7410000000000000300,7410000000000000301)")
    # Our own ADMIN_COMMENT and a LIKE are skipped; a comment without decoration needs the API.
    assert (batch.skipped, batch.unread) == (2, 1)


def test_linkedin_own_page_other_types_and_urns() -> None:
    def batch_of(payload: dict[str, object]) -> tuple[int, int, int]:
        body = json.dumps(payload).encode()
        got = verified_batch(LINKEDIN, body, linkedin_sign(body), SECRET, NOW)
        return len(got.interactions), got.skipped, got.unread

    ours = {"action": "COMMENT", "organizationalEntity": "urn:li:organization:1",
            "sourcePost": "urn:li:share:9", "lastModifiedAt": 1798536000000,
            "generatedActivity": "urn:li:comment:(urn:li:share:9,1)",
            "decoratedGeneratedActivity": {"comment": {
                "owner": "urn:li:organization:1", "text": "Terima kasih!"}}}
    assert batch_of({"notifications": [ours]}) == (0, 1, 0)
    edits = [{**ours, "action": action} for action in ("COMMENT_EDIT", "COMMENT_DELETE",
                                                        "SHARE", "LIKE")]
    assert batch_of({"notifications": edits}) == (0, 4, 0)
    assert batch_of({"type": "LEAD_ACTION", "leadAction": "CREATED"}) == (0, 1, 0)
    theirs = {**ours, "decoratedGeneratedActivity": {"comment": {
        "owner": "urn:li:person:p", "text": "Kapan promo berikutnya?"}}}
    body = json.dumps({"notifications": [theirs]}).encode()
    (comment,) = verified_batch(LINKEDIN, body, linkedin_sign(body), SECRET, NOW).interactions
    assert comment.message_id == comment.thread == "urn:li:comment:(urn:li:share:9,1)"
    only_post = {"action": "SHARE_MENTION", "organizationalEntity": "urn:li:organization:1",
                 "sourcePost": "urn:li:share:5", "lastModifiedAt": 1798536000000,
                 "decoratedSourcePost": {"entity": "urn:li:share:5", "owner": "urn:li:person:q",
                                         "text": "Bangga jadi nasabah Bank Nusa"}}
    body = json.dumps({"notifications": [only_post]}).encode()
    (mention,) = verified_batch(LINKEDIN, body, linkedin_sign(body), SECRET, NOW).interactions
    assert (mention.kind, mention.message_id, mention.author_handle) == (
        InteractionKind.MENTION, "urn:li:share:5", "urn:li:person:q")
    assert batch_of({"notifications": [{**only_post, "decoratedSourcePost": {}}]}) == (0, 0, 1)
    assert linkedin_urn("urn:li:comment:(activity:1,2)") == "urn:li:comment:(urn:li:activity:1,2)"
    assert linkedin_urn("urn:li:comment:(urn:li:ugcPost:1,2)") == (
        "urn:li:comment:(urn:li:ugcPost:1,2)")
    for broken in ({}, {"notifications": {"a": 1}}, {"notifications": [{"action": "COMMENT"}]}):
        raw = json.dumps(broken).encode()
        with pytest.raises(InvalidInputError) as error:
            verified_batch(LINKEDIN, raw, linkedin_sign(raw), SECRET, NOW)
        assert error.value.message("en").startswith("webhook from LinkedIn not read")


def test_secret_comes_from_the_environment() -> None:
    assert secret_for(META, {"SOCMED_META_APP_SECRET": " s3 "}) == b"s3"
    with pytest.raises(PermissionDeniedError) as error:
        secret_for(TIKTOK, {})
    assert "SOCMED_TIKTOK_CLIENT_SECRET" in error.value.message("en")
    assert secret_for(family_of("LinkedIn"), {"SOCMED_LINKEDIN_CLIENT_SECRET": "c"}) == b"c"
    with pytest.raises(PermissionDeniedError) as missing:
        secret_for(LINKEDIN, {"SOCMED_LINKEDIN_CLIENT_SECRET": " "})
    assert "SOCMED_LINKEDIN_CLIENT_SECRET" in missing.value.message("en")

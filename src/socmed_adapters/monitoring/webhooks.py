"""Webhook deliveries from Meta (Instagram, Facebook), X and TikTok: signature checks and the
subscription handshakes, then the payload as interactions for `ingest_interactions`.

A webhook endpoint is public: anyone can POST to it. So nothing is parsed, let alone stored,
before the body's HMAC is checked against the app secret, with a constant-time compare:

- Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, key = app secret>`;
  the subscription GET echoes `hub.challenge` when `hub.verify_token` is ours.
- X (Account Activity API): `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the
  raw body, key = consumer secret>`; the CRC GET answers `crc_token` with the same HMAC.
- TikTok: `TikTok-Signature: t=<unix seconds>,s=<hex HMAC-SHA256 of "t.body", key = client
  secret>`; a signature older (or newer) than the tolerance is refused as a possible replay.

Secrets come from the environment (`SECRET_ENV`), never from the command line or the store.
Platforms deliver at least once: ingestion is idempotent on the platform's message id, so a
redelivered payload adds nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from socmed_adapters.monitoring.webhook_payloads import WebhookBatch, parse_payload
from socmed_domain.errors import InvalidInputError, PermissionDeniedError
from socmed_domain.monitoring.interaction import InboundInteraction

META, X, TIKTOK = "meta", "x", "tiktok"
#: The webhook family of each platform name the CLI accepts.
FAMILIES = {"meta": META, "instagram": META, "facebook": META, "x": X, "twitter": X,
            "tiktok": TIKTOK}
SECRET_ENV = {META: "SOCMED_META_APP_SECRET", X: "SOCMED_X_CONSUMER_SECRET",
              TIKTOK: "SOCMED_TIKTOK_CLIENT_SECRET"}
VERIFY_TOKEN_ENV = "SOCMED_META_VERIFY_TOKEN"
HEADERS = {META: "X-Hub-Signature-256", X: "x-twitter-webhooks-signature",
           TIKTOK: "TikTok-Signature"}
LABELS = {META: "Meta", X: "X", TIKTOK: "TikTok"}
#: Seconds a TikTok signature's timestamp may differ from now (TikTok's docs leave it to
#: the receiver; five minutes is the common choice).
TIKTOK_TOLERANCE = 300


def family_of(platform: str) -> str:
    name = platform.strip().lower()
    if name not in FAMILIES:
        raise InvalidInputError("error.unknown_choice", kind="webhook platform", value=name,
                                choices=", ".join(sorted(FAMILIES)))
    return FAMILIES[name]


def secret_for(family: str, environ: Mapping[str, str] | None = None) -> bytes:
    value = (environ if environ is not None else os.environ).get(SECRET_ENV[family], "")
    if not value.strip():
        raise PermissionDeniedError("error.webhook_no_secret", platform=LABELS[family],
                                    env=SECRET_ENV[family])
    return value.strip().encode()


def _digest(secret: bytes, message: bytes) -> bytes:
    return hmac.new(secret, message, hashlib.sha256).digest()


def _refuse(family: str, signature: str | None) -> PermissionDeniedError:
    code = "error.webhook_bad_signature" if signature else "error.webhook_unsigned"
    return PermissionDeniedError(code, platform=LABELS[family], header=HEADERS[family])


def verify_meta(body: bytes, signature: str | None, secret: bytes) -> None:
    """Meta signs the raw body; the header is 'sha256=' and 64 lowercase hex digits."""
    given = (signature or "").strip()
    expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    if not given or not hmac.compare_digest(expected.encode(), given.lower().encode()):
        raise _refuse(META, signature)


def verify_x(body: bytes, signature: str | None, secret: bytes) -> None:
    """X signs the raw body; the header is 'sha256=' and the base64 digest."""
    given = (signature or "").strip()
    expected = "sha256=" + base64.b64encode(_digest(secret, body)).decode()
    if not given or not hmac.compare_digest(expected.encode(), given.encode()):
        raise _refuse(X, signature)


def verify_tiktok(body: bytes, signature: str | None, secret: bytes, now: datetime,
                  tolerance: int = TIKTOK_TOLERANCE) -> None:
    """TikTok signs "<t>.<raw body>"; the timestamp is part of what is signed, so a replay
    cannot move it, and an old one is refused."""
    parts = dict(p.strip().partition("=")[::2] for p in (signature or "").split(",") if p)
    stamp, given = parts.get("t", ""), parts.get("s", "")
    if not stamp.isdigit() or not given:
        raise _refuse(TIKTOK, signature)
    expected = hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), given.lower().encode()):
        raise _refuse(TIKTOK, signature)
    age = int(now.timestamp()) - int(stamp)
    if abs(age) > tolerance:
        raise PermissionDeniedError("error.webhook_stale", platform=LABELS[TIKTOK], age=age,
                                    tolerance=tolerance)


def verify(family: str, body: bytes, signature: str | None, secret: bytes,
           now: datetime) -> None:
    if family == META:
        verify_meta(body, signature, secret)
    elif family == X:
        verify_x(body, signature, secret)
    else:
        verify_tiktok(body, signature, secret, now)


def meta_challenge(params: Mapping[str, str], verify_token: str) -> str:
    """The subscription handshake: GET ?hub.mode=subscribe&hub.verify_token=..&hub.challenge=..
    is answered with the challenge, only when the token is the one configured at Meta."""
    token = params.get("hub.verify_token", "")
    if (params.get("hub.mode") != "subscribe" or not verify_token
            or not hmac.compare_digest(token.encode(), verify_token.encode())):
        raise PermissionDeniedError("error.webhook_verify_token", env=VERIFY_TOKEN_ENV)
    return params.get("hub.challenge", "")


def x_crc_response(crc_token: str, secret: bytes) -> dict[str, str]:
    """The CRC check X runs at registration and hourly: the token's HMAC, base64."""
    if not crc_token:
        raise InvalidInputError("error.empty", field="crc_token")
    return {"response_token": "sha256=" + base64.b64encode(
        _digest(secret, crc_token.encode())).decode()}


def verified_batch(family: str, body: bytes, signature: str | None, secret: bytes,
                   now: datetime) -> WebhookBatch:
    """The interactions of a delivery, after its signature is checked (before anything is
    parsed, so a forged body never reaches the parser)."""
    verify(family, body, signature, secret, now)
    try:
        payload: Any = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InvalidInputError("error.webhook_payload", platform=LABELS[family],
                                detail=f"not JSON ({error})") from None
    if not isinstance(payload, dict):
        raise InvalidInputError("error.webhook_payload", platform=LABELS[family],
                                detail="not a JSON object")
    return parse_payload(family, payload)


class WebhookSource:
    """An `InteractionSource` over one verified delivery."""

    def __init__(self, batch: WebhookBatch) -> None:
        self.batch = batch

    def interactions(self) -> Iterator[InboundInteraction]:
        yield from self.batch.interactions

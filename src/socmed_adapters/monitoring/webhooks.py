"""Webhook deliveries from Meta (Instagram, Facebook), X, TikTok and LinkedIn: signature checks
and the subscription handshakes, then the payload as interactions for `ingest_interactions`.

A webhook endpoint is public: anyone can POST to it. So nothing is parsed, let alone stored,
before the body's HMAC is checked against the app secret, with a constant-time compare:

- Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body, key = app secret>`;
  the subscription GET echoes `hub.challenge` when `hub.verify_token` is ours.
- X (Account Activity API): `x-twitter-webhooks-signature: sha256=<base64 HMAC-SHA256 of the
  raw body, key = consumer secret>`; the CRC GET answers `crc_token` with the same HMAC.
- TikTok: `TikTok-Signature: t=<unix seconds>,s=<hex HMAC-SHA256 of "t.body", key = client
  secret>`; a signature older (or newer) than the tolerance is refused as a possible replay.
- LinkedIn: `X-LI-Signature: <hex HMAC-SHA256 of "hmacsha256=" + the raw body, key = client
  secret>` (LinkedIn's "Webhooks" page: "the HMACSHA256 hash of the JSON-encoded string
  representation of the POST body prefixed by hmacsha256="). That sentence is read two ways
  in the wild, so the check also takes the value with a leading `hmacsha256=` and the HMAC of
  the bare body; every form needs the client secret. The validation GET
  `?challengeCode=<uuid>` is answered with `{"challengeCode", "challengeResponse": <hex
  HMAC-SHA256 of the code>}`, and LinkedIn repeats it every two hours.

Secrets come from the environment (`SECRET_ENV`), never from the command line or the store.
Platforms deliver at least once: ingestion is idempotent on the platform's message id, so a
redelivered payload adds nothing.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

from socmed_adapters.files import decode, parse_json
from socmed_adapters.monitoring.webhook_payloads import WebhookBatch, parse_payload
from socmed_domain.errors import InvalidInputError, PermissionDeniedError
from socmed_domain.monitoring.interaction import InboundInteraction

META, X, TIKTOK, LINKEDIN = "meta", "x", "tiktok", "linkedin"
#: The webhook families, in the order they are listed.
ALL_FAMILIES = (META, X, TIKTOK, LINKEDIN)
#: The webhook family of each platform name the CLI accepts.
FAMILIES = {"meta": META, "instagram": META, "facebook": META, "x": X, "twitter": X,
            "tiktok": TIKTOK, "linkedin": LINKEDIN}
SECRET_ENV = {META: "SOCMED_META_APP_SECRET", X: "SOCMED_X_CONSUMER_SECRET",
              TIKTOK: "SOCMED_TIKTOK_CLIENT_SECRET", LINKEDIN: "SOCMED_LINKEDIN_CLIENT_SECRET"}
VERIFY_TOKEN_ENV = "SOCMED_META_VERIFY_TOKEN"
HEADERS = {META: "X-Hub-Signature-256", X: "x-twitter-webhooks-signature",
           TIKTOK: "TikTok-Signature", LINKEDIN: "X-LI-Signature"}
LABELS = {META: "Meta", X: "X", TIKTOK: "TikTok", LINKEDIN: "LinkedIn"}
#: The literal LinkedIn puts before the body it signs (and some senders before the digest).
LINKEDIN_PREFIX = b"hmacsha256="
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


def verify_linkedin(body: bytes, signature: str | None, secret: bytes) -> None:
    """LinkedIn signs "hmacsha256=" + the raw body; the header is the hex digest. Also taken:
    the digest after a 'hmacsha256=' label, and the HMAC of the bare body (how some read the
    documentation); each is compared in constant time, all of them every time."""
    given = (signature or "").strip().lower().encode()
    if given.startswith(LINKEDIN_PREFIX):
        given = given[len(LINKEDIN_PREFIX):]
    documented = hmac.new(secret, LINKEDIN_PREFIX + body, hashlib.sha256).hexdigest().encode()
    bare = hmac.new(secret, body, hashlib.sha256).hexdigest().encode()
    matches = [hmac.compare_digest(documented, given), hmac.compare_digest(bare, given)]
    if not given or not any(matches):
        raise _refuse(LINKEDIN, signature)


def verify(family: str, body: bytes, signature: str | None, secret: bytes,
           now: datetime) -> None:
    if family == META:
        verify_meta(body, signature, secret)
    elif family == X:
        verify_x(body, signature, secret)
    elif family == LINKEDIN:
        verify_linkedin(body, signature, secret)
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


def linkedin_challenge(challenge_code: str, secret: bytes) -> dict[str, str]:
    """LinkedIn's endpoint validation (at registration, then every two hours): the code and
    its hex HMAC-SHA256 under the client secret, answered as JSON within three seconds."""
    if not challenge_code:
        raise InvalidInputError("error.empty", field="challengeCode")
    return {"challengeCode": challenge_code,
            "challengeResponse": hmac.new(secret, challenge_code.encode(),
                                          hashlib.sha256).hexdigest()}


def verified_batch(family: str, body: bytes, signature: str | None, secret: bytes,
                   now: datetime, source: str = "body") -> WebhookBatch:
    """The interactions of a delivery, after its signature is checked (before anything is
    parsed, so a forged body never reaches the parser)."""
    verify(family, body, signature, secret, now)
    return read_batch(family, body, source)


def read_batch(family: str, body: bytes, source: str = "body") -> WebhookBatch:
    """The interactions of a body whose signature was already checked (when it was
    received and recorded: the worker reads recorded deliveries with this)."""
    try:
        # Strict and bounded (socmed_adapters.files): nesting, NaN/Infinity, numbers out of
        # range and lone surrogate escapes are refused before a parser sees them.
        payload: Any = parse_json(decode(body, source), source)
    except InvalidInputError as error:
        raise InvalidInputError("error.webhook_payload", platform=LABELS[family],
                                detail=error) from None
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

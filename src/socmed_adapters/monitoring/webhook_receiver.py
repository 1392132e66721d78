"""Receiving one webhook delivery over HTTP: its verdict, then a durable record, then the answer.

`Receiver.receive` is what the HTTP endpoint calls with the raw body and headers. It checks the
signature (the secret from the environment, constant-time compare), reads the payload when the
signature is good (so a signed body that can never be read is answered 400 now rather than
retried by the platform for days), and records the delivery in the webhook inbox with its
verdict and state, refused ones included. Only once that row is committed does it return an
answer, so a 2xx always means "kept".

Rows are written by `GroupCommit`: concurrent deliveries wait together for one transaction
(one commit and one fsync for all of them), which is what lets a durable SQLite or PostgreSQL
inbox acknowledge thousands of deliveries a second.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any

from attrs import frozen

from socmed_adapters.monitoring.webhook_inbox import (
    PENDING,
    REFUSED,
    VALID,
    VERDICT_OF,
    NewDelivery,
    WebhookInbox,
)
from socmed_adapters.monitoring.webhooks import (
    HEADERS,
    LINKEDIN,
    META,
    VERIFY_TOKEN_ENV,
    X,
    linkedin_challenge,
    meta_challenge,
    read_batch,
    secret_for,
    verify,
    x_crc_response,
)
from socmed_domain.errors import InvalidInputError, PermissionDeniedError, SocmedError

#: The HTTP status of each refusal.
REFUSALS = {"error.webhook_unsigned": 401, "error.webhook_bad_signature": 403,
            "error.webhook_stale": 403, "error.webhook_verify_token": 403,
            "error.webhook_no_secret": 503}
#: The refusals as the HTTP endpoints say them: the delivery is kept (as refused).
KEPT = {"error.webhook_unsigned": "error.webhooks_unsigned",
        "error.webhook_bad_signature": "error.webhooks_bad_signature",
        "error.webhook_stale": "error.webhooks_stale",
        "error.webhook_payload": "error.webhooks_payload"}
#: Bodies from this size are parsed off the event loop.
PARSE_INLINE_LIMIT = 64 * 1024


@frozen
class Answer:
    """The HTTP answer: status, JSON (or plain text) body, the delivery's id when recorded."""

    status: int
    body: Any
    delivery: int | None = None
    error: SocmedError | None = None


class GroupCommit:
    """Rows handed in concurrently are written together: the first waiter starts a write of
    everything queued, the others join the next one. Each `record` returns once its row is
    committed (or raises what the write raised)."""

    def __init__(self, inbox: WebhookInbox, max_group: int = 256) -> None:
        self.inbox = inbox
        self.max_group = max_group
        self._queue: list[tuple[NewDelivery, asyncio.Future[int]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def record(self, delivery: NewDelivery) -> int:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[int] = loop.create_future()
        self._queue.append((delivery, future))
        if self._writing is None or self._writing.done():
            self._writing = loop.create_task(self._write())
        return await future

    async def _write(self) -> None:
        while self._queue:
            group, self._queue = self._queue[:self.max_group], self._queue[self.max_group:]
            try:
                ids = await asyncio.to_thread(self.inbox.record, [d for d, _ in group])
            except Exception as error:
                for _, future in group:
                    if not future.done():
                        future.set_exception(error)
                continue
            for (_, future), delivery_id in zip(group, ids, strict=True):
                if not future.done():
                    future.set_result(delivery_id)


class Receiver:
    """Verdicts, handshakes and durable records for the webhook endpoints of one store."""

    def __init__(self, inbox: WebhookInbox, *, environ: Mapping[str, str] | None = None,
                 lang: str = "en", on_recorded: Callable[[], None] | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.inbox = inbox
        self.environ = environ
        self.lang = lang
        self.on_recorded = on_recorded
        self.clock = clock or (lambda: datetime.now(UTC))
        self.writer = GroupCommit(inbox)

    @property
    def env(self) -> Mapping[str, str]:
        return self.environ if self.environ is not None else os.environ

    def refusal(self, error: SocmedError) -> int:
        return REFUSALS.get(error.code, 400 if isinstance(error, InvalidInputError) else 500)

    def handshake(self, family: str, params: Mapping[str, str]) -> Answer:
        """The subscription checks: Meta's hub.challenge, X's CRC, LinkedIn's challengeCode
        (TikTok has none: the caller answers 405)."""
        try:
            if family == META:
                body: Any = meta_challenge(params, self.env.get(VERIFY_TOKEN_ENV, "").strip())
            elif family == X:
                body = x_crc_response(params.get("crc_token", ""), secret_for(X, self.env))
            else:
                assert family == LINKEDIN
                body = linkedin_challenge(params.get("challengeCode", ""),
                                          secret_for(LINKEDIN, self.env))
        except SocmedError as error:
            return Answer(self.refusal(error), {"error": error.message(self.lang)},
                          error=error)
        return Answer(200, body)

    def check(self, family: str, body: bytes, signature: str | None
              ) -> tuple[NewDelivery, SocmedError | None]:
        """The delivery with its verdict and first state (pending, or refused with why)."""
        now = self.clock()
        headers = {HEADERS[family]: signature} if signature is not None else {}
        verdict, state = VALID, PENDING
        error: SocmedError | None = None
        try:
            verify(family, body, signature, secret_for(family, self.env), now)
        except PermissionDeniedError as refused:
            verdict, state, error = VERDICT_OF.get(refused.code, "refused"), REFUSED, refused
        if error is None:
            try:
                read_batch(family, body)
            except InvalidInputError as unreadable:
                state, error = REFUSED, unreadable
        return NewDelivery(family, now, body, headers, verdict, state,
                           None if error is None else f"{error.code}: {error.message('en')}"
                           ), error

    async def receive(self, family: str, body: bytes, signature: str | None) -> Answer:
        """Check, record (committed), answer."""
        if len(body) >= PARSE_INLINE_LIMIT:
            delivery, error = await asyncio.to_thread(self.check, family, body, signature)
        else:
            delivery, error = self.check(family, body, signature)
        delivery_id = await self.writer.record(delivery)
        if delivery.state == PENDING:
            if self.on_recorded is not None:
                self.on_recorded()
            return Answer(200, {"delivery": delivery_id, "platform": family,
                                "state": PENDING}, delivery_id)
        assert error is not None
        status = self.refusal(error)
        if error.code in KEPT:
            error = type(error)(KEPT[error.code], **error.params)
        return Answer(status, {"error": error.message(self.lang), "delivery": delivery_id},
                      delivery_id, error)

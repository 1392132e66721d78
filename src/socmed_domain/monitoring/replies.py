"""The reply port: how an answer reaches the audience member on their platform.

Platform clients (or the sandbox) implement `ReplySender`. The Application checks the rules,
sends, and records what the platform accepted; a refused or failed send records nothing and
the member sees why.
"""

from __future__ import annotations

from typing import Protocol

from attrs import frozen

from socmed_domain.platforms import Platform


@frozen
class OutboundReply:
    """One reply to send: where, to what, the text, and a key that makes a resend safe."""

    platform: Platform
    thread_id: str
    in_reply_to: str
    text: str
    idempotency_key: str


@frozen
class ReplyReceipt:
    platform_reply_id: str


class ReplyError(Exception):
    """The platform refused the reply or could not be reached; nothing was recorded."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class ReplySender(Protocol):
    def send_reply(self, reply: OutboundReply) -> ReplyReceipt: ...

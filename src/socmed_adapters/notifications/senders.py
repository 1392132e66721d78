"""How a notification reaches a member: email over SMTP (smtplib) and chat webhooks through
`apprise` URLs. Each message carries its dedupe key where the receiver sees it (an
`X-Socmed-Notification-Key` header and the subject's `[socmed KEY]` token for email, the
title and body for chat), so a delivery repeated after a crash can be told apart.

SMTP settings come from the store's `smtp.toml` (`host`, `port`, `sender`, `starttls`,
`user`, `timeout`; read through the one cattrs converter) and then the environment, which
wins: $SOCMED_SMTP_HOST (127.0.0.1), $SOCMED_SMTP_PORT (25), $SOCMED_SMTP_FROM
(socmed@localhost), $SOCMED_SMTP_STARTTLS (y/n, n), $SOCMED_SMTP_USER and
$SOCMED_SMTP_PASSWORD (the password only from the environment), $SOCMED_SMTP_TIMEOUT (10 s).
"""

from __future__ import annotations

import os
import smtplib
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path

from attrs import frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.notifications.contacts import Channel, ChannelKind

SMTP_FILE = "smtp.toml"


class DeliveryError(Exception):
    """The receiver refused or could not be reached (retried with backoff)."""


@frozen
class Message:
    subject: str
    body: str
    keys: tuple[str, ...]  # the dedupe keys it carries (one, or a digest's many)


@frozen
class SmtpSettings:
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = "socmed@localhost"
    starttls: bool = False
    user: str = ""
    password: str = ""
    timeout: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None,
                 data_dir: Path | None = None) -> SmtpSettings:
        """The store's `smtp.toml` (when `data_dir` has one), then the environment."""
        env = os.environ if env is None else env
        base = cls.from_file(data_dir / SMTP_FILE) if data_dir is not None else cls()
        try:
            return cls(host=env.get("SOCMED_SMTP_HOST", base.host),
                       port=int(env.get("SOCMED_SMTP_PORT", base.port)),
                       sender=env.get("SOCMED_SMTP_FROM", base.sender),
                       starttls=env.get("SOCMED_SMTP_STARTTLS", "y" if base.starttls
                                        else "n").lower() in ("y", "1", "yes"),
                       user=env.get("SOCMED_SMTP_USER", base.user),
                       password=env.get("SOCMED_SMTP_PASSWORD", ""),
                       timeout=float(env.get("SOCMED_SMTP_TIMEOUT", base.timeout)))
        except ValueError as error:
            raise InvalidInputError("error.notify_smtp_settings", path="SOCMED_SMTP_*",
                                    detail=str(error)) from None

    @classmethod
    def from_file(cls, path: Path) -> SmtpSettings:
        if not path.exists():
            return cls()
        import tomllib

        from socmed_domain.transcoding import converter

        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            data.pop("password", None)  # never from a file
            return converter.structure(data, cls)
        except Exception as error:  # TOML syntax, a wrong type: one line naming the file
            detail = str(getattr(error, "exceptions", [error])[0])
            raise InvalidInputError("error.notify_smtp_settings", path=str(path),
                                    detail=detail) from None


class Senders:
    """Delivers a message through a channel; raises DeliveryError when it did not."""

    def __init__(self, smtp: SmtpSettings | None = None) -> None:
        self.smtp = smtp or SmtpSettings.from_env()

    def deliver(self, channel: Channel, message: Message) -> None:
        if channel.kind is ChannelKind.EMAIL:
            self._email(channel.address, message)
        else:
            self._chat(channel.address, message)

    def _email(self, address: str, message: Message) -> None:
        mail = EmailMessage()
        mail["From"] = self.smtp.sender
        mail["To"] = address
        mail["Subject"] = message.subject
        mail["X-Socmed-Notification-Key"] = " ".join(message.keys)
        mail.set_content(message.body)
        try:
            with smtplib.SMTP(self.smtp.host, self.smtp.port,
                              timeout=self.smtp.timeout) as smtp:
                if self.smtp.starttls:
                    smtp.starttls()
                if self.smtp.user:
                    smtp.login(self.smtp.user, self.smtp.password)
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"smtp {self.smtp.host}:{self.smtp.port}: {error}") from None

    def _chat(self, url: str, message: Message) -> None:
        import apprise

        sender = apprise.Apprise()
        if not sender.add(url):
            raise DeliveryError(f"apprise cannot use the URL {url.split('://')[0]}://...")
        if not sender.notify(body=message.body, title=message.subject):
            raise DeliveryError(f"apprise: {url.split('://')[0]}:// refused or unreachable")

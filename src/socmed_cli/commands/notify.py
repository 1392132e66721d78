"""`socmed notify`: members' notification channels and preferences, and the notifier.

`run` decides from the event log and sends (email over SMTP, chat through apprise URLs);
`list` shows what was decided, sent and failed; `retry` puts failed notifications back.
See docs/notifications.md.
"""

from __future__ import annotations

from typing import Any

import click

from socmed_cli.context import CliState, as_option, pass_state
from socmed_cli.output import emit, format_option

KINDS = ("awaiting_review", "awaiting_approval", "approval_voided", "slot_unapproved",
         "slot_expired", "outcome_unknown", "publication_failed", "awaiting_legal",
         "sla_due_soon", "sla_breached", "spike_alert", "incident_opened",
         "incident_escalated", "acknowledgement_awaited", "pdp_clock",
         "strategy_awaits_approval", "campaign_awaits_approval")


def _say(state: CliState, code: str, **params: Any) -> None:
    from socmed_domain.i18n import render

    click.echo(render(code, state.lang, **params))


def _member(state: CliState, acting_as: str | None, member: str | None) -> tuple[Any, str]:
    principal = state.acting(acting_as)
    return principal, member or principal.member_id


def _notifier(state: CliState, **options: Any) -> Any:
    from socmed_adapters.notifications.notifier import Notifier

    state.refuse_when_remote("notify")
    return Notifier(state.services(), lang=state.lang, **options)


@click.group()
def notify() -> None:
    """Tell members what awaits them: channels, preferences and the notifier.

    \b
    Example:
      socmed --as rina.mm notify channel add work --email rina@example.co.id
      socmed notify run --loop
    """


@notify.command("run")
@click.option("--once", "mode", flag_value="once", default=True,
              help="Decide and send what is due, then stop (the default).")
@click.option("--loop", "mode", flag_value="loop",
              help="Keep deciding and sending until SIGTERM or Ctrl+C.")
@click.option("--poll", type=click.FloatRange(0.05, 600), default=1.0, show_default=True,
              help="With --loop: seconds to wait when nothing happened.")
@click.option("--max-attempts", type=click.IntRange(1, 100), default=8, show_default=True,
              help="Failed deliveries before a notification is given up (then 'notify list "
              "--status failed').")
@pass_state
def run(state: CliState, mode: str, poll: float, max_attempts: int) -> None:
    """Decide the notifications of new events and of the clock, and send them.

    \b
    Example:
      socmed notify run --once
      socmed notify run --loop
    """
    notifier = _notifier(state, max_attempts=max_attempts)
    if mode == "once":
        report = notifier.run_once()
        _say(state, "notify.cli.pass", **report.as_json())
        return
    from socmed_cli.context import stop_on_signals
    from socmed_domain.i18n import render

    stop = stop_on_signals()

    click.echo(render("notify.cli.started", state.lang), err=True)
    notifier.run(stop, poll=poll)
    click.echo(render("notify.cli.stopped", state.lang), err=True)


@notify.command("list")
@click.option("--status", type=click.Choice(["pending", "sent", "failed"]), default=None,
              help="Only notifications in this state.")
@format_option
@pass_state
def list_notifications(state: CliState, status: str | None, fmt: str) -> None:
    """Notifications decided: to whom, through which channel, sent or failed and why.

    \b
    Example:
      socmed notify list --status failed
      socmed notify list --format csv
    """
    rows = [{"key": r["dedupe_key"], "kind": r["kind"], "recipient": r["recipient"],
             "channel": r["channel"], "mode": r["mode"], "status": r["status"],
             "attempts": r["attempts"], "decided_at": r["decided_at"],
             "sent_at": r["sent_at"], "answers": r["answers"], "error": r["last_error"]}
            for r in _notifier(state).rows(status)]
    emit(rows, [("key", "Key"), ("kind", "Kind"), ("recipient", "Recipient"),
                ("channel", "Channel"), ("mode", "Mode"), ("status", "Status"),
                ("attempts", "Attempts"), ("decided_at", "Decided"), ("sent_at", "Sent"),
                ("error", "Error")], fmt, state.zone, lang=state.lang)


@notify.command("retry")
@click.argument("keys", nargs=-1)
@pass_state
def retry(state: CliState, keys: tuple[str, ...]) -> None:
    """Put failed notifications (these keys, or all) back to be sent.

    \b
    Example:
      socmed notify retry
    """
    _say(state, "notify.cli.retried", count=_notifier(state).retry_failed(keys))


@notify.command("rules")
@format_option
@pass_state
def rules(state: CliState, fmt: str) -> None:
    """The notification rules in force: each kind, its recipients and thresholds.

    \b
    Example:
      socmed notify rules --format json
    """
    rows = [{"kind": r.kind.value, "roles": ", ".join(x.value for x in r.roles),
             "relations": ", ".join(x.value for x in r.relations),
             "lead_hours": ", ".join(f"{h:g}" for h in r.lead_hours),
             "within_minutes": r.within_minutes or "", "enabled": r.enabled}
            for r in state.services().app.configuration.notification_rules().rules]
    emit(rows, [("kind", "Kind"), ("roles", "Roles"), ("relations", "Relations"),
                ("lead_hours", "Lead hours"), ("within_minutes", "Within minutes"),
                ("enabled", "Enabled")], fmt, state.zone, lang=state.lang)


@notify.group("channel")
def channel() -> None:
    """A member's channels: email addresses and chat webhooks (apprise URLs).

    \b
    Example:
      socmed --as budi.dm notify channel list
    """


@channel.command("add")
@click.argument("name")
@click.option("--email", "email", default=None, help="An email address.")
@click.option("--chat", "chat", default=None,
              help="A chat webhook as an apprise URL (slack://..., msteams://..., "
              "tgram://..., json://...).")
@click.option("--member", default=None,
              help="Whose channel (a Marketing Manager may set anyone's; default yours).")
@as_option
@pass_state
def channel_add(state: CliState, name: str, email: str | None, chat: str | None,
                member: str | None, acting_as: str | None) -> None:
    """Add (or replace) a channel.

    \b
    Example:
      socmed --as budi.dm notify channel add work --email budi@example.co.id
      socmed --as budi.dm notify channel add team --chat "slack://T000/B000/XXXX"
    """
    from socmed_domain.notifications.contacts import ChannelKind

    if (email is None) == (chat is None):
        raise click.UsageError("--email or --chat (one of them)")
    principal, whose = _member(state, acting_as, member)
    kind = ChannelKind.EMAIL if email is not None else ChannelKind.CHAT
    state.refuse_when_remote("notify channel")
    state.app.contacts.add_channel(principal, whose, name, kind, email or chat or "")
    _say(state, "notify.cli.channel_added", channel=name, kind=kind.value, member=whose)


@channel.command("remove")
@click.argument("name")
@click.option("--member", default=None, help="Whose channel (default yours).")
@as_option
@pass_state
def channel_remove(state: CliState, name: str, member: str | None,
                   acting_as: str | None) -> None:
    """Remove a channel.

    \b
    Example:
      socmed --as budi.dm notify channel remove team
    """
    principal, whose = _member(state, acting_as, member)
    state.refuse_when_remote("notify channel")
    state.app.contacts.remove_channel(principal, whose, name)
    _say(state, "notify.cli.channel_removed", channel=name, member=whose)


@channel.command("list")
@click.option("--member", default=None, help="Whose channels (default yours).")
@format_option
@as_option
@pass_state
def channel_list(state: CliState, member: str | None, fmt: str,
                 acting_as: str | None) -> None:
    """A member's channels (webhook URLs shown without their secret part).

    \b
    Example:
      socmed --as budi.dm notify channel list
    """
    principal, whose = _member(state, acting_as, member)
    state.refuse_when_remote("notify channel")
    view = state.app.contacts.view(principal, whose)
    rows = [{"member": whose, "channel": c.name, "kind": c.kind.value, "address": c.address}
            for c in view.channels]
    emit(rows, [("member", "Member"), ("channel", "Channel"), ("kind", "Kind"),
                ("address", "Address")], fmt, state.zone, lang=state.lang)


@notify.group("prefs")
def prefs() -> None:
    """Per kind: which channels, immediately or in the daily digest, or muted.

    \b
    Example:
      socmed --as budi.dm notify prefs list
    """


@prefs.command("set")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--mode", type=click.Choice(["immediate", "digest", "muted"]),
              default="immediate", show_default=True, help="How to be told.")
@click.option("--channel", "channels", multiple=True,
              help="A channel to use (repeatable; none: every channel).")
@click.option("--member", default=None, help="Whose preference (default yours).")
@as_option
@pass_state
def prefs_set(state: CliState, kind: str, mode: str, channels: tuple[str, ...],
              member: str | None, acting_as: str | None) -> None:
    """Choose how to be told of one kind.

    \b
    Example:
      socmed --as rina.mm notify prefs set awaiting_approval --mode immediate --channel work
      socmed --as rina.mm notify prefs set spike_alert --mode digest
    """
    from socmed_domain.notifications.contacts import DeliveryMode
    from socmed_domain.notifications.rules import NotificationKind

    principal, whose = _member(state, acting_as, member)
    state.refuse_when_remote("notify prefs")
    state.app.contacts.set_preference(principal, whose, NotificationKind(kind),
                                      DeliveryMode(mode), channels)
    _say(state, "notify.cli.pref_set", kind=kind, mode=mode,
         channels=", ".join(channels) or "*", member=whose)


@prefs.command("list")
@click.option("--member", default=None, help="Whose preferences (default yours).")
@format_option
@as_option
@pass_state
def prefs_list(state: CliState, member: str | None, fmt: str, acting_as: str | None) -> None:
    """How a member is told of each kind (a kind not set: every channel, immediately).

    \b
    Example:
      socmed --as rina.mm notify prefs list
    """
    principal, whose = _member(state, acting_as, member)
    state.refuse_when_remote("notify prefs")
    rows = [{"kind": p.kind.value, "mode": p.mode.value, "channels": ", ".join(p.channels) or "*"}
            for p in state.app.contacts.view(principal, whose).preferences]
    emit(rows, [("kind", "Kind"), ("mode", "Mode"), ("channels", "Channels")], fmt,
         state.zone, lang=state.lang)

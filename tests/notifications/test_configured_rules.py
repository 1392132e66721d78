"""Notification rules as part of the company configuration (`socmed config apply`): the
notifier reads the rules in force per batch, and the section round-trips through a TOML file
like every other section."""

from __future__ import annotations

from typing import Any

from attrs import evolve

from socmed_adapters.configuration_file import (
    configuration_from_dict,
    configuration_to_dict,
    configuration_to_toml,
)
from socmed_adapters.notifications.notifier import Notifier
from socmed_adapters.notifications.senders import Senders, SmtpSettings
from socmed_domain.configuration.model import DEFAULT_CONFIGURATION
from socmed_domain.notifications.rules import (
    NotificationKind,
    NotificationRules,
    default_notification_rules,
)
from socmed_domain.roles import Role
from tests.notifications.conftest import email_of, seed
from tests.notifications.receivers import SmtpReceiver


def _draft() -> Any:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    return Draft("Kopi baru kami hadir minggu ini", (Platform.X,))


def test_the_default_configuration_carries_the_sops_rules_and_round_trips() -> None:
    assert DEFAULT_CONFIGURATION.notification_rules == default_notification_rules()
    data = configuration_to_dict(DEFAULT_CONFIGURATION)
    assert "notification_rules" in data
    assert "[[notification_rules.rules]]" in configuration_to_toml(DEFAULT_CONFIGURATION)
    assert configuration_from_dict(data) == DEFAULT_CONFIGURATION


def test_an_applied_rule_changes_who_is_told_on_the_next_batch(
        backend: Any, clock: Any, smtp: SmtpReceiver) -> None:
    """Under the defaults the Marketing Manager hears of an item awaiting review only as
    the SOP says; a configuration that sends review requests to the Admin as well reaches the Admin
    from then on, and the change is an audited configuration version."""
    services = backend.services(clock=clock)
    app = services.app
    seed(app)
    notifier = Notifier(services, senders=Senders(SmtpSettings(port=smtp.port)))
    notifier.run_once()
    first = app.content.create("budi.dm", "Promo kopi", _draft())
    app.content.submit_for_review("budi.dm", first)
    notifier.run_once()
    before = len(smtp.to(email_of("adi.admin")))

    rules = default_notification_rules()
    admin = Role.SOCIAL_MEDIA_ADMIN
    changed = NotificationRules(tuple(
        evolve(rule, roles=(*rule.roles, admin))
        if rule.kind is NotificationKind.AWAITING_REVIEW and admin not in rule.roles
        else rule for rule in rules.rules))
    assert changed != rules
    app.configuration.apply("rina.mm", evolve(app.configuration.in_force(),
                                              notification_rules=changed),
                            reason="the Admin reads every review request")
    assert app.configuration.notification_rules() == changed

    second = app.content.create("budi.dm", "Promo teh", _draft())
    app.content.submit_for_review("budi.dm", second)
    notifier.run_once()
    assert len(smtp.to(email_of("adi.admin"))) == before + 1
    versions = app.configuration.history("rina.mm")
    assert "notification_rules" in versions[-1].changed

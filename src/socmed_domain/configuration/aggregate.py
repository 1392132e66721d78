"""The company's configuration as an audited, versioned aggregate (one per store).

Each `ConfigurationApplied` event carries the whole configuration, its version (1, 2, ...),
the sections that changed against the one in force before, the reason and where it came from
(a file, a pack). Version 0 is the built-in default (the banking pack): a store that never
applied a configuration uses it. Who may change it: the Marketing Manager (Action.CONFIGURE,
docs/decisions.md); applying what is already in force is refused as unchanged, so every
version in the log is a real change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate

from socmed_domain.actor import Actor
from socmed_domain.configuration.model import (
    CompanyConfiguration,
    changed_sections,
    default_configuration,
    problems,
)
from socmed_domain.errors import InvalidInputError, InvalidStateError, NotFoundError
from socmed_domain.events import AuditedEvent
from socmed_domain.roles import Action, check_may
from socmed_domain.timezones import require_aware

CONFIGURATION_ID: UUID = uuid5(NAMESPACE_URL, "socmed:configuration")


class Configuration(Aggregate):
    """Every version of the company's configuration, the last one in force."""

    def __init__(self) -> None:
        self.versions: list[CompanyConfiguration] = [default_configuration()]

    class ConfigurationStarted(AuditedEvent, Aggregate.Created):
        """The store's configuration history begins (with the first applied version)."""

    class ConfigurationApplied(AuditedEvent):
        """A new version of the company's configuration is in force."""

        version: int
        configuration: CompanyConfiguration
        #: The sections that changed, comma-separated in field order (a string, as the
        #: stored JSON has no tuples).
        changed: str
        reason: str
        source: str

        def apply(self, aggregate: Configuration) -> None:
            aggregate.versions.append(self.configuration)

        def describe(self) -> tuple[str, dict[str, Any]]:
            return ("event.ConfigurationApplied", {
                "version": self.version, "name": self.configuration.name,
                "changed": self.changed or "-", "source": self.source or "-"})

    @classmethod
    def start(cls, actor: Actor, at: datetime) -> Configuration:
        check_may(actor.member_id, actor.role, Action.CONFIGURE)
        return cls._create(cls.ConfigurationStarted, id=CONFIGURATION_ID,
                           timestamp=require_aware(at), actor=actor)

    @property
    def in_force(self) -> CompanyConfiguration:
        return self.versions[-1]

    @property
    def current_version(self) -> int:
        return len(self.versions) - 1

    def numbered(self, number: int) -> CompanyConfiguration:
        if not 0 <= number < len(self.versions):
            raise NotFoundError(kind="configuration version", ref=str(number),
                                listing="config show")
        return self.versions[number]

    def apply_configuration(self, actor: Actor, configuration: CompanyConfiguration,
                            reason: str, source: str, at: datetime) -> int:
        """Put `configuration` in force as the next version; refuses one with problems and
        one equal to the configuration in force."""
        check_may(actor.member_id, actor.role, Action.CONFIGURE)
        check_configuration(configuration)
        changed = changed_sections(self.in_force, configuration)
        if not changed:
            raise InvalidStateError("error.configuration_unchanged",
                                    version=self.current_version)
        version = len(self.versions)
        self.trigger_event(self.ConfigurationApplied, timestamp=require_aware(at), actor=actor,
                           version=version, configuration=configuration,
                           changed=", ".join(changed),
                           reason=reason.strip(), source=source)
        return version


def check_configuration(configuration: CompanyConfiguration, source: str = "configuration"
                        ) -> None:
    """Refuse a configuration the services could not use, naming the first problem."""
    found = problems(configuration)
    if found:
        first = found[0]
        raise InvalidInputError("error.configuration_invalid", path=source, field=first.field,
                                value=first.value, allowed=first.allowed)

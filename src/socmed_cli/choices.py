"""Option choices read from the domain's enums, so the CLI never keeps a copy to drift.

`EnumChoice("socmed_domain.roles:Role")` is a `click.Choice` of the enum's values. The domain
is imported only when the choices are first needed (an option is parsed, or a command's own
help is shown), never when `socmed --help` or a group's help lists the commands: importing
`socmed_domain` loads every aggregate, which would make the listing slow.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import click

#: How a source names what it reads: "module:Enum" (the members' values).
Source = str | Callable[[], Iterable[str]]

ROLE = "socmed_domain.roles:Role"
PLATFORM = "socmed_domain.platforms:Platform"
CONTENT_TYPE = "socmed_domain.production.revision:ContentType"
CONVERSATION_STATUS = "socmed_domain.monitoring.conversation:ConversationStatus"
TAG = "socmed_domain.monitoring.interaction:Tag"
PRIORITY = "socmed_domain.monitoring.sla:Priority"
POLARITY = "socmed_domain.monitoring.sentiment:Polarity"
INCIDENT_CATEGORY = "socmed_domain.crisis.incident:IncidentCategory"
ESCALATION_TARGET = "socmed_domain.crisis.incident:EscalationTarget"
RESPONSE_KIND = "socmed_domain.crisis.incident:ResponseKind"
PDP_RECIPIENT = "socmed_domain.crisis.incident:PdpRecipient"


class EnumChoice(click.Choice):  # type: ignore[type-arg]
    """A click.Choice whose values come from a domain enum (or a function of the domain),
    loaded on first use. `extra` values are appended (an alias the CLI accepts too); `dashes`
    shows 'media_pickup' as 'media-pickup'."""

    def __init__(self, source: Source, *, extra: Sequence[str] = (), dashes: bool = False,
                 case_sensitive: bool = True) -> None:
        self._source = source
        self._extra = tuple(extra)
        self._dashes = dashes
        self._loaded: tuple[str, ...] | None = None
        self.case_sensitive = case_sensitive

    @property
    def choices(self) -> tuple[str, ...]:
        if self._loaded is None:
            values = tuple(_read(self._source))
            if self._dashes:
                values = tuple(value.replace("_", "-") for value in values)
            self._loaded = values + tuple(v for v in self._extra if v not in values)
        return self._loaded

    @choices.setter
    def choices(self, values: Any) -> None:
        self._loaded = tuple(values)


def _read(source: Source) -> Iterable[str]:
    if callable(source):
        return source()
    module, _, name = source.partition(":")
    return (str(member.value) for member in getattr(importlib.import_module(module), name))


def exposure_flags() -> Iterable[str]:
    """The exposures a person confirms when opening or classifying an incident: the yes/no
    fields of the domain's ImpactSignals."""
    import attrs

    from socmed_domain.crisis.impact import ImpactSignals

    return (field.name for field in attrs.fields(ImpactSignals) if field.type in (bool, "bool"))


SCOPE = "socmed_domain.identity.principal:Scope"


def via_kinds() -> Iterable[str]:
    """How an actor can be established (`audit log --via`)."""
    from socmed_domain.identity.principal import VIA_KINDS

    return VIA_KINDS

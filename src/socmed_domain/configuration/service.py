"""The configuration service (`app.configuration`): the company's rules in force, and changing
them (`socmed config apply|show|export`).

The stage services read the rules through this service (never the built-in constants): the
review checklist and content policy (stage 2), reply templates, watchlist, lexicon and SLA
(stage 4), crisis templates (stage 6). It keeps the configuration in memory, brought up to
date with the events recorded since (by any process), and the rules built from it (a
watchlist or a lexicon takes milliseconds to build) until the configuration changes.
"""

from __future__ import annotations

import string
import threading
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar, cast

from attrs import evolve, frozen

from socmed_domain.configuration import model
from socmed_domain.configuration.aggregate import (
    CONFIGURATION_ID,
    Configuration,
    check_configuration,
)
from socmed_domain.configuration.model import CompanyConfiguration
from socmed_domain.errors import InvalidInputError
from socmed_domain.events import AuditedEvent
from socmed_domain.i18n import LANGUAGES
from socmed_domain.identity.principal import ActorRef
from socmed_domain.kernel import StageService
from socmed_domain.monitoring.lexicon import Lexicon
from socmed_domain.monitoring.sla import BusinessCalendar, SlaPolicy
from socmed_domain.monitoring.watchlist import Watchlist
from socmed_domain.notifications.rules import NotificationRules
from socmed_domain.production.quality import ChecklistItem, ContentPolicy
from socmed_domain.production.routing import ApprovalRoutes
from socmed_domain.roles import Action

T = TypeVar("T")


@frozen
class ConfigurationVersion:
    """One version of the configuration, with who applied it, when, why and what changed
    (version 0: the built-in default, applied by nobody)."""

    version: int
    configuration: CompanyConfiguration
    applied_at: datetime | None = None
    applied_by: str = ""
    reason: str = ""
    source: str = ""
    changed: tuple[str, ...] = ()


class ConfigurationService(StageService):
    """The company's rules as data (issue 17)."""

    def __init__(self, kernel: Any) -> None:
        super().__init__(kernel)
        self._lock = threading.Lock()
        self._cached: Configuration | None = None
        #: Whether `_cached` is what the store held when last read (None: no configuration
        #: was ever applied), which a command's save may then check instead of a read.
        self._known = False
        self._derived: dict[str, Any] = {}
        self._derived_for: CompanyConfiguration | None = None
        if kernel is not None:  # (None: the remote CLI's, which asks the server)
            kernel.checked_at_save(CONFIGURATION_ID, self._refresh)

    # ----------------------------------------------------------------- commands

    def apply(self, actor_id: ActorRef, configuration: CompanyConfiguration, reason: str = "",
              source: str = "") -> int:
        """Put `configuration` in force as the next version (Marketing Manager); refused
        when it has a problem or changes nothing. Returns the new version number."""
        actor = self.actor(actor_id, action=Action.CONFIGURE)
        check_configuration(configuration, source or "configuration")

        def load() -> Configuration:
            found = self._find(Configuration, CONFIGURATION_ID)
            return found if found is not None else Configuration.start(actor, self._now())

        version: int = self._retrying(load, lambda aggregate: aggregate.apply_configuration(
            actor, configuration, reason, source, self._now()), "configuration", "")
        with self._lock:
            self._cached, self._known = None, False
        return version

    # ------------------------------------------------------------------ queries

    def in_force(self) -> CompanyConfiguration:
        """The configuration in force (the built-in default when none was applied)."""
        aggregate = self._read()
        return aggregate.in_force if aggregate is not None else model.DEFAULT_CONFIGURATION

    def current_version(self) -> int:
        aggregate = self._read()
        return aggregate.current_version if aggregate is not None else 0

    def show(self, actor_id: ActorRef | None = None, version: int | None = None
             ) -> ConfigurationVersion:
        """One version (default: the one in force) with its record. The rules are no secret
        inside the team (templates, checklist): any member may read them, and the CLI reads
        them without naming one, as it does the strategy."""
        if actor_id is not None:
            self.actor(actor_id, reading=True)
        history = self._history()
        number = len(history) - 1 if version is None else version
        if not 0 <= number < len(history):
            raise InvalidInputError("error.configuration_version", version=number,
                                    latest=len(history) - 1)
        return history[number]

    def history(self, actor_id: ActorRef | None = None) -> tuple[ConfigurationVersion, ...]:
        if actor_id is not None:
            self.actor(actor_id, reading=True)
        return self._history()

    def _history(self) -> tuple[ConfigurationVersion, ...]:
        found = [ConfigurationVersion(0, model.DEFAULT_CONFIGURATION)]
        for event in self.events.get(CONFIGURATION_ID):
            if isinstance(event, Configuration.ConfigurationApplied):
                found.append(ConfigurationVersion(
                    event.version, event.configuration, event.timestamp,
                    event.actor.member_id, event.reason, event.source,
                    tuple(event.changed.split(", ")) if event.changed else ()))
        return tuple(found)

    def _read(self) -> Configuration | None:
        """The configuration, brought up to date with the events recorded since (by any
        process); inside a command whose save checks it (`Kernel.decided_on`), the copy in
        memory without a read: the save records only if no configuration was applied
        meanwhile (docs/decisions.md, "Commands over HTTP")."""
        with self._lock:
            cached = self._cached
            if self._known and self.kernel.decided_on(
                    CONFIGURATION_ID, cached.version if cached is not None else None):
                return cached
        return self._read_store()

    def _read_store(self) -> Configuration | None:
        with self._lock:
            cached = self._cached
            if cached is None:
                cached = self._find(Configuration, CONFIGURATION_ID)
            else:
                for event in self.events.get(CONFIGURATION_ID, gt=cached.version):
                    cast(AuditedEvent, event).mutate(cached)
            self._cached, self._known = cached, True
            return cached

    def _refresh(self) -> int | None:
        """The configuration read again (a save found it moved); its version now."""
        found = self._read_store()
        return found.version if found is not None else None

    # --------------------------------------------- the rules the stages read

    def _rule(self, name: str, build: Callable[[CompanyConfiguration], T]) -> T:
        config = self.in_force()
        with self._lock:
            if self._derived_for is not config:
                self._derived, self._derived_for = {}, config
            if name not in self._derived:
                self._derived[name] = build(config)
            return cast(T, self._derived[name])

    def approval_routes(self) -> ApprovalRoutes:
        """The approval routes in force, naming the configuration version they are part of
        (what a submission for review binds a revision to)."""
        version = self.current_version()
        return evolve(self.in_force().approval_routes, version=str(version))

    def checklist(self) -> tuple[ChecklistItem, ...]:
        """The review checklist (SOP stage 2) in force."""
        return self._rule("checklist", model.checklist_items)

    def notification_rules(self) -> NotificationRules:
        """Who is told what (the notifier reads them per batch, so an applied file takes
        effect on the next batch)."""
        return self.in_force().notification_rules

    def checklist_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.checklist())

    def content_policy(self) -> ContentPolicy:
        """Banned phrases and required disclosures in force (before the brand voice)."""
        return self._rule("content_policy", model.content_policy)

    def watchlist(self) -> Watchlist:
        return self._rule("watchlist", model.watchlist)

    def lexicon(self) -> Lexicon:
        return self._rule("lexicon", model.lexicon)

    def sla_policy(self) -> SlaPolicy:
        return self._rule("sla_policy", model.sla_policy)

    def business_calendar(self, base: BusinessCalendar) -> BusinessCalendar:
        """The configured business hours with `base`'s holidays and zone."""
        return self._rule(f"calendar:{id(base)}",
                          lambda config: model.business_calendar(config, base))

    def reply_templates(self) -> Mapping[str, Mapping[str, str]]:
        """key -> language -> text: the Audience Response Guide in force."""
        return self._rule("reply_templates", lambda config: {
            key: {"id": t.id, "en": t.en} for key, t in config.reply_templates.items()})

    def reply_placeholders(self, key: str, lang: str) -> tuple[str, ...]:
        return _placeholders(self.reply_template(key, lang))

    def reply_template(self, key: str, lang: str) -> str:
        return _text(self.reply_templates(), key, lang, "reply template")

    def render_reply(self, key: str, lang: str, values: Mapping[str, str]) -> str:
        """The reply template filled in; refuses a placeholder without a (non-blank) value."""
        text = self.reply_template(key, lang)
        missing = [name for name in _placeholders(text)
                   if not str(values.get(name, "")).strip()]
        if missing:
            raise InvalidInputError("error.template_placeholder", template=key,
                                    missing=", ".join(missing))
        return text.format(**{k: str(v).strip() for k, v in values.items()})

    def crisis_templates(self) -> Mapping[str, Mapping[str, str]]:
        """'<category>.<kind>' -> language -> text: the crisis templates in force."""
        return self._rule("crisis_templates", lambda config: {
            key: {"id": t.id, "en": t.en} for key, t in config.crisis_templates.items()})

    def crisis_template_keys(self, category: str) -> tuple[str, ...]:
        return tuple(key for key in self.crisis_templates() if key.startswith(f"{category}."))

    def crisis_placeholders(self, key: str, lang: str = "en") -> tuple[str, ...]:
        return _placeholders(self._crisis_text(key, lang))

    def render_crisis_template(self, key: str, lang: str, **values: Any) -> str:
        """The crisis template in `lang` with its placeholders filled; a missing or blank
        value is refused, naming it, so no statement goes out with a hole in it."""
        text = self._crisis_text(key, lang)
        needed = _placeholders(text)
        for name in needed:
            if name not in values or not str(values[name]).strip():
                raise InvalidInputError("error.incident_template_value", key=key,
                                        placeholder=name, placeholders=", ".join(needed))
        return text.format(**{name: str(values[name]).strip() for name in needed})

    def _crisis_text(self, key: str, lang: str) -> str:
        templates = self.crisis_templates()
        if lang in LANGUAGES and key not in templates:
            raise InvalidInputError("error.incident_template_unknown", key=key,
                                    choices=", ".join(templates))
        return _text(templates, key, lang, "crisis template")


def _text(templates: Mapping[str, Mapping[str, str]], key: str, lang: str, kind: str) -> str:
    if key not in templates:
        raise InvalidInputError("error.unknown_choice", kind=kind, value=key,
                                choices=", ".join(sorted(templates)))
    if lang not in LANGUAGES:
        raise InvalidInputError("error.unknown_choice", kind="language", value=lang,
                                choices=", ".join(LANGUAGES))
    return templates[key][lang]


def _placeholders(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(name for _, name, _, _ in string.Formatter().parse(text)
                               if name))

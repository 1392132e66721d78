"""A company's configuration: the rules that differ from one company to the next, as data.

Before issue 17 one bank's wording was in code (reply templates, the watchlist, the review
checklist, SLA hours, the lexicon, crisis templates). Each is now a section of
`CompanyConfiguration`, a frozen value object whose defaults are that bank's values (the
banking pack), so a store that never applied a configuration behaves as it always did.

Adding a section is one field here (with its default) plus, where a service reads it, the
lines that read it: the file loader, `show`, `export` and the "what changed" summary all walk
the fields. Every value is plain data (strings, numbers, tuples, dicts of them) so the one
cattrs converter (socmed_domain.transcoding) reads it from TOML and stores it in events.

`problems()` checks what types cannot: known weekdays, hh:mm-hh:mm hours, scores in range,
placeholders a service fills. Each problem names the field (a dotted path, as in the file)
and what is allowed.
"""

from __future__ import annotations

import functools
import hashlib
import re
import string
from collections.abc import Iterator, Mapping
from datetime import time, timedelta

import attrs
from attrs import field, frozen

from socmed_domain.crisis import templates as crisis_templates
from socmed_domain.crisis.incident import IncidentCategory
from socmed_domain.monitoring import lexicon as base_lexicon
from socmed_domain.monitoring import response_guide
from socmed_domain.monitoring import sla as base_sla
from socmed_domain.monitoring import watchlist as base_watchlist
from socmed_domain.notifications.rules import NotificationRules, default_notification_rules
from socmed_domain.platforms import Platform
from socmed_domain.production import quality
from socmed_domain.production.routing import NO_ROUTES, ApprovalRoutes

WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
LANGS = ("id", "en")
_HOURS = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$")
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@frozen
class Bilingual:
    """One text in Bahasa Indonesia and English (both required)."""

    id: str
    en: str


@frozen
class ChecklistEntry:
    """One item of the review checklist (SOP stage 2): a key the reviewer confirms."""

    key: str
    en: str
    id: str


@frozen
class WatchlistSection:
    """The watched terms per category (SOP stages 4 and 6). Categories are the topics an
    incident can be classified from (sara, legal_threat, data_leak, safety, boycott, fraud);
    a term may use '*' for a gap of up to three words."""

    version: str = base_watchlist.VERSION
    terms: dict[str, tuple[str, ...]] = field(
        factory=lambda: {topic.value: terms for topic, terms in base_watchlist.TOPICS.items()},
        hash=False)


@frozen
class SlaTargetMinutes:
    """Business minutes until the first response and until the resolution."""

    first_response_minutes: int
    resolution_minutes: int


def _sla_targets(policy: base_sla.SlaPolicy) -> dict[str, SlaTargetMinutes]:
    return {priority.value: _minutes(target) for priority, target in policy.targets.items()}


def _minutes(target: base_sla.SlaTarget) -> SlaTargetMinutes:
    return SlaTargetMinutes(int(target.first_response.total_seconds() // 60),
                            int(target.resolution.total_seconds() // 60))


def _default_hours() -> dict[str, tuple[str, ...]]:
    return {name: tuple(f"{p.start:%H:%M}-{p.end:%H:%M}" for p in periods)
            for name, periods in zip(WEEKDAY_NAMES, base_sla.DEFAULT_CALENDAR.week, strict=True)}


@frozen
class SlaSection:
    """Response targets per priority (urgent, high, normal, low), overrides per platform, and
    the team's business hours per weekday ("08:00-17:00"; a closed day is an empty list).
    Public holidays come from the Indonesian calendar (adapters), not from here."""

    targets: dict[str, SlaTargetMinutes] = field(
        factory=lambda: _sla_targets(base_sla.DEFAULT_POLICY), hash=False)
    platform_targets: dict[str, dict[str, SlaTargetMinutes]] = field(
        factory=lambda: {platform.value: {p.value: _minutes(t) for p, t in targets.items()}
                         for platform, targets
                         in base_sla.DEFAULT_POLICY.platform_targets.items()},
        hash=False)
    business_hours: dict[str, tuple[str, ...]] = field(factory=_default_hours, hash=False)


@frozen
class LexiconSection:
    """Additions to and overrides of the sentiment lexicon: a word or phrase and its score
    (-3 to +3; 0 makes a built-in word neutral, e.g. 'bocor' for a tea that never leaks)."""

    terms: dict[str, float] = field(factory=dict, hash=False)


@frozen
class ContentRules:
    """What the automatic content checks refuse and require, beyond the strategy's brand
    voice: phrases never to publish, and the markers a sponsored post must carry."""

    banned_phrases: tuple[str, ...] = quality.ContentPolicy().banned_phrases
    required_disclosures: tuple[str, ...] = quality.ContentPolicy().disclosure_markers


def _bilingual(table: Mapping[str, Mapping[str, str]]) -> dict[str, Bilingual]:
    return {key: Bilingual(id=texts["id"], en=texts["en"]) for key, texts in table.items()}


@frozen
class CompanyConfiguration:
    """Every section of a company's rules. A section a file leaves out keeps its default
    (the banking pack's values)."""

    name: str = "banking"
    description: str = "Banking and financial services (the built-in default)"
    reply_templates: dict[str, Bilingual] = field(
        factory=lambda: _bilingual(response_guide.TEMPLATES), hash=False)
    checklist: tuple[ChecklistEntry, ...] = tuple(
        ChecklistEntry(item.key, item.en, item.id) for item in quality.QUALITY_CHECKLIST)
    watchlist: WatchlistSection = field(factory=WatchlistSection)
    sla: SlaSection = field(factory=SlaSection)
    lexicon: LexiconSection = field(factory=LexiconSection)
    content: ContentRules = field(factory=ContentRules)
    crisis_templates: dict[str, Bilingual] = field(
        factory=lambda: _bilingual(crisis_templates.TEMPLATES), hash=False)
    #: Approval routes (production.routing): none by default, so every revision goes
    #: straight to the Marketing Manager as before.
    approval_routes: ApprovalRoutes = NO_ROUTES
    #: Who is told what (socmed_domain.notifications.rules): the SOP's defaults until a
    #: file names its own.
    notification_rules: NotificationRules = field(factory=default_notification_rules)

    @property
    def checklist_keys(self) -> tuple[str, ...]:
        return tuple(item.key for item in self.checklist)


#: The sections, in the order files, `show` and the change summary list them.
def section_names() -> tuple[str, ...]:
    return tuple(a.name for a in attrs.fields(CompanyConfiguration)
                 if a.name not in ("name", "description"))


@functools.cache
def default_configuration() -> CompanyConfiguration:
    """The built-in configuration (version 0: the banking values), made on first use: its
    notification rules are read from a TOML file, which importing the domain (every CLI
    start, `--help` included) must not do."""
    return CompanyConfiguration()


def __getattr__(name: str) -> CompanyConfiguration:
    """`DEFAULT_CONFIGURATION`: `default_configuration()`, on first use."""
    if name == "DEFAULT_CONFIGURATION":
        return default_configuration()
    raise AttributeError(name)


def changed_sections(before: CompanyConfiguration, after: CompanyConfiguration
                     ) -> tuple[str, ...]:
    """The sections (and name/description) that differ between two configurations."""
    return tuple(a.name for a in attrs.fields(CompanyConfiguration)
                 if getattr(before, a.name) != getattr(after, a.name))


# ------------------------------------------------------------------------------ checks


@frozen
class Problem:
    """One thing wrong in a configuration: where (a dotted path), what, and what is allowed."""

    field: str
    value: str
    allowed: str


def problems(config: CompanyConfiguration) -> tuple[Problem, ...]:
    """Everything a configuration states that the services could not use."""
    return tuple(_problems(config))


def _problems(config: CompanyConfiguration) -> Iterator[Problem]:
    if not config.name.strip():
        yield Problem("name", "", "a non-empty name")
    yield from _template_problems("reply_templates", config.reply_templates)
    for key in ("question", "complaint_ack"):
        if key not in config.reply_templates:
            yield Problem("reply_templates", "(missing " + key + ")",
                          "every reply template the inbox offers, at least question and "
                          "complaint_ack")
    yield from _template_problems("crisis_templates", config.crisis_templates)
    known = {f"{c.value}.{k}" for c in _categories() for k in ("holding_statement", "reply")}
    for key in sorted(config.crisis_templates):
        category = key.split(".", 1)[0]
        if "." not in key or category not in {c.value for c in _categories()}:
            yield Problem(f"crisis_templates.{key}", key,
                          "<category>.<kind> with category one of "
                          + ", ".join(c.value for c in _categories()))
    for key in sorted(known - set(config.crisis_templates)):
        yield Problem("crisis_templates", f"(missing {key})",
                      "a holding_statement and a reply for every incident category")
    yield from _checklist_problems(config.checklist)
    yield from _watchlist_problems(config.watchlist)
    yield from _sla_problems(config.sla)
    for term, score in config.lexicon.terms.items():
        if not term.strip() or not base_lexicon.MIN_SCORE <= score <= base_lexicon.MAX_SCORE:
            yield Problem(f"lexicon.terms.{term}", str(score),
                          f"a word with a score from {base_lexicon.MIN_SCORE:g} to "
                          f"{base_lexicon.MAX_SCORE:g}")
    for name, values in (("banned_phrases", config.content.banned_phrases),
                         ("required_disclosures", config.content.required_disclosures)):
        for value in values:
            if not value.strip():
                yield Problem(f"content.{name}", repr(value), "non-empty phrases")
    for where, value, allowed in config.approval_routes.problems():
        yield Problem(f"approval_routes.{where}", value, allowed)
    if not config.content.required_disclosures:
        yield Problem("content.required_disclosures", "[]",
                      "at least one marker such as #iklan (UU ITE / Etika Pariwara)")


def _categories() -> tuple[IncidentCategory, ...]:
    return tuple(IncidentCategory)


def _template_problems(section: str, table: Mapping[str, Bilingual]) -> Iterator[Problem]:
    for key, texts in table.items():
        if not _KEY.fullmatch(key.replace(".", "_")):
            yield Problem(f"{section}.{key}", key, "lower-case keys of letters, digits and _")
        for lang in LANGS:
            text = getattr(texts, lang)
            if not text.strip():
                yield Problem(f"{section}.{key}.{lang}", "", "a non-empty text")
                continue
            try:
                names = [n for _, n, _, _ in string.Formatter().parse(text) if n is not None]
            except ValueError as error:
                yield Problem(f"{section}.{key}.{lang}", str(error),
                              "placeholders written {name}; a literal brace as {{ or }}")
                continue
            bad = [n for n in names if not n.isidentifier()]
            if bad:
                yield Problem(f"{section}.{key}.{lang}", "{" + bad[0] + "}",
                              "placeholders that are plain names, such as {name}")


def _checklist_problems(items: tuple[ChecklistEntry, ...]) -> Iterator[Problem]:
    if not items:
        yield Problem("checklist", "[]", "at least one item (SOP stage 2)")
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        where = f"checklist[{number}]"
        if not _KEY.fullmatch(item.key):
            yield Problem(f"{where}.key", item.key, "lower-case keys of letters, digits and _")
        if item.key in seen:
            yield Problem(f"{where}.key", item.key, "each key once")
        seen.add(item.key)
        for lang in LANGS:
            if not getattr(item, lang).strip():
                yield Problem(f"{where}.{lang}", "", "a non-empty text")


def _watchlist_problems(section: WatchlistSection) -> Iterator[Problem]:
    allowed = [t.value for t in base_watchlist.Topic if t is not base_watchlist.Topic.CAMPAIGN]
    if not section.version.strip():
        yield Problem("watchlist.version", "", "a version label, e.g. 2027.01-1")
    for category, terms in section.terms.items():
        if category not in allowed:
            yield Problem(f"watchlist.terms.{category}", category, ", ".join(allowed))
            continue
        for term in terms:
            words = term.split()
            if not words or words[0] == base_watchlist.GAP or words[-1] == base_watchlist.GAP:
                yield Problem(f"watchlist.terms.{category}", repr(term),
                              "terms of words, with '*' only between two words")


def _sla_problems(section: SlaSection) -> Iterator[Problem]:
    priorities = [p.value for p in base_sla.Priority]
    for priority in priorities:
        if priority not in section.targets:
            yield Problem("sla.targets", f"(missing {priority})",
                          "a target for each of " + ", ".join(priorities))
    tables = [("sla.targets", section.targets)]
    platforms = [p.value for p in Platform]
    for platform, targets in section.platform_targets.items():
        if platform not in platforms:
            yield Problem(f"sla.platform_targets.{platform}", platform, ", ".join(platforms))
        tables.append((f"sla.platform_targets.{platform}", targets))
    for where, targets in tables:
        for priority, target in targets.items():
            if priority not in priorities:
                yield Problem(f"{where}.{priority}", priority, ", ".join(priorities))
            elif target.first_response_minutes <= 0:
                yield Problem(f"{where}.{priority}.first_response_minutes",
                              str(target.first_response_minutes), "more than 0 minutes")
            elif target.resolution_minutes < target.first_response_minutes:
                yield Problem(f"{where}.{priority}.resolution_minutes",
                              str(target.resolution_minutes),
                              "at least first_response_minutes")
    for day, periods in section.business_hours.items():
        if day not in WEEKDAY_NAMES:
            yield Problem(f"sla.business_hours.{day}", day, ", ".join(WEEKDAY_NAMES))
            continue
        for period in periods:
            found = _HOURS.fullmatch(period)
            if not found or (period[6:] != "24:00" and period[6:] != "00:00"
                             and period[:5] >= period[6:]):
                yield Problem(f"sla.business_hours.{day}", period,
                              "periods written HH:MM-HH:MM, start before end (00:00 or 24:00 "
                              "as the end is midnight)")
    if section.business_hours and not any(section.business_hours.values()):
        yield Problem("sla.business_hours", "(no open hours)", "at least one working period")


# ----------------------------------------------------------- what the services read


def _time(text: str) -> time:
    hours, minutes = int(text[:2]), int(text[3:5])
    return time(0) if hours == 24 else time(hours, minutes)


def business_hours(config: CompanyConfiguration) -> dict[int, list[tuple[time, time]]]:
    """{weekday (0 = Monday): [(start, end), ...]} for `BusinessCalendar.weekly`."""
    return {WEEKDAY_NAMES.index(day): [(_time(p[:5]), _time(p[6:])) for p in periods]
            for day, periods in config.sla.business_hours.items()}


def sla_policy(config: CompanyConfiguration) -> base_sla.SlaPolicy:
    def target(minutes: SlaTargetMinutes) -> base_sla.SlaTarget:
        return base_sla.SlaTarget(timedelta(minutes=minutes.first_response_minutes),
                                  timedelta(minutes=minutes.resolution_minutes))

    return base_sla.SlaPolicy(
        targets={base_sla.Priority(p): target(t) for p, t in config.sla.targets.items()},
        platform_targets={Platform(platform): {base_sla.Priority(p): target(t)
                                               for p, t in targets.items()}
                          for platform, targets in config.sla.platform_targets.items()})


def business_calendar(config: CompanyConfiguration,
                      base: base_sla.BusinessCalendar = base_sla.DEFAULT_CALENDAR
                      ) -> base_sla.BusinessCalendar:
    """The configured hours, with `base`'s holidays and zone (the adapters' Indonesian
    calendar); `base` itself when the hours are the built-in ones."""
    if config.sla.business_hours == default_configuration().sla.business_hours:
        return base
    return base_sla.BusinessCalendar.weekly(business_hours(config), base.holidays, base.zone)


def watchlist(config: CompanyConfiguration) -> base_watchlist.Watchlist:
    if config.watchlist == default_configuration().watchlist:
        return base_watchlist.DEFAULT_WATCHLIST
    return base_watchlist.Watchlist(
        version=config.watchlist.version,
        topics={base_watchlist.Topic(c): terms for c, terms in config.watchlist.terms.items()})


def lexicon(config: CompanyConfiguration) -> base_lexicon.Lexicon:
    """The built-in lexicon with the configuration's additions and overrides; its version
    names them (a digest), so each stored score says which lexicon produced it."""
    terms = config.lexicon.terms
    if not terms:
        return base_lexicon.DEFAULT
    digest = hashlib.sha256(repr(sorted(terms.items())).encode()).hexdigest()[:8]
    return base_lexicon.DEFAULT.with_terms(terms, f"{base_lexicon.VERSION}+{digest}")


def content_policy(config: CompanyConfiguration) -> quality.ContentPolicy:
    return quality.ContentPolicy(banned_phrases=config.content.banned_phrases,
                                 disclosure_markers=config.content.required_disclosures)


def checklist_items(config: CompanyConfiguration) -> tuple[quality.ChecklistItem, ...]:
    return tuple(quality.ChecklistItem(i.key, i.en, i.id) for i in config.checklist)

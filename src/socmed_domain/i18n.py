"""The one message catalogue: codes with English ('en') and Bahasa Indonesia ('id') text.

Every message the project shows is a code with one template per language, in one shape
(``{code: {"en": ..., "id": ...}}``). The texts are data files (``socmed_domain.catalogue_files``):
the domain's own in ``i18n.toml`` beside this module and in each SOP stage's ``messages.toml``
(read through the stage's ``messages.py``); front ends add theirs with
``Catalogue.extended`` (the CLI's texts, table headings and values), which refuses a code that
is already defined -- there is no merging by mutation at import. ``render(code, lang,
**params)`` fills a template; the domain produces codes and parameters, the edges render them.

Templates are ``str.format`` templates plus ICU-like typed placeholders, so the catalogue, not
the code, owns plural forms and number formats:

* ``{count, plural, one {# rule} other {# rules}}`` -- ``#`` is the count, formatted;
* ``{size, number}`` -- a number in the reader's locale;
* ``{age, duration}`` -- a duration (a ``timedelta`` or seconds);
* ``{day, date}`` -- a date.

How a count picks its plural form and how numbers, dates and durations are written is a
``Formatter``. The domain stays free of third-party libraries, so its ``PLAIN`` formatter knows
only the CLDR plural rules of its two languages (English: 'one' for exactly 1, else 'other';
Indonesian: always 'other') and writes numbers as ``str()``; the edges (CLI, a web service)
pass ``socmed_adapters.i18n.BABEL``, which asks Babel for the ``en_US`` / ``id_ID`` locale.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Protocol

from socmed_domain.catalogue_files import load

DEFAULT_LANG = "en"
LANGUAGES = ("en", "id")

#: A catalogue source: {code: {"en": template, "id": template}}.
Messages = Mapping[str, Mapping[str, str]]


class Formatter(Protocol):
    """How numbers, dates, durations and plural categories are written in a language."""

    def plural(self, count: Any, lang: str) -> str:
        """The CLDR plural category ('zero', 'one', 'two', 'few', 'many', 'other')."""
        ...

    def number(self, value: Any, lang: str) -> str: ...

    def duration(self, value: Any, lang: str) -> str: ...

    def date(self, value: Any, lang: str) -> str: ...


class PlainFormatter:
    """The domain's own formatter: CLDR plural rules of English and Indonesian, numbers as
    ``str()``. Good enough for messages kept in exceptions and logs; the edges pass Babel."""

    def plural(self, count: Any, lang: str) -> str:
        if lang == "id":
            return "other"  # CLDR: Indonesian has no grammatical plural
        return "one" if count == 1 and float(count).is_integer() else "other"

    def number(self, value: Any, lang: str) -> str:
        return str(value)

    def duration(self, value: Any, lang: str) -> str:
        seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
        unit = "detik" if lang == "id" else "s"
        return f"{seconds:g} {unit}"

    def date(self, value: Any, lang: str) -> str:
        return value.date().isoformat() if isinstance(value, datetime) else str(value)


PLAIN = PlainFormatter()


class Catalogue:
    """Codes and their templates in both languages, plus the translated terms (verbs and
    actions named inside messages), gathered from named sources. A code defined twice is
    refused when the catalogue is built, naming both sources."""

    def __init__(self, sources: Iterable[tuple[str, Messages, Mapping[str, str]]]) -> None:
        messages: dict[str, Mapping[str, str]] = {}
        origin: dict[str, str] = {}
        terms: dict[str, str] = {}
        for name, source, source_terms in sources:
            for code, texts in source.items():
                if code in messages:
                    raise ValueError(f"message {code} is defined twice: in {origin[code]} "
                                     f"and in {name}")
                messages[code] = MappingProxyType(dict(texts))
                origin[code] = name
            for english, indonesian in source_terms.items():
                if terms.get(english, indonesian) != indonesian:
                    raise ValueError(f"term '{english}' is translated twice, differently "
                                     f"(in {name})")
                terms[english] = indonesian
        self.messages: Mapping[str, Mapping[str, str]] = MappingProxyType(messages)
        self.terms_id: Mapping[str, str] = MappingProxyType(terms)
        self.origin: Mapping[str, str] = MappingProxyType(origin)

    def extended(self, name: str, messages: Messages,
                 terms_id: Mapping[str, str] | None = None) -> Catalogue:
        """This catalogue plus a front end's codes; a code already here is refused."""
        own: list[tuple[str, Messages, Mapping[str, str]]] = [
            (self.origin[code], {code: texts}, {}) for code, texts in self.messages.items()]
        return Catalogue([*own, ("terms", {}, self.terms_id), (name, messages, terms_id or {})])

    def __contains__(self, code: object) -> bool:
        return code in self.messages

    def term(self, english: str, lang: str) -> str:
        return self.terms_id.get(english, english) if lang == "id" else english

    def render(self, code: str, lang: str = DEFAULT_LANG, formatter: Formatter | None = None,
               /, **params: Any) -> str:
        """Fill the template for `code` in `lang`, falling back to English, then to the
        code."""
        entry = self.messages.get(code)
        if entry is None:
            return code if not params else f"{code}: {params}"
        template = entry.get(lang) or entry[DEFAULT_LANG]
        params = {name: value.message(lang) if isinstance(value, Term) else value
                  for name, value in params.items()}
        try:
            return fill(template, lang, formatter or PLAIN, params)
        except (KeyError, IndexError, ValueError):
            return template


#: A typed placeholder: ``{name, plural, ...}``, ``{name, number}``, ...
_TYPED = re.compile(r"(?<!\{)\{(\w+),\s*(plural|number|duration|date)\s*[,}]")
_OPTION = re.compile(r"\s*(=\d+|zero|one|two|few|many|other)\s*\{")


def _closing(text: str, start: int) -> int:
    """The index of the brace closing the one opened at `start`."""
    depth = 0
    for index in range(start, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(f"unbalanced braces in {text!r}")


def fill(template: str, lang: str, formatter: Formatter, params: Mapping[str, Any]) -> str:
    """`template` with its plain placeholders (``str.format``) and typed ones filled."""
    parts: list[str] = []
    position = 0
    for match in _TYPED.finditer(template):
        if match.start() < position:
            continue  # inside a typed placeholder already rendered
        parts.append(template[position:match.start()].format(**params))
        end = _closing(template, match.start())
        name, kind = match.group(1), match.group(2)
        value = params[name]
        if kind == "plural":
            parts.append(_plural(template[match.end():end], value, lang, formatter, params))
        elif kind == "number":  # a count or amount, also when it arrives as digits
            number = _numeric(value) if isinstance(value, str) else value
            parts.append(formatter.number(value if number is None else number, lang))
        elif kind == "duration":
            parts.append(formatter.duration(value, lang))
        else:
            parts.append(formatter.date(value, lang))
        position = end + 1
    parts.append(template[position:].format(**params))
    return "".join(parts)


def _plural(body: str, count: Any, lang: str, formatter: Formatter,
            params: Mapping[str, Any]) -> str:
    options: dict[str, str] = {}
    position = 0
    while (option := _OPTION.match(body, position)) is not None:
        end = _closing(body, option.end() - 1)
        options[option.group(1)] = body[option.end():end]
        position = end + 1
    if body[position:].strip() or "other" not in options:
        raise ValueError(f"malformed plural {body!r}: give 'one {{...}} other {{...}}'")
    number = _numeric(count)
    if number is None:  # not a count (a composed string): the 'other' form, shown as is
        return fill(options["other"].replace("#", str(count)), lang, formatter, params)
    chosen = options.get(f"={count}") or options.get(formatter.plural(number, lang)) \
        or options["other"]
    return fill(chosen.replace("#", formatter.number(number, lang)), lang, formatter, params)


def _numeric(value: Any) -> int | float | Decimal | None:
    """`value` as a number (counts sometimes arrive as text); None when it is not one."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float | Decimal):
        return value
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    if not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else number


def _domain_sources() -> list[tuple[str, Messages, Mapping[str, str]]]:
    """The domain's catalogue sources: the core, user input, and each SOP stage's module."""
    from socmed_domain.access import messages as access
    from socmed_domain.configuration import messages as configuration
    from socmed_domain.crisis import messages as crisis
    from socmed_domain.evaluation import messages as evaluation
    from socmed_domain.identity import messages as identity
    from socmed_domain.identity import remote_messages
    from socmed_domain.identity import sso_messages as sso
    from socmed_domain.monitoring import messages as monitoring
    from socmed_domain.monitoring import webhook_messages
    from socmed_domain.notifications import messages as notifications
    from socmed_domain.planning import messages as planning
    from socmed_domain.shortcuts import messages as shortcuts

    core = load(__name__)  # socmed_domain/i18n.toml: the core codes and user input's
    return [(core.path, core.messages, core.terms_id),
            *[(stage.__name__, stage.MESSAGES, stage.TERMS_ID)
              for stage in (planning, monitoring, evaluation, crisis, webhook_messages,
                            identity, access, sso, remote_messages, notifications,
                            configuration, shortcuts)]]


class Term:
    """A word inside a message that is itself translated (an action, a verb)."""

    def __init__(self, english: str) -> None:
        self.english = english

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return catalogue().term(self.english, lang)

    def __str__(self) -> str:
        return self.english


@cache
def catalogue() -> Catalogue:
    """The domain's catalogue (front ends extend it with their own codes), built from its data
    files on first use, so importing the domain reads no file."""
    return Catalogue(_domain_sources())


if TYPE_CHECKING:
    #: The domain's catalogue, and read-only views of it kept for code and tests that read the
    #: catalogue directly; made on first access (``__getattr__``).
    CATALOGUE: Catalogue
    MESSAGES: Mapping[str, Mapping[str, str]]
    TERMS_ID: Mapping[str, str]


def __getattr__(name: str) -> Any:
    if name == "CATALOGUE":
        return catalogue()
    if name == "MESSAGES":
        return catalogue().messages
    if name == "TERMS_ID":
        return catalogue().terms_id
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def render(code: str, lang: str = DEFAULT_LANG, formatter: Formatter | None = None,
           /, **params: Any) -> str:
    """Fill the domain template for `code` in `lang` (see ``Catalogue.render``)."""
    return catalogue().render(code, lang, formatter, **params)

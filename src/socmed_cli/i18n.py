"""The CLI's messages, table headings and code values, registered in the one catalogue.

Their texts are data in ``i18n.toml`` beside this module (``socmed_domain.catalogue_files``):
codes in the domain's shape (``[messages."<code>"]`` with "en" and "id"); table headings
(``[headers_id]``) and code values (``[values_id]``), which the tables look up by their English
text or stored code, are registered as the codes ``header.<English heading>`` and
``value.<code>``. ``catalogue()`` is
the domain catalogue extended with them (a code defined twice is refused), and ``t`` renders
with Babel's numbers and plural rules. The language is the invocation's ``CliState.lang``,
which comes from --lang, $SOCMED_LANG or the locale ($LC_ALL, $LC_MESSAGES, $LANG starting
with 'id').
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socmed_domain.catalogue_files import CatalogueFile
    from socmed_domain.i18n import Catalogue

#: Columns whose cells are codes (statuses, kinds, outcomes, event types), with the catalogue
#: prefix of their labels: a table shows them in the reader's language; json and csv keep the
#: codes, which are also what filters take. (A role column stays a code where a command takes
#: it, as in 'team list'; an audit table names the role: ``code_label``.)
CODE_COLUMNS = {**dict.fromkeys(("status", "state", "kind", "outcome", "sentiment", "priority",
                                 "category", "pdp"), "value"),
                "event": "event_name"}
#: Parameters of an audit entry's description that hold codes (a role, a category, ...).
CODE_PARAMS = frozenset({"role", "category", "target", "kind", "recipient", "clock",
                         "priority", "status"})
#: Columns that may hold a text the system recorded in English (``recorded.*``): an automatic
#: escalation's note, a freeze's reason, a publishing run's detail.
RECORDED_COLUMNS = frozenset({"reason", "detail"})


def _heading_and_value_codes(data: CatalogueFile) -> dict[str, dict[str, str]]:
    codes = {f"header.{english}": {"en": english, "id": indonesian}
             for english, indonesian in data.table("headers_id").items()}
    codes.update({f"value.{code}": {"en": code, "id": indonesian}
                  for code, indonesian in data.table("values_id").items()})
    return codes


@cache
def catalogue() -> Catalogue:
    """The one catalogue: the domain's and the reports' codes plus the CLI's (built once, on
    first use, so ``socmed --help`` does not load it)."""
    from socmed_adapters.i18n import catalogue as adapters_catalogue
    from socmed_cli.click_messages import CLICK_MESSAGES
    from socmed_domain.catalogue_files import load

    data = load(__name__)
    return adapters_catalogue().extended(
        data.path, {**data.messages, **_heading_and_value_codes(data), **CLICK_MESSAGES})


def code_value(column: str, value: str, lang: str) -> str:
    """A code cell of a table in the reader's language; other cells as they are."""
    if column in RECORDED_COLUMNS:
        return translate_recorded(value, lang)
    prefix = CODE_COLUMNS.get(column)
    return value if prefix is None else code_label(value, lang, prefix)


def code_label(value: str, lang: str, prefix: str = "value") -> str:
    """The label of code `value` (``<prefix>.<value>``) in `lang`; the code when it has none."""
    return t(f"{prefix}.{value}", lang) if f"{prefix}.{value}" in catalogue() else value


def audit_summary(code: str, params: Mapping[str, Any], lang: str) -> str:
    """An audit entry's description in `lang`, its code parameters (a role, a category, an
    escalation target) in the reader's words and its numbers by Babel."""
    from socmed_adapters.i18n import BABEL

    shown = {name: code_label(value, lang)
             if name in CODE_PARAMS and isinstance(value, str) else value
             for name, value in params.items()}
    return catalogue().render(code, lang, BABEL, **shown)


def header(text: str, lang: str) -> str:
    """A table heading in the reader's language (json and csv keep their stable keys)."""
    return t(f"header.{text}", lang) if f"header.{text}" in catalogue() else text


def detect_lang(explicit: str | None = None) -> str:
    if explicit:
        return explicit
    env = os.environ.get("SOCMED_LANG")
    if env in ("en", "id"):
        return env
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var, "")
        if value:
            return "id" if value.lower().startswith(("id", "in_")) else "en"
    return "en"


def t(key: str, lang: str, **params: object) -> str:
    """Render `key` from the one catalogue in `lang`, with Babel's numbers and plurals."""
    from socmed_adapters.i18n import BABEL

    if key not in catalogue():
        raise KeyError(f"no message {key} in the catalogue")
    return catalogue().render(key, lang, BABEL, **params)

@cache
def _patterns(prefix: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """The English templates of the codes starting with `prefix`, as patterns that match a
    text made from them, in catalogue order (the first match wins)."""
    compiled = []
    for code, texts in catalogue().messages.items():
        if not code.startswith(prefix):
            continue
        pieces = re.split(r"\{(\w+)\}", texts["en"])
        regex = "".join(re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.*?)"
                        for index, piece in enumerate(pieces))
        compiled.append((code, re.compile(f"^{regex}$", re.DOTALL)))
    return tuple(compiled)


def _match(text: str, prefix: str, lang: str) -> tuple[str, dict[str, str]] | None:
    """The code (starting with `prefix`) whose English template made `text`, and its params;
    None when there is nothing to translate (English, an empty text, no template matches)."""
    if lang == "en" or not text:
        return None
    for code, pattern in _patterns(prefix):
        match = pattern.match(text)
        if match is not None:
            return code, match.groupdict()
    return None


def translate_recorded(text: str, lang: str) -> str:
    """A text the system recorded in English (``recorded.*``) in `lang`; any other text (what
    a member typed, a platform's error) as it is."""
    found = _match(text, "recorded.", lang)
    return text if found is None else audit_summary(*found, lang)


def translate_click(message: str, lang: str) -> str:
    """click's English `message` in `lang` (as it is when no template matches)."""
    found = _match(message, "click.", lang)
    if found is None:
        return message
    from socmed_cli.click_messages import KINDS, NESTED

    code, params = found
    params = {name: translate_click(value, lang) if name in NESTED else value
              for name, value in params.items()}
    if params.get("rest", "").strip():
        params["rest"] = " " + params["rest"].strip()
    if code == "click.not_valid":
        kind = params["type"].removesuffix(" range")
        if kind in ("integer", "float"):
            params["type"] = t(f"click.type_{kind}", lang)
    if "kind" in params and params["kind"] in KINDS:
        params["kind"] = t(KINDS[params["kind"]], lang)
    return t(code, lang, **params)

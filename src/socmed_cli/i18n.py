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
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from socmed_domain.catalogue_files import CatalogueFile
    from socmed_domain.i18n import Catalogue

#: Columns whose cells are codes (statuses, kinds, outcomes): a table shows them in the
#: reader's language; json and csv keep the codes, which are also what filters take.
CODE_COLUMNS = frozenset({"status", "state", "kind", "outcome", "sentiment", "priority",
                          "category", "pdp"})

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
    if column not in CODE_COLUMNS or f"value.{value}" not in catalogue():
        return value
    return t(f"value.{value}", lang)


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
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    compiled = []
    from socmed_cli.click_messages import CLICK_MESSAGES

    for code, texts in CLICK_MESSAGES.items():
        pieces = re.split(r"\{(\w+)\}", texts["en"])
        regex = "".join(re.escape(piece) if index % 2 == 0 else f"(?P<{piece}>.*?)"
                        for index, piece in enumerate(pieces))
        compiled.append((code, re.compile(f"^{regex}$", re.DOTALL)))
    return tuple(compiled)


def translate_click(message: str, lang: str) -> str:
    """click's English `message` in `lang` (as it is when no template matches)."""
    if lang == "en" or not message:
        return message
    from socmed_cli.click_messages import KINDS, NESTED

    for code, pattern in _patterns():
        match = pattern.match(message)
        if match is None:
            continue
        params = {name: translate_click(value, lang) if name in NESTED else value
                  for name, value in match.groupdict().items()}
        if params.get("rest", "").strip():
            params["rest"] = " " + params["rest"].strip()
        if code == "click.not_valid":
            kind = params["type"].removesuffix(" range")
            if kind in ("integer", "float"):
                params["type"] = t(f"click.type_{kind}", lang)
        if "kind" in params and params["kind"] in KINDS:
            params["kind"] = t(KINDS[params["kind"]], lang)
        return t(code, lang, **params)
    return message

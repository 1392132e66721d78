"""Babel at the edges: numbers, dates, durations and plural categories in the reader's locale.

The domain's catalogue (``socmed_domain.i18n``) owns the templates and stays free of
third-party libraries; every front end renders with ``BABEL`` so ``{count, plural, ...}``,
``{n, number}``, ``{age, duration}`` and ``{day, date}`` follow CLDR for ``en_US`` and
``id_ID`` (for example 1,234.5 in English and 1.234,5 in Indonesian).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from socmed_domain.i18n import Catalogue

#: The Babel locale of each catalogue language.
LOCALES = {"en": "en_US", "id": "id_ID"}


@cache
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(LOCALES.get(lang, LOCALES["en"]))


class BabelFormatter:
    """``socmed_domain.i18n.Formatter`` backed by Babel's CLDR data."""

    def plural(self, count: Any, lang: str) -> str:
        return str(_locale(lang).plural_form(abs(count)))

    def number(self, value: Any, lang: str) -> str:
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            return str(value)
        from babel.numbers import format_decimal

        exponent = value.as_tuple().exponent if isinstance(value, Decimal) else 0
        if isinstance(exponent, int) and exponent < 0:  # a Decimal keeps its places: 12.50
            return str(format_decimal(value, format="#,##0." + "0" * -exponent,
                                      locale=_locale(lang)))
        return str(format_decimal(value, locale=_locale(lang)))

    def duration(self, value: Any, lang: str) -> str:
        from babel.dates import format_timedelta

        delta = value if isinstance(value, timedelta) else timedelta(seconds=float(value))
        return str(format_timedelta(delta, locale=_locale(lang)))

    def date(self, value: Any, lang: str) -> str:
        from babel.dates import format_date

        day = value.date() if isinstance(value, datetime) else value
        return str(format_date(day, format="medium", locale=_locale(lang)))


BABEL = BabelFormatter()


@cache
def catalogue() -> Catalogue:
    """The domain's catalogue plus the reports' words (socmed_adapters.messages); the CLI
    (and later the web) extend this one with their own codes."""
    from socmed_adapters.messages import MESSAGES
    from socmed_domain.i18n import catalogue as domain_catalogue

    return domain_catalogue().extended("socmed_adapters/messages.toml", MESSAGES)


def render(code: str, lang: str, /, **params: Any) -> str:
    """`code` from the adapters' catalogue in `lang`, with Babel's numbers and plurals."""
    return catalogue().render(code, lang, BABEL, **params)

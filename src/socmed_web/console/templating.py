"""The Jinja2 environment of the console: autoescaped HTML, the catalogue as `t(code)` in
the page's language, Babel for times and numbers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import jinja2

from socmed_web.console.base import text


def environment() -> jinja2.Environment:
    from socmed_web.console import TEMPLATES

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.globals["t"] = _t
    env.filters["when"] = _when
    return env


@jinja2.pass_context
def _t(ctx: Any, code: str, /, **params: Any) -> str:
    return text(code, ctx.get("lang", "en"), **params)


@jinja2.pass_context
def _when(ctx: Any, value: datetime | None) -> str:
    """A time as the member reads it: in WIB (Asia/Jakarta), the locale's medium format."""
    if value is None:
        return ""
    from babel.dates import format_datetime

    from socmed_domain.timezones import WIB

    locale = "id_ID" if ctx.get("lang") == "id" else "en_US"
    return str(format_datetime(value.astimezone(WIB), format="medium", tzinfo=WIB,
                               locale=locale)) + " WIB"

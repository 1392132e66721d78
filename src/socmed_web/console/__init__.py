"""The web console: server-rendered pages (Jinja2, htmx) over the same services and read
models as the API, mounted by `socmed_web.app.create_app`.

`routers()` gives the pages and the static files; `template_config()` the Jinja2 engine
(autoescaping, the catalogue's `t()` in every template). See docs/console.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TEMPLATES = HERE.parent / "templates"
STATIC = HERE.parent / "static"


def routers() -> list[Any]:
    from litestar import Router
    from litestar.static_files import create_static_files_router

    from socmed_web.console import (
        audit,
        base,
        calendar,
        drafting,
        inbox,
        incidents,
        items,
        login,
        team,
        work,
    )

    pages = Router("/", route_handlers=[
        login.login_page, login.login, login.logout, login.switch_language,
        work.work_page, *items.HANDLERS, *drafting.HANDLERS, *calendar.HANDLERS, *inbox.HANDLERS,
        *incidents.HANDLERS, *audit.HANDLERS, *team.HANDLERS],
        exception_handlers={Exception: base.handle}, include_in_schema=False)
    static = create_static_files_router(path="/static", directories=[STATIC],
                                        include_in_schema=False)
    return [pages, static]


def template_config() -> Any:
    from litestar.plugins.jinja import JinjaTemplateEngine
    from litestar.template.config import TemplateConfig

    from socmed_web.console.templating import environment

    return TemplateConfig(instance=JinjaTemplateEngine.from_environment(environment()))

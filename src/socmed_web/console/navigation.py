"""The navigation's counts: what waits for the member (`WorkQueries.my_work`), asked once
per request and shared by the landing page and the layout."""

from __future__ import annotations

from typing import Any

from litestar import Request

from socmed_domain.identity.principal import Principal
from socmed_web.web import context


def my_work(request: Request[Any, Any, Any], principal: Principal) -> Any:
    cached = getattr(request.state, "my_work", None)
    if cached is None:
        from socmed_adapters.queries import ReadModels
        from socmed_adapters.work_queries import WorkQueries

        services = context(request).services
        # ReadModels without `services.read_models`' catch-up of every projection: my_work
        # catches up the three it reads
        models = ReadModels(services.app, services.projector)
        cached = WorkQueries(models).my_work(principal, services.clock())
        request.state.my_work = cached
    return cached


def nav_counts(request: Request[Any, Any, Any], principal: Principal) -> dict[str, int]:
    return {"work": sum(w.count for w in my_work(request, principal))}

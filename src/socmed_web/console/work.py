""""My work", the landing page: the lists of the member's role (`WorkQueries.my_work`),
oldest first; the navigation shows how many items wait."""

from __future__ import annotations

from typing import Any

from litestar import get

from socmed_web.console.base import Req, member, page
from socmed_web.console.navigation import my_work


@get("/", sync_to_thread=True, include_in_schema=False)
def work_page(request: Req) -> Any:
    principal = member(request)
    return page(request, "console/work.html", principal, lists=my_work(request, principal))

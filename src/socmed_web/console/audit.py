"""Reports and audit in the console: the monthly report and the dashboard in the page,
Legal's audit search (person, period, event type, item, `via`; the log as of a time) over the
audit index (one query per page), and the download of a verified bundle (a zip of the
folder `socmed audit export` writes; `socmed audit verify-bundle` accepts it unzipped).

Who may read what is the domain's read matrix, asked by the read models; a refusal is a
page with the domain's message.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from litestar import Response, get
from markupsafe import Markup

from socmed_adapters.reports.console_pages import report_pages
from socmed_domain.access.rules import Readable
from socmed_domain.errors import InvalidInputError
from socmed_domain.months import Month
from socmed_domain.timezones import DEFAULT_ZONE, WIB
from socmed_web.console.base import HEADERS, Req, lang_of, member, page
from socmed_web.web import context


def _time(value: str | None, field: str) -> datetime | None:
    from socmed_domain.timezones import parse_time

    return parse_time(value, WIB, field=field) if value else None


def _filters(member_id: str | None, type: str | None, item: str | None,
             since: str | None, until: str | None, as_of: str | None,
             via: str | None = None) -> dict[str, Any]:
    from socmed_domain.event_types import event_type_names
    from socmed_domain.identity.principal import VIA_KINDS

    if type and type not in event_type_names():
        raise InvalidInputError("error.unknown_event_type", value=type, hint="")
    if via and via not in VIA_KINDS:
        raise InvalidInputError("error.unknown_choice", kind="via", value=via,
                                choices=", ".join(VIA_KINDS))
    return {"member": member_id or None, "type": type or None, "item": item or None,
            "since": _time(since, "since"), "until": _time(until, "until"),
            "as_of": _time(as_of, "as_of"), "via": via or None,
            "raw": {"member": member_id or "", "type": type or "", "item": item or "",
                    "since": since or "", "until": until or "", "as_of": as_of or "",
                    "via": via or ""}}


@get("/audit", sync_to_thread=True, include_in_schema=False)
def audit_page(request: Req, member_id: str | None = None, type: str | None = None,
               item: str | None = None, since: str | None = None, until: str | None = None,
               as_of: str | None = None, via: str | None = None,
               search: str | None = None) -> Any:
    """The search form; with `search`, the matching entries (oldest first, 500 at most)."""
    from socmed_domain.event_types import event_type_names
    from socmed_domain.identity.principal import VIA_KINDS

    principal = member(request)
    chosen = _filters(member_id, type, item, since, until, as_of, via)
    services = context(request).services
    entries = None
    if search is not None:
        item_id = str(services.app.content.resolve(chosen["item"])) if chosen["item"] else None
        entries = services.read_models.audit_log(
            principal, item_id=item_id, member=chosen["member"], event_type=chosen["type"],
            since=chosen["since"], until=chosen["until"], as_of=chosen["as_of"],
            via=chosen["via"], limit=500)
    else:
        services.read_models.audit_log(principal, limit=0)  # the read matrix, nothing read
    return page(request, "console/audit.html", principal, entries=entries,
                chosen=chosen["raw"], types=sorted(event_type_names()), vias=VIA_KINDS)


@get("/audit/bundle", sync_to_thread=True, include_in_schema=False)
def audit_bundle(request: Req, since: str | None = None, until: str | None = None) -> Any:
    """The verified bundle of the period as a zip (events.jsonl + manifest.json)."""
    from socmed_adapters.audit.export import export_bundle_zip

    principal = member(request)
    services = context(request).services
    start, end = _time(since, "since"), _time(until, "until")
    body = export_bundle_zip(services, principal, start, end)
    stamp = services.clock().astimezone(WIB).strftime("%Y%m%d-%H%M")
    return Response(body, media_type="application/zip", headers={
        **HEADERS, "Content-Disposition": f'attachment; filename="audit-bundle-{stamp}.zip"'})


@get("/reports", sync_to_thread=True, include_in_schema=False)
def reports_page(request: Req, month: str | None = None) -> Any:
    """The monthly report (the figures of `socmed report monthly`) and the dashboard."""
    principal = member(request)
    services = context(request).services
    chosen = Month.parse(month) if month else _this_month(services.clock())
    services.read_models.reader(principal, Readable.REPORTS)
    shown = report_pages(services).page(chosen, DEFAULT_ZONE, lang_of(request))
    return page(request, "console/reports.html", principal, report=Markup(shown.html),
                month=str(chosen), current=shown.current,
                computed_at=shown.computed_at.astimezone(WIB).strftime("%H:%M"))


def _this_month(now: datetime) -> Month:
    local = now.astimezone(WIB)
    return Month(local.year, local.month)


HANDLERS = [audit_page, audit_bundle, reports_page]

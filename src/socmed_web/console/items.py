"""Content items in the console: the list, and the item page (a preview frame per platform,
the automatic checks and the checklist, word diffs from the previous and the last approved
revision, the history, the workflow's buttons). The drafting form is `console.drafting`.

Each handler reads one view (`content.get_for` + `history_for`, the read models' list) or
calls one command; the buttons shown follow the domain's role matrix (`roles.may`), and the
command decides: a refusal is shown next to the button that caused it, in the domain's words.
Approving posts the SHA-256 of the revision the page showed (a hidden field), so an item
changed while the page was open is refused by the domain (`error.hash_mismatch`).
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from socmed_domain.errors import SocmedError
from socmed_domain.identity.principal import Principal
from socmed_domain.roles import Action, Role, may
from socmed_web.console.base import Req, checked, error_message, lang_of, member, page, redirect
from socmed_web.console.diff import draft_diff
from socmed_web.console.drafting import many
from socmed_web.web import context

Form = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.URL_ENCODED)]


def _content(request: Req) -> Any:
    return context(request).services.app.content


def _role(request: Req, principal: Principal) -> Role:
    role: Role = context(request).services.app.actor(principal, reading=True).role
    return role


def route_steps(request: Req, principal: Principal, detail: Any) -> list[dict[str, Any]]:
    """The steps of the item's approval route: who may record each, who recorded it, and
    whether the reader may record it now (a button; the domain still decides)."""
    route = detail.route
    if route is None:
        return []
    actor = context(request).services.app.actor(principal, reading=True)
    author = detail.revisions[-1].author_id if detail.revisions else ""
    recorded = {r.step: r.member_id for r in detail.steps_recorded
                if r.revision_sha256 == route.revision_sha256}
    mine = actor.member_id in recorded.values()
    open_status = detail.summary.status in ("in_review", "reviewed", "awaiting_approval")
    return [{"key": step.key, "label": step.label or step.key, "who": step.who(),
             "by": recorded.get(step.key, ""),
             "may": (open_status and step.key not in recorded and not mine
                     and actor.member_id != author and step.eligible(actor))}
            for step in route.steps]


# ------------------------------------------------------------------ the list

@get("/items", sync_to_thread=True, include_in_schema=False)
def list_items(request: Req, status: str | None = None) -> Any:
    from socmed_adapters.queries import ReadModels

    principal = member(request)
    services = context(request).services
    services.projector.catch_up(["content_board"])  # only the board this page reads
    rows = ReadModels(services.app, services.projector).content_page(
        principal, status or None, None, limit=100)
    return page(request, "console/items.html", principal, rows=rows, status=status or "")


# ------------------------------------------------------------------ the item page

def item_view(request: Req, principal: Principal, ref: str) -> dict[str, Any]:
    """Everything the item page shows, from the item's detail and history."""
    content = _content(request)
    detail = content.get_for(principal, ref)
    history = content.history_for(principal, ref)
    revisions = detail.revisions
    current = revisions[-1] if revisions else None
    approved_numbers = [int(e.params.get("revision", 0)) for e in history
                        if e.event_type == "Approved"]
    last_approved = (revisions[approved_numbers[-1] - 1]
                     if approved_numbers and 0 < approved_numbers[-1] <= len(revisions)
                     else None)
    voided = (last_approved is not None and current is not None
              and detail.approval is None and last_approved.number < current.number)
    role = _role(request, principal)
    lang = lang_of(request)
    return {
        "detail": detail, "summary": detail.summary, "current": current,
        "history": history, "role": role.value,
        "previews": content.previews(current.draft) if current else (),
        "findings": content.check_draft(principal, current.draft) if current else (),
        "checklist": [(c.key, c.id if lang == "id" else c.en) for c in content.checklist()],
        "confirmed": set(detail.review.confirmed) if detail.review else set(),
        "diff_previous": (draft_diff(revisions[-2].draft, current.draft)
                          if current and len(revisions) > 1 else None),
        "last_approved": last_approved,
        "diff_approved": (draft_diff(last_approved.draft, current.draft)
                          if voided and last_approved and current else None),
        "voided": voided,
        "route": detail.route,
        "route_steps": route_steps(request, principal, detail),
        "may": {a.name.lower(): may(role, a) for a in (
            Action.REVISE_CONTENT, Action.SUBMIT_FOR_REVIEW, Action.REVIEW_CONTENT,
            Action.SUBMIT_FOR_APPROVAL, Action.APPROVE_CONTENT, Action.REQUEST_CHANGES,
            Action.CREATE_CONTENT)},
        "errors": {},
    }


@get("/items/{ref:str}", sync_to_thread=True, include_in_schema=False)
def show_item(request: Req, ref: str) -> Any:
    principal = member(request)
    return page(request, "console/item.html", principal, **item_view(request, principal, ref))


def _act(request: Req, ref: str, data: dict[str, Any], control: str, call: Any) -> Any:
    """One command from the item page: on success back to the page, on a refusal the page
    again with the domain's message next to `control`."""
    principal = checked(request, data)
    try:
        call(principal)
    except SocmedError as error:
        from socmed_web.problems import status_of

        view = item_view(request, principal, ref)
        view["errors"] = {control: error_message(request, error)}
        return page(request, "console/item.html", principal, status_code=status_of(error),
                    **view)
    return redirect(f"/items/{ref}")


@post("/items/{ref:str}/approve", sync_to_thread=True, include_in_schema=False)
def approve(request: Req, ref: str, data: Form) -> Any:
    shown = str(data.get("revision_sha256", ""))
    return _act(request, ref, data, "approve", lambda p: _content(request).approve(
        p, ref, shown, str(data.get("comment", ""))))


def _text_step(control: str, method: str, field: str) -> Any:
    """The handler of one item-page button whose command takes one text field (a note or a
    comment): POST /items/{ref}/<control with dashes> calls `content.<method>(p, ref, text)`."""

    @post(f"/items/{{ref:str}}/{control.replace('_', '-')}", sync_to_thread=True,
          include_in_schema=False)
    def handler(request: Req, ref: str, data: Form) -> Any:
        return _act(request, ref, data, control, lambda p: getattr(
            _content(request), method)(p, ref, str(data.get(field, ""))))

    return handler


request_changes = _text_step("request_changes", "request_changes", "comment")
submit_review = _text_step("submit_review", "submit_for_review", "note")
submit_approval = _text_step("submit_approval", "submit_for_approval", "note")


@post("/items/{ref:str}/step", sync_to_thread=True, include_in_schema=False)
def record_step(request: Req, ref: str, data: Form) -> Any:
    """A step of the approval route, naming the revision the page showed."""
    shown = str(data.get("revision_sha256", ""))
    return _act(request, ref, data, "step", lambda p: _content(request).record_step(
        p, ref, str(data.get("step", "")), shown, str(data.get("comment", "")),
        require_hash=True))


@post("/items/{ref:str}/review", sync_to_thread=True, include_in_schema=False)
def review(request: Req, ref: str, data: Form) -> Any:
    confirmed = many(data, "checks")
    return _act(request, ref, data, "review", lambda p: _content(request).review(
        p, ref, confirmed, str(data.get("comment", ""))))


@post("/items/{ref:str}/clone", sync_to_thread=True, include_in_schema=False)
def clone(request: Req, ref: str, data: Form) -> Any:
    """A new draft with this item's current revision (same campaign), its provenance
    recorded: one clone command."""
    principal = checked(request, data)
    content = _content(request)
    try:
        new_id = content.clone(principal, ref, str(data.get("title", "")).strip())
    except SocmedError as error:
        view = item_view(request, principal, ref)
        view["errors"] = {"clone": error_message(request, error)}
        return page(request, "console/item.html", principal, status_code=422, **view)
    return redirect(f"/items/{new_id}")


HANDLERS = [list_items, show_item, approve, request_changes, submit_review, review,
            submit_approval, record_step, clone]

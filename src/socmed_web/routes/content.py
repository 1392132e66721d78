"""/api/v1/content: stages 2 and 3 (drafts, review, approval, schedule, withdraw, archive)."""

from __future__ import annotations

from typing import Any

from litestar import Request, Response, Router, get, post

from socmed_domain.production.content_item import Status
from socmed_web import bodies as b
from socmed_web.openapi import COMMAND, READ
from socmed_web.routes.steps import ref_command
from socmed_web.web import (
    check_limit,
    command,
    command_async,
    context,
    enum_value,
    models,
    page,
    parse_time,
    read,
    read_async,
    time_cursor,
)

Req = Request[Any, Any, Any]


def _models(request: Req) -> Any:
    return models(request)


def _content(request: Req) -> Any:
    return context(request).services.app.content


@get("/", responses=READ)
async def list_content(request: Req, status: str | None = None,
                       platform: str | None = None, limit: int = 50,
                       after: str | None = None, as_of: str | None = None) -> Response[Any]:
    """Content in creation order (an agency: its campaigns' items), keyset-paged: pass the
    `next` of a page as `after`; `as_of`: as it stood then."""
    wanted = enum_value(Status, status, "status")
    chosen = b.platforms([platform])[0].value if platform else None
    size, cursor = check_limit(limit), time_cursor(after)
    moment = parse_time(as_of, "as_of")
    if moment is not None:
        as_of_models = context(request).services.read_models  # ListingReads
        return await read_async(request, lambda who: page(as_of_models.content_page_as_of(
            who, moment, wanted.value if wanted else None, chosen, limit=size + 1,
            after=cursor), size, lambda s: (s.created_at, s.item_id)))
    return await read_async(request, lambda who: page(_models(request).content_page_rows(
        who, wanted.value if wanted else None, chosen, limit=size + 1, after=cursor),
        size, lambda row: (row["created_at"], row["item_id"]), rendered=True))


@get("/checklist", responses=READ)
async def checklist(request: Req) -> Response[Any]:
    """The Content Quality Checklist keys a reviewer confirms."""
    return await read_async(request, lambda who: list(_content(request).checklist_keys()))


@get("/{ref:str}", responses=READ)
async def show(request: Req, ref: str, as_of: str | None = None) -> Response[Any]:
    """One item (as it stood at `as_of`, if given); its ETag is the item's version."""
    moment = parse_time(as_of, "as_of")
    return await read_async(request, lambda who: _content(request).get_for(who, ref, moment),
                            etag=lambda detail: detail.version)


@get("/{ref:str}/history", responses=READ)
async def history(request: Req, ref: str) -> Response[Any]:
    """The item's events: who did what, when, why and how they were signed in (`via`),
    numbered by their position in the whole log (as `socmed content history` shows them)."""
    return await read_async(
        request, lambda who: _models(request).item_history_rows_for(who, ref))


@post("/", responses=COMMAND)
async def create(request: Req, data: b.CreateContent) -> Response[Any]:
    draft = data.draft.to_draft() if data.draft else None
    return await command_async(request, data, lambda who: {"item_id": _content(request).create(
        who, data.title, draft, data.campaign_id, data.note)}, status=201,
        bounded=draft is None or not draft.media)  # media are read from their bytes


@post("/{ref:str}/revise", responses=COMMAND, sync_to_thread=True)
def revise(request: Req, ref: str, data: b.Revise) -> Response[Any]:
    draft = data.draft.to_draft()
    return command(request, data,
                   lambda who: _content(request).revise(who, ref, draft, data.note))


submit_review = ref_command("/{ref:str}/submit-review", "submit_review",
                            b.Note, "note", _content, "submit_for_review", bounded=True)


@post("/{ref:str}/review", responses=COMMAND)
async def review(request: Req, ref: str, data: b.Review) -> Response[Any]:
    service = _content(request)
    return await command_async(request, data, lambda who: service.review(
        who, ref, tuple(data.checks), data.comment, all_checks=data.all_checks))


submit_approval = ref_command("/{ref:str}/submit-approval", "submit_approval",
                              b.Note, "note", _content, "submit_for_approval", bounded=True)


@post("/{ref:str}/approve", responses=COMMAND)
async def approve(request: Req, ref: str, data: b.Approve) -> Response[Any]:
    """Approve the revision named by its SHA-256 (the one the approver was shown)."""
    return await command_async(request, data, lambda who: {
        "revision_sha256": _content(request).approve(who, ref, data.revision_sha256,
                                                     data.comment)})


@post("/{ref:str}/steps", responses=COMMAND, sync_to_thread=True)
def record_step(request: Req, ref: str, data: b.RecordStep) -> Response[Any]:
    """Record a step the item's approval route requires before approval (a Legal
    compliance review, a second approver, a named group's sign-off), on the revision named
    by its SHA-256; never by the revision's author, and one step per person."""
    return command(request, data, lambda who: _content(request).record_step(
        who, ref, data.step, data.revision_sha256, data.comment, require_hash=True))


request_changes = ref_command("/{ref:str}/request-changes", "request_changes",
                              b.RequiredComment, "comment", _content, bounded=True)


@post("/{ref:str}/schedule", responses=COMMAND, sync_to_thread=True)
def schedule(request: Req, ref: str, data: b.Schedule) -> Response[Any]:
    when = parse_time(data.at, "at")
    chosen = b.platforms(data.platforms)
    return command(request, data,
                   lambda who: _content(request).schedule(who, ref, when, chosen))


withdraw = ref_command("/{ref:str}/withdraw", "withdraw", b.Reason, "reason", _content,
                       bounded=True)
archive = ref_command("/{ref:str}/archive", "archive", b.Note, "note", _content, bounded=True)


@get("/{ref:str}/check", responses=READ, sync_to_thread=True)
def check(request: Req, ref: str) -> Response[Any]:
    """Every automatic check of a review on the current revision, without a review
    (nothing is recorded): the findings, empty when nothing was found."""
    return read(request, lambda who: _content(request).check(who, ref))


@post("/{ref:str}/clone", responses=COMMAND, sync_to_thread=True)
def clone(request: Req, ref: str, data: b.CloneContent) -> Response[Any]:
    """A new draft with the item's current revision; its history names the source."""
    return command(request, data, lambda who: {"item_id": _content(request).clone(
        who, ref, data.title, data.note)}, status=201)


@post("/import", responses=COMMAND, sync_to_thread=True)
def import_csv(request: Req, data: b.ImportContent) -> Response[Any]:
    """Many drafts from a CSV text (the columns of `socmed content import`), all checked
    first, all created or none; the report names every problem with its row and column."""
    return command(request, data, lambda who: _content(request).import_drafts(
        who, data.csv, data.dry_run))


router = Router("/api/v1/content", tags=["content"], route_handlers=[
    check, clone, import_csv,
    list_content, checklist, show, history, create, revise, submit_review, review,
    submit_approval, record_step, approve, request_changes, schedule, withdraw, archive])

"""The drafting form of the console: a new draft or a revision, with per-platform texts, the
automatic checks and previews as one types (htmx asks `/items/checks` the same domain checks
a review runs), and media uploaded from the browser.

The form is `multipart/form-data` with its file field inside, so it works without JavaScript:
its upload button posts the whole form, which comes back with the file among its media and
nothing saved; with htmx the file is uploaded as soon as it is chosen (`/items/media`). Each
handler parses the form and calls one command (`content.create`, `content.revise`,
`content.store_media`); a refusal is shown on the form in the domain's words.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.identity.principal import Principal
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import CaptionVariant, ContentType, Draft, MediaRef
from socmed_web.console.base import Req, checked, error_message, member, page, redirect
from socmed_web.routes.media import file_chunks, upload_max
from socmed_web.web import context


def _content(request: Req) -> Any:
    return context(request).services.app.content


def many(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key, [])
    return [value] if isinstance(value, str) else [str(v) for v in value]


def draft_from(data: dict[str, Any]) -> Draft:
    """The draft a form describes (parsing only: the domain validates it when saved)."""
    from socmed_domain.platforms import platform_named

    chosen = tuple(platform_named(name) for name in many(data, "platforms") if name)
    captions = tuple(CaptionVariant(p, str(data.get(f"caption_{p.value}", "")))
                     for p in chosen if str(data.get(f"caption_{p.value}", "")).strip())
    tags = tuple(t for t in str(data.get("hashtags", "")).replace(",", " ").split() if t)
    kind = str(data.get("content_type", "text")) or "text"
    try:
        content_type = ContentType(kind)
    except ValueError:
        raise InvalidInputError("error.unknown_choice", kind="content type", value=kind,
                                choices=", ".join(k.value for k in ContentType)) from None
    return Draft(text=str(data.get("text", "")), platforms=chosen, content_type=content_type,
                 captions=captions, hashtags=tags, sponsored=bool(data.get("sponsored")),
                 own_brand=bool(data.get("own_brand")),
                 ai_generated=bool(data.get("ai_generated")), media=_media_from(data))


def _media_from(data: dict[str, Any]) -> tuple[MediaRef, ...]:
    """The uploads the form names (hidden `media` fields, by SHA-256), less those ticked for
    removal, each with its description; never an address (nothing is fetched)."""
    from socmed_web.bodies import MediaIn

    dropped = set(many(data, "media_drop"))
    chosen = [sha for sha in dict.fromkeys(many(data, "media")) if sha and sha not in dropped]
    return tuple(MediaIn(sha256=sha, alt_text=str(data.get(f"media_alt_{sha}", ""))).to_ref()
                 for sha in chosen)


def media_values(media: MediaRef) -> dict[str, Any]:
    """What the form's media entry shows of a read medium (its probe)."""
    probe = media.probe
    size = media.file_bytes or 0
    return {"sha256": probe.sha256 if probe else media.uri.partition(":")[2],
            "kind": media.kind, "alt_text": media.alt_text,
            "mime_type": media.mime_type or media.kind, "width": probe.width if probe else None,
            "height": probe.height if probe else None, "seconds": media.seconds,
            "size": f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"}


def _form_values(draft: Draft | None, title: str = "", campaign_id: str | None = None,
                 note: str = "") -> dict[str, Any]:
    return {
        "title": title, "campaign_id": campaign_id or "", "note": note,
        "text": draft.text if draft else "",
        "platforms": [p.value for p in draft.platforms] if draft else [],
        "captions": {c.platform.value: c.text for c in draft.captions} if draft else {},
        "hashtags": " ".join(draft.hashtags) if draft else "",
        "content_type": draft.content_type.value if draft else "text",
        "sponsored": draft.sponsored if draft else False,
        "own_brand": draft.own_brand if draft else False,
        "ai_generated": draft.ai_generated if draft else False,
        "media": [media_values(m) for m in draft.media if m.probe] if draft else [],
    }


def _draft_page(request: Req, principal: Principal, values: dict[str, Any],
                ref: str | None, error: str | None = None, status_code: int = 200,
                media_error: str | None = None) -> Any:
    campaigns: tuple[Any, ...] = ()
    if ref is None:
        from socmed_domain.planning.campaign import CampaignStatus

        found = context(request).services.read_models.campaigns_for(principal)
        campaigns = tuple(c for c in found if c.status in (
            CampaignStatus.APPROVED.value, CampaignStatus.RUNNING.value))
    return page(request, "console/draft.html", principal, status_code=status_code,
                values=values, ref=ref, campaigns=campaigns, error=error,
                media_error=media_error,
                platforms=[(p.value, p.label) for p in Platform],
                content_types=[k.value for k in ContentType])


@get("/items/new", sync_to_thread=True, include_in_schema=False)
def new_draft(request: Req) -> Any:
    principal = member(request)
    return _draft_page(request, principal, _form_values(None), None)


async def form_of(request: Req) -> dict[str, Any]:
    """A form post's fields, URL-encoded or multipart (the drafting form is multipart for its
    file field, and htmx sends its checks the same way): a field sent more than once is a
    list, a file an UploadFile."""
    form = await request.form()
    data: dict[str, Any] = {}
    for key, value in form.multi_items():
        if key not in data:
            data[key] = value
        elif isinstance(data[key], list):
            data[key].append(value)
        else:
            data[key] = [data[key], value]
    return data


async def _threaded(handler: Any, request: Req, *args: Any) -> Any:
    """`handler(request, data, *args)` in a worker thread once the form is read (reading a
    multipart body is async; the commands are not)."""
    import anyio.to_thread

    data = await form_of(request)
    return await anyio.to_thread.run_sync(handler, request, data, *args)


def _attach_upload(request: Req, principal: Principal, data: dict[str, Any]) -> str | None:
    """The file the drafting form carries, if one was chosen (the form works without
    JavaScript: its upload button posts the whole form): kept by its SHA-256 and named among
    the form's media; the refusal in words otherwise."""
    from litestar.datastructures import UploadFile

    upload = data.pop("media_file", None)
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    try:
        stored = _content(request).store_media(principal, file_chunks(upload.file))
    except SocmedError as error:
        return error_message(request, error)
    sha = stored.probe.sha256 if stored.probe else stored.uri.partition(":")[2]
    data["media"] = [*many(data, "media"), sha]
    return None


def _media_read(request: Req, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The form's media entries described from their files (type, size, dimensions), for
    the form shown again after an upload without JavaScript."""
    from socmed_domain.production.media_reading import read_media

    try:
        read = read_media(Draft(text="", platforms=(), media=_media_from(data)),
                          _content(request).media_reader)
    except SocmedError:
        return _media_shown(request, data)
    return [media_values(m) for m in read.media if m.probe]


def _submitted(request: Req, data: dict[str, Any], ref: str | None) -> Any:
    """A drafting form posted: a chosen file is uploaded first; the upload button shows the
    form again with the file among its media, the save button saves the draft."""
    principal = checked(request, data)
    media_error = _attach_upload(request, principal, data)
    values = {**_form_values(None), **{k: v for k, v in data.items() if k != "csrf_token"}}
    values["platforms"] = many(data, "platforms")
    values["captions"] = {p: str(data.get(f"caption_{p}", "")) for p in values["platforms"]}
    if data.get("upload") or media_error:
        values["media"] = _media_read(request, data)
        return _draft_page(request, principal, values, ref,
                           status_code=422 if media_error else 200, media_error=media_error)
    values["media"] = _media_shown(request, data)
    try:
        draft = draft_from(data)
        if ref is None:
            target = _content(request).create(principal, str(data.get("title", "")), draft,
                                               str(data.get("campaign_id", "")) or None,
                                               str(data.get("note", "")))
        else:
            _content(request).revise(principal, ref, draft, str(data.get("note", "")))
            target = ref
    except SocmedError as error:
        from socmed_web.problems import status_of

        return _draft_page(request, principal, values, ref, error_message(request, error),
                           status_code=status_of(error))
    return redirect(f"/items/{target}")


@post("/items/new", include_in_schema=False, request_max_body_size=upload_max())
async def create_draft(request: Req) -> Any:
    return await _threaded(_submitted, request, None)


@get("/items/{ref:str}/edit", sync_to_thread=True, include_in_schema=False)
def edit_draft(request: Req, ref: str) -> Any:
    principal = member(request)
    detail = _content(request).get_for(principal, ref)
    current = detail.revisions[-1].draft if detail.revisions else None
    return _draft_page(request, principal,
                       _form_values(current, detail.summary.title,
                                    detail.summary.campaign_id), ref)


@post("/items/{ref:str}/edit", include_in_schema=False, request_max_body_size=upload_max())
async def revise_draft(request: Req, ref: str) -> Any:
    return await _threaded(_submitted, request, ref)


def _media_shown(request: Req, data: dict[str, Any]) -> list[dict[str, Any]]:
    """The media entries of a form sent back with an error (what the member uploaded stays
    on the form), described from the uploads' hashes alone."""
    try:
        refs = _media_from(data)
    except SocmedError:
        return []
    return [{"sha256": r.uri.partition(":")[2], "kind": "media", "alt_text": r.alt_text,
             "mime_type": "", "width": None, "height": None, "seconds": None, "size": ""}
            for r in refs]


Upload = Annotated[dict[str, Any], Body(media_type=RequestEncodingType.MULTI_PART)]


@post("/items/media", include_in_schema=False, status_code=200,
      request_max_body_size=upload_max())
async def upload_media(request: Req, data: Upload) -> Any:
    """A file chosen in the drafting form, uploaded at once (htmx): kept by its SHA-256 and
    read from its bytes (`app.content.store_media`); answers the form's entry for it (a
    hidden field naming it, its thumbnail, its description) or the refusal in words."""
    import anyio.to_thread
    from litestar.datastructures import UploadFile

    principal = await anyio.to_thread.run_sync(checked, request, data)
    upload = data.get("media_file")
    content = _content(request)
    try:
        if not isinstance(upload, UploadFile):
            raise InvalidInputError("error.bad_request", detail="media_file")
        stored = await anyio.to_thread.run_sync(
            lambda: content.store_media(principal, file_chunks(upload.file)))
    except SocmedError as error:
        return page(request, "console/_media_error.html", None,
                    message=error_message(request, error))
    return page(request, "console/_media.html", None, m=media_values(stored))


def _checks(request: Req, data: dict[str, Any]) -> Any:
    principal = checked(request, data)
    content = _content(request)
    data.pop("media_file", None)
    try:
        draft = draft_from(data)
        previews = content.previews(draft) if draft.platforms else ()
        findings = content.check_draft(principal, draft)
        error = None
    except SocmedError as refusal:
        previews, findings, error = (), (), error_message(request, refusal)
    return page(request, "console/_checks.html", None, previews=previews,
                findings=findings, error=error)


@post("/items/checks", include_in_schema=False, status_code=200,
      request_max_body_size=upload_max())
async def draft_checks(request: Req) -> Any:
    """The checks and previews of the form as it stands (htmx, as one types)."""
    return await _threaded(_checks, request)


HANDLERS = [new_draft, create_draft, upload_media, draft_checks, edit_draft, revise_draft]

"""/api/v1/media: a member who drafts uploads a media file's bytes; the answer's `uri`
(`sha256:<hex>`) is what a draft's `media` names (by its `sha256`).

The server never fetches a URL a client gives (that would let a client make the server
request its own network: SSRF); the client sends the bytes, either as the raw body with an
image or video Content-Type (or application/octet-stream), or as a multipart form field
`file`. The bytes are streamed to the store's content-addressed media folder and read there
(type, size, dimensions, duration from the bytes, never from a name or the Content-Type);
bytes that are not an image or a video, or more than the limit, are refused and not kept.

Thumbnails (GET /api/v1/media/{sha256}/thumbnail) are re-encoded by Pillow as PNG, so what
the browser receives is always a plain image, whatever was uploaded.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

import anyio.to_thread
from litestar import Request, Response, Router, get, post
from litestar.datastructures import UploadFile
from litestar.openapi.spec import OpenAPIMediaType, Operation, RequestBody, Schema
from litestar.openapi.spec.enums import OpenAPIType

from socmed_domain.errors import InvalidInputError
from socmed_web.openapi import COMMAND, READ
from socmed_web.web import context, plain, who

Req = Request[Any, Any, Any]

#: The largest upload the API reads (bytes); $SOCMED_MEDIA_UPLOAD_MAX_BYTES changes it.
DEFAULT_UPLOAD_MAX = 512 * 1024 * 1024
#: Bytes kept in memory before an upload spills to a temporary file.
SPOOL = 1 << 20
CHUNK = 1 << 20
RAW_TYPES = ("image/", "video/", "application/octet-stream")
#: What a served thumbnail may do in a browser: nothing but be shown.
THUMBNAIL_HEADERS = {"Content-Security-Policy": "default-src 'none'; sandbox",
                     "X-Content-Type-Options": "nosniff",
                     "Cache-Control": "private, max-age=86400, immutable"}


def upload_max() -> int:
    named = os.environ.get("SOCMED_MEDIA_UPLOAD_MAX_BYTES", "")
    return int(named) if named.isdigit() else DEFAULT_UPLOAD_MAX


_BINARY = Schema(type=OpenAPIType.STRING, format="binary")  # type: ignore[arg-type]


@dataclass
class UploadOperation(Operation):
    """The upload's request body in the OpenAPI document (the handler reads it itself)."""

    def __post_init__(self) -> None:
        form = Schema(type=OpenAPIType.OBJECT, properties={"file": _BINARY}, required=["file"])
        self.request_body = RequestBody(required=True, content={
            "multipart/form-data": OpenAPIMediaType(schema=form),
            "application/octet-stream": OpenAPIMediaType(schema=_BINARY),
            "image/*": OpenAPIMediaType(schema=_BINARY),
            "video/*": OpenAPIMediaType(schema=_BINARY)})


def file_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    stream.seek(0)
    yield from iter(lambda: stream.read(CHUNK), b"")


async def _spooled(request: Req, limit: int) -> IO[bytes]:
    """The raw body in a spooled temporary file, refused past `limit` bytes."""
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - closed by caller
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            out.close()
            raise InvalidInputError("error.media_unreadable", media="upload",
                                    detail=f"larger than {limit:,} bytes")
        out.write(chunk)
    return out


async def upload_stream(request: Req) -> IO[bytes]:
    """The uploaded file: the multipart field `file`, or the raw body."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "multipart/form-data":
        form = await request.form()
        field = form.get("file")
        if not isinstance(field, UploadFile):
            raise InvalidInputError("error.bad_request", detail="file")
        stream: IO[bytes] = field.file
        return stream
    if not kind.startswith(RAW_TYPES):
        raise InvalidInputError("error.media_type_refused", content_type=kind or "(none)")
    return await _spooled(request, upload_max())


@post("/media", responses=COMMAND, status_code=201, operation_class=UploadOperation,
      request_max_body_size=upload_max())
async def upload(request: Req) -> Response[Any]:
    """Upload a media file (raw body with its Content-Type, or multipart field `file`):
    kept by its SHA-256, read from its bytes; answers the reference (`uri`, `probe`) whose
    `sha256` a draft's `media` names. Only roles that draft content may upload."""
    services = context(request).services
    principal = (await anyio.to_thread.run_sync(who, request)).principal
    stream = await upload_stream(request)
    try:
        ref = await anyio.to_thread.run_sync(
            lambda: services.app.content.store_media(principal, file_chunks(stream)))
    finally:
        stream.close()
    return Response(plain(ref), status_code=201)


@get("/media/{sha256:str}/thumbnail", responses=READ, sync_to_thread=True,
     media_type="image/png")
def thumbnail(request: Req, sha256: str) -> Response[bytes]:
    """A PNG thumbnail (at most 320 px a side) of an uploaded image, or of a video's first
    frame, served as a plain image that a page can show and nothing can run."""
    data = context(request).services.app.content.media_thumbnail(who(request).principal,
                                                                 sha256)
    return Response(data, media_type="image/png", headers=THUMBNAIL_HEADERS)


routers = [Router("/api/v1", tags=["media"], route_handlers=[upload, thumbnail])]

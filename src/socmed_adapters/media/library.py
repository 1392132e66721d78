"""The store's media folder: every media file a revision names, kept by its SHA-256.

A revision's media are read once, when the revision is saved: a URL is fetched (size-limited,
with a timeout), a local file is copied; either way the bytes land in
`<media dir>/<sha[:2]>/<sha256>` and are probed there. The probe (type, size, frames,
duration, codecs, SHA-256) joins the revision, so the approval's hash covers the exact bytes.

The folder is `<data dir>/media` for SQLite and PostgreSQL stores alike (for PostgreSQL the
data dir given with --data-dir or the default one), or `$SOCMED_MEDIA_DIR`; several machines
writing one PostgreSQL store share it on a common volume (docs/decisions.md).

httpx is imported when a URL is fetched: the composition root makes the library for every
command, and most never fetch (84 ms of CPU at each start, measured).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

from attrs import evolve

from socmed_adapters.media.probe import UnknownMedia, probe_file, thumbnail_png
from socmed_domain.errors import InvalidInputError
from socmed_domain.production.revision import MediaRef

MEDIA_DIR = "media"
#: Larger media are refused rather than fetched (the largest any platform we serve takes in
#: one API upload that we use is TikTok's 4 GB; a social post's file is far smaller).
DEFAULT_MAX_BYTES = 1024 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0
USER_AGENT = "socmed/0.1 (media reader)"

#: The scheme of an uploaded file's reference: `sha256:<64 hex digits>`.
UPLOADED = "sha256"
SHA256 = re.compile(r"[0-9a-f]{64}")

#: Answers the bytes of an http(s) URL as chunks; the default uses httpx.
Fetch = Callable[[str], Iterator[bytes]]


class MediaLibrary:
    """The `MediaReader` of a store, and where publishers find approved bytes again."""

    def __init__(self, folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                 timeout: float = DEFAULT_TIMEOUT, fetch: Fetch | None = None) -> None:
        self.folder = folder
        self.max_bytes = max_bytes
        self.timeout = timeout
        self._fetch = fetch or self._http_chunks

    @classmethod
    def for_data_dir(cls, data_dir: Path, **options: object) -> MediaLibrary:
        named = os.environ.get("SOCMED_MEDIA_DIR")
        max_bytes = os.environ.get("SOCMED_MEDIA_MAX_BYTES", "")
        if max_bytes.isdigit():
            options.setdefault("max_bytes", int(max_bytes))
        folder = Path(named).expanduser() if named else data_dir / MEDIA_DIR
        return cls(folder, **options)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ MediaReader

    def read(self, media: MediaRef) -> MediaRef:
        import httpx

        scheme = urlsplit(media.uri).scheme.lower()
        try:
            if scheme == UPLOADED:
                path, sha256 = self._uploaded(media.uri)
            elif scheme in ("http", "https"):
                path, sha256 = self._store(self._fetch(media.uri))
            else:
                path, sha256 = self._store(self._file_chunks(media.uri))
            probe = probe_file(path, sha256)
        except (UnknownMedia, OSError, httpx.HTTPError, _TooLarge) as error:
            raise InvalidInputError("error.media_unreadable", media=media.uri,
                                    detail=_describe(error)) from None
        return evolve(media, kind=probe.kind, probe=probe)

    # ------------------------------------------------------------------ MediaStore

    def store(self, chunks: Iterable[bytes]) -> MediaRef:
        """Keep uploaded bytes under their SHA-256 and say what they are: a reference
        `sha256:<hex>` a draft names (the same bytes twice are one file). Bytes that are
        not an image or a video, or more than `max_bytes`, are refused and not kept."""
        try:
            path, sha256 = self._store(iter(chunks))
        except (UnknownMedia, _TooLarge, OSError) as error:
            raise InvalidInputError("error.media_unreadable", media="upload",
                                    detail=_describe(error)) from None
        try:
            probe = probe_file(path, sha256)
        except UnknownMedia as error:
            path.unlink(missing_ok=True)
            raise InvalidInputError("error.media_unreadable", media="upload",
                                    detail=_describe(error)) from None
        return MediaRef(uri=f"{UPLOADED}:{sha256}", kind=probe.kind, probe=probe)

    def thumbnail(self, sha256: str, edge: int) -> bytes | None:
        if not SHA256.fullmatch(sha256) or not self.contains(sha256):
            return None
        return thumbnail_png(self.path_for(sha256), edge)

    def _uploaded(self, uri: str) -> tuple[Path, str]:
        sha256 = uri.partition(":")[2].lower()
        if not SHA256.fullmatch(sha256) or not self.contains(sha256):
            raise _NotUploaded("not uploaded to this store (POST /api/v1/media)")
        return self.path_for(sha256), sha256

    # ------------------------------------------------------------------ the folder

    def path_for(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def contains(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def _store(self, chunks: Iterator[bytes]) -> tuple[Path, str]:
        """Write the chunks under their SHA-256, refusing more than `max_bytes`; the same
        bytes stored twice are one file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".incoming-")
        try:
            with os.fdopen(handle, "wb") as out:
                for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise _TooLarge(f"larger than {self.max_bytes:,} bytes")
                    digest.update(chunk)
                    out.write(chunk)
            if size == 0:
                raise UnknownMedia("the file is empty")
            sha256 = digest.hexdigest()
            target = self.path_for(sha256)
            target.parent.mkdir(exist_ok=True)
            os.replace(temporary, target)
            return target, sha256
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    # ------------------------------------------------------------------ sources

    def _http_chunks(self, uri: str) -> Iterator[bytes]:
        import httpx

        timeout = httpx.Timeout(self.timeout)
        with httpx.Client(follow_redirects=True, timeout=timeout,
                          headers={"User-Agent": USER_AGENT}) as client, \
                client.stream("GET", uri) as response:
            if not response.is_success:
                raise _Unfetchable(f"HTTP {response.status_code}")
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                raise _TooLarge(f"{int(declared):,} bytes, more than {self.max_bytes:,}")
            yield from response.iter_bytes(1 << 20)

    @staticmethod
    def _file_chunks(uri: str) -> Iterator[bytes]:
        parts = urlsplit(uri)
        path = Path(unquote(parts.path) if parts.scheme == "file" else uri).expanduser()
        if parts.scheme not in ("", "file") and len(parts.scheme) > 1:
            raise _Unfetchable(f"unsupported address scheme '{parts.scheme}:'")
        with path.open("rb") as stream:
            yield from iter(lambda: stream.read(1 << 20), b"")


class _TooLarge(Exception):
    pass


class _NotUploaded(OSError):
    pass


class _Unfetchable(OSError):
    pass


def _describe(error: Exception) -> str:
    import httpx

    if isinstance(error, FileNotFoundError):
        return "no such file"
    if isinstance(error, httpx.TimeoutException):
        return "timed out"
    if isinstance(error, httpx.HTTPError):
        return f"could not fetch it: {type(error).__name__}"
    return str(error) or type(error).__name__

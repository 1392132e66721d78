"""What a file is, read from its bytes: Pillow for images, PyAV (FFmpeg) for videos.

Nothing here trusts a file name, a URL's extension or a host's Content-Type: a JPEG named
`clip.mp4` is a JPEG. Bytes that are neither an image Pillow reads nor a video FFmpeg
demuxes with a video stream are refused as unknown.
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import IO, Any

from socmed_domain.production.revision import MediaProbe

#: Pillow format name -> MIME type, for the image formats platforms take.
IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "GIF": "image/gif",
               "WEBP": "image/webp", "BMP": "image/bmp", "TIFF": "image/tiff",
               "HEIF": "image/heic"}


class UnknownMedia(ValueError):
    """The bytes are not an image or a video this reader knows."""


def probe_file(path: Path, sha256: str | None = None) -> MediaProbe:
    """Probe a stored file; `sha256` when the caller already hashed it while storing."""
    if sha256 is None:
        sha256 = file_sha256(path)
    with path.open("rb") as stream:
        return _probe(stream, sha256, path.stat().st_size)


def probe_bytes(content: bytes) -> MediaProbe:
    return _probe(io.BytesIO(content), hashlib.sha256(content).hexdigest(), len(content))


def sniff_mime(content: bytes) -> str:
    """The MIME type of `content`, read from it; raises UnknownMedia."""
    return probe_bytes(content).mime_type


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _probe(stream: IO[bytes], sha256: str, size: int) -> MediaProbe:
    image = _probe_image(stream, sha256, size)
    if image is not None:
        return image
    stream.seek(0)
    return _probe_video(stream, sha256, size)


def _probe_image(stream: IO[bytes], sha256: str, size: int) -> MediaProbe | None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(stream) as image:
            mime = IMAGE_TYPES.get(image.format or "")
            if mime is None:
                return None
            width, height = image.size
            frames = int(getattr(image, "n_frames", 1) or 1)
            return MediaProbe(sha256=sha256, size_bytes=size, mime_type=mime,
                              format=image.format or "", width=width, height=height,
                              frames=frames)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        return None
    except Image.DecompressionBombError as error:
        raise UnknownMedia(f"image too large to read safely ({error})") from None


def _probe_video(stream: IO[bytes], sha256: str, size: int) -> MediaProbe:
    import av

    head = stream.read(64)
    stream.seek(0)
    try:
        container = av.open(stream, mode="r")
    except (av.FFmpegError, ValueError, OSError) as error:
        raise UnknownMedia(f"not an image or a video ({type(error).__name__})") from None
    with container:
        videos = container.streams.video
        if not videos:
            raise UnknownMedia("no video stream and not an image")
        mime = _video_mime(container.format.name, head)
        if mime is None:
            raise UnknownMedia(f"unsupported container {container.format.name}")
        video = videos[0]
        audio = container.streams.audio
        duration_ms = _duration_ms(container, video)
        return MediaProbe(
            sha256=sha256, size_bytes=size, mime_type=mime,
            format=mime.split("/", 1)[1].removeprefix("x-"),
            width=video.codec_context.width or None, height=video.codec_context.height or None,
            duration_ms=duration_ms, video_codec=video.codec_context.name,
            audio_codec=audio[0].codec_context.name if audio else None)


def _video_mime(format_name: str, head: bytes) -> str | None:
    names = set(format_name.split(","))
    if "mp4" in names or "mov" in names:
        # One demuxer reads both: the ftyp brand says which the file is.
        return "video/quicktime" if head[8:12] == b"qt  " else "video/mp4"
    if "webm" in names or "matroska" in names:
        return "video/webm" if b"webm" in head else "video/x-matroska"
    if "avi" in names:
        return "video/x-msvideo"
    return None


def _duration_ms(container: object, video: object) -> int | None:
    duration = getattr(container, "duration", None)  # in AV_TIME_BASE (microseconds)
    if duration:
        return round(int(duration) / 1000)
    stream_duration = getattr(video, "duration", None)
    time_base = getattr(video, "time_base", None)
    if stream_duration and time_base:
        return round(float(stream_duration * time_base) * 1000)
    return None


def thumbnail_png(path: Path, edge: int) -> bytes | None:
    """A PNG of at most `edge` pixels a side: the image (its first frame), or a video's first
    frame; None when the file is neither."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            image.seek(0)
            frame: Any = image.convert("RGBA")
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError,
            Image.DecompressionBombError):
        frame = _first_video_frame(path)
        if frame is None:
            return None
    frame.thumbnail((edge, edge))
    out = io.BytesIO()
    frame.save(out, format="PNG")
    return out.getvalue()


def _first_video_frame(path: Path) -> Any:
    import av

    try:
        with av.open(str(path), mode="r") as container:
            for frame in container.decode(video=0):
                return frame.to_image()  # type: ignore[no-untyped-call]
    except (av.FFmpegError, ValueError, OSError, IndexError, StopIteration):
        return None
    return None

"""Small real media files made on the spot: the demo's pictures and clips, the local
platform servers' media, and the tests' media set. Real bytes, so every reader and every
rule sees what a platform would see.

The demo's two clips are the exception: they ship as files (`clips/`, 17 kB in all), because
an H.264 encoder's bytes change with the libx264 inside each PyAV release (18.1.0 and 18.1.1
made different files of the same frames) and the demo's revision hashes, which docs and
tests quote, must be the same on every machine.
"""

from __future__ import annotations

import io
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any


def image_bytes(width: int, height: int, fmt: str = "JPEG", *, colour: tuple[int, int, int] =
                (32, 96, 160), frames: int = 1, pad_to: int = 0) -> bytes:
    """An image of the given size; `frames` > 1 makes an animated GIF/WebP; `pad_to` grows
    the file past a size limit (trailing bytes after the image end, which decoders ignore)."""
    from PIL import Image

    out = io.BytesIO()
    first = Image.new("RGB", (width, height), colour)
    if frames > 1:
        red, green, blue = colour
        rest = [Image.new("RGB", (width, height), (red, green, (blue + 40 * n) % 256))
                for n in range(1, frames)]
        first.save(out, fmt, save_all=True, append_images=rest, duration=100, loop=0)
    else:
        first.save(out, fmt)
    content = out.getvalue()
    if pad_to > len(content):
        content += b"\0" * (pad_to - len(content))
    return content


def video_bytes(seconds: float, width: int = 64, height: int = 64, *, container: str = "mp4",
                fps: int = 10, audio: bool = False, codec: str | None = None) -> bytes:
    """A video of `seconds` (to the frame: a multiple of 1/fps), of solid frames; `audio` adds
    a silent AAC (or Opus for WebM) track."""
    import av
    import numpy as np

    out = io.BytesIO()
    fmt = {"mp4": "mp4", "mov": "mov", "webm": "webm", "mkv": "matroska"}[container]
    codec = codec or ("libvpx" if container == "webm" else "libx264")
    with av.open(out, mode="w", format=fmt) as output:
        stream: Any = output.add_stream(codec, rate=fps)
        stream.width, stream.height = width, height
        stream.pix_fmt = "yuv420p"
        sound: Any = None
        if audio:
            sound = output.add_stream("libopus" if container == "webm" else "aac", rate=48000)
            sound.layout = "mono"
        frames = max(1, round(seconds * fps))
        pixels = np.zeros((height, width, 3), dtype=np.uint8)
        for index in range(frames):
            pixels[:, :, 0] = (index * 7) % 256
            frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
            frame.pts = index
            frame.time_base = Fraction(1, fps)
            output.mux(stream.encode(frame))
        output.mux(stream.encode())
        if sound is not None:
            _silence(output, sound, seconds)
    return out.getvalue()


def _silence(output: object, sound: object, seconds: float) -> None:
    import av
    import numpy as np

    codec_context = sound.codec_context  # type: ignore[attr-defined]
    size = codec_context.frame_size or 1024
    samples = int(seconds * 48000)
    for start in range(0, samples, size):
        frame = av.AudioFrame.from_ndarray(np.zeros((1, size), dtype=np.float32), format="fltp",
                                           layout="mono")
        frame.sample_rate = 48000
        frame.pts = start
        output.mux(sound.encode(frame))  # type: ignore[attr-defined]
    output.mux(sound.encode())  # type: ignore[attr-defined]


@lru_cache(maxsize=32)
def cached_image(width: int, height: int, fmt: str = "JPEG",
                 colour: tuple[int, int, int] = (32, 96, 160)) -> bytes:
    return image_bytes(width, height, fmt, colour=colour)


@lru_cache(maxsize=16)
def cached_video(seconds: float, width: int = 64, height: int = 64,
                 container: str = "mp4") -> bytes:
    return video_bytes(seconds, width, height, container=container)


@lru_cache(maxsize=64)
def named_sample(name: str) -> bytes | None:
    """Stand-in bytes for a media file name of the demo's library: a 1080x1080 JPEG per
    '.jpg' name (its colour from the name, so each file differs), a '.mp4' clip 360x640 when
    the name says 9x16 (else 640x360), lasting the seconds the name gives ('kpr-30s') or 15.
    The demo reads these as its (fictional) CDN's files and the local platform servers serve
    the same bytes, so what was approved is what they receive."""
    import hashlib
    import re

    lowered = name.lower()
    seed = hashlib.sha256(lowered.encode()).digest()
    if lowered.endswith((".jpg", ".jpeg")):
        return cached_image(1080, 1080, "JPEG", (seed[0], seed[1], seed[2]))
    if lowered.endswith(".mp4"):
        shipped = Path(__file__).with_name("clips") / lowered
        if shipped.is_file():
            return shipped.read_bytes()
        found = re.search(r"(\d+)s\b", lowered)
        seconds = float(found.group(1)) if found else 15.0
        width, height = (360, 640) if "9x16" in lowered else (640, 360)
        return video_bytes(seconds, width, height, fps=2)
    return None

"""Writing a whole text file so that a reader sees the old file or the new one, never half.

The text goes to a temporary file in the target's folder, which is then renamed over the
target; on any failure the temporary file is removed and the error goes on.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_text_atomically(path: Path, text: str, prefix: str,
                          mode: int | None = None) -> None:
    """Write `text` (UTF-8) to `path` via a temporary `<prefix>*.tmp` in the same folder;
    with `mode`, the temporary file gets it before a byte is written."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=prefix, suffix=".tmp")
    try:
        if mode is not None:
            os.fchmod(handle, mode)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

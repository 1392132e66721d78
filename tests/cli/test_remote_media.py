"""`content create/revise --media FILE` through a server: the file is uploaded first
(POST /api/v1/media), the draft names it by its SHA-256, and the item can pass review; an
address is refused in one line (neither the server nor the CLI fetches it)."""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path
from typing import Any

from tests.cli.test_remote_mode import Local, Remote, created


def jpeg(path: Path, colour: str = "blue") -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1080, 1350), colour).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return hashlib.sha256(out.getvalue()).hexdigest()


def test_media_files_are_uploaded_and_the_item_passes_review(
        remote_sqlite: tuple[Any, Remote, Local], tmp_path: Path) -> None:
    services, remote, _ = remote_sqlite
    remote.login("budi.dm")
    first, second = tmp_path / "satu.jpg", tmp_path / "dua.jpg"
    sha1, sha2 = jpeg(first), jpeg(second, "green")
    made = remote.ok("content", "create", "--title", "Promo IG", "--text",
                     "Promo akhir tahun #promo", "--platform", "instagram", "--type", "image",
                     "--media", str(first))
    item = created(made)
    detail = services.app.content.get(item)
    media = detail.revisions[-1].draft.media
    assert [m.probe.sha256 for m in media] == [sha1]
    assert (media[0].probe.width, media[0].probe.height) == (1080, 1350)
    # a revision that changes only the text keeps the uploaded media (by their hash)
    remote.ok("content", "revise", item[:8], "--text", "Promo akhir tahun! #promo")
    assert [m.probe.sha256 for m in services.app.content.get(item).revisions[-1].draft.media
            ] == [sha1]
    remote.ok("content", "revise", item[:8], "--media", str(second), "--media", str(first))
    assert [m.probe.sha256 for m in services.app.content.get(item).revisions[-1].draft.media
            ] == [sha2, sha1]
    remote.ok("content", "submit-review", item[:8])
    remote.as_member("dewi.dm")
    reviewed = remote.ok("content", "review", item[:8], "--all-checks")
    assert "passed" in reviewed.stdout.lower() or "lulus" in reviewed.stdout.lower(), \
        reviewed.stdout
    shown = json.loads(remote.ok("content", "show", item, "--format", "json").stdout)
    assert sha2 in json.dumps(shown)


def test_an_address_or_a_missing_file_is_one_line_and_nothing_is_written(
        remote_sqlite: tuple[Any, Remote, Local], tmp_path: Path) -> None:
    services, remote, _ = remote_sqlite
    remote.login("budi.dm")
    before = services.read_models.content_list()
    for media, words in [("https://169.254.169.254/latest/meta-data", "download it first"),
                         (str(tmp_path / "tidak-ada.jpg"), "no such file")]:
        result = remote("content", "create", "--title", "x", "--text", "x", "--platform",
                        "instagram", "--media", media)
        assert result.exit_code == 1, result.stdout
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        assert words in result.stderr and "Traceback" not in result.stderr
    text = tmp_path / "bukan.jpg"
    text.write_text("bukan gambar")
    result = remote("content", "create", "--title", "x", "--text", "x", "--platform",
                    "instagram", "--media", str(text))
    assert result.exit_code == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "could not be read" in result.stderr
    assert services.read_models.content_list() == before

"""`content create|revise --media`: media read from their bytes into the store's media
folder; the new disclosures; unreadable media as one line in English and Indonesian."""

from __future__ import annotations

from pathlib import Path

from socmed_testing.samples import image_bytes
from tests.cli.helpers import Socmed, assert_one_line_error, created_id, event_count


def test_media_given_by_path_are_read_stored_and_shown(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: Path) -> None:
    run, _ = team_store
    lying = tmp_path / "spanduk.mp4"  # a JPEG whose name says video
    lying.write_bytes(image_bytes(1080, 1350))
    item = created_id(run.ok("--as", "budi.dm", "content", "create", "--title", "Spanduk",
                             "--text", "Promo akhir tahun", "--platform", "instagram",
                             "--type", "image", "--media", str(lying), "--own-brand",
                             "--ai-generated"))
    shown = run.ok("content", "show", item).stdout
    assert f"media: image {lying}" in shown
    assert "read from the bytes: image/jpeg 1080x1350" in shown
    assert "own brand: yes  AI-generated: yes" in shown
    assert run.data_dir is not None
    stored = list((run.data_dir / "media").glob("*/*"))
    assert len(stored) == 1 and stored[0].read_bytes() == lying.read_bytes()
    shown_id = run.ok("--lang", "id", "content", "show", item).stdout
    assert "dibaca dari isinya: image/jpeg 1080x1350" in shown_id
    assert "merek sendiri: ya" in shown_id


def test_unreadable_media_are_one_line_and_write_nothing(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: Path) -> None:
    run, ids = team_store
    brochure = tmp_path / "brosur.jpg"
    brochure.write_bytes(b"%PDF-1.7 not a picture")
    assert run.data_dir is not None
    before = event_count(run.data_dir)
    for lang, fragment in (("en", "could not be read"), ("id", "tidak dapat dibaca")):
        result = run("--lang", lang, "--as", "budi.dm", "content", "revise", ids["draft"],
                     "--media", str(brochure))
        prefix = "error: " if lang == "en" else "galat: "
        line = assert_one_line_error(result, prefix, exit_code=1)
        assert fragment in line and "brosur.jpg" in line
        missing = run("--lang", lang, "--as", "budi.dm", "content", "revise", ids["draft"],
                      "--media", str(tmp_path / "hilang.png"))
        assert_one_line_error(missing, prefix, exit_code=1)
    assert event_count(run.data_dir) == before

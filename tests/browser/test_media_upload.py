"""Media uploaded from the browser: the Digital Marketing member picks an image in the
drafting form, it is uploaded at once (htmx; stored by its SHA-256, read from its bytes) and
shown as a thumbnail; the Instagram draft is saved with it, and the item page shows its
thumbnail in the Instagram preview. A file that is not an image is refused in words, next to
the field. With JavaScript disabled the same form uploads through its upload button."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from tests.browser.conftest import Console


def jpeg(path: Path) -> str:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1080, 1350), "orange").save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return hashlib.sha256(out.getvalue()).hexdigest()


def test_an_image_uploaded_in_the_form_is_part_of_the_draft(
        console: Console, page: Any, tmp_path: Path) -> None:
    image = tmp_path / "kopi.jpg"
    sha = jpeg(image)
    not_an_image = tmp_path / "catatan.jpg"
    not_an_image.write_text("ini bukan gambar")
    console.sign_in(page, "budi.dm")
    page.get_by_role("link", name="New draft").click()
    page.fill("#title", "Foto kopi")
    page.check("#platform-instagram")
    page.select_option("#content_type", "image")
    page.fill("#text", "Kopi pagi #kopi")
    page.set_input_files("#media_file", str(not_an_image))
    refusal = page.locator("#media-list .error")
    refusal.wait_for()
    assert "could not be read" in refusal.inner_text()
    page.set_input_files("#media_file", str(image))
    entry = page.locator(f"#media-{sha[:16]}")
    entry.wait_for()
    assert "1080×1350" in entry.inner_text() and "image/jpeg" in entry.inner_text()
    thumb = entry.locator("img")
    thumb.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumb
                           .element_handle())
    assert page.evaluate("img => img.naturalWidth", thumb.element_handle()) <= 320
    page.fill(f"#media_alt_{sha[:16]}", "Secangkir kopi di meja")
    page.locator("#text").press("End")  # the checks run again with the medium
    page.keyboard.type(" ")
    page.locator("#checks").get_by_text("No automatic check found a problem").wait_for()
    console.shots(page, "draft-with-media")
    page.get_by_role("button", name="Save the draft").click()
    page.wait_for_url("**/items/*")
    made = console.app.content.get(page.url.rsplit("/", 1)[1])
    media = made.revisions[-1].draft.media
    assert [(m.probe.sha256, m.alt_text) for m in media] == [(sha, "Secangkir kopi di meja")]
    frame = page.get_by_role("article", name="Preview on Instagram")
    shown = frame.locator("img.thumb")
    assert shown.count() == 1
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=shown.element_handle())
    assert "Secangkir kopi" in (shown.get_attribute("alt") or "")
    assert console.axe(page) == []


def test_the_upload_works_with_javascript_disabled(console: Console, browser: Any,
                                                   tmp_path: Path) -> None:
    """Without JavaScript the file field is part of the drafting form: its upload button
    posts the form, which comes back with the image among its media and what was typed
    kept; Enter in a field then saves the draft (the default button), with the image."""
    from tests.browser.conftest import DESKTOP

    image = tmp_path / "kopi.jpg"
    sha = jpeg(image)
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    try:
        page = context.new_page()
        console.sign_in(page, "budi.dm")
        page.goto(f"{console.url}/items/new")
        page.fill("#title", "Foto kopi tanpa skrip")
        page.check("#platform-instagram")
        page.select_option("#content_type", "image")
        page.fill("#text", "Kopi pagi #kopi")
        page.set_input_files("#media_file", str(image))
        page.click("#media-upload")
        entry = page.locator(f"#media-{sha[:16]}")
        entry.wait_for()
        assert "1080×1350" in entry.inner_text()
        assert page.input_value("#title") == "Foto kopi tanpa skrip"
        assert page.input_value("#text") == "Kopi pagi #kopi"
        page.fill(f"#media_alt_{sha[:16]}", "Secangkir kopi")
        page.locator("#title").press("Enter")
        page.wait_for_url("**/items/*-*")
        made = console.app.content.get(page.url.rsplit("/", 1)[1])
        media = made.revisions[-1].draft.media
        assert [(m.probe.sha256, m.alt_text) for m in media if m.probe] == [
            (sha, "Secangkir kopi")]
    finally:
        context.close()

"""The drafting form's upload without JavaScript, through the app (no browser): the form is
a plain multipart post; its upload button keeps the file (by its SHA-256, read from its
bytes) and shows the form again with the file among its media and nothing saved; the save
button then saves the draft with it. A file that is not an image is refused in words next
to the field, nothing saved. The htmx checks accept the same multipart form."""

from __future__ import annotations

import hashlib
import re

from tests.web.conftest import Api
from tests.web.test_console_pages import console_client
from tests.web.test_media_upload import png


def _csrf(text: str) -> str:
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', text)
    assert found, text
    return found.group(1)


def _form(csrf: str, **extra: object) -> dict[str, object]:
    return {"csrf_token": csrf, "title": "Foto kopi", "platforms": "instagram",
            "content_type": "image", "text": "Kopi pagi #kopi", "hashtags": "kopi",
            "note": "", **extra}


def test_the_drafting_form_uploads_and_saves_without_javascript(sqlite_api: Api) -> None:
    api = sqlite_api
    client = console_client(api, "budi.dm")
    form = client.get("/items/new")
    assert 'enctype="multipart/form-data"' in form.text
    assert re.search(r'<form[^>]*id="draft-form"[^>]*>.*id="media_file".*</form>', form.text,
                     re.S), "the file field belongs to the draft's form"
    csrf = _csrf(form.text)
    image = png(kind="JPEG")
    sha = hashlib.sha256(image).hexdigest()
    data = _form(csrf, campaign_id=api.campaign, upload="1")

    refused = client.post("/items/new", data=data,
                          files={"media_file": ("catatan.jpg", b"bukan gambar", "image/jpeg")})
    assert refused.status_code == 422 and 'id="media-error"' in refused.text
    assert "could not be read" in refused.text
    assert 'value="Kopi pagi #kopi"' in refused.text or "Kopi pagi #kopi" in refused.text

    shown = client.post("/items/new", data=data,
                        files={"media_file": ("kopi.jpg", image, "image/jpeg")})
    assert shown.status_code == 200, shown.text
    assert f'name="media" value="{sha}"' in shown.text
    assert "1080×1080" in shown.text and "image/jpeg" in shown.text
    assert "Kopi pagi #kopi" in shown.text  # what was typed stays on the form
    assert api.services.read_models.content_list() == []  # nothing saved yet

    checks = client.post("/items/checks", data={**_form(csrf), "media": sha},
                         files={"media_file": ("", b"", "application/octet-stream")})
    assert checks.status_code == 200 and 'id="checks"' in checks.text

    saved = client.post("/items/new", data={**_form(csrf, campaign_id=api.campaign),
                                             "media": sha, f"media_alt_{sha}": "Secangkir kopi"},
                        files={"media_file": ("", b"", "application/octet-stream")},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text
    item = saved.headers["location"].rsplit("/", 1)[1]
    media = api.services.app.content.get(item).revisions[-1].draft.media
    assert [(m.probe.sha256 if m.probe else None, m.alt_text) for m in media] == [
        (sha, "Secangkir kopi")]


def test_saving_with_a_file_chosen_keeps_the_file_too(sqlite_api: Api) -> None:
    """The save button with a file still chosen (no upload pressed): the file is kept and
    named by the draft."""
    api = sqlite_api
    client = console_client(api, "budi.dm")
    csrf = _csrf(client.get("/items/new").text)
    image = png(kind="JPEG", colour="blue")
    saved = client.post("/items/new", data=_form(csrf, campaign_id=api.campaign),
                        files={"media_file": ("kopi.jpg", image, "image/jpeg")},
                        follow_redirects=False)
    assert saved.status_code == 303, saved.text
    item = saved.headers["location"].rsplit("/", 1)[1]
    media = api.services.app.content.get(item).revisions[-1].draft.media
    assert [m.probe.sha256 for m in media if m.probe] == [hashlib.sha256(image).hexdigest()]

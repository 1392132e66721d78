"""POST /api/v1/media: a drafting member uploads bytes (no URL is fetched), the store keeps
them by SHA-256 and reads them; a draft names the upload and passes review through the API."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path
from typing import Any

from tests.web.conftest import Api


def png(width: int = 1080, height: int = 1080, colour: str = "red",
        kind: str = "PNG") -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, format=kind)
    return out.getvalue()


def stored_files(api: Api) -> list[Path]:
    folder = api.services.app.content.media_reader.folder
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def test_upload_raw_and_multipart_name_the_same_bytes(api: Api) -> None:
    dm = api.session("budi.dm")
    image = png()
    raw = dm.request("POST", "/api/v1/media", content=image,
                     headers={"Content-Type": "image/png"})
    assert raw.status_code == 201, raw.text
    body = raw.json()
    sha = hashlib.sha256(image).hexdigest()
    assert body["uri"] == f"sha256:{sha}"
    assert body["probe"]["sha256"] == sha and body["probe"]["mime_type"] == "image/png"
    assert (body["probe"]["width"], body["probe"]["height"]) == (1080, 1080)
    assert body["probe"]["size_bytes"] == len(image) and body["kind"] == "image"
    form = dm.request("POST", "/api/v1/media", files={"file": ("x.jpg", image, "image/jpeg")})
    assert form.status_code == 201, form.text
    assert form.json()["uri"] == body["uri"]  # content-addressed: one file
    assert len(stored_files(api)) == 1


def test_a_draft_with_uploaded_media_passes_review_and_approval(api: Api) -> None:
    dm, reviewer, mm = api.session("budi.dm"), api.session("dewi.dm"), api.session("rina.mm")
    sha = dm.request("POST", "/api/v1/media", content=png(kind="JPEG"),
                     headers={"Content-Type": "image/jpeg"}).json()["probe"]["sha256"]
    created = dm.post("/api/v1/content", json={
        "title": "Promo IG", "campaign_id": api.campaign,
        "draft": {"text": "Promo akhir tahun #promo", "platforms": ["instagram"],
                  "content_type": "image", "hashtags": ["promo"],
                  "media": [{"sha256": sha, "alt_text": "kotak merah"}]}})
    assert created.status_code == 201, created.text
    item = created.json()["item_id"]
    shown = mm.get(f"/api/v1/content/{item}").json()
    media = shown["revision"]["draft"]["media"] if "revision" in shown else None
    assert media is None or media[0]["probe"]["sha256"] == sha, shown
    assert sha in str(shown)
    assert dm.post(f"/api/v1/content/{item}/submit-review").status_code == 200
    outcome = reviewer.post(f"/api/v1/content/{item}/review", json={"all_checks": True})
    assert outcome.status_code == 200 and outcome.json()["passed"], outcome.text
    assert dm.post(f"/api/v1/content/{item}/submit-approval").status_code == 200
    revision = mm.get(f"/api/v1/content/{item}").json()["summary"]["revision_sha256"]
    approved = mm.post(f"/api/v1/content/{item}/approve", json={"revision_sha256": revision})
    assert approved.status_code == 200, approved.text
    thumb = mm.get(f"/api/v1/media/{sha}/thumbnail")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/png"
    assert thumb.content.startswith(b"\x89PNG") and "sandbox" in thumb.headers[
        "content-security-policy"]
    assert thumb.headers["x-content-type-options"] == "nosniff"


def test_a_draft_without_its_media_is_refused_by_review(api: Api) -> None:
    """The control: the same Instagram draft with no media does not pass (so the test above
    shows the upload is what lets it through)."""
    dm, reviewer = api.session("budi.dm"), api.session("dewi.dm")
    item = dm.post("/api/v1/content", json={
        "title": "Promo IG", "campaign_id": api.campaign,
        "draft": {"text": "Promo akhir tahun #promo", "platforms": ["instagram"],
                  "content_type": "image", "hashtags": ["promo"]}}).json()["item_id"]
    assert dm.post(f"/api/v1/content/{item}/submit-review").status_code == 200
    outcome = reviewer.post(f"/api/v1/content/{item}/review", json={"all_checks": True})
    assert outcome.status_code == 200 and not outcome.json()["passed"], outcome.text


def problem(answer: Any, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["code"] == code and "Traceback" not in answer.text


def test_refusals_write_nothing(api: Api) -> None:
    dm = api.session("budi.dm")
    problem(dm.request("POST", "/api/v1/media", content=b"<html><script>x</script>",
                       headers={"Content-Type": "image/png"}), 422, "error.media_unreadable")
    problem(dm.request("POST", "/api/v1/media", content=b"<svg/>",
                       headers={"Content-Type": "text/html"}), 422, "error.media_type_refused")
    problem(dm.request("POST", "/api/v1/media", content=b"",
                       headers={"Content-Type": "image/png"}), 422, "error.media_unreadable")
    problem(dm.request("POST", "/api/v1/media", files={"other": ("x", png(), "image/png")}),
            422, "error.bad_request")
    for member in ("rina.mm", "sari.legal", "adi.admin"):  # roles that do not draft
        problem(api.session(member).request("POST", "/api/v1/media", content=png(),
                                            headers={"Content-Type": "image/png"}),
                403, "error.not_allowed")
    reader = api.token("budi.dm", scope="read")
    problem(reader.request("POST", "/api/v1/media", content=png(),
                           headers={"Content-Type": "image/png"}),
            403, "error.read_only_principal")
    anonymous = api.client.post("/api/v1/media", content=png(),
                                headers={"Content-Type": "image/png"})
    assert anonymous.status_code == 401
    assert stored_files(api) == []
    # A draft may name only an upload: an address or an unknown hash is refused.
    for media in ({"sha256": "https://169.254.169.254/latest"}, {"sha256": "0" * 64},
                  {"uri": "/etc/passwd"}):
        answer = dm.post("/api/v1/content", json={
            "title": "x", "campaign_id": api.campaign,
            "draft": {"text": "x", "platforms": ["instagram"], "media": [media]}})
        assert answer.status_code in (400, 422), answer.text
    assert api.services.read_models.content_list() == []
    problem(dm.get(f"/api/v1/media/{'0' * 64}/thumbnail"), 404, "error.not_found")
    problem(dm.get("/api/v1/media/..etc..passwd/thumbnail"), 404, "error.not_found")
    assert api.client.get(f"/api/v1/media/{'0' * 64}/thumbnail").status_code == 401


def test_the_agency_uploads_too(api: Api) -> None:
    agency = api.session("maya.agency")
    answer = agency.request("POST", "/api/v1/media", content=png(),
                            headers={"Content-Type": "application/octet-stream"})
    assert answer.status_code == 201, answer.text


def test_upload_size_limit(api: Api, monkeypatch: Any) -> None:
    monkeypatch.setattr(api.services.app.content.media_reader, "max_bytes", 1000)
    dm = api.session("budi.dm")
    problem(dm.request("POST", "/api/v1/media", content=png(),
                       headers={"Content-Type": "image/png"}), 422, "error.media_unreadable")
    assert stored_files(api) == []


def test_the_console_edit_form_keeps_and_removes_uploaded_media(api: Api) -> None:
    import re

    from tests.web.test_console_pages import console_client

    dm = api.session("budi.dm")
    sha = dm.request("POST", "/api/v1/media", content=png(kind="JPEG"),
                     headers={"Content-Type": "image/jpeg"}).json()["probe"]["sha256"]
    item = dm.post("/api/v1/content", json={
        "title": "Promo IG", "campaign_id": api.campaign,
        "draft": {"text": "Promo #promo", "platforms": ["instagram"], "content_type": "image",
                  "media": [{"sha256": sha, "alt_text": "kotak"}]}}).json()["item_id"]
    client = console_client(api, "budi.dm")
    page = client.get(f"/items/{item}/edit")
    assert page.status_code == 200
    assert f'form="draft-form" name="media" value="{sha}"' in page.text
    assert f'src="/api/v1/media/{sha}/thumbnail"' in page.text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert csrf is not None
    form = {"csrf_token": csrf.group(1), "platforms": "instagram", "content_type": "image",
            "text": "Promo baru #promo", "media": sha, f"media_alt_{sha}": "kotak merah"}
    kept = client.post(f"/items/{item}/edit", data=form, follow_redirects=False)
    assert kept.status_code in (302, 303), kept.text
    media = api.services.app.content.get(item).revisions[-1].draft.media
    assert [(m.probe.sha256, m.alt_text) for m in media] == [(sha, "kotak merah")]
    shown = client.get(f"/items/{item}")
    assert f'/api/v1/media/{sha}/thumbnail' in shown.text  # in the Instagram preview
    removed = client.post(f"/items/{item}/edit", data={**form, "media_drop": sha},
                          follow_redirects=False)
    assert removed.status_code in (302, 303)
    assert api.services.app.content.get(item).revisions[-1].draft.media == ()

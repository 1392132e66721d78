"""Media read from their bytes when a revision is saved: the media test set is made here
(Pillow images at aspect-ratio edges, over-size files, PyAV videos just inside and outside
the duration limits, a file whose extension lies), read by the store's media library and
judged by the final check; the approval covers the exact bytes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from socmed_adapters.clock import ManualClock
from socmed_adapters.media.library import MediaLibrary
from socmed_adapters.twitter_text import wired_rules
from socmed_domain import CHECKLIST_KEYS, Draft, MediaRef, Platform, Role, SocmedApplication
from socmed_domain.errors import InvalidInputError, InvalidStateError
from socmed_domain.platform_rules import DEFAULT_PLATFORM_RULES
from socmed_domain.production.quality import platform_findings
from socmed_domain.production.revision import ContentType
from socmed_testing.samples import image_bytes, video_bytes
from tests.conftest import Backend
from tests.fakes.platform_servers import FakeX


@pytest.fixture
def library(tmp_path: Path) -> MediaLibrary:
    return MediaLibrary(tmp_path / "media")


def read(library: MediaLibrary, tmp_path: Path, name: str, content: bytes) -> MediaRef:
    path = tmp_path / name
    path.write_bytes(content)
    return library.read(MediaRef(str(path), "video" if name.endswith(".mp4") else "image"))


def codes(media: MediaRef, platform: Platform) -> set[str]:
    draft = Draft("Halo", (platform,), ContentType.IMAGE, media=(media,))
    return {f.code for f in platform_findings(draft, (platform,), wired_rules())}


def test_a_local_file_is_stored_by_its_sha256_and_probed(library: MediaLibrary,
                                                          tmp_path: Path) -> None:
    media = read(library, tmp_path, "kartu.jpg", image_bytes(1080, 1350))
    probe = media.probe
    assert probe is not None
    assert (probe.mime_type, probe.width, probe.height) == ("image/jpeg", 1080, 1350)
    stored = library.path_for(probe.sha256)
    assert stored == tmp_path / "media" / probe.sha256[:2] / probe.sha256
    assert stored.read_bytes() == (tmp_path / "kartu.jpg").read_bytes()
    assert probe.size_bytes == stored.stat().st_size


def test_a_file_whose_extension_lies_is_what_its_bytes_are(library: MediaLibrary,
                                                           tmp_path: Path) -> None:
    media = read(library, tmp_path, "promo.mp4", image_bytes(1080, 1080))
    assert media.kind == "image" and media.mime_type == "image/jpeg"
    clip = read(library, tmp_path, "poster.jpg", video_bytes(4, 360, 640))
    assert clip.kind == "video" and clip.mime_type == "video/mp4"
    assert clip.probe is not None and clip.probe.duration_ms == 4000


def test_bytes_that_are_no_media_and_missing_files_are_refused(library: MediaLibrary,
                                                                tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as refused:
        read(library, tmp_path, "brosur.jpg", b"%PDF-1.7 brosur")
    assert "brosur.jpg could not be read" in refused.value.message("en")
    assert "tidak dapat dibaca" in refused.value.message("id")
    with pytest.raises(InvalidInputError, match="no such file"):
        library.read(MediaRef(str(tmp_path / "hilang.jpg")))


def test_media_larger_than_the_reader_takes_are_refused(tmp_path: Path) -> None:
    small = MediaLibrary(tmp_path / "media", max_bytes=2000)
    with pytest.raises(InvalidInputError, match="larger than 2,000 bytes"):
        read(small, tmp_path, "besar.jpg", image_bytes(64, 64, pad_to=2001))
    assert not list((tmp_path / "media").glob("*/*"))


@pytest.mark.parametrize(("size", "expected"), [
    ((1080, 1350), set()),  # 4:5, the lower edge
    ((1080, 1360), {"finding.aspect_ratio"}),
    ((1910, 1000), set()),  # 1.91:1, the upper edge
    ((1930, 1000), {"finding.aspect_ratio"}),
])
def test_instagram_images_at_the_aspect_ratio_edges(library: MediaLibrary, tmp_path: Path,
                                                    size: tuple[int, int],
                                                    expected: set[str]) -> None:
    media = read(library, tmp_path, "ig.jpg", image_bytes(*size))
    assert codes(media, Platform.INSTAGRAM) == expected


@pytest.mark.parametrize(("platform", "over"), [(Platform.X, False), (Platform.X, True),
                                                (Platform.INSTAGRAM, False),
                                                (Platform.INSTAGRAM, True)])
def test_over_size_images(library: MediaLibrary, tmp_path: Path, platform: Platform,
                          over: bool) -> None:
    limit = DEFAULT_PLATFORM_RULES[platform].image_max_bytes
    assert limit is not None
    media = read(library, tmp_path, "big.jpg", image_bytes(1080, 1080, pad_to=limit + over))
    assert ("finding.file_too_large" in codes(media, platform)) is over


SHORT_VIDEO_EDGES = [
    (platform, seconds, seconds < (rule.video_min_seconds or 0))
    for platform, rule in DEFAULT_PLATFORM_RULES.items() if rule.video_min_seconds
    for seconds in (rule.video_min_seconds, rule.video_min_seconds - 0.1)]


@pytest.mark.parametrize(("platform", "seconds", "short"), SHORT_VIDEO_EDGES)
def test_videos_just_inside_and_outside_the_shortest_duration(
        library: MediaLibrary, tmp_path: Path, platform: Platform, seconds: float,
        short: bool) -> None:
    media = read(library, tmp_path, "klip.mp4", video_bytes(seconds, 360, 640, fps=10))
    assert ("finding.video_too_short" in codes(media, platform)) is short


LONG_VIDEO_EDGES = [
    (platform, seconds, seconds > (rule.video_max_seconds or 0))
    for platform, rule in DEFAULT_PLATFORM_RULES.items() if rule.video_max_seconds
    for seconds in (rule.video_max_seconds, rule.video_max_seconds + 1)]


@pytest.mark.slow
@pytest.mark.parametrize(("platform", "seconds", "long"), LONG_VIDEO_EDGES)
def test_videos_just_inside_and_outside_the_longest_duration(
        library: MediaLibrary, tmp_path: Path, platform: Platform, seconds: int,
        long: bool) -> None:
    # One frame a second, 16x16: only the duration matters here, and it stays cheap to make.
    media = read(library, tmp_path, "panjang.mp4", video_bytes(seconds, 16, 16, fps=1))
    assert ("finding.video_too_long" in codes(media, platform)) is long


# ---------------------------------------------------------------------- the approval


@pytest.fixture
def server() -> Iterator[FakeX]:
    with FakeX() as fake:
        yield fake


def team(app: SocmedApplication) -> None:
    app.initialise("PT Contoh", "rina", "Rina MM")
    app.add_member("rina", "budi", "Budi", Role.DIGITAL_MARKETING)
    app.add_member("rina", "sari", "Sari", Role.DIGITAL_MARKETING)


def test_new_bytes_at_the_same_url_make_a_new_hash_and_void_the_approval(
        backend: Backend, clock: ManualClock, server: FakeX) -> None:
    """On SQLite and PostgreSQL: both keep the bytes in `<data dir>/media`."""
    services = backend.services(clock=clock)
    app = services.app
    team(app)
    url = server.media_url("promo.jpg")
    server.media_files["promo.jpg"] = (image_bytes(1080, 1080), "application/octet-stream")
    draft = Draft("Promo Desember", (Platform.X,), ContentType.IMAGE,
                  media=(MediaRef(url, "image"),))
    item = app.create_content("budi", "Promo", draft)
    app.submit_for_review("budi", item)
    assert app.review_content("sari", item, CHECKLIST_KEYS).passed
    app.submit_for_approval("budi", item)
    approved = app.approve_content("rina", item)
    first = app.get_content(item).revisions[-1]
    probe = first.draft.media[0].probe
    assert probe is not None and probe.mime_type == "image/jpeg"
    assert services.app.content.media_reader is not None

    server.media_files["promo.jpg"] = (image_bytes(1080, 1080, colour=(1, 2, 3)), "image/jpeg")
    app.revise_content("budi", item, draft, note="gambar diperbarui di CDN")
    second = app.get_content(item).revisions[-1]
    assert second.draft.media[0].uri == url
    assert second.draft.media[0].probe != probe
    assert second.sha256 != approved
    assert app.get_content(item).approval is None
    with pytest.raises(InvalidStateError):
        app.approve_content("rina", item, approved)
    second_probe = second.draft.media[0].probe
    assert second_probe is not None
    stored = {p.name for p in (backend.data_dir / "media").glob("*/*")}
    assert stored == {probe.sha256, second_probe.sha256}

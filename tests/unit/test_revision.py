"""A revision's SHA-256 covers everything published; a new revision voids the approval."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from uuid import uuid4

import attrs
import pytest

from socmed_adapters.twitter_text import wired_rules
from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError, InvalidStateError, PermissionDeniedError
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem, Status
from socmed_domain.production.quality import CHECKLIST_KEYS, ContentPolicy
from socmed_domain.production.revision import (
    CaptionVariant,
    ContentType,
    Draft,
    MediaProbe,
    MediaRef,
    body_sha256,
)
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

BASE = Draft(
    text="Promo akhir tahun",
    platforms=(Platform.X, Platform.LINKEDIN),
    content_type=ContentType.IMAGE,
    captions=(CaptionVariant(Platform.X, "Promo! #promo"),),
    hashtags=("promo", "akhirtahun"),
    media=(MediaRef("dam://a.jpg", "image", "alt", None),),
    sponsored=False,
    planned_for=date(2026, 12, 3),
)

#: One changed value per Draft field; the test below checks every field is here.
CHANGED: dict[str, object] = {
    "text": "Promo akhir tahun!",
    "platforms": (Platform.X,),
    "content_type": ContentType.VIDEO,
    "captions": (CaptionVariant(Platform.X, "Promo!! #promo"),),
    "hashtags": ("promo", "akhir_tahun"),
    "media": (MediaRef("dam://b.jpg", "image", "alt", None),),
    "sponsored": True,
    "planned_for": date(2026, 12, 4),
    "own_brand": True,
    "ai_generated": True,
}
PROBE = MediaProbe(sha256="0" * 64, size_bytes=1000, mime_type="image/jpeg", format="JPEG",
                   width=10, height=10)
MEDIA_CHANGED: dict[str, object] = {
    "uri": "dam://a2.jpg", "kind": "video", "alt_text": "other alt", "duration_seconds": 15,
    "width": 1080, "height": 1350, "size_bytes": 2_000_000, "probe": PROBE}
PROBE_CHANGED: dict[str, object] = {
    "sha256": "1" * 64, "size_bytes": 1001, "mime_type": "image/png", "format": "PNG",
    "width": 11, "height": 9, "duration_ms": 3000, "video_codec": "h264",
    "audio_codec": "aac", "frames": 2}
CAPTION_CHANGED: dict[str, object] = {"platform": Platform.LINKEDIN, "text": "Lain"}

RULES = wired_rules()


def test_every_draft_field_has_a_changed_value() -> None:
    assert set(CHANGED) == {f.name for f in attrs.fields(Draft)}
    assert set(MEDIA_CHANGED) == {f.name for f in attrs.fields(MediaRef)}
    assert set(CAPTION_CHANGED) == {f.name for f in attrs.fields(CaptionVariant)}
    assert set(PROBE_CHANGED) == {f.name for f in attrs.fields(MediaProbe)}


@pytest.mark.parametrize("name", sorted(PROBE_CHANGED))
def test_changing_anything_the_media_bytes_are_changes_the_hash(name: str) -> None:
    """The approval covers the exact bytes: another SHA-256 (same URL) is another revision."""
    read = attrs.evolve(BASE.media[0], probe=PROBE)
    changed = attrs.evolve(read, probe=attrs.evolve(PROBE, **{name: PROBE_CHANGED[name]}))
    assert (attrs.evolve(BASE, media=(changed,)).sha256()
            != attrs.evolve(BASE, media=(read,)).sha256())


def test_revisions_written_before_media_reading_keep_their_hashes() -> None:
    """Pinned values computed by the code of commit e534869, before probes and the
    own-brand / AI-generated disclosures existed (they join the hash only when set)."""
    assert BASE.sha256() == "ef0cf436f166cb9e4389670b12fa6681210ce4283900c7a73eed3e61ad509484"
    stated = attrs.evolve(BASE, media=(MediaRef("dam://a.jpg", "video", "alt", 30, 1080, 1920,
                                                 123),), sponsored=True)
    assert stated.sha256() == "2d5d783d2f6911a897e15ca35e61f6e82fb829cc1bcf73bf2f9690222df2e487"


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_changing_any_draft_field_changes_the_hash(name: str) -> None:
    changed = attrs.evolve(BASE, **{name: CHANGED[name]})
    assert changed != BASE
    assert changed.sha256() != BASE.sha256()


@pytest.mark.parametrize("name", sorted(MEDIA_CHANGED))
def test_changing_any_media_field_changes_the_hash(name: str) -> None:
    media = attrs.evolve(BASE.media[0], **{name: MEDIA_CHANGED[name]})
    assert attrs.evolve(BASE, media=(media,)).sha256() != BASE.sha256()


@pytest.mark.parametrize("name", sorted(CAPTION_CHANGED))
def test_changing_any_caption_field_changes_the_hash(name: str) -> None:
    caption = attrs.evolve(BASE.captions[0], **{name: CAPTION_CHANGED[name]})
    assert attrs.evolve(BASE, captions=(caption,)).sha256() != BASE.sha256()


def test_a_single_character_or_whitespace_changes_the_hash() -> None:
    assert attrs.evolve(BASE, text=BASE.text + " ").sha256() != BASE.sha256()
    assert attrs.evolve(BASE, text=BASE.text.upper()).sha256() != BASE.sha256()


def test_media_order_matters_but_platform_order_does_not() -> None:
    a, b = MediaRef("dam://1.jpg"), MediaRef("dam://2.jpg")
    assert attrs.evolve(BASE, media=(a, b)).sha256() != attrs.evolve(BASE, media=(b, a)).sha256()
    swapped = attrs.evolve(BASE, platforms=(Platform.LINKEDIN, Platform.X, Platform.X))
    assert swapped.platforms == (Platform.LINKEDIN, Platform.X)
    assert swapped.sha256() == BASE.sha256()


def test_equal_drafts_hash_equal_and_the_hash_is_sha256_hex() -> None:
    copy = Draft(**{f.name: getattr(BASE, f.name) for f in attrs.fields(Draft)})
    assert copy.sha256() == BASE.sha256()
    assert len(BASE.sha256()) == 64 and int(BASE.sha256(), 16) >= 0


def test_hashtags_are_cleaned_and_the_cleaning_is_idempotent() -> None:
    draft = Draft("x", (Platform.X,), hashtags=("#Promo", "promo", " #akhir ", "# spasi",
                                                "##dua", "#\u3000lebar"))
    assert draft.hashtags == ("Promo", "akhir", "spasi", "dua", "lebar")
    again = Draft("x", (Platform.X,), hashtags=draft.hashtags)
    assert again.hashtags == draft.hashtags


def test_body_for_appends_hashtags_not_already_in_the_caption() -> None:
    draft = Draft("Promo #Promo hari ini  ", (Platform.X, Platform.LINKEDIN),
                  hashtags=("promo", "diskon"),
                  captions=(CaptionVariant(Platform.LINKEDIN, "Promo resmi"),))
    assert draft.body_for(Platform.X) == "Promo #Promo hari ini\n\n#diskon"
    assert draft.body_for(Platform.LINKEDIN) == "Promo resmi\n\n#promo #diskon"
    assert Draft("Halo", (Platform.X,)).body_for(Platform.X) == "Halo"
    assert body_sha256("Halo") == body_sha256(Draft("Halo", (Platform.X,)).body_for(Platform.X))


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (Draft("x", ()), "platforms"),
        (Draft("   ", (Platform.X,)), "text"),
        (Draft("x", (Platform.X,), hashtags=("dua kata",)), "hashtag"),
        (Draft("x", (Platform.X,), hashtags=("tanda-hubung",)), "hashtag"),
        (Draft("x", (Platform.X,), media=(MediaRef("dam://a.gif", "gif"),)), "media kind"),
        (Draft("x", (Platform.X,), captions=(CaptionVariant(Platform.LINKEDIN, "y"),)),
         "linkedin"),
    ],
)
def test_validate_refuses_unpublishable_drafts(draft: Draft, message: str) -> None:
    with pytest.raises(InvalidInputError) as raised:
        draft.validate()
    assert message in str(raised.value)


def test_empty_main_text_is_fine_when_every_platform_has_a_caption() -> None:
    draft = Draft("", (Platform.X,), captions=(CaptionVariant(Platform.X, "Halo"),))
    assert draft.validate() is draft


# ------------------------------------------------------ approval names a revision hash

AUTHOR = Actor("budi", "Budi", Role.DIGITAL_MARKETING)
REVIEWER = Actor("sari", "Sari", Role.DIGITAL_MARKETING)
MANAGER = Actor("rina", "Rina", Role.MARKETING_MANAGER)
ADMIN = Actor("adi", "Adi", Role.SOCIAL_MEDIA_ADMIN)
T0 = datetime(2026, 12, 1, 8, tzinfo=WIB)
CLEAN = Draft("Halo Desember", (Platform.X, Platform.LINKEDIN), hashtags=("promo",))


def approved_item(draft: Draft = CLEAN) -> ContentItem:
    item = ContentItem.create(AUTHOR, uuid4(), "Promo", None, T0)
    item.revise(AUTHOR, draft, "", T0)
    item.submit_for_review(AUTHOR, "", T0)
    assert item.review_quality(REVIEWER, CHECKLIST_KEYS, "", ContentPolicy(),
                               RULES, T0).passed
    item.submit_for_approval(AUTHOR, "", T0)
    item.approve(MANAGER, None, "ok", T0)
    return item


def test_approval_names_the_current_revision_hash() -> None:
    item = approved_item()
    assert item.status is Status.APPROVED
    assert item.approval is not None
    assert item.approval.revision_sha256 == CLEAN.sha256() == item.revisions[-1].sha256
    assert item.approval.revision_number == 1


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_a_new_revision_voids_the_approval(name: str) -> None:
    item = approved_item()
    value = CHANGED[name]
    if name == "platforms":
        value = (Platform.LINKEDIN,)
    if name == "captions":
        value = (CaptionVariant(Platform.X, "Lain"),)
    item.revise(AUTHOR, attrs.evolve(CLEAN, **{name: value}), "change", T0)
    assert item.approval is None
    assert item.review is None
    assert item.status is Status.DRAFT
    assert item.revisions[-1].sha256 != item.revisions[0].sha256


def test_even_an_identical_new_revision_voids_the_approval() -> None:
    item = approved_item()
    item.revise(AUTHOR, CLEAN, "same again", T0)
    assert item.approval is None and item.status is Status.DRAFT


def test_a_voided_approval_cannot_publish() -> None:
    item = approved_item()
    item.schedule(ADMIN, T0 + timedelta(hours=2), (), RULES, T0)
    assert item.status is Status.SCHEDULED
    item.revise(AUTHOR, attrs.evolve(CLEAN, text="Halo lagi"), "", T0)
    with pytest.raises(InvalidStateError):
        item.begin_publication(ADMIN, Platform.X, RULES, T0 + timedelta(hours=3))
    item.expire(ADMIN, T0 + timedelta(hours=3))
    assert item.status is Status.EXPIRED


def test_approving_with_a_stale_hash_is_refused() -> None:
    item = ContentItem.create(AUTHOR, uuid4(), "Promo", None, T0)
    old = item.revise(AUTHOR, CLEAN, "", T0)
    new = item.revise(AUTHOR, attrs.evolve(CLEAN, text="Halo baru"), "", T0)
    item.submit_for_review(AUTHOR, "", T0)
    item.review_quality(REVIEWER, CHECKLIST_KEYS, "", ContentPolicy(), RULES,
                        T0)
    item.submit_for_approval(AUTHOR, "", T0)
    pending = len(item.collect_events())
    for wrong in (old.sha256, old.sha256[:12], new.sha256[:7], "zz" * 32):
        with pytest.raises(InvalidInputError):
            item.approve(MANAGER, wrong, "", T0)
    assert item.collect_events() == [] and pending > 0
    assert item.status is Status.AWAITING_APPROVAL
    assert item.approve(MANAGER, new.sha256[:8].upper(), "", T0).revision_sha256 == new.sha256


def test_the_author_may_not_review_or_approve_their_own_revision() -> None:
    author_as_manager = Actor("budi", "Budi", Role.MARKETING_MANAGER)
    item = ContentItem.create(AUTHOR, uuid4(), "Promo", None, T0)
    item.revise(AUTHOR, CLEAN, "", T0)
    item.submit_for_review(AUTHOR, "", T0)
    with pytest.raises(PermissionDeniedError):
        item.review_quality(AUTHOR, CHECKLIST_KEYS, "", ContentPolicy(), RULES,
                            T0)
    item.review_quality(REVIEWER, CHECKLIST_KEYS, "", ContentPolicy(), RULES, T0)
    item.submit_for_approval(AUTHOR, "", T0)
    with pytest.raises(PermissionDeniedError) as raised:
        item.approve(author_as_manager, None, "", T0)
    assert raised.value.code == "error.self_approval"


def test_hashes_of_revisions_stored_before_media_dimensions_existed_are_unchanged() -> None:
    """The hash is over what was published; fields added later join it only when set."""
    # pinned from the code before MediaRef had width/height/size_bytes
    assert BASE.sha256() == "ef0cf436f166cb9e4389670b12fa6681210ce4283900c7a73eed3e61ad509484"

"""Request bodies of the API: attrs classes Litestar decodes and documents (OpenAPI), turned
into the domain's value objects by the domain's own parsers (platform names, times).

No body has an actor field: who acts is the authenticated principal. A body that names one
anyway (`actor`, `as`) has it ignored, like any field the body does not define.
"""

from __future__ import annotations

import re
from datetime import date

from attrs import field, frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform, platform_named
from socmed_domain.production.revision import CaptionVariant, ContentType, Draft, MediaRef


@frozen(kw_only=True)
class MediaIn:
    """A media file uploaded before (POST /api/v1/media), named by its SHA-256; the API
    never fetches an address a client gives (decisions.md)."""

    sha256: str
    alt_text: str = ""

    def to_ref(self) -> MediaRef:
        sha256 = self.sha256.strip().lower().removeprefix("sha256:")
        if not SHA256.fullmatch(sha256):
            raise InvalidInputError("error.bad_request", detail="media.sha256")
        return MediaRef(uri=f"sha256:{sha256}", alt_text=self.alt_text)


SHA256 = re.compile(r"[0-9a-f]{64}")


@frozen(kw_only=True)
class DraftIn:
    """A draft: text, platforms, the disclosures and media uploaded before by their SHA-256
    (the API does not fetch URIs on a client's behalf: decisions.md)."""

    text: str = ""
    platforms: list[str]
    content_type: str = "text"
    captions: dict[str, str] = field(factory=dict)
    hashtags: list[str] = field(factory=list)
    sponsored: bool = False
    own_brand: bool = False
    ai_generated: bool = False
    planned_for: str | None = None
    media: list[MediaIn] = field(factory=list)

    def to_draft(self) -> Draft:
        try:
            kind = ContentType(self.content_type)
        except ValueError:
            raise InvalidInputError("error.invalid_choice_web", field="content_type",
                                    value=self.content_type,
                                    choices=", ".join(c.value for c in ContentType)) from None
        planned = None
        if self.planned_for is not None:
            try:
                planned = date.fromisoformat(self.planned_for)
            except ValueError:
                raise InvalidInputError("error.bad_request", detail="planned_for") from None
        return Draft(text=self.text, platforms=tuple(platforms(self.platforms)),
                     content_type=kind,
                     captions=tuple(CaptionVariant(platform_named(p), c)
                                    for p, c in sorted(self.captions.items())),
                     hashtags=tuple(self.hashtags), sponsored=self.sponsored,
                     own_brand=self.own_brand, ai_generated=self.ai_generated,
                     planned_for=planned, media=tuple(m.to_ref() for m in self.media))


def platforms(names: list[str]) -> list[Platform]:
    return [platform_named(n) for n in names]


@frozen(kw_only=True)
class CreateContent:
    title: str
    campaign_id: str | None = None
    note: str = ""
    draft: DraftIn | None = None


@frozen(kw_only=True)
class Revise:
    draft: DraftIn
    note: str = ""


@frozen(kw_only=True)
class CloneContent:
    title: str = ""
    note: str = ""


@frozen(kw_only=True)
class ImportContent:
    csv: str
    dry_run: bool = False


@frozen(kw_only=True)
class Note:
    note: str = ""


@frozen(kw_only=True)
class Comment:
    comment: str = ""


@frozen(kw_only=True)
class RequiredComment:
    comment: str


@frozen(kw_only=True)
class Reason:
    reason: str


@frozen(kw_only=True)
class Review:
    checks: list[str] = field(factory=list)
    all_checks: bool = False
    comment: str = ""


@frozen(kw_only=True)
class RecordStep:
    """A step of the item's approval route (e.g. "legal"), naming the revision read (its
    SHA-256, or at least its first 8 characters)."""

    step: str
    revision_sha256: str
    comment: str = ""


@frozen(kw_only=True)
class Approve:
    """An approval names the revision the approver was shown (its SHA-256, or at least its
    first 8 characters)."""

    revision_sha256: str
    comment: str = ""


@frozen(kw_only=True)
class Schedule:
    at: str
    platforms: list[str] = field(factory=list)


@frozen(kw_only=True)
class Empty:
    pass


@frozen(kw_only=True)
class CampaignPlanIn:
    name: str
    start: str
    end: str
    platforms: list[str]
    goals: list[str] = field(factory=list)
    messages: list[str] = field(factory=list)
    budget_idr: str = "0"
    special: bool = False


@frozen(kw_only=True)
class ReviseCampaign:
    plan: CampaignPlanIn
    note: str = ""


@frozen(kw_only=True)
class Agency:
    member_id: str
    reason: str = ""


@frozen(kw_only=True)
class SignIn:
    member_id: str
    password: str
    otp: str | None = None


@frozen(kw_only=True)
class SetUp:
    member_id: str
    code: str
    password: str


@frozen(kw_only=True)
class Code:
    code: str


@frozen(kw_only=True)
class NewToken:
    name: str
    scope: str = "read"
    expires_in_days: int = 90


@frozen(kw_only=True)
class Invite:
    member_id: str


@frozen(kw_only=True)
class AddMember:
    member_id: str
    name: str
    role: str


@frozen(kw_only=True)
class ChangeRole:
    role: str
    reason: str


@frozen(kw_only=True)
class OpenIncident:
    title: str
    category: str
    description: str = ""


@frozen(kw_only=True)
class IncidentNote:
    note: str = ""

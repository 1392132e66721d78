"""TikTok posts through the Content Posting API, with TikTok pulling the media from its URL.

1. POST /v2/post/publish/creator_info/query/: TikTok requires it before every post; it gives
   the privacy levels this creator may use and the username for links.
2. A video: POST /v2/post/publish/video/init/ (direct post) or /v2/post/publish/inbox/video/init/
   (upload to the creator's inbox, where they finish the post in the app). Photos: POST
   /v2/post/publish/content/init/ with media_type PHOTO, post_mode DIRECT_POST or MEDIA_UPLOAD,
   the body as description and its first line as title. The source is always PULL_FROM_URL:
   the media domain must be verified in the TikTok developer portal. The init request is the
   one that creates the post.
3. POST /v2/post/publish/status/fetch/ until PUBLISH_COMPLETE, SEND_TO_USER_INBOX or FAILED,
   a bounded number of times; still processing after that is an unknown outcome.

Mode and privacy come from SOCMED_TIKTOK_POST_MODE (direct | inbox, default direct) and
SOCMED_TIKTOK_PRIVACY_LEVEL (default PUBLIC_TO_EVERYONE; unaudited apps may only use
SELF_ONLY). An inbox upload is not yet public: its receipt names the publish id and links the
creator's profile. Every answer carries `error.code`; "ok" is success.

The publish id of a post is remembered under its idempotency key, so find() in the same
process asks the status endpoint; otherwise it reads the creator's recent videos (GET-like
POST /v2/video/list/, scope video.list) and matches title or description, which TikTok cuts
to 150 characters.
"""

from __future__ import annotations

from functools import partial
from typing import Any

import httpx

from socmed_adapters.platforms.base import (
    MEDIA,
    QUOTA,
    REJECTED,
    Deadline,
    PlatformPublisher,
    Refusal,
    Transient,
    Verdict,
    json_body,
    media_kinds,
    normalised,
    parse_time,
    require_urls,
    retry_after_seconds,
)
from socmed_domain.platforms import Platform
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

DEFAULT_PRIVACY = "PUBLIC_TO_EVERYONE"
LISTED_TEXT_MAX = 150  # video_description and title in /v2/video/list/
PHOTO_TITLE_MAX = 90
QUOTA_CODES = frozenset({"spam_risk_too_many_posts", "spam_risk_too_many_pending_share",
                         "reached_active_user_cap"})
MEDIA_CODES = frozenset({"url_ownership_unverified", "invalid_file_upload",
                         "file_format_check_failed", "duration_check_failed",
                         "frame_rate_check_failed", "picture_size_check_failed",
                         "video_pull_failed", "photo_pull_failed"})
REJECTED_CODES = frozenset({"spam_risk_user_banned_from_posting",
                            "unaudited_client_can_only_post_to_private_accounts",
                            "privacy_level_option_mismatch", "invalid_params",
                            "scope_not_authorized", "scope_permission_missed"})
DONE = ("PUBLISH_COMPLETE", "SEND_TO_USER_INBOX")


def tiktok_error(response: httpx.Response) -> tuple[str, str]:
    error = json_body(response).get("error") or {}
    return str(error.get("code") or ""), str(error.get("message") or "")


class TikTokPublisher(PlatformPublisher):
    """Posts for one TikTok creator, whose user access token is SOCMED_TIKTOK_TOKEN."""

    platform = Platform.TIKTOK
    default_base_url = "https://open.tiktokapis.com"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._publish_ids: dict[str, str] = {}  # idempotency key -> publish id
        self._username = ""

    def headers(self) -> dict[str, str]:
        return {**super().headers(), "Content-Type": "application/json; charset=UTF-8"}

    @property
    def inbox(self) -> bool:
        return self.credentials.option("post_mode", "direct") == "inbox"

    def classify(self, response: httpx.Response) -> Verdict:
        code, message = tiktok_error(response)
        if response.is_success and code in ("", "ok"):
            return None
        detail = f"{code}: {message}" if message else code or f"HTTP {response.status_code}"
        if code == "access_token_invalid":
            return self.refresh_hint(detail)
        if code == "rate_limit_exceeded" or response.status_code == 429:
            return Transient(f"rate limited ({detail})",
                             retry_after_seconds(response, self.clock()), processed=False)
        if code in QUOTA_CODES:
            return Refusal(QUOTA, f"TikTok's posting limit for this creator is reached "
                           f"({detail}); publish again later", retryable=True)
        if code in MEDIA_CODES:
            return Refusal(MEDIA, f"TikTok refused the media ({detail}); fix the media (and "
                           "verify its domain in the TikTok developer portal) and publish again")
        if code in REJECTED_CODES:
            return Refusal(REJECTED, f"TikTok refused the post ({detail})")
        if code == "internal_error" or response.status_code >= 500:
            return Transient(f"server error ({detail})")
        return self.http_verdict(response, detail)

    # ------------------------------------------------------------------ publish

    def _publish(self, post: OutboundPost, deadline: Deadline) -> PostReceipt:
        media = media_kinds(post)
        videos = [uri for uri, kind in media if kind == "video"]
        if not media:
            raise Refusal(MEDIA, "TikTok posts need a video or photos")
        if videos and len(media) > 1:
            raise Refusal(MEDIA, "TikTok posts carry one video or several photos, not both")
        require_urls(self.label, post.media_uris)
        creator = self._creator_info(deadline)
        path, body = (self._video_request(post, videos[0], creator) if videos
                      else self._photo_request(post, creator))
        response = self.api.send("POST", path, deadline, creates=True,
                                 probe=partial(self._lookup, post, deadline), json=body)
        publish_id = str((json_body(response).get("data") or {}).get("publish_id") or "")
        if not publish_id:
            raise OutcomeUnknownError(f"TikTok: POST {path} answered without a publish_id; "
                                      "the post may exist: look it up")
        self._publish_ids[post.idempotency_key] = publish_id
        with self.outcome_unknown_if_failing(f"TikTok accepted the post (publish_id "
                                             f"{publish_id})"):
            data = self._final_status(publish_id, deadline)
        if data.get("status") in DONE:
            return self._receipt(publish_id, data)
        self._publish_ids.pop(post.idempotency_key, None)
        raise self._failure(str(data.get("fail_reason") or "unknown"))

    def _creator_info(self, deadline: Deadline) -> dict[str, Any]:
        response = self.api.send("POST", "/v2/post/publish/creator_info/query/", deadline,
                                 json={})
        creator = json_body(response).get("data") or {}
        self._username = str(creator.get("creator_username") or self._username)
        return creator

    def _privacy(self, creator: dict[str, Any]) -> str:
        wanted = self.credentials.option("privacy_level", DEFAULT_PRIVACY)
        allowed = creator.get("privacy_level_options") or []
        if allowed and wanted not in allowed:
            raise Refusal(REJECTED, f"TikTok does not let this creator post with privacy "
                          f"{wanted} (allowed: {', '.join(allowed)}); set "
                          "SOCMED_TIKTOK_PRIVACY_LEVEL to one of them")
        return wanted

    def _video_request(self, post: OutboundPost, video: str,
                       creator: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        source = {"source": "PULL_FROM_URL", "video_url": video}
        if self.inbox:  # the creator writes the caption in the app
            return "/v2/post/publish/inbox/video/init/", {"source_info": source}
        privacy = self._privacy(creator)
        info: dict[str, Any] = {
            "title": post.body, "privacy_level": privacy,
            "disable_duet": bool(creator.get("duet_disabled", False)),
            "disable_comment": bool(creator.get("comment_disabled", False)),
            "disable_stitch": bool(creator.get("stitch_disabled", False)),
            **self._disclosure(post, info_privacy=privacy)}
        if post.ai_generated:
            info["is_aigc"] = True
        return "/v2/post/publish/video/init/", {"post_info": info, "source_info": source}

    @staticmethod
    def _disclosure(post: OutboundPost, info_privacy: str | None) -> dict[str, bool]:
        """TikTok's commercial content disclosure, from the revision: sponsored content is
        'Branded content' (a paid partnership), the company's own promotion 'Your brand'.
        TikTok does not let branded content be private (SELF_ONLY)."""
        if post.sponsored and info_privacy == "SELF_ONLY":
            raise Refusal(REJECTED, "TikTok does not allow branded (sponsored) content to be "
                          "private: set SOCMED_TIKTOK_PRIVACY_LEVEL to a public level")
        return {"brand_content_toggle": post.sponsored, "brand_organic_toggle": post.own_brand}

    def _photo_request(self, post: OutboundPost,
                       creator: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        # The title is the body's first line: only approved text goes out, never the
        # content item's internal title.
        first_line = post.body.strip().splitlines()[0] if post.body.strip() else ""
        info: dict[str, Any] = {"title": first_line[:PHOTO_TITLE_MAX],
                                "description": post.body,
                                "disable_comment": bool(creator.get("comment_disabled", False)),
                                "auto_add_music": True}
        if not self.inbox:
            info["privacy_level"] = self._privacy(creator)
            info.update(self._disclosure(post, info_privacy=info["privacy_level"]))
        return "/v2/post/publish/content/init/", {
            "media_type": "PHOTO",
            "post_mode": "MEDIA_UPLOAD" if self.inbox else "DIRECT_POST",
            "post_info": info,
            "source_info": {"source": "PULL_FROM_URL", "photo_cover_index": 0,
                            "photo_images": list(post.media_uris)}}

    def _final_status(self, publish_id: str, deadline: Deadline) -> dict[str, Any]:
        """Poll until TikTok finishes or fails; still processing is an unknown outcome."""
        for check in range(1, self.policy.poll_limit + 1):
            data = self._status(publish_id, deadline)
            status = str(data.get("status") or "")
            if status in (*DONE, "FAILED"):
                return data
            if check == self.policy.poll_limit or not self.api.pause(
                    deadline, self.policy.poll_interval):
                break
        raise OutcomeUnknownError(
            f"TikTok accepted the post (publish_id {publish_id}) and was still processing it "
            f"({status or 'no status'}) after {check} check(s); look it up later")

    def _status(self, publish_id: str, deadline: Deadline) -> dict[str, Any]:
        response = self.api.send("POST", "/v2/post/publish/status/fetch/", deadline,
                                 json={"publish_id": publish_id})
        return json_body(response).get("data") or {}

    def _failure(self, reason: str) -> PublishError:
        if reason in QUOTA_CODES:
            return Refusal(QUOTA, f"TikTok's posting limit for this creator is reached "
                           f"({reason}); publish again later", retryable=True)
        if reason in MEDIA_CODES or reason.endswith("_check_failed"):
            return Refusal(MEDIA, f"TikTok could not use the media ({reason}); fix the media "
                           "and publish again")
        retryable = reason in ("internal", "internal_error", "publish_cancelled")
        return Refusal(REJECTED, f"TikTok did not publish the post ({reason})", retryable)

    def _receipt(self, publish_id: str, data: dict[str, Any]) -> PostReceipt:
        profile = f"https://www.tiktok.com/@{self._username}" if self._username else \
            "https://www.tiktok.com/"
        # sic: TikTok spells the field "publicaly_available_post_id".
        post_ids = data.get("publicaly_available_post_id") or []
        if post_ids:
            post_id = str(post_ids[0])
            return PostReceipt(post_id, f"{profile.rstrip('/')}/video/{post_id}", self.clock())
        # Private posts, posts still in moderation and inbox uploads have no public id yet.
        return PostReceipt(publish_id, profile, self.clock())

    # ------------------------------------------------------------------ find

    def _find(self, post: OutboundPost, deadline: Deadline) -> PostReceipt | None:
        publish_id = self._publish_ids.get(post.idempotency_key)
        if publish_id is None:
            return self._lookup(post, deadline)
        data = self._status(publish_id, deadline)
        status = str(data.get("status") or "")
        if status in DONE:
            if not self._username:
                self._creator_info(deadline)
            return self._receipt(publish_id, data)
        if status == "FAILED":
            return None
        raise OutcomeUnknownError(f"TikTok is still processing publish_id {publish_id} "
                                  f"({status or 'no status'}); look it up later")

    def _lookup(self, post: OutboundPost, deadline: Deadline) -> PostReceipt | None:
        """The creator's recent videos whose title or description is the post's text."""
        since = self.window_start()
        wanted = normalised(post.body)[:LISTED_TEXT_MAX]
        body: dict[str, Any] = {"max_count": 20}
        seen = 0
        while seen < self.policy.find_limit:
            response = self.api.send(
                "POST", "/v2/video/list/", deadline, json=body,
                params={"fields": "id,title,video_description,create_time,share_url"})
            data = json_body(response).get("data") or {}
            videos = data.get("videos") or []
            for video in videos:
                seen += 1
                created = parse_time(video.get("create_time"), self.clock())
                if created < since:
                    return None
                texts = (video.get("title"), video.get("video_description"))
                if any(normalised(str(text))[:LISTED_TEXT_MAX] == wanted
                       for text in texts if text):
                    return PostReceipt(str(video["id"]), str(video.get("share_url") or ""),
                                       created)
            if not videos or not data.get("has_more"):
                return None
            body["cursor"] = data.get("cursor")
        return None

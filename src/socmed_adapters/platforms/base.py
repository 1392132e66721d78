"""What every platform adapter shares: one deadline per call, and retries that never double-post.

The rule behind every choice here: a post is never sent twice blindly.

- A request that certainly did not leave (connect error, connect timeout) is tried again with
  backoff inside the call's deadline, then reported as a retryable `PublishError`.
- A request that may have reached the platform and got no answer (read timeout, connection
  dropped after sending) is tried again only if it cannot create a post (a read, a media
  upload); for the request that creates the post it becomes `OutcomeUnknownError`, to be
  settled with `find()`.
- 429 means "not processed": it is tried again after `Retry-After` (or the platform's reset
  header) plus exponential backoff with jitter, if that still fits the deadline.
- A 5xx may or may not have been processed: a read is simply tried again; before the request
  that creates the post is re-sent, the adapter looks the post up, and returns the existing
  post if it is there.
- Refusals (`Refusal`) carry a kind (expired token, duplicate, rejected media, quota) so each
  adapter can treat a duplicate as already posted where the platform lets it find the post.

Sleep and the monotonic clock are injected (`Timing`), so tests run the real loop without
waiting.
"""

from __future__ import annotations

import hashlib
import random
import time
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx
from attrs import frozen

from socmed_adapters.clock import system_clock
from socmed_adapters.media.probe import UnknownMedia, sniff_mime
from socmed_adapters.platforms.credentials import PlatformCredentials
from socmed_domain.bounds import TIME_CEILING, TIME_FLOOR, within_range
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import MediaProbe
from socmed_domain.publication.outcomes import OutboundPost, PostReceipt
from socmed_domain.publication.ports import OutcomeUnknownError, PublishError

USER_AGENT = "socmed/0.1 (SOP-0042 publisher)"
VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".avi", ".mkv")

# Kinds of refusal an adapter may treat specially.
AUTH = "auth"
DUPLICATE = "duplicate"
MEDIA = "media"
QUOTA = "quota"
REJECTED = "rejected"
NOT_FOUND = "not_found"

# Errors raised while the request may already have reached the platform.
MAYBE_SENT = (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError)


@frozen
class HttpPolicy:
    """How long and how often to try; tests shrink these, production keeps the defaults."""

    request_timeout: float = 15.0  # seconds for one request to be answered
    connect_timeout: float = 5.0
    deadline: float = 90.0  # seconds for one whole publish() or find()
    max_attempts: int = 5  # per request, the first try included
    backoff_base: float = 1.0
    backoff_cap: float = 30.0
    poll_interval: float = 3.0  # between status checks (Instagram containers, TikTok, X video)
    poll_limit: int = 40
    find_window: timedelta = timedelta(days=14)  # how far back find() looks
    find_limit: int = 100  # how many recent posts find() reads at most


@frozen
class Timing:
    """The sleep, monotonic clock and jitter source of the retry loop, injectable for tests."""

    sleep: Callable[[float], None] = time.sleep
    monotonic: Callable[[], float] = time.monotonic
    jitter: Callable[[], float] = random.random


class Deadline:
    """The time left for one publish() or find(), shared by all its requests and waits."""

    def __init__(self, seconds: float, timing: Timing) -> None:
        self.seconds = seconds
        self._now = timing.monotonic
        self._end = self._now() + seconds

    @property
    def remaining(self) -> float:
        return self._end - self._now()


@frozen
class Transient:
    """An answer that trying again soon may fix; `processed=False` when the platform says it
    did not act on the request (429), so even a post-creating request may be re-sent."""

    reason: str
    retry_after: float | None = None
    processed: bool | None = None


class Refusal(PublishError):
    """The platform answered and refused; `kind` is one of AUTH, DUPLICATE, MEDIA, ..."""

    def __init__(self, kind: str, reason: str, retryable: bool = False,
                 detail: Any = None) -> None:
        super().__init__(reason, retryable)
        self.kind = kind
        self.detail = detail


class AlreadyPosted(Exception):
    """Raised inside publish() when a look-up shows the post already exists."""

    def __init__(self, receipt: PostReceipt) -> None:
        super().__init__(receipt.post_id)
        self.receipt = receipt


Verdict = Transient | Refusal | None
Classifier = Callable[[httpx.Response], Verdict]
Probe = Callable[[], PostReceipt | None]


@frozen
class FetchedMedia:
    """A media file fetched from its URI, for platforms that take bytes, not URLs."""

    uri: str
    content: bytes
    #: Read from the bytes, never the host's Content-Type.
    content_type: str

    @property
    def kind(self) -> str:
        return "video" if self.content_type.startswith("video/") else "image"


class PlatformApi:
    """An httpx client for one platform, with the retry rules of this module."""

    #: What to do after a failure, in messages; the metrics clients say "fetch again".
    again = "publish again"

    def __init__(self, label: str, base_url: str, headers: dict[str, str],
                 classify: Classifier, policy: HttpPolicy, timing: Timing) -> None:
        self.label = label
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(self.base_url).netloc
        self.classify = classify
        self.policy = policy
        self.timing = timing
        # No keep-alive: a stale pooled connection could turn a post into a false 'unknown'.
        limits = httpx.Limits(max_keepalive_connections=0)
        self.http = httpx.Client(base_url=self.base_url, limits=limits,
                                 headers={"User-Agent": USER_AGENT, **headers})
        self.media_http = httpx.Client(limits=limits, follow_redirects=True,
                                       headers={"User-Agent": USER_AGENT})

    def close(self) -> None:
        self.http.close()
        self.media_http.close()

    def send(self, method: str, url: str, deadline: Deadline, *, creates: bool = False,
             probe: Probe | None = None, classify: Classifier | None = None,
             client: httpx.Client | None = None, **kwargs: Any) -> httpx.Response:
        """One logical request; `creates` marks the request that makes the post, which is
        never re-sent without `probe` first showing the post is absent."""
        client = client or self.http
        classify = classify or self.classify
        what = f"{method} {urlsplit(url).path}"
        attempt, last, retry_after = 0, "no time left", None
        while True:
            left = deadline.remaining
            if left <= 0:
                break
            attempt += 1
            timeout = httpx.Timeout(min(self.policy.request_timeout, left),
                                    connect=min(self.policy.connect_timeout, left))
            try:
                response = client.request(method, url, timeout=timeout, **kwargs)
            except MAYBE_SENT as error:
                if creates:
                    raise OutcomeUnknownError(
                        f"{self.label}: no answer to {what} after it was sent "
                        f"({_describe(error)}); the post may exist, so it was not sent again: "
                        "look it up before publishing again") from error
                last, retry_after = f"no answer to {what} ({_describe(error)})", None
            except httpx.TransportError as error:
                last = f"could not reach {urlsplit(url).netloc or self.host} ({_describe(error)})"
                retry_after = None
            else:
                verdict = classify(response)
                if verdict is None:
                    return response
                if isinstance(verdict, Refusal):
                    raise verdict
                last, retry_after = verdict.reason, verdict.retry_after
                if creates and verdict.processed is not False:
                    self._confirm_absent(probe, what, verdict.reason)
            if not self._wait_before_retry(deadline, attempt, retry_after):
                break
        raise PublishError(self._gave_up(last, attempt, deadline, retry_after), retryable=True)

    def fetch_media(self, uri: str, deadline: Deadline,
                    approved: MediaProbe | None = None) -> FetchedMedia:
        """The bytes behind a media URI (no platform token is sent to the media host), with
        their type read from the bytes, never from the host's Content-Type or the URI. With
        `approved` (the probe of the approved revision), bytes that differ from the approved
        ones are refused: the platform gets what was approved or nothing."""
        if urlsplit(uri).scheme not in ("http", "https"):
            raise Refusal(MEDIA, f"{self.label}: media {uri!r} is not an http(s) URL, so it "
                          "cannot be fetched for upload")

        def verdict(response: httpx.Response) -> Verdict:
            if response.is_success:
                return None
            if response.status_code == 429 or response.status_code >= 500:
                return Transient(f"the media host answered HTTP {response.status_code} for "
                                 f"{uri}", retry_after_seconds(response, system_clock()))
            return Refusal(MEDIA, f"{self.label}: media {uri} could not be fetched "
                           f"(HTTP {response.status_code}); fix the media link and publish "
                           "again")

        response = self.send("GET", uri, deadline, classify=verdict, client=self.media_http)
        content = response.content
        if approved is not None and hashlib.sha256(content).hexdigest() != approved.sha256:
            raise Refusal(MEDIA, f"{self.label}: media {uri} no longer has the approved bytes "
                          f"(SHA-256 {approved.sha256[:12]}...): revise the content with the "
                          "media again and have it approved")
        try:
            kind = sniff_mime(content)
        except UnknownMedia as error:
            raise Refusal(MEDIA, f"{self.label}: media {uri} is not an image or a video "
                          f"({error}); fix the media and publish again") from None
        return FetchedMedia(uri, content, kind)

    def pause(self, deadline: Deadline, seconds: float) -> bool:
        """Wait between status checks if the deadline allows; False when it does not."""
        if seconds >= deadline.remaining:
            return False
        self.timing.sleep(seconds)
        return True

    def _wait_before_retry(self, deadline: Deadline, attempt: int,
                           retry_after: float | None) -> bool:
        if attempt >= self.policy.max_attempts:
            return False
        backoff = min(self.policy.backoff_cap, self.policy.backoff_base * 2 ** (attempt - 1))
        delay = backoff / 2 + backoff / 2 * self.timing.jitter()  # "equal jitter"
        if retry_after is not None:
            delay = max(delay, retry_after)
        return self.pause(deadline, delay)

    def _gave_up(self, last: str, attempts: int, deadline: Deadline,
                 retry_after: float | None) -> str:
        if retry_after is not None and retry_after >= deadline.remaining:
            return (f"{self.label}: {last}; the platform asks to wait {retry_after:.0f} s, "
                    f"longer than this call's {deadline.seconds:g} s deadline: {self.again} "
                    "later")
        return (f"{self.label}: {last}; gave up after {attempts} attempt(s) within "
                f"{deadline.seconds:g} s: {self.again} later")

    def _confirm_absent(self, probe: Probe | None, what: str, reason: str) -> None:
        """Before re-sending a post-creating request after a 5xx, make sure it did not land."""
        if probe is None:
            raise OutcomeUnknownError(
                f"{self.label}: {what} answered '{reason}'; the post may exist and cannot be "
                "looked up here: look it up before publishing again")
        try:
            found = probe()
        except (PublishError, OutcomeUnknownError) as error:
            raise OutcomeUnknownError(
                f"{self.label}: {what} answered '{reason}', and the look-up that would rule "
                f"out a duplicate failed ({error}); look it up before publishing again"
            ) from error
        if found is not None:
            raise AlreadyPosted(found)


class PlatformPublisher(ABC):
    """One platform's `Publisher`: the publish/find skeleton; subclasses speak the API."""

    platform: ClassVar[Platform]
    default_base_url: ClassVar[str]

    def __init__(self, credentials: PlatformCredentials, *, base_url: str | None = None,
                 policy: HttpPolicy | None = None, timing: Timing | None = None,
                 clock: Callable[[], datetime] = system_clock) -> None:
        if credentials.platform is not self.platform:
            raise ValueError(f"{type(self).__name__} needs {self.platform.label} credentials")
        self.credentials = credentials
        self.policy = policy or HttpPolicy()
        self.timing = timing or Timing()
        self.clock = clock
        self.label = self.platform.label
        url = base_url or credentials.base_url or self.default_base_url
        self.api = PlatformApi(self.label, url, self.headers(), self.classify, self.policy,
                               self.timing)

    # ------------------------------------------------------------------ the port

    def publish(self, post: OutboundPost) -> PostReceipt:
        self._check(post)
        deadline = Deadline(self.policy.deadline, self.timing)
        try:
            return self._publish(post, deadline)
        except AlreadyPosted as found:
            return found.receipt

    def find(self, post: OutboundPost) -> PostReceipt | None:
        """The post if it exists; raises OutcomeUnknownError when the look-up itself fails
        (None would wrongly say 'absent' and invite a second post)."""
        self._check(post)
        deadline = Deadline(self.policy.deadline, self.timing)
        try:
            return self._find(post, deadline)
        except PublishError as error:
            raise OutcomeUnknownError(
                f"the look-up failed, so the outcome is still unknown: {error.reason}"
            ) from error

    def close(self) -> None:
        self.api.close()

    # ------------------------------------------------------------------ for subclasses

    @abstractmethod
    def _publish(self, post: OutboundPost, deadline: Deadline) -> PostReceipt: ...

    @abstractmethod
    def _find(self, post: OutboundPost, deadline: Deadline) -> PostReceipt | None: ...

    @abstractmethod
    def classify(self, response: httpx.Response) -> Verdict: ...

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.credentials.token}"}

    def window_start(self) -> datetime:
        return self.clock() - self.policy.find_window

    def refresh_hint(self, detail: str) -> Refusal:
        source = self.credentials.token_source or f"SOCMED_{self.platform.name}_TOKEN"
        return Refusal(AUTH, f"{self.label} refused the access token ({detail}): refresh the "
                       f"credential ({source}) and {self.api.again}")

    def http_verdict(self, response: httpx.Response, detail: str) -> Verdict:
        """The usual meaning of an HTTP status, for answers with no platform-specific code."""
        status = response.status_code
        if response.is_success:
            return None
        if status == 401:
            return self.refresh_hint(detail or "HTTP 401")
        if status == 429:
            return Transient(f"rate limited (HTTP 429{_colon(detail)})",
                             retry_after_seconds(response, self.clock()), processed=False)
        if status >= 500:
            return Transient(f"server error (HTTP {status}{_colon(detail)})",
                             retry_after_seconds(response, self.clock()))
        if status == 404:
            return Refusal(NOT_FOUND, f"{self.label}: not found (HTTP 404{_colon(detail)})")
        return Refusal(REJECTED, f"{self.label} refused the post (HTTP {status}"
                       f"{_colon(detail)})")

    @contextmanager
    def outcome_unknown_if_failing(self, what: str) -> Iterator[None]:
        """After the platform has accepted the post, any failure leaves the outcome unknown."""
        try:
            yield
        except PublishError as error:
            raise OutcomeUnknownError(f"{self.label}: {what}, but then: {error.reason}; look "
                                      "it up later") from error

    def _check(self, post: OutboundPost) -> None:
        if post.platform is not self.platform:
            raise ValueError(f"a {post.platform.label} post was sent to the {self.label} "
                             "adapter")


# ---------------------------------------------------------------------- helpers


def media_kind(uri: str) -> str:
    """'video' or 'image', from the URI's file name: only for posts that carry URIs without
    their media (callers outside the application); a read revision's kind is sniffed."""
    path = urlsplit(uri).path.lower()
    return "video" if path.endswith(VIDEO_SUFFIXES) else "image"


def media_kinds(post: OutboundPost) -> list[tuple[str, str]]:
    """(URI, 'image' | 'video') per media item: the kind read from the bytes when the post
    carries its media, else guessed from the URI."""
    if len(post.media) == len(post.media_uris):
        return [(uri, media.kind) for uri, media in zip(post.media_uris, post.media,
                                                          strict=True)]
    return [(uri, media_kind(uri)) for uri in post.media_uris]


def approved_probe(post: OutboundPost, index: int) -> MediaProbe | None:
    """The probe of the post's `index`-th media item as approved, if it was read."""
    if len(post.media) == len(post.media_uris):
        return post.media[index].probe
    return None


def require_urls(label: str, uris: tuple[str, ...]) -> None:
    """Platforms that pull media from a URL need publicly reachable http(s) URLs."""
    for uri in uris:
        if urlsplit(uri).scheme not in ("http", "https"):
            raise Refusal(MEDIA, f"{label} fetches media from a public URL; {uri!r} is not "
                          "one: store the media where the platform can reach it")


def normalised(text: str) -> str:
    """Text as compared by find(): NFC, Unix newlines, no surrounding whitespace."""
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n")).strip()


def same_text(published: str | None, body: str) -> bool:
    return published is not None and normalised(published) == normalised(body)


def retry_after_seconds(response: httpx.Response, now: datetime) -> float | None:
    """Seconds to wait from Retry-After (seconds or an HTTP date), if the answer has one."""
    value = response.headers.get("retry-after", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def parse_time(value: Any, fallback: datetime) -> datetime:
    """A platform timestamp (ISO 8601, '+0000' offsets, epoch seconds) as an aware datetime;
    one outside the documented range (socmed_domain.bounds) counts as not given."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not TIME_FLOOR.timestamp() <= value < TIME_CEILING.timestamp():
            return fallback
        return datetime.fromtimestamp(value, UTC)
    if isinstance(value, str) and value:
        for parse in (datetime.fromisoformat,
                      lambda v: datetime.strptime(v, "%Y-%m-%dT%H:%M:%S%z")):
            try:
                parsed = parse(value.replace("Z", "+00:00"))
            except ValueError:
                continue
            parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
            return parsed if within_range(parsed) else fallback
    return fallback


def json_body(response: httpx.Response) -> dict[str, Any]:
    """The answer's JSON object, or {} when it is not one (a proxy's HTML error page)."""
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _describe(error: Exception) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _colon(detail: str) -> str:
    return f": {detail}" if detail else ""

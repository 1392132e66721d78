"""Single sign-on routes: ``GET /auth/sso/login`` and ``GET /auth/sso/callback``.

`sso_router(...)` is a Litestar `Router` that `create_app(services, routers=[...])` mounts
beside the API. The protocol is the relying party's (`socmed_adapters.identity.oidc`), the
choice of member is `app.identity.sign_in_sso`'s; these handlers only carry values between
the browser, the two, and the cookies:

- ``/auth/sso/login[?next=/path]`` starts a login: the provider's authorization URL (303)
  and the login transaction (state, nonce, PKCE verifier, where to go afterwards) sealed in
  the ``socmed_sso`` cookie: AES-GCM, HttpOnly, SameSite=Lax (it must come back on the
  provider's top-level redirect), path ``/auth/sso``, ten minutes.
- ``/auth/sso/callback`` finishes it: the transaction cookie must be there and its state
  must be the callback's (else 400: login CSRF, a replayed or a stale callback); the code is
  exchanged and the ID token checked; `sign_in_sso` opens a **new** session (whatever session
  cookie the browser carried is signed out, never promoted) and the session and CSRF cookies
  are set exactly as the API's sign-in sets them. The answer is a small page that moves on to
  ``next``: the session cookie is SameSite=Strict, and a browser does not send a Strict
  cookie on a redirect chain that began on another site (the provider), so the next page is
  loaded by a navigation of our own page instead.
- Every refusal is an RFC 9457 problem in the request's language, clears the transaction
  cookie and opens no session.

Nothing here decides who the member is, and nothing is taken from the request but the
provider's answer and the sealed transaction.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, Any, Protocol

from litestar import Request, Response, Router, get
from litestar.datastructures import Cookie
from litestar.params import Parameter

from socmed_adapters.identity.oidc import (
    LoginRefusedError,
    OidcRelyingParty,
    OidcSettings,
    ProviderError,
    SingleSignOnNotConfiguredError,
    TransactionSealer,
)
from socmed_domain.errors import SocmedError
from socmed_domain.i18n import LANGUAGES
from socmed_web.auth import CSRF_COOKIE, SESSION_COOKIE, csrf_token, session_cookies

#: The started login, sealed (socmed_adapters.identity.oidc.TransactionSealer).
TRANSACTION_COOKIE = "socmed_sso"
TRANSACTION_PATH = "/auth/sso"
PROBLEM_JSON = "application/problem+json"
NEXT_LIMIT = 500

Req = Request[Any, Any, Any]


class SsoIdentity(Protocol):
    """The part of `app.identity` (socmed_domain.identity.service) these routes call."""

    def sign_in_sso(self, issuer: str, subject: str, email: str | None,
                    email_verified: bool, second_factor: bool = False) -> Any: ...

    def sign_out(self, session_token: str) -> None: ...


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only (no scheme, no host, no
    ``//`` or ``/\\`` that a browser would read as another host), else ``/``."""
    if not value or len(value) > NEXT_LIMIT or not value.startswith("/"):
        return "/"
    if value.startswith(("//", "/\\")) or any(c in value for c in "\r\n\t\\"):
        return "/"
    return value


def request_lang(request: Req) -> str:
    """The catalogue language the request asks for first (English when none matches)."""
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower().split("-")[0]
        if tag in LANGUAGES:
            return tag
    return "en"


def status_of(error: SocmedError) -> int:
    if isinstance(error, SingleSignOnNotConfiguredError):
        return 404
    if isinstance(error, ProviderError):
        return 502
    if isinstance(error, LoginRefusedError):
        return 400
    return 401  # the ID token refused, or no member for the identity


def problem(request: Req, error: SocmedError, *, secure: bool = True) -> Response[Any]:
    """A refusal as an RFC 9457 problem; the started login (if any) is forgotten."""
    lang = request_lang(request)
    status = status_of(error)
    body = {"type": f"urn:socmed:problem:{error.code}", "title": error.code,
            "status": status, "detail": error.message(lang), "code": error.code,
            "instance": request.url.path}
    return Response(body, status_code=status, media_type=PROBLEM_JSON,
                    headers={"Content-Language": lang, "Cache-Control": "no-store"},
                    cookies=[_transaction_cookie("", 0, secure=_secure(request, secure))])


def _secure(request: Req, configured: bool) -> bool:
    return configured or request.url.scheme == "https"


def _transaction_cookie(value: str, max_age: int, *, secure: bool) -> Cookie:
    return Cookie(key=TRANSACTION_COOKIE, value=value, max_age=max_age, path=TRANSACTION_PATH,
                  httponly=True, secure=secure, samesite="lax")


def _moving_on(target: str) -> str:
    """A page that loads `target` by its own navigation (see the module's docstring)."""
    url = html.escape(target, quote=True)
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta http-equiv=\"refresh\" content=\"0;url={url}\">"
            "<title>Signed in</title></head><body>"
            f"<p>Signed in. <a href=\"{url}\">Continue</a></p></body></html>")


def sso_router(relying_party: OidcRelyingParty, identity: SsoIdentity, *,
               sealer: TransactionSealer | None = None, secure_cookies: bool = True,
               clock: Callable[[], datetime] | None = None) -> Router:
    """The ``/auth/sso`` routes over one relying party and the identity service.

    `sealer` defaults to one keyed by the client secret (every worker has it);
    `secure_cookies` should be True behind TLS (the API's `behind_tls`); `clock` gives the
    time the session cookie's lifetime is counted from (default: the session's own
    expiry minus now, by the system clock)."""
    sealer = sealer or TransactionSealer(relying_party.settings.client_secret)

    def now() -> datetime:
        return clock() if clock is not None else datetime.now(UTC)

    @get("/login", sync_to_thread=True, summary="Single sign-on")
    def login(request: Req, next_path: Annotated[str | None, Parameter(query="next")] = None
              ) -> Response[Any]:
        """Send the browser to the identity provider to sign in (then to `next`)."""
        url, transaction = relying_party.begin(return_to=safe_next(next_path))
        secure = _secure(request, secure_cookies)
        return Response(b"", status_code=303,
                        headers={"Location": url, "Cache-Control": "no-store"},
                        cookies=[_transaction_cookie(sealer.seal(transaction), 600,
                                                     secure=secure)])

    @get("/callback", sync_to_thread=True, summary="Single sign-on: the provider's answer")
    def callback(request: Req) -> Response[Any]:
        """Finish a login the provider answered: check it, open a new session."""
        transaction = sealer.open(request.cookies.get(TRANSACTION_COOKIE))
        if transaction is None:
            raise LoginRefusedError()
        params = {key: value for key, value in request.query_params.items()
                  if isinstance(value, str)}
        proven = relying_party.complete(params, transaction)
        signed = identity.sign_in_sso(proven.issuer, proven.subject, proven.email,
                                      proven.email_verified,
                                      second_factor=proven.second_factor)
        previous = request.cookies.get(SESSION_COOKIE)
        if previous and previous != signed.session_token:
            # a session the browser carried before is ended, never promoted
            with contextlib.suppress(SocmedError):
                identity.sign_out(previous)
        secure = _secure(request, secure_cookies)
        age = max(0, int((signed.expires_at - now()).total_seconds()))
        return Response(_moving_on(transaction.return_to), status_code=200,
                        media_type="text/html",
                        headers={"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"},
                        cookies=[*session_cookies(signed.session_token, age, secure=secure),
                                 _transaction_cookie("", 0, secure=secure)])

    def refused(request: Req, error: SocmedError) -> Response[Any]:
        return problem(request, error, secure=secure_cookies)

    return Router(TRANSACTION_PATH, route_handlers=[login, callback], tags=["single sign-on"],
                  exception_handlers={SocmedError: refused})


def sso_router_from_env(identity: SsoIdentity, *, secure_cookies: bool = True,
                        env: dict[str, str] | None = None,
                        clock: Callable[[], datetime] | None = None) -> Router | None:
    """The routes configured from ``SOCMED_OIDC_*`` (docs/security.md), or None when single
    sign-on is not configured (then ``/auth/sso/*`` does not exist)."""
    settings = OidcSettings.from_env(env)
    if settings is None:
        return None
    return sso_router(OidcRelyingParty(settings), identity, secure_cookies=secure_cookies,
                      clock=clock)


__all__ = [
    "CSRF_COOKIE",
    "SESSION_COOKIE",
    "TRANSACTION_COOKIE",
    "SsoIdentity",
    "csrf_token",
    "safe_next",
    "session_cookies",
    "sso_router",
    "sso_router_from_env",
]

"""An OpenID Connect relying party (authorization code flow with PKCE), on authlib.

`socmed serve` lets members sign in with the company's identity provider. This module does
the protocol and nothing else; which member the proven identity is, is the domain's rule
(`socmed_domain.identity.single_sign_on`), and opening the session is `app.identity`'s.

The flow, and what each step guards against:

1. `begin()`: the provider's metadata comes from ``<issuer>/.well-known/openid-configuration``
   (its ``issuer`` must equal the configured one exactly, OIDC Discovery 4.3). A fresh
   `state` (binds the callback to this browser: login CSRF), `nonce` (binds the ID token to
   this login: replay) and PKCE `code_verifier` (S256; a stolen code is useless without it)
   are made and kept in a `LoginTransaction`, which the web layer seals into a short-lived,
   encrypted, HttpOnly cookie (`TransactionSealer`): nothing is stored server-side, so any
   worker can finish a login another one started.
2. `complete()`: the callback's `state` must equal the transaction's (compared in constant
   time) and the transaction must be younger than `TRANSACTION_TTL`; the code is exchanged at
   the token endpoint (client secret, code verifier, the same redirect URL) over HTTP with a
   timeout; the ID token's signature is checked against the provider's JWKS (an unknown key
   id fetches the set once more: key rotation), with asymmetric algorithms only, and its
   ``iss``, ``aud`` (and ``azp``), ``exp``/``iat`` (with `leeway`), ``nonce`` and ``at_hash``
   by authlib's `CodeIDToken`.
3. The result is a `VerifiedIdentity` (issuer, subject, email, whether the provider verified
   the email, whether its ``amr`` names a second factor). ``email_verified`` counts only when
   it is JSON ``true`` (or the string ``"true"`` some providers send); absent means not
   verified.

Configuration comes from the environment (`OidcSettings.from_env`, docs/security.md):
``SOCMED_OIDC_ISSUER``, ``SOCMED_OIDC_CLIENT_ID``, ``SOCMED_OIDC_CLIENT_SECRET`` (or
``SOCMED_OIDC_CLIENT_SECRET_FILE``), ``SOCMED_OIDC_REDIRECT_URL`` and optionally
``SOCMED_OIDC_SCOPES`` and ``SOCMED_OIDC_SECOND_FACTOR_AMR``.
"""

from __future__ import annotations

import base64
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote_plus, urlsplit

import httpx
from attrs import field, frozen
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from socmed_domain.errors import InvalidInputError, SocmedError
from socmed_domain.identity.single_sign_on import check_issuer

#: How long a started login may take before its callback is refused.
TRANSACTION_TTL = 600
#: Clock difference tolerated between this server and the provider, in seconds.
DEFAULT_LEEWAY = 120
#: Signature algorithms accepted for ID tokens: asymmetric only (never "none", never HS*
#: keyed with the client secret), intersected with what the provider announces.
ACCEPTED_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
                       "ES256", "ES384", "ES512", "EdDSA")
DEFAULT_SCOPES = ("openid", "email", "profile")
#: Authentication method references (RFC 8176 `amr` values) that count as a second factor
#: proven at the provider: multi-factor, a one-time code, a hardware-held key.
DEFAULT_SECOND_FACTOR_AMR = ("mfa", "otp", "hwk")
ENV_PREFIX = "SOCMED_OIDC_"


class SingleSignOnConfigError(SocmedError):
    code = "error.sso_config"


class SingleSignOnNotConfiguredError(SocmedError):
    code = "error.sso_not_configured"


class LoginRefusedError(SocmedError):
    """The callback cannot finish a login: no or a stale transaction, a wrong state, or the
    provider said no. Nothing is written and no session is opened."""

    code = "error.sso_login_expired"


class ProviderError(SocmedError):
    """The provider could not be reached, or answered outside the protocol."""

    code = "error.sso_provider_unreachable"


class IdTokenRefusedError(SocmedError):
    """The ID token failed a check: signature, issuer, audience, expiry or nonce."""

    code = "error.sso_token_invalid"


@frozen
class OidcSettings:
    """How this server is registered at the identity provider."""

    issuer: str
    client_id: str
    client_secret: str = field(repr=False)
    redirect_url: str
    scopes: tuple[str, ...] = DEFAULT_SCOPES
    timeout: float = 10.0
    leeway: int = DEFAULT_LEEWAY
    second_factor_amr: tuple[str, ...] = DEFAULT_SECOND_FACTOR_AMR

    def __attrs_post_init__(self) -> None:
        try:
            check_issuer(self.issuer)
        except InvalidInputError:
            raise SingleSignOnConfigError(name=f"{ENV_PREFIX}ISSUER",
                                          problem="an https URL") from None
        if not self.client_id:
            raise SingleSignOnConfigError(name=f"{ENV_PREFIX}CLIENT_ID", problem="empty")
        if not self.client_secret:
            raise SingleSignOnConfigError(name=f"{ENV_PREFIX}CLIENT_SECRET", problem="empty")
        parts = urlsplit(self.redirect_url)
        if parts.scheme not in ("https", "http") or not parts.hostname or (
                parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost")):
            raise SingleSignOnConfigError(name=f"{ENV_PREFIX}REDIRECT_URL",
                                          problem="an https URL of /auth/sso/callback")
        if "openid" not in self.scopes:
            raise SingleSignOnConfigError(name=f"{ENV_PREFIX}SCOPES",
                                          problem="must include 'openid'")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> OidcSettings | None:
        """The settings from ``SOCMED_OIDC_*``; None when no issuer is set (SSO off)."""
        env = os.environ if env is None else env
        issuer = env.get(f"{ENV_PREFIX}ISSUER", "").strip()
        if not issuer:
            return None
        secret = env.get(f"{ENV_PREFIX}CLIENT_SECRET", "")
        secret_file = env.get(f"{ENV_PREFIX}CLIENT_SECRET_FILE", "")
        if not secret and secret_file:
            try:
                with open(secret_file, encoding="utf-8") as handle:
                    secret = handle.read().strip()
            except OSError as error:
                raise SingleSignOnConfigError(name=f"{ENV_PREFIX}CLIENT_SECRET_FILE",
                                              problem=error.strerror or "unreadable") from None
        scopes = tuple(env.get(f"{ENV_PREFIX}SCOPES", "").split()) or DEFAULT_SCOPES
        amr_text = env.get(f"{ENV_PREFIX}SECOND_FACTOR_AMR")
        amr = DEFAULT_SECOND_FACTOR_AMR if amr_text is None else tuple(
            value for value in amr_text.replace(",", " ").split() if value != "none")
        return cls(issuer=issuer, client_id=env.get(f"{ENV_PREFIX}CLIENT_ID", "").strip(),
                   client_secret=secret,
                   redirect_url=env.get(f"{ENV_PREFIX}REDIRECT_URL", "").strip(),
                   scopes=scopes, second_factor_amr=amr)


@frozen
class LoginTransaction:
    """What a started login must find again at its callback (sealed in a cookie)."""

    state: str
    nonce: str
    code_verifier: str = field(repr=False)
    started_at: int
    return_to: str = "/"


@frozen
class VerifiedIdentity:
    """What the provider proved, after every check of the ID token passed."""

    issuer: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None = None
    #: The provider says the person proved a second factor (its `amr` claim names one of
    #: the settings' `second_factor_amr`), which the store's access policy may require.
    second_factor: bool = False


def _claimed_true(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() == "true")


class OidcRelyingParty:
    """The authorization code flow with PKCE, state and nonce against one provider."""

    def __init__(self, settings: OidcSettings, *, http: httpx.Client | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self._http = http or httpx.Client(timeout=settings.timeout, follow_redirects=False)
        self._clock = clock
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._jwks: dict[str, Any] | None = None

    def close(self) -> None:
        self._http.close()

    # -------------------------------------------------------------- provider

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (fetched once, then kept)."""
        with self._lock:
            if self._metadata is None:
                url = self.settings.issuer.rstrip("/") + "/.well-known/openid-configuration"
                document = self._get_json(url)
                if document.get("issuer") != self.settings.issuer:
                    raise ProviderError(problem="the discovery document names another issuer")
                for needed in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
                    if not isinstance(document.get(needed), str):
                        raise ProviderError(problem=f"no {needed} in the discovery document")
                self._metadata = document
            return self._metadata

    def _key_set(self, refresh: bool = False) -> KeySet:
        metadata = self.metadata()
        with self._lock:
            if self._jwks is None or refresh:
                self._jwks = self._get_json(metadata["jwks_uri"])
            jwks = self._jwks
        try:
            return KeySet.import_key_set(jwks)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError):
            raise ProviderError(problem="the provider's JWKS is not a key set") from None

    def _get_json(self, url: str) -> dict[str, Any]:
        try:
            response = self._http.get(url, headers={"Accept": "application/json"})
        except httpx.HTTPError as error:
            raise ProviderError(problem=type(error).__name__) from None
        return self._json_of(response)

    @staticmethod
    def _json_of(response: httpx.Response) -> dict[str, Any]:
        if response.status_code != 200:
            raise ProviderError(problem=f"HTTP {response.status_code}")
        try:
            document = response.json()
        except ValueError:
            raise ProviderError(problem="not JSON") from None
        if not isinstance(document, dict):
            raise ProviderError(problem="not a JSON object")
        return document

    # ------------------------------------------------------------------ flow

    def begin(self, return_to: str = "/") -> tuple[str, LoginTransaction]:
        """The provider's authorization URL to send the browser to, and the transaction
        the callback must present again."""
        transaction = LoginTransaction(
            state=secrets.token_urlsafe(32), nonce=secrets.token_urlsafe(32),
            code_verifier=secrets.token_urlsafe(64), started_at=int(self._clock()),
            return_to=return_to)
        url = prepare_grant_uri(
            self.metadata()["authorization_endpoint"], self.settings.client_id, "code",
            redirect_uri=self.settings.redirect_url, scope=" ".join(self.settings.scopes),
            state=transaction.state, nonce=transaction.nonce,
            code_challenge=create_s256_code_challenge(transaction.code_verifier),
            code_challenge_method="S256")
        return url, transaction

    def complete(self, params: Mapping[str, str],
                 transaction: LoginTransaction) -> VerifiedIdentity:
        """Finish a login from the callback's query parameters: check state, exchange the
        code, validate the ID token. Raises LoginRefusedError, ProviderError or
        IdTokenRefusedError."""
        if self._clock() - transaction.started_at > TRANSACTION_TTL:
            raise LoginRefusedError()
        if "error" in params:  # refused either way; some providers omit the state here
            raise LoginRefusedError("error.sso_login_denied",
                                    error=str(params["error"])[:80])
        state = params.get("state", "")
        if not hmac.compare_digest(state.encode(), transaction.state.encode()):
            raise LoginRefusedError()
        code = params.get("code", "")
        if not code:
            raise LoginRefusedError()
        tokens = self.exchange(code, transaction.code_verifier)
        id_token = tokens.get("id_token")
        if not isinstance(id_token, str):
            raise ProviderError(problem="no id_token in the token response")
        access_token = tokens.get("access_token")
        return self.validate_id_token(id_token, transaction.nonce,
                                      access_token if isinstance(access_token, str) else None)

    def exchange(self, code: str, code_verifier: str) -> dict[str, Any]:
        """The token endpoint's answer to the authorization code (client_secret_basic, or
        client_secret_post when that is all the provider supports)."""
        metadata = self.metadata()
        form = {"grant_type": "authorization_code", "code": code,
                "redirect_uri": self.settings.redirect_url, "code_verifier": code_verifier}
        methods = metadata.get("token_endpoint_auth_methods_supported") or [
            "client_secret_basic"]
        headers = {"Accept": "application/json"}
        if "client_secret_basic" in methods:
            pair = f"{_form_encode(self.settings.client_id)}:" \
                   f"{_form_encode(self.settings.client_secret)}"
            headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode()
        else:
            form.update(client_id=self.settings.client_id,
                        client_secret=self.settings.client_secret)
        try:
            response = self._http.post(metadata["token_endpoint"], data=form, headers=headers)
        except httpx.HTTPError as error:
            raise ProviderError(problem=type(error).__name__) from None
        if response.status_code == 400:
            raise LoginRefusedError("error.sso_login_denied", error=_oauth_error(response))
        return self._json_of(response)

    def validate_id_token(self, id_token: str, nonce: str,
                          access_token: str | None = None) -> VerifiedIdentity:
        """Check the ID token's signature and claims; the identity it proves."""
        metadata = self.metadata()
        announced = metadata.get("id_token_signing_alg_values_supported") or ["RS256"]
        algorithms = [a for a in announced if a in ACCEPTED_ALGORITHMS]
        registry = JWSRegistry(algorithms=algorithms)
        try:
            try:
                token = jwt.decode(id_token, self._key_set(), algorithms, registry=registry)
            except InvalidKeyIdError:
                token = jwt.decode(id_token, self._key_set(refresh=True), algorithms,
                                   registry=registry)
        except (JoseError, ValueError) as error:
            raise IdTokenRefusedError(problem=_jose_problem(error)) from None
        options: dict[str, Any] = {
            "iss": {"essential": True, "value": self.settings.issuer},
            "aud": {"essential": True, "value": self.settings.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
        }
        params: dict[str, Any] = {"nonce": nonce, "client_id": self.settings.client_id}
        if access_token:
            params["access_token"] = access_token
        claims = CodeIDToken(token.claims, token.header, options, params)
        try:
            claims.validate(now=int(self._clock()), leeway=self.settings.leeway)
        except (JoseError, ValueError) as error:
            raise IdTokenRefusedError(problem=_jose_problem(error)) from None
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject:
            raise IdTokenRefusedError(problem="sub")
        email = claims.get("email")
        name = claims.get("name")
        amr = claims.get("amr")
        methods = {m for m in amr if isinstance(m, str)} if isinstance(amr, list) else set()
        return VerifiedIdentity(
            issuer=self.settings.issuer, subject=subject,
            email=email if isinstance(email, str) and email else None,
            email_verified=_claimed_true(claims.get("email_verified")),
            name=name if isinstance(name, str) else None,
            second_factor=bool(methods & set(self.settings.second_factor_amr)))


def _form_encode(value: str) -> str:
    """RFC 6749 2.3.1: client id and secret are form-encoded before HTTP Basic."""
    return quote_plus(value)


def _oauth_error(response: httpx.Response) -> str:
    try:
        error = response.json().get("error", "invalid_request")
    except (ValueError, AttributeError):
        error = "invalid_request"
    return str(error)[:80]


def _jose_problem(error: Exception) -> str:
    """A short name of what failed, never the token itself."""
    if isinstance(error, JoseError) and getattr(error, "error", None):
        description = getattr(error, "description", "") or ""
        return f"{error.error}: {description}"[:120]
    return type(error).__name__


class TransactionSealer:
    """Seals a `LoginTransaction` into a cookie value: AES-256-GCM (confidential and
    tamper-evident), with a key derived (HKDF-SHA256) from a server secret every worker
    shares (the OIDC client secret, unless a key is given), so no worker keeps state."""

    VERSION = b"1"

    def __init__(self, secret: str | bytes) -> None:
        material = secret.encode() if isinstance(secret, str) else secret
        if not material:
            raise SingleSignOnConfigError(name="transaction key", problem="empty")
        self._aead = AESGCM(HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                                 info=b"socmed sso login transaction v1").derive(material))

    def seal(self, transaction: LoginTransaction) -> str:
        payload = json.dumps({"s": transaction.state, "n": transaction.nonce,
                              "v": transaction.code_verifier, "t": transaction.started_at,
                              "r": transaction.return_to}, separators=(",", ":")).encode()
        nonce = os.urandom(12)
        sealed = self._aead.encrypt(nonce, payload, self.VERSION)
        return base64.urlsafe_b64encode(self.VERSION + nonce + sealed).decode().rstrip("=")

    def open(self, value: str | None) -> LoginTransaction | None:
        """The transaction in a cookie value, or None when absent, altered or not ours."""
        if not value or len(value) > 4096:
            return None
        try:
            raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            if raw[:1] != self.VERSION:
                return None
            payload = json.loads(self._aead.decrypt(raw[1:13], raw[13:], self.VERSION))
            return LoginTransaction(state=str(payload["s"]), nonce=str(payload["n"]),
                                    code_verifier=str(payload["v"]),
                                    started_at=int(payload["t"]),
                                    return_to=str(payload["r"]))
        except (InvalidTag, ValueError, KeyError, TypeError):
            return None


__all__ = [
    "IdTokenRefusedError",
    "LoginRefusedError",
    "LoginTransaction",
    "OidcRelyingParty",
    "OidcSettings",
    "ProviderError",
    "SingleSignOnConfigError",
    "SingleSignOnNotConfiguredError",
    "TransactionSealer",
    "VerifiedIdentity",
]

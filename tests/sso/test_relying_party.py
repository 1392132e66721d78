"""The OpenID Connect relying party against a real provider on 127.0.0.1.

Each check of the flow is shown to refuse what it exists to refuse: a callback whose state
is not this browser's, an ID token for another login (nonce), another client (aud), signed by
another key, or expired; a provider whose discovery names another issuer. And a login that
passes them all proves the subject and whether the provider verified the email.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from attrs import evolve
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from socmed_adapters.identity.oidc import (
    TRANSACTION_TTL,
    IdTokenRefusedError,
    LoginRefusedError,
    OidcRelyingParty,
    OidcSettings,
    ProviderError,
    SingleSignOnConfigError,
    TransactionSealer,
)
from tests.sso.provider import LocalProvider, local_provider, sign_in_at_provider

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # the provider's authlib

REDIRECT = "http://127.0.0.1:9/auth/sso/callback"  # never called: the test reads the redirect


@pytest.fixture(scope="module")
def provider() -> Iterator[LocalProvider]:
    with local_provider() as running:
        yield running


def settings(provider: LocalProvider, **changes: object) -> OidcSettings:
    base = OidcSettings(issuer=provider.issuer, client_id="socmed-test",
                        client_secret="s3cret-of-the-test", redirect_url=REDIRECT)
    return evolve(base, **changes)  # type: ignore[arg-type]


def login(provider: LocalProvider, rp: OidcRelyingParty, subject: str
          ) -> tuple[dict[str, str], object]:
    """Start a login, sign in at the provider as `subject`; the callback's parameters."""
    url, transaction = rp.begin()
    with httpx.Client(timeout=10) as browser:
        redirect = sign_in_at_provider(browser, url, subject)
    location = redirect.headers["location"]
    assert location.startswith(REDIRECT)
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}, transaction


def test_a_login_proves_the_subject_and_the_verified_email(provider: LocalProvider) -> None:
    provider.set_user("alice-sub", email="Alice@Example.COM", email_verified=True,
                      name="Alice")
    rp = OidcRelyingParty(settings(provider))
    params, transaction = login(provider, rp, "alice-sub")
    identity = rp.complete(params, transaction)  # type: ignore[arg-type]
    assert identity.issuer == provider.issuer
    assert identity.subject == "alice-sub"
    assert identity.email == "Alice@Example.COM"
    assert identity.email_verified is True
    assert identity.name == "Alice"


def test_the_authorization_request_carries_pkce_state_and_nonce(provider: LocalProvider) -> None:
    """PKCE (S256): the verifier sent with the code hashes to the challenge sent with the
    authorization request; client authentication is HTTP Basic."""
    provider.set_user("pkce-sub", email="pkce@example.com", email_verified=True)
    rp = OidcRelyingParty(settings(provider))
    before = len(provider.recorder.requests)
    params, transaction = login(provider, rp, "pkce-sub")
    rp.complete(params, transaction)  # type: ignore[arg-type]
    recorded = provider.recorder.requests[before:]
    query = next(q for m, p, q, _ in recorded if p == "/oauth2/authorize" and m == "GET")
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"] == [transaction.state]  # type: ignore[attr-defined]
    assert query["nonce"] == [transaction.nonce]  # type: ignore[attr-defined]
    assert query["redirect_uri"] == [REDIRECT]
    assert "openid" in query["scope"][0].split()
    form = next(f for _, p, _, f in recorded if p == "/oauth2/token")
    verifier = form["code_verifier"][0]
    assert create_s256_code_challenge(verifier) == query["code_challenge"][0]
    assert form["redirect_uri"] == [REDIRECT]
    assert "client_secret" not in form  # sent as HTTP Basic, not in the body


def test_a_wrong_state_is_refused_before_the_code_is_exchanged(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    params, transaction = login(provider, rp, "state-sub")
    before = len(provider.recorder.sent_to("/oauth2/token"))
    with pytest.raises(LoginRefusedError):
        rp.complete({**params, "state": "not-the-state"}, transaction)  # type: ignore[arg-type]
    with pytest.raises(LoginRefusedError):
        rp.complete({"code": params["code"]}, transaction)  # type: ignore[arg-type]
    assert len(provider.recorder.sent_to("/oauth2/token")) == before


def test_an_id_token_for_another_login_is_refused_by_its_nonce(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    params, transaction = login(provider, rp, "nonce-sub")
    other = evolve(transaction, nonce="the-nonce-of-another-login")  # type: ignore[misc]
    with pytest.raises(IdTokenRefusedError) as refused:
        rp.complete(params, other)
    assert "nonce" in refused.value.message()


def test_an_expired_login_transaction_is_refused(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    params, transaction = login(provider, rp, "slow-sub")
    late = OidcRelyingParty(settings(provider), clock=lambda: transaction.started_at  # type: ignore[attr-defined]
                            + TRANSACTION_TTL + 1)
    with pytest.raises(LoginRefusedError):
        late.complete(params, transaction)  # type: ignore[arg-type]


def test_a_denied_login_is_refused(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    url, transaction = rp.begin()
    with httpx.Client(timeout=10) as browser:
        redirect = sign_in_at_provider(browser, url, "", deny=True)
    params = {k: v[0] for k, v in parse_qs(urlsplit(redirect.headers["location"]).query).items()}
    with pytest.raises(LoginRefusedError) as refused:
        rp.complete(params, transaction)
    assert refused.value.code == "error.sso_login_denied"


def _token(provider: LocalProvider, rp: OidcRelyingParty, subject: str) -> tuple[str, str]:
    params, transaction = login(provider, rp, subject)
    tokens = rp.exchange(params["code"], transaction.code_verifier)  # type: ignore[attr-defined]
    return tokens["id_token"], transaction.nonce  # type: ignore[attr-defined]


def test_a_token_with_a_forged_signature_is_refused(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    id_token, nonce = _token(provider, rp, "forged-sub")
    assert rp.validate_id_token(id_token, nonce).subject == "forged-sub"
    header, payload, signature = id_token.split(".")
    claims = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    forged = base64.urlsafe_b64encode(
        claims.replace(b'"forged-sub"', b'"admin-sub!"')).decode().rstrip("=")
    with pytest.raises(IdTokenRefusedError):
        rp.validate_id_token(f"{header}.{forged}.{signature}", nonce)
    unsigned = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').decode().rstrip("=")
    with pytest.raises(IdTokenRefusedError):
        rp.validate_id_token(f"{unsigned}.{payload}.", nonce)


def test_a_token_for_another_client_or_expired_is_refused(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    id_token, nonce = _token(provider, rp, "aud-sub")
    other_client = OidcRelyingParty(settings(provider, client_id="another-app"))
    with pytest.raises(IdTokenRefusedError) as refused:
        other_client.validate_id_token(id_token, nonce)
    assert "aud" in refused.value.message()
    import time

    later = OidcRelyingParty(settings(provider), clock=lambda: time.time() + 2 * 3600)
    with pytest.raises(IdTokenRefusedError) as expired:
        later.validate_id_token(id_token, nonce)
    assert "exp" in expired.value.message()


def test_email_verified_counts_only_when_the_provider_says_true(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    for subject, claims, verified in (
            ("unverified-sub", {"email": "u@example.com", "email_verified": False}, False),
            ("silent-sub", {"email": "s@example.com"}, False),
            ("string-sub", {"email": "t@example.com", "email_verified": "true"}, True)):
        provider.set_user(subject, **claims)
        params, transaction = login(provider, rp, subject)
        identity = rp.complete(params, transaction)  # type: ignore[arg-type]
        assert identity.email == claims["email"]
        assert identity.email_verified is verified, subject


def test_a_discovery_document_naming_another_issuer_is_refused(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider, issuer=provider.issuer + "/"))
    with pytest.raises(ProviderError):
        rp.begin()


def test_an_unreachable_provider_is_a_clear_error() -> None:
    rp = OidcRelyingParty(OidcSettings(issuer="http://127.0.0.1:9", client_id="c",
                                       client_secret="s", redirect_url=REDIRECT, timeout=2))
    with pytest.raises(ProviderError) as refused:
        rp.begin()
    assert refused.value.code == "error.sso_provider_unreachable"


def test_the_sealed_transaction_is_private_and_tamper_evident(provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    _, transaction = rp.begin(return_to="/console")
    sealer = TransactionSealer("key one")
    sealed = sealer.seal(transaction)
    assert transaction.code_verifier not in sealed and transaction.nonce not in sealed
    assert sealer.open(sealed) == transaction
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    assert sealer.open(flipped) is None
    assert TransactionSealer("key two").open(sealed) is None
    assert sealer.open("") is None and sealer.open("garbage!") is None


def test_settings_come_from_the_environment(tmp_path: object) -> None:
    assert OidcSettings.from_env({}) is None
    env = {"SOCMED_OIDC_ISSUER": "https://login.example.com",
           "SOCMED_OIDC_CLIENT_ID": "socmed", "SOCMED_OIDC_CLIENT_SECRET": "pssst-4711",
           "SOCMED_OIDC_REDIRECT_URL": "https://socmed.example.com/auth/sso/callback"}
    read = OidcSettings.from_env(env)
    assert read is not None and read.scopes == ("openid", "email", "profile")
    assert "pssst" not in repr(read)  # the secret never reaches a log line
    from pathlib import Path

    secret_file = Path(str(tmp_path)) / "secret"
    secret_file.write_text("from-a-file\n")
    env_file = {**env, "SOCMED_OIDC_CLIENT_SECRET": "",
                "SOCMED_OIDC_CLIENT_SECRET_FILE": str(secret_file)}
    assert OidcSettings.from_env(env_file).client_secret == "from-a-file"  # type: ignore[union-attr]
    for name, value in (("SOCMED_OIDC_ISSUER", "http://login.example.com"),
                        ("SOCMED_OIDC_CLIENT_ID", ""),
                        ("SOCMED_OIDC_REDIRECT_URL", "http://socmed.example.com/cb"),
                        ("SOCMED_OIDC_SCOPES", "email profile")):
        with pytest.raises(SingleSignOnConfigError) as refused:
            OidcSettings.from_env({**env, name: value})
        assert name in refused.value.message()


def test_the_providers_amr_tells_whether_a_second_factor_was_proven(
        provider: LocalProvider) -> None:
    rp = OidcRelyingParty(settings(provider))
    for subject, amr, second in (("mfa-sub", ["pwd", "mfa"], True), ("otp-sub", ["otp"], True),
                                 ("pwd-sub", ["pwd"], False), ("none-sub", None, False)):
        claims: dict[str, object] = {"email": f"{subject}@example.com"}
        if amr is not None:
            claims["amr"] = amr
        provider.set_user(subject, **claims)
        params, transaction = login(provider, rp, subject)
        assert rp.complete(params, transaction).second_factor is second, subject  # type: ignore[arg-type]
    strict = OidcRelyingParty(settings(provider, second_factor_amr=("hwk",)))
    params, transaction = login(provider, strict, "otp-sub")
    assert strict.complete(params, transaction).second_factor is False  # type: ignore[arg-type]
    env = {"SOCMED_OIDC_ISSUER": "https://login.example.com", "SOCMED_OIDC_CLIENT_ID": "c",
           "SOCMED_OIDC_CLIENT_SECRET": "s",
           "SOCMED_OIDC_REDIRECT_URL": "https://socmed.example.com/auth/sso/callback"}
    assert OidcSettings.from_env(env).second_factor_amr == ("mfa", "otp", "hwk")  # type: ignore[union-attr]
    off = OidcSettings.from_env({**env, "SOCMED_OIDC_SECOND_FACTOR_AMR": "none"})
    assert off is not None and off.second_factor_amr == ()

"""The /auth/sso routes' own rules: where a login may send the browser afterwards (never to
another site: an open redirect would make our sign-in page a phishing relay), and that the
routes exist only when single sign-on is configured."""

from __future__ import annotations

import pytest
from litestar import Router

from socmed_adapters.identity.oidc import SingleSignOnConfigError
from socmed_web.sso import safe_next, sso_router_from_env


@pytest.mark.parametrize(("given", "kept"), [
    ("/console/approvals?page=2", "/console/approvals?page=2"),
    ("/", "/"),
    (None, "/"),
    ("", "/"),
    ("https://evil.example/", "/"),
    ("//evil.example/path", "/"),
    ("/\\evil.example", "/"),
    ("/ok\r\nSet-Cookie: x=1", "/"),
    ("javascript:alert(1)", "/"),
    ("/" + "a" * 600, "/"),
])
def test_next_is_a_path_of_this_site_only(given: str | None, kept: str) -> None:
    assert safe_next(given) == kept


class _NoIdentity:
    def sign_in_sso(self, issuer: str, subject: str, email: str | None,
                    email_verified: bool, second_factor: bool = False) -> None:
        raise AssertionError("not called")

    def sign_out(self, session_token: str) -> None:
        raise AssertionError("not called")


def test_the_routes_exist_only_when_configured() -> None:
    assert sso_router_from_env(_NoIdentity(), env={}) is None
    env = {"SOCMED_OIDC_ISSUER": "https://login.example.com",
           "SOCMED_OIDC_CLIENT_ID": "socmed", "SOCMED_OIDC_CLIENT_SECRET": "s",
           "SOCMED_OIDC_REDIRECT_URL": "https://socmed.example.com/auth/sso/callback"}
    router = sso_router_from_env(_NoIdentity(), env=env)
    assert isinstance(router, Router)
    assert {route.path for route in router.routes} == {"/auth/sso/login",
                                                       "/auth/sso/callback"}
    with pytest.raises(SingleSignOnConfigError):
        sso_router_from_env(_NoIdentity(), env={**env, "SOCMED_OIDC_CLIENT_SECRET": ""})

"""Single sign-on: what an OpenID Connect identity is, as the domain sees it.

A company that already runs an identity provider (Google Workspace, Microsoft Entra ID,
Keycloak, ...) wants its staff to sign in to socmed with it. The provider proves an identity
(`issuer`, `subject`, and maybe an `email` it says it verified); the relying party that checks
the provider's ID token (signature, iss, aud, exp, nonce) is an adapter
(`socmed_adapters.identity.oidc`), and which member the identity is, is decided by
`app.identity.sign_in_sso` (socmed_domain.identity.service): the member linked to
(issuer, subject), else the one active member whose recorded work email is the provider's
*verified* email (then linked, audited). An unverified email, an unknown identity and a
deactivated member are refused.

This module holds the checks of issuers and subjects both sides share.
"""

from __future__ import annotations

import re

from socmed_domain.errors import InvalidInputError

#: OpenID Connect: "sub" is at most 255 ASCII characters; the issuer is an https URL.
SUBJECT_LIMIT = 255
ISSUER_LIMIT = 500
ISSUER_RE = re.compile(r"^https?://[^/\s?#@]+(/[^\s?#]*)?$")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def issuer_host(issuer: str) -> str:
    """The host (and port, when one is given) of an issuer URL. Plain string work: the
    domain imports no URL library."""
    rest = issuer.split("://", 1)[-1]
    return rest.split("/", 1)[0]


def check_issuer(issuer: str) -> str:
    """An issuer identifier as OpenID Connect defines it: an https URL without query or
    fragment (plain http only on the loopback, for a provider on this machine in tests).
    Compared exactly as given (OIDC Discovery 4.3), so it is not rewritten here."""
    if len(issuer) > ISSUER_LIMIT or not ISSUER_RE.fullmatch(issuer):
        raise InvalidInputError("error.sso_bad_issuer", value=issuer)
    host = issuer_host(issuer)
    hostname = host.split("]")[0] + "]" if host.startswith("[") else host.split(":")[0]
    if issuer.startswith("http://") and hostname not in LOOPBACK_HOSTS:
        raise InvalidInputError("error.sso_bad_issuer", value=issuer)
    return issuer


def check_subject(subject: str) -> str:
    """A provider's subject identifier: 1 to 255 printable characters."""
    if not subject or len(subject) > SUBJECT_LIMIT or not subject.isprintable():
        raise InvalidInputError("error.sso_bad_subject", value=subject)
    return subject

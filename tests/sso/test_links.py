"""A Marketing Manager links a provider subject to a member (SQLite and PostgreSQL).

Matching by email needs a provider that verifies emails; the explicit link is how a member
signs in where it does not. Linking grants sign-in, so it is the Marketing Manager's (the
role matrix's "manage the team"), audited, and a subject is never behind two members.
"""

from __future__ import annotations

from typing import Any

import pytest

from socmed_domain.errors import InvalidInputError, InvalidStateError, PermissionDeniedError
from socmed_domain.identity.single_sign_on import SubjectLink, check_issuer
from tests.conftest import seed_team

ISSUER = "https://login.contoh.co.id"


@pytest.fixture
def app(backend: Any) -> Any:
    services = backend.services()
    seed_team(services.app)
    return services.app


def test_a_linked_subject_signs_in_whatever_email_the_provider_states(app: Any) -> None:
    app.sso.link_subject("rina.mm", "dewi.dm", ISSUER, "00u-dewi")
    signed = app.identity.sign_in_sso(ISSUER, "00u-dewi", "dewi@unverified.example", False)
    assert signed.principal.member_id == "dewi.dm"
    assert signed.principal.via == "sso:login.contoh.co.id"
    assert app.sso.links("rina.mm") == (SubjectLink("dewi.dm", ISSUER, "00u-dewi"),)
    entry = app.audit.log("sari.legal", event_type="SsoLinked")[-1]
    assert (entry.actor_id, entry.params["subject"]) == ("rina.mm", "00u-dewi")


def test_linking_again_the_same_is_a_no_op_and_a_new_subject_replaces_the_old(app: Any) -> None:
    app.sso.link_subject("rina.mm", "dewi.dm", ISSUER, "00u-dewi")
    count = app.event_count()
    app.sso.link_subject("rina.mm", "dewi.dm", ISSUER, "00u-dewi")
    assert app.event_count() == count
    app.sso.link_subject("rina.mm", "dewi.dm", ISSUER, "00u-dewi-2")
    assert app.identity.sign_in_sso(ISSUER, "00u-dewi-2", None, False).principal.member_id \
        == "dewi.dm"
    with pytest.raises(Exception) as refused:
        app.identity.sign_in_sso(ISSUER, "00u-dewi", None, False)
    assert refused.value.code == "error.sso_no_member"  # type: ignore[attr-defined]


def test_what_linking_refuses_writes_nothing(app: Any) -> None:
    app.sso.link_subject("rina.mm", "dewi.dm", ISSUER, "00u-dewi")
    count = app.event_count()
    with pytest.raises(InvalidStateError) as taken:  # one identity, one member
        app.sso.link_subject("rina.mm", "budi.dm", ISSUER, "00u-dewi")
    assert taken.value.code == "error.sso_subject_taken"
    with pytest.raises(PermissionDeniedError):  # only a Marketing Manager links
        app.sso.link_subject("budi.dm", "budi.dm", ISSUER, "00u-budi")
    with pytest.raises(PermissionDeniedError):
        app.sso.links("budi.dm")
    for issuer, subject in (("http://login.contoh.co.id", "s"), ("ftp://x.example", "s"),
                            (ISSUER + "?tenant=1", "s"), (ISSUER, ""), (ISSUER, "a\nb"),
                            (ISSUER, "x" * 256)):
        with pytest.raises(InvalidInputError):
            app.sso.link_subject("rina.mm", "budi.dm", issuer, subject)
    with pytest.raises(Exception) as unknown:
        app.sso.link_subject("rina.mm", "nobody.here", ISSUER, "00u-x")
    assert unknown.value.code == "error.not_found"  # type: ignore[attr-defined]
    assert app.event_count() == count


def test_a_deactivated_member_with_a_link_is_refused(app: Any) -> None:
    app.sso.link_subject("rina.mm", "adi.admin", ISSUER, "00u-adi")
    app.team.deactivate_member("rina.mm", "adi.admin", "left")
    with pytest.raises(Exception) as refused:
        app.identity.sign_in_sso(ISSUER, "00u-adi", None, False)
    assert refused.value.code == "error.sso_no_member"  # type: ignore[attr-defined]


@pytest.mark.parametrize("issuer", ["http://127.0.0.1:8080", "http://localhost",
                                    "http://[::1]:9000/realms/x", "https://idp.example/t/1"])
def test_loopback_http_and_https_issuers_are_accepted(issuer: str) -> None:
    assert check_issuer(issuer) == issuer

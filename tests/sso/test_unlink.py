"""An SSO link removed (`SsoUnlinked`): the identity signs the member in no more, is not linked
again by the member's verified email, its sessions end; the member or a Marketing Manager
removes it, audited; refusals write nothing (SQLite and PostgreSQL; the API and the CLI)."""

from __future__ import annotations

from typing import Any

import pytest

from socmed_domain.errors import InvalidStateError, NotAuthenticatedError, PermissionDeniedError
from tests.conftest import seed_team

ISSUER = "https://login.contoh.co.id"


@pytest.fixture
def app(backend: Any) -> Any:
    services = backend.services()
    seed_team(services.app)
    return services.app


def test_an_unlinked_identity_signs_in_no_more(app: Any) -> None:
    app.identity.record_email("rina.mm", "dewi.dm", "dewi@contoh.co.id")
    signed = app.identity.sign_in_sso(ISSUER, "00u-dewi", "dewi@contoh.co.id", True)
    assert signed.principal.member_id == "dewi.dm"  # linked by the verified email
    app.identity.unlink_sso("rina.mm", "dewi.dm", ISSUER, "akun IdP diganti")
    entry = app.audit.log("sari.legal", event_type="SsoUnlinked")[-1]
    assert (entry.actor_id, entry.params["subject"], entry.reason) == (
        "rina.mm", "00u-dewi", "akun IdP diganti")
    with pytest.raises(NotAuthenticatedError):  # the old session ended
        app.identity.session_principal(signed.session_token)
    for email in (None, "dewi@contoh.co.id"):  # nor linked again by the email
        with pytest.raises(NotAuthenticatedError):
            app.identity.sign_in_sso(ISSUER, "00u-dewi", email, True)
    assert app.identity.access_status("rina.mm", "dewi.dm").sso_issuers == ()
    # a new identity at the provider with the verified email is linked as before
    assert app.identity.sign_in_sso(ISSUER, "00u-dewi-baru", "dewi@contoh.co.id",
                                    True).principal.member_id == "dewi.dm"
    # and a Marketing Manager may link the old one explicitly again
    app.sso.link_subject("rina.mm", "dewi.dm", ISSUER, "00u-dewi")
    assert app.identity.sign_in_sso(ISSUER, "00u-dewi", None, False).principal.member_id \
        == "dewi.dm"


def test_who_may_unlink_and_what_is_refused(app: Any) -> None:
    app.sso.link_subject("rina.mm", "dewi.dm", ISSUER, "00u-dewi")
    app.sso.link_subject("rina.mm", "budi.dm", ISSUER, "00u-budi")
    count = app.event_count()
    with pytest.raises(PermissionDeniedError):  # another member's link: the manager's
        app.identity.unlink_sso("budi.dm", "dewi.dm", ISSUER, "x")
    with pytest.raises(InvalidStateError) as missing:
        app.identity.unlink_sso("rina.mm", "dewi.dm", "https://lain.example", "x")
    assert missing.value.code == "error.sso_not_linked"
    with pytest.raises(Exception) as no_reason:
        app.identity.unlink_sso("rina.mm", "dewi.dm", ISSUER, " ")
    assert no_reason.value.code == "error.empty"  # type: ignore[attr-defined]
    assert app.event_count() == count
    app.identity.unlink_sso("budi.dm", "budi.dm", ISSUER, "tidak dipakai")  # one's own
    assert app.event_count() == count + 1


def test_the_last_way_a_manager_signs_in_is_not_removed(app: Any) -> None:
    app.sso.link_subject("rina.mm", "rina.mm", ISSUER, "00u-rina")
    app.identity.set_policy("rina.mm", require_authentication=True, reason="live")
    count = app.event_count()
    with pytest.raises(InvalidStateError) as locked:
        app.identity.unlink_sso("rina.mm", "rina.mm", ISSUER, "x")
    assert locked.value.code == "error.no_manager_can_sign_in"
    assert app.event_count() == count

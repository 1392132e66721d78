"""Identity end to end on SQLite and PostgreSQL (issue 15, "Identity"): accounts set up with a
one-time code, sessions, the second factor the policy asks of approving roles, lock-out
recorded as events, API tokens, single sign-on matching, and `via` on every event. The
credential store, argon2id and pyotp are the real adapters wired by bootstrap()."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pyotp
import pytest
from tests.conftest import seed_team

from socmed_domain.errors import (
    InvalidStateError,
    NotAuthenticatedError,
    PermissionDeniedError,
    SecondFactorRequiredError,
)
from socmed_domain.identity.principal import Principal, Scope
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.roles import Role

PASSWORD = "correct horse battery staple"


@pytest.fixture
def app(backend: Any, clock: Any) -> Any:
    services = backend.services(clock=clock)
    seed_team(services.app)
    return services.app


def account(app: Any, member: str, password: str = PASSWORD) -> None:
    code = app.identity.invite("rina.mm", member)
    app.identity.set_up_account(member, code.code, password)


def with_totp(app: Any, clock: Any, member: str) -> pyotp.TOTP:
    """Enrol and confirm an authenticator for `member`; returns it (as the phone app)."""
    enrolment = app.identity.enrol_totp(member)
    totp = pyotp.TOTP(enrolment.secret)
    app.identity.confirm_totp(member, totp.at(clock()))
    clock.advance(seconds=30)  # the confirming code is spent; the next one is new
    return totp


def events_of(app: Any, member: str | None = None) -> list[Any]:
    return [e for e in app.audit.log("rina.mm") if member is None or e.actor_id == member]


def test_an_invited_member_sets_a_password_signs_in_and_acts_through_the_session(
        app: Any, clock: Any) -> None:
    code = app.identity.invite("rina.mm", "budi.dm")
    assert code.expires_at == clock() + timedelta(hours=72)
    app.identity.set_up_account("budi.dm", code.code.lower().replace("-", " "), PASSWORD)
    signed = app.identity.sign_in("budi.dm", PASSWORD)
    principal = app.identity.session_principal(signed.session_token)
    assert principal == signed.principal
    assert principal.via.startswith("session:") and len(principal.via) == len("session:") + 8
    item = app.content.create(principal, "Promo", Draft("Halo", (
        Platform.INSTAGRAM,)))
    created = [e for e in app.content.history(item) if e.event_type == "Created"]
    assert created[0].via == principal.via
    with pytest.raises(NotAuthenticatedError):  # a set-up code is spent once used
        app.identity.set_up_account("budi.dm", code.code, PASSWORD + "!")
    types = [e.event_type for e in events_of(app, "budi.dm")]
    assert types[:2] == ["AccountSetUp", "SignedIn"]


def test_an_expired_set_up_code_is_refused(app: Any, clock: Any) -> None:
    code = app.identity.invite("rina.mm", "budi.dm")
    clock.advance(hours=72)
    with pytest.raises(NotAuthenticatedError) as refused:
        app.identity.set_up_account("budi.dm", code.code, PASSWORD)
    assert refused.value.code == "error.bad_setup_code"


def test_only_a_marketing_manager_invites(app: Any) -> None:
    with pytest.raises(PermissionDeniedError):
        app.identity.invite("budi.dm", "dewi.dm")


def test_repeated_failures_lock_the_member_out_and_are_recorded(app: Any, clock: Any) -> None:
    account(app, "budi.dm")
    for _ in range(5):
        with pytest.raises(NotAuthenticatedError):
            app.identity.sign_in("budi.dm", "wrong password!!")
    with pytest.raises(NotAuthenticatedError) as locked:
        app.identity.sign_in("budi.dm", PASSWORD)  # even the right password, while locked
    assert locked.value.code == "error.locked_out"
    recorded = [e for e in events_of(app, "budi.dm") if e.event_type in (
        "SignInFailed", "LockedOut")]
    assert [e.event_type for e in recorded] == ["SignInFailed"] * 5 + ["LockedOut"]
    assert [e.params["failures"] for e in recorded[:5]] == [1, 2, 3, 4, 5]
    assert all(e.via == "auth:password" for e in recorded)
    clock.advance(minutes=15)
    assert app.identity.sign_in("budi.dm", PASSWORD).principal.member_id == "budi.dm"


def test_a_marketing_manager_unlocks_a_member(app: Any, clock: Any) -> None:
    account(app, "budi.dm")
    for _ in range(5):
        with pytest.raises(NotAuthenticatedError):
            app.identity.sign_in("budi.dm", "wrong password!!")
    app.identity.unlock("rina.mm", "budi.dm", "called the helpdesk")
    app.identity.sign_in("budi.dm", PASSWORD)
    with pytest.raises(InvalidStateError):
        app.identity.unlock("rina.mm", "budi.dm", "again")


def test_the_policy_threshold_is_the_one_in_force(app: Any) -> None:
    app.identity.set_policy("rina.mm", lockout_threshold=3, lockout_minutes=60, reason="audit")
    account(app, "budi.dm")
    for _ in range(3):
        with pytest.raises(NotAuthenticatedError):
            app.identity.sign_in("budi.dm", "wrong password!!")
    assert events_of(app, "budi.dm")[-1].event_type == "LockedOut"
    change = [e for e in events_of(app) if e.event_type == "AccessPolicyChanged"]
    assert change[0].params["threshold"] == 3 and change[0].reason == "audit"


def test_an_unknown_member_and_a_wrong_password_look_the_same(app: Any) -> None:
    account(app, "budi.dm")
    with pytest.raises(NotAuthenticatedError) as unknown:
        app.identity.sign_in("nobody.here", PASSWORD)
    with pytest.raises(NotAuthenticatedError) as wrong:
        app.identity.sign_in("budi.dm", "not the password")
    assert unknown.value.code == wrong.value.code == "error.not_authenticated"
    with pytest.raises(NotAuthenticatedError):  # invited but no password yet
        app.identity.sign_in("dewi.dm", PASSWORD)


def test_a_deactivated_members_session_and_tokens_fail_on_next_use(app: Any) -> None:
    account(app, "budi.dm")
    signed = app.identity.sign_in("budi.dm", PASSWORD)
    token = app.identity.create_token(signed.principal, "ci", Scope.COMMANDS,
                                      timedelta(days=30))
    app.identity.token_principal(token.secret)
    app.team.deactivate_member("rina.mm", "budi.dm", "left the company")
    with pytest.raises(NotAuthenticatedError):
        app.identity.session_principal(signed.session_token)
    with pytest.raises(NotAuthenticatedError):
        app.identity.token_principal(token.secret)
    with pytest.raises(NotAuthenticatedError):
        app.identity.sign_in("budi.dm", PASSWORD)


def test_a_changed_role_takes_effect_on_the_next_command(app: Any) -> None:
    account(app, "budi.dm")
    principal = app.identity.session_principal(
        app.identity.sign_in("budi.dm", PASSWORD).session_token)
    draft = Draft("Halo", (Platform.INSTAGRAM,))
    app.content.create(principal, "Before", draft)
    app.team.change_role("rina.mm", "budi.dm", Role.SOCIAL_MEDIA_ADMIN, "moved team")
    with pytest.raises(PermissionDeniedError):
        app.content.create(principal, "After", draft)


def test_a_read_only_token_reads_but_never_commands(app: Any) -> None:
    account(app, "sari.legal")
    token = app.identity.create_token("sari.legal", "reports", Scope.READ, timedelta(days=1))
    principal = app.identity.token_principal(token.secret)
    assert principal.scope is Scope.READ and principal.via == f"token:{token.token_id}"
    assert app.audit.log(principal)  # Legal may read the audit log
    with pytest.raises(PermissionDeniedError) as refused:
        app.incidents.open_incident(principal, "x", *_incident_args())
    assert refused.value.code == "error.read_only_principal"


def _incident_args() -> tuple[Any, ...]:
    from socmed_domain.crisis.incident import IncidentCategory

    return (IncidentCategory.COMPLAINT_WAVE, "many complaints")


def test_tokens_are_listed_without_secrets_revoked_and_expire(app: Any, clock: Any) -> None:
    first = app.identity.create_token("budi.dm", "one", Scope.READ, timedelta(hours=2))
    second = app.identity.create_token("budi.dm", "two", Scope.COMMANDS, timedelta(days=90))
    listed = app.identity.list_tokens("budi.dm")
    assert {t.name for t in listed} == {"one", "two"}
    assert not any(first.secret in repr(t) or second.secret in repr(t) for t in listed)
    app.identity.revoke_token("budi.dm", second.token_id)
    with pytest.raises(NotAuthenticatedError):
        app.identity.token_principal(second.secret)
    clock.advance(hours=2)
    with pytest.raises(NotAuthenticatedError):
        app.identity.token_principal(first.secret)
    states = {t.name: t.state for t in app.identity.list_tokens("budi.dm")}
    assert states == {"one": "expired", "two": "revoked"}
    with pytest.raises(PermissionDeniedError):  # another member's token
        app.identity.revoke_token("dewi.dm", first.token_id)
    token_principal = app.identity.token_principal(
        app.identity.create_token("budi.dm", "x", Scope.COMMANDS, timedelta(days=1)).secret)
    with pytest.raises(PermissionDeniedError):  # a token cannot make tokens
        app.identity.create_token(token_principal, "y", Scope.COMMANDS, timedelta(days=1))


def test_approval_needs_the_second_factor_the_policy_names(app: Any, clock: Any) -> None:
    from tests.conftest import seed_campaign

    account(app, "rina.mm")
    seed_campaign(app)
    item = app.content.create("budi.dm", "Promo", Draft("Halo", (Platform.X,)))
    app.content.submit_for_review("budi.dm", item)
    app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    app.content.submit_for_approval("budi.dm", item)
    password_only = app.identity.sign_in("rina.mm", PASSWORD).principal
    assert not password_only.second_factor
    with pytest.raises(PermissionDeniedError) as refused:
        app.content.approve(password_only, item)
    assert refused.value.code == "error.second_factor_needed"
    with pytest.raises(PermissionDeniedError):  # nor may it lift the requirement
        app.identity.set_policy(password_only, second_factor_roles=())
    totp = with_totp(app, clock, "rina.mm")
    with pytest.raises(SecondFactorRequiredError):
        app.identity.sign_in("rina.mm", PASSWORD)
    signed = app.identity.sign_in("rina.mm", PASSWORD, totp.at(clock()))
    assert signed.principal.second_factor
    assert app.identity.session_principal(signed.session_token).second_factor
    with pytest.raises(NotAuthenticatedError):  # the same code twice: a replay
        app.identity.sign_in("rina.mm", PASSWORD, totp.at(clock()))
    app.content.approve(signed.principal, item)
    approved = [e for e in app.content.history(item) if e.event_type == "Approved"]
    assert approved[0].via == signed.principal.via


def test_without_the_role_in_the_policy_a_password_session_approves(app: Any) -> None:
    from socmed_domain.planning.campaign import CampaignPlan, Period

    app.identity.set_policy("rina.mm", second_factor_roles=[Role.LEGAL])
    account(app, "rina.mm")
    principal = app.identity.sign_in("rina.mm", PASSWORD).principal
    start = app.kernel_now() if hasattr(app, "kernel_now") else app.now()
    plan = CampaignPlan("Promo", Period(start, start + timedelta(days=30)),
                        platforms=(Platform.INSTAGRAM,))
    campaign = app.planning.plan_campaign("budi.dm", plan)
    app.planning.approve_campaign(principal, campaign)  # the policy no longer names MM
    app.team.add_member(principal, "x.dm", "X", Role.DIGITAL_MARKETING)
    app.identity.set_policy(principal, second_factor_roles=[Role.MARKETING_MANAGER])
    with pytest.raises(PermissionDeniedError):  # at once, for the same session
        app.team.add_member(principal, "y.dm", "Y", Role.DIGITAL_MARKETING)


def test_legal_sign_off_needs_a_second_factor(app: Any, clock: Any) -> None:
    account(app, "sari.legal")
    item = app.content.create("budi.dm", "Statement", Draft("Kami mohon maaf",
                                                            platforms=(Platform.X,)))
    app.content.submit_for_review("budi.dm", item)
    principal = app.identity.sign_in("sari.legal", PASSWORD).principal
    with pytest.raises(PermissionDeniedError):
        app.content.review(principal, item, CHECKLIST_KEYS)
    totp = with_totp(app, clock, "sari.legal")
    signed = app.identity.sign_in("sari.legal", PASSWORD, totp.at(clock()))
    app.content.review(signed.principal, item, CHECKLIST_KEYS)


def test_a_store_that_requires_sign_in_refuses_the_local_cli(app: Any) -> None:
    local = Principal("rina.mm", "local-cli:rina")
    with pytest.raises(InvalidStateError) as nobody:  # no manager could sign in yet
        app.identity.set_policy(local, require_authentication=True)
    assert nobody.value.code == "error.no_manager_can_sign_in"
    account(app, "rina.mm")
    app.identity.set_policy(local, require_authentication=True, reason="go live")
    with pytest.raises(PermissionDeniedError) as refused:
        app.team.add_member(local, "x.dm", "X", Role.DIGITAL_MARKETING)
    assert refused.value.code == "error.authentication_required"
    with pytest.raises(PermissionDeniedError):
        app.audit.log(Principal("sari.legal", "local-cli:sari"))
    app.audit.log("sari.legal")  # in-process library code is not the CLI


def test_single_sign_on_matches_a_verified_email_then_the_linked_subject(app: Any) -> None:
    issuer = "http://127.0.0.1:9999/realms/acme"
    with pytest.raises(NotAuthenticatedError):
        app.identity.sign_in_sso(issuer, "sub-1", "budi@example.co.id", True)
    app.identity.record_email("rina.mm", "budi.dm", "Budi@Example.co.id")
    with pytest.raises(NotAuthenticatedError):  # an unverified email matches nobody
        app.identity.sign_in_sso(issuer, "sub-1", "budi@example.co.id", False)
    signed = app.identity.sign_in_sso(issuer, "sub-1", "budi@example.co.id", True)
    assert signed.principal == Principal("budi.dm", "sso:127.0.0.1:9999", Scope.COMMANDS)
    again = app.identity.sign_in_sso(issuer, "sub-1", None, False)  # by the linked subject
    assert again.principal.member_id == "budi.dm"
    assert app.identity.session_principal(again.session_token).via == "sso:127.0.0.1:9999"
    with pytest.raises(NotAuthenticatedError):  # another subject, same email: not linked
        app.identity.sign_in_sso(issuer, "sub-2", "budi@example.co.id", True)
    linked = [e for e in events_of(app, "budi.dm") if e.event_type == "SsoLinked"]
    assert len(linked) == 1


def test_sign_out_ends_the_session(app: Any, clock: Any) -> None:
    account(app, "budi.dm")
    signed = app.identity.sign_in("budi.dm", PASSWORD)
    app.identity.sign_out(signed.session_token)
    with pytest.raises(NotAuthenticatedError):
        app.identity.session_principal(signed.session_token)
    idle = app.identity.sign_in("budi.dm", PASSWORD)
    clock.advance(hours=2)
    with pytest.raises(NotAuthenticatedError):
        app.identity.session_principal(idle.session_token)
    busy = app.identity.sign_in("budi.dm", PASSWORD)
    for _ in range(7):
        clock.advance(hours=1, minutes=50)
        if _ < 6:
            app.identity.session_principal(busy.session_token)
    with pytest.raises(NotAuthenticatedError):  # 12 hours at most, however busy
        app.identity.session_principal(busy.session_token)


def test_a_new_password_ends_every_session(app: Any) -> None:
    account(app, "budi.dm")
    signed = app.identity.sign_in("budi.dm", PASSWORD)
    app.identity.change_password(signed.principal, PASSWORD, PASSWORD + " two")
    with pytest.raises(NotAuthenticatedError):
        app.identity.session_principal(signed.session_token)
    app.identity.sign_in("budi.dm", PASSWORD + " two")


def test_via_says_how_each_actor_was_established(app: Any) -> None:
    account(app, "budi.dm")
    draft = Draft("Halo", (Platform.INSTAGRAM,))
    session = app.identity.sign_in("budi.dm", PASSWORD).principal
    token = app.identity.token_principal(app.identity.create_token(
        "budi.dm", "ci", Scope.COMMANDS, timedelta(days=1)).secret)
    app.identity.record_email("rina.mm", "budi.dm", "budi@example.co.id")
    sso = app.identity.sign_in_sso("https://id.example.co.id", "s", "budi@example.co.id",
                                   True).principal
    ways = {"session": session, "token": token, "sso": sso,
            "local-cli": Principal("budi.dm", "local-cli:budi"), "library": "budi.dm"}
    for kind, who in ways.items():
        item = app.content.create(who, f"By {kind}", draft)
        vias = {e.via for e in app.content.history(item)}
        expected = who.via if isinstance(who, Principal) else "library"
        assert vias == {expected}, kind
        assert expected.split(":")[0] == kind


def test_no_secret_reaches_a_stored_event(backend: Any, clock: Any) -> None:
    """Scan every stored event's bytes for every secret handed out."""
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    code = app.identity.invite("rina.mm", "budi.dm")
    app.identity.set_up_account("budi.dm", code.code, PASSWORD)
    enrolment = app.identity.enrol_totp("budi.dm")
    totp = pyotp.TOTP(enrolment.secret)
    app.identity.confirm_totp("budi.dm", totp.at(clock()))
    clock.advance(seconds=30)
    signed = app.identity.sign_in("budi.dm", PASSWORD, totp.at(clock()))
    with pytest.raises(NotAuthenticatedError):
        app.identity.sign_in("budi.dm", "a wrong guess here")
    token = app.identity.create_token(signed.principal, "ci", Scope.READ, timedelta(days=1))
    secrets = [PASSWORD, "a wrong guess here", code.code, code.code.replace("-", ""),
               enrolment.secret, signed.session_token, token.secret,
               token.secret.rsplit("_", 1)[1]]
    tables = services.event_tables
    from sqlalchemy import text

    with tables.engine.connect() as conn:
        stored = [bytes(row[0]) for row in conn.execute(text(
            f"SELECT state FROM {tables.events}"))]
    assert len(stored) > 10
    for state in stored:
        for secret in secrets:
            assert secret.encode() not in state
    hashed = services.app.identity.credentials.password_hash("budi.dm")
    assert hashed.startswith("$argon2id$") and PASSWORD not in hashed


def test_credentials_forged_in_the_database_are_found_by_the_log(backend: Any,
                                                                 clock: Any) -> None:
    """A database writer can add a session or token row and act through it; the log then
    has events whose via no SignedIn/TokenCreated explains (docs/security.md)."""
    from socmed_domain.identity.ports import SessionRecord, TokenRecord
    from socmed_domain.identity.service import digest

    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    account(app, "budi.dm")
    draft = Draft("Halo", (Platform.X,))
    honest = app.identity.sign_in("budi.dm", PASSWORD).principal
    app.content.create(honest, "Honest", draft)
    token = app.identity.create_token(honest, "ci", Scope.COMMANDS, timedelta(days=1))
    app.content.create(app.identity.token_principal(token.secret), "By token", draft)
    assert app.audit.unexplained_vias("sari.legal") == ()
    assert services.read_models.unexplained_vias("sari.legal") == []

    store = app.identity.credentials  # what the DBA writes, bypassing socmed
    now = clock()
    store.add_session(SessionRecord("deadbeef00000000", "dewi.dm", "session:deadbeef", False,
                                    now, now + timedelta(hours=1), now), digest("forged"))
    store.add_token(TokenRecord("f0f0f0f0f0f0", "dewi.dm", Scope.COMMANDS,
                                now + timedelta(days=1)), digest("forged-token"))
    app.content.create(app.identity.session_principal("forged"), "Forged session", draft)
    app.content.create(app.identity.token_principal("forged-token"), "Forged token", draft)
    app.identity.revoke_token(honest, token.token_id)
    store.add_token(TokenRecord("0a0a0a0a0a0a", "budi.dm", Scope.COMMANDS,
                                now + timedelta(days=1)), digest("copy"))  # no event
    with store.engine.begin() as conn:  # and un-revoke the real one
        conn.execute(store.tokens.update().where(store.tokens.c.token_id == token.token_id)
                     .values(revoked=False))
    app.content.create(app.identity.token_principal(token.secret), "Revoked token", draft)
    by_scan = [(u.entry.via, u.reason) for u in app.audit.unexplained_vias("sari.legal")]
    expected = [("session:deadbeef", "no_sign_in")] * 2 + [
        ("token:f0f0f0f0f0f0", "no_token")] * 2 + [
        (f"token:{token.token_id}", "revoked_token")] * 2  # created and revised, each
    assert by_scan == expected
    by_index = [(u.entry.via, u.reason)
                for u in services.read_models.unexplained_vias("sari.legal")]
    assert by_index == expected


def test_with_the_vault_key_the_totp_secret_is_sealed_at_rest(
        backend: Any, clock: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """SOCMED_VAULT_KEY seals the TOTP secrets too: the table holds no usable secret, and
    a process without the key cannot check a code (it says which key is missing)."""
    import base64
    import os

    from sqlalchemy import select

    from socmed_adapters.monitoring.vault import VaultError

    monkeypatch.setenv("SOCMED_VAULT_KEY", base64.b64encode(os.urandom(32)).decode())
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    account(app, "rina.mm")
    enrolment = app.identity.enrol_totp("rina.mm")
    totp = pyotp.TOTP(enrolment.secret)
    app.identity.confirm_totp("rina.mm", totp.at(clock()))
    store = app.identity.credentials
    with store.engine.connect() as conn:
        stored = conn.execute(select(store.credentials.c.totp_secret).where(
            store.credentials.c.member_id == "rina.mm")).scalar_one()
    assert stored.startswith("v1:") and enrolment.secret not in stored
    clock.advance(seconds=30)
    assert app.identity.sign_in("rina.mm", PASSWORD, totp.at(clock())).principal.second_factor
    monkeypatch.delenv("SOCMED_VAULT_KEY")
    keyless = backend.services(clock=clock)
    clock.advance(seconds=30)
    with pytest.raises(VaultError, match="SOCMED_VAULT_KEY"):
        keyless.app.identity.sign_in("rina.mm", PASSWORD, totp.at(clock()))

"""Lock-out as a property (hypothesis): for any sequence of sign-in attempts (right or wrong
password) and pauses, the recorded events and the outcome of each attempt follow one simple
model: the policy's threshold of wrong passwords in a row locks the member out for its
minutes; while locked every attempt is refused and nothing is recorded; a right password
otherwise opens a session and resets the count. Runs on the real credential tables (an
in-process SQLite database) with real argon2id, at cheap cost parameters."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from socmed_adapters.clock import ManualClock
from socmed_adapters.identity.credentials import SqlCredentialStore, memory_credentials_engine
from socmed_adapters.identity.hashing import Argon2Hasher
from socmed_adapters.identity.random_secrets import SystemSecrets
from socmed_adapters.identity.totp import PyOtpVerifier
from socmed_domain.application import SocmedApplication
from socmed_domain.errors import NotAuthenticatedError
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

PASSWORD = "the right password here"
#: One attempt: (right password?, minutes waited before it).
ATTEMPTS = st.lists(st.tuples(st.booleans(), st.sampled_from([0, 1, 5, 14, 16, 30])),
                    min_size=1, max_size=14)


def fresh_app(clock: ManualClock) -> SocmedApplication:
    app = SocmedApplication(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"}, clock=clock,
        credentials=SqlCredentialStore(memory_credentials_engine()),
        password_hasher=Argon2Hasher(time_cost=1, memory_cost=1024, parallelism=1),
        totp=PyOtpVerifier(), secrets=SystemSecrets())
    app.team.initialise("PT Contoh", "rina.mm", "Rina")
    app.team.add_member("rina.mm", "budi.dm", "Budi", Role.DIGITAL_MARKETING)
    code = app.identity.invite("rina.mm", "budi.dm")
    app.identity.set_up_account("budi.dm", code.code, PASSWORD)
    return app


@settings(max_examples=40, deadline=None)
@given(attempts=ATTEMPTS, threshold=st.integers(3, 5), minutes=st.sampled_from([15, 20]))
def test_lock_out_follows_the_model(attempts: list[tuple[bool, int]], threshold: int,
                                    minutes: int) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    app = fresh_app(clock)
    if (threshold, minutes) != (5, 15):  # the defaults: no change to record
        app.identity.set_policy("rina.mm", lockout_threshold=threshold,
                                lockout_minutes=minutes)
    failures, locked_until = 0, None
    expected_events: list[str] = []
    for right, wait in attempts:
        clock.advance(minutes=wait)
        now = clock()
        locked = locked_until is not None and now < locked_until
        try:
            app.identity.sign_in("budi.dm", PASSWORD if right else "a wrong password!")
            opened = True
        except NotAuthenticatedError as refused:
            opened = False
            assert refused.code == ("error.locked_out" if locked else "error.not_authenticated")
        if locked:
            assert not opened
        elif right:
            assert opened
            failures = 0
            expected_events.append("SignedIn")
        else:
            failures += 1
            expected_events.append("SignInFailed")
            if failures == threshold:
                expected_events.append("LockedOut")
                locked_until, failures = now + timedelta(minutes=minutes), 0
    recorded = [e.event_type for e in app.audit.log("rina.mm")
                if e.aggregate == "MemberAccess" and e.event_type in (
                    "SignedIn", "SignInFailed", "LockedOut")]
    assert recorded == expected_events

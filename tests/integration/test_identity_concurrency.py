"""Failed sign-ins racing each other (a script guessing in parallel) on SQLite and PostgreSQL:
every failure before the lock-out is recorded, the counts run 1..threshold without gaps or
repeats, and the member is locked out exactly once."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from socmed_domain.errors import NotAuthenticatedError
from tests.conftest import seed_team

PASSWORD = "the right password here"


def test_parallel_wrong_passwords_lock_out_once(backend: Any, clock: Any) -> None:
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    code = app.identity.invite("rina.mm", "budi.dm")
    app.identity.set_up_account("budi.dm", code.code, PASSWORD)

    def attempt(_: int) -> str:
        try:
            app.identity.sign_in("budi.dm", "a wrong guess, again")
        except NotAuthenticatedError as refused:
            return refused.code
        return "signed in"

    with ThreadPoolExecutor(max_workers=6) as pool:
        outcomes = list(pool.map(attempt, range(12)))
    assert set(outcomes) <= {"error.not_authenticated", "error.locked_out"}
    recorded = [e for e in app.audit.log("rina.mm") if e.aggregate == "MemberAccess"
                and e.event_type in ("SignInFailed", "LockedOut")]
    assert [e.event_type for e in recorded] == ["SignInFailed"] * 5 + ["LockedOut"]
    assert [e.params["failures"] for e in recorded] == [1, 2, 3, 4, 5, 5]
    try:
        app.identity.sign_in("budi.dm", PASSWORD)
    except NotAuthenticatedError as refused:
        assert refused.code == "error.locked_out"
    else:
        raise AssertionError("signed in while locked out")

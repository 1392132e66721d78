"""The store the browser journeys run on (also used by the screenshot command)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.conftest import Backend, seed_campaign, seed_team

MEMBERS = ("rina.mm", "budi.dm", "dewi.dm", "adi.admin", "sari.legal", "maya.agency")
SECOND_FACTOR = ("rina.mm", "sari.legal")


def password(member_id: str) -> str:
    return f"kata sandi {member_id} 2026"


def seeded(backend: Backend) -> tuple[Any, str, str, dict[str, str]]:
    """The journeys' store: the demo team with passwords, TOTP for the approving roles, a
    campaign the agency works on and one it does not."""
    import pyotp

    from socmed_adapters.clock import ManualClock
    from socmed_domain.timezones import WIB

    services = backend.services(clock=ManualClock(datetime(2026, 12, 1, 8, 0, tzinfo=WIB)))
    seed_team(services.app)
    campaign = str(seed_campaign(services.app))
    other = str(seed_campaign(services.app, agencies=(), name="Promo Lain"))
    identity = services.app.identity
    for member_id in MEMBERS:
        code = identity.invite("rina.mm", member_id).code
        identity.set_up_account(member_id, code, password(member_id))
    totp = {}
    for member_id in SECOND_FACTOR:
        totp[member_id] = identity.enrol_totp(member_id).secret
        identity.confirm_totp(member_id, pyotp.TOTP(totp[member_id]).at(services.clock()))
    return services, campaign, other, totp



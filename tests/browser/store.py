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




def draft(text: str, *platforms: str, hashtags: tuple[str, ...] = ()) -> Any:
    from socmed_domain.platforms import Platform
    from socmed_domain.production.revision import Draft

    chosen = tuple(Platform(p) for p in platforms) or (Platform.X, Platform.LINKEDIN)
    return Draft(text, chosen, hashtags=hashtags)


def awaiting_approval(app: Any, campaign: str, title: str = "Promo kopi Desember",
                      texts: tuple[str, ...] = ("Kopi baru kami hadir minggu ini",
                                                "Kopi baru kami hadir Jumat ini di "
                                                "semua toko @kopikita")) -> str:
    """An item by budi.dm with one revision per text, reviewed by dewi.dm and submitted
    for approval (the state a Marketing Manager finds it in)."""
    from socmed_domain.production.quality import CHECKLIST_KEYS

    item = str(app.content.create("budi.dm", title, draft(texts[0], hashtags=("kopi",)),
                                  campaign))
    for text in texts[1:]:
        app.content.revise("budi.dm", item, draft(text, hashtags=("kopi",)))
    app.content.submit_for_review("budi.dm", item)
    app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    app.content.submit_for_approval("budi.dm", item)
    return item


def approved(app: Any, campaign: str, title: str = "Promo teh") -> str:
    item = awaiting_approval(app, campaign, title, ("Teh hangat untuk hari hujan",))
    app.content.approve("rina.mm", item)
    return item

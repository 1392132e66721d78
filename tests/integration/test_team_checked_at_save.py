"""A command decides on the team cached in its process without reading it first; the save
records only if the team is still at that version (checked by our recorders in the saving
transaction). So a role changed by another process applies to this process's next command,
whether it now refuses what the cached team allowed or allows what it refused."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from socmed_adapters.clock import ManualClock
from socmed_domain.errors import InvalidStateError, PermissionDeniedError
from socmed_domain.platforms import Platform
from socmed_domain.production.quality import CHECKLIST_KEYS
from socmed_domain.production.revision import Draft
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

DRAFT = Draft(text="Promo akhir tahun untuk nasabah setia.", platforms=(Platform.LINKEDIN,))


def two_processes(backend: Any) -> tuple[Any, Any, ManualClock]:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    one = backend.services(clock=clock)
    one.app.team.initialise("PT Uji", "rina.mm", "Rina")
    one.app.team.add_member("rina.mm", "budi.dm", "Budi", Role.DIGITAL_MARKETING)
    one.app.team.add_member("rina.mm", "dewi.dm", "Dewi", Role.DIGITAL_MARKETING)
    one.app.team.add_member("rina.mm", "sari.dm", "Sari", Role.DIGITAL_MARKETING)
    return one, backend.services(clock=clock), clock


def in_review(app: Any) -> Any:
    item = app.content.create("budi.dm", "Uji", DRAFT)
    app.content.submit_for_review("budi.dm", item)
    app.content.review("sari.dm", item, CHECKLIST_KEYS)
    app.content.submit_for_approval("sari.dm", item)
    return item


def test_the_recorders_check_the_team_at_save(backend: Any) -> None:
    one, _other, _clock = two_processes(backend)
    assert getattr(one.app.recorder, "checks_unchanged", False)


def test_a_role_removed_by_another_process_refuses_the_next_command(backend: Any) -> None:
    one, other, _clock = two_processes(backend)
    item = in_review(one.app)
    one.app.team.change_role("rina.mm", "dewi.dm", Role.MARKETING_MANAGER, "cuti Rina")
    first = in_review(one.app)
    one.app.content.approve("dewi.dm", first)  # one's cached team: Dewi approves
    other.app.team.change_role("rina.mm", "dewi.dm", Role.DIGITAL_MARKETING, "kembali")
    events = one.app.event_count()
    with pytest.raises(PermissionDeniedError):
        one.app.content.approve("dewi.dm", item)  # decided on the cached team, refused at save
    assert one.app.event_count() == events


def test_a_role_granted_by_another_process_allows_the_next_command(backend: Any) -> None:
    one, other, _clock = two_processes(backend)
    item = in_review(one.app)
    with pytest.raises(PermissionDeniedError):
        one.app.content.approve("dewi.dm", item)
    other.app.team.change_role("rina.mm", "dewi.dm", Role.MARKETING_MANAGER, "cuti Rina")
    one.app.content.approve("dewi.dm", item)  # refused on the cached team, then decided again
    assert one.app.content.item(item).status.value == "approved"


def test_a_member_deactivated_by_another_process_is_refused(backend: Any) -> None:
    one, other, _clock = two_processes(backend)
    item = one.app.content.create("budi.dm", "Uji", DRAFT)
    one.app.content.submit_for_review("budi.dm", item)
    other.app.team.deactivate_member("rina.mm", "dewi.dm", "keluar")
    events = one.app.event_count()
    with pytest.raises(InvalidStateError, match="deactivated"):
        one.app.content.review("dewi.dm", item, CHECKLIST_KEYS)
    assert one.app.event_count() == events

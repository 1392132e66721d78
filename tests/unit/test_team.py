"""Team rules: handles, duplicates, and there is always an active Marketing Manager."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.sandbox_publisher import SandboxPublisher
from socmed_domain import (
    InvalidInputError,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    Role,
    SocmedApplication,
    SocmedError,
)
from socmed_domain.team import check_handle
from socmed_domain.timezones import WIB


@pytest.fixture
def app(tmp_path: Path) -> Iterator[SocmedApplication]:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    services = bootstrap(storage="memory", clock=clock,
                         publisher=SandboxPublisher(tmp_path / "outbox", clock))
    services.app.initialise("PT Contoh", "rina", "Rina MM")
    services.app.add_member("rina", "budi", "Budi DM", Role.DIGITAL_MARKETING)
    yield services.app
    services.close()


def refused(app: SocmedApplication, error: type[SocmedError], command, *args) -> SocmedError:
    before = app.event_count()
    with pytest.raises(error) as raised:
        command(*args)
    assert app.event_count() == before, "a refused command wrote an event"
    return raised.value


@pytest.mark.parametrize("handle", ["ab", "budi", "budi.dm", "rina_mm", "a-1", "0day",
                                    "x" * 32])
def test_good_handles(handle: str) -> None:
    assert check_handle(handle) == handle


@pytest.mark.parametrize("handle", ["", "a", "Budi", "budi santoso", "-budi", ".budi", "_b",
                                    "budi!", "búdi", "x" * 33, "budi@contoh.com", "budi\n"])
def test_bad_handles_are_refused(app: SocmedApplication, handle: str) -> None:
    error = refused(app, InvalidInputError, app.add_member, "rina", handle, "Someone",
                    Role.AGENCY)
    assert error.code == "error.bad_handle"


def test_bad_handle_for_the_founding_manager_is_refused(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 12, 1, 8, tzinfo=WIB))
    services = bootstrap(storage="memory", clock=clock,
                         publisher=SandboxPublisher(tmp_path, clock))
    with pytest.raises(InvalidInputError):
        services.app.initialise("PT Contoh", "Rina MM", "Rina")
    with pytest.raises(InvalidInputError):
        services.app.initialise("PT Contoh", "rina", "   ")
    assert services.app.event_count() == 0
    assert not services.app.is_initialised()


def test_a_store_is_initialised_once(app: SocmedApplication) -> None:
    refused(app, InvalidStateError, app.initialise, "PT Lain", "joko", "Joko")


def test_duplicate_handle_is_refused(app: SocmedApplication) -> None:
    error = refused(app, InvalidInputError, app.add_member, "rina", "budi", "Budi Lain",
                    Role.LEGAL)
    assert error.code == "error.member_exists"
    refused(app, InvalidInputError, app.add_member, "rina", "rina", "Rina Lain", Role.LEGAL)
    assert {m.member_id: m.role for m in app.list_members()} == {
        "budi": Role.DIGITAL_MARKETING, "rina": Role.MARKETING_MANAGER}


def test_empty_name_is_refused(app: SocmedApplication) -> None:
    refused(app, InvalidInputError, app.add_member, "rina", "sari", "  ", Role.LEGAL)


def test_only_a_marketing_manager_manages_the_team(app: SocmedApplication) -> None:
    refused(app, PermissionDeniedError, app.add_member, "budi", "sari", "Sari", Role.LEGAL)
    refused(app, PermissionDeniedError, app.change_role, "budi", "budi", Role.MARKETING_MANAGER,
            "promote myself")
    refused(app, PermissionDeniedError, app.deactivate_member, "budi", "rina", "coup")


def test_unknown_members_are_refused(app: SocmedApplication) -> None:
    refused(app, NotFoundError, app.add_member, "nobody", "sari", "Sari", Role.LEGAL)
    refused(app, NotFoundError, app.change_role, "rina", "nobody", Role.LEGAL, "x")
    refused(app, NotFoundError, app.deactivate_member, "rina", "nobody", "x")


def test_the_last_manager_cannot_be_demoted_or_deactivated(app: SocmedApplication) -> None:
    for role in (Role.DIGITAL_MARKETING, Role.LEGAL, Role.AGENCY, Role.SOCIAL_MEDIA_ADMIN):
        error = refused(app, InvalidStateError, app.change_role, "rina", "rina", role, "step down")
        assert error.code == "error.last_manager"
    error = refused(app, InvalidStateError, app.deactivate_member, "rina", "rina", "leaving")
    assert error.code == "error.last_manager"
    # staying a manager is not a demotion
    app.change_role("rina", "rina", Role.MARKETING_MANAGER, "confirm")


def test_with_a_second_manager_the_first_may_step_down(app: SocmedApplication) -> None:
    app.change_role("rina", "budi", Role.MARKETING_MANAGER, "promotion")
    app.change_role("rina", "rina", Role.DIGITAL_MARKETING, "new job")
    assert app.actor("rina").role is Role.DIGITAL_MARKETING
    # now budi is the last one
    refused(app, InvalidStateError, app.change_role, "budi", "budi", Role.LEGAL, "x")
    refused(app, InvalidStateError, app.deactivate_member, "budi", "budi", "x")


def test_a_deactivated_manager_does_not_count_as_the_other_manager(
        app: SocmedApplication) -> None:
    app.add_member("rina", "joko", "Joko MM", Role.MARKETING_MANAGER)
    app.deactivate_member("rina", "joko", "left the company")
    refused(app, InvalidStateError, app.change_role, "rina", "rina", Role.LEGAL, "x")
    refused(app, InvalidStateError, app.deactivate_member, "rina", "rina", "x")


def test_a_deactivated_member_cannot_act(app: SocmedApplication) -> None:
    app.add_member("rina", "joko", "Joko MM", Role.MARKETING_MANAGER)
    app.deactivate_member("rina", "joko", "left")
    error = refused(app, InvalidStateError, app.add_member, "joko", "sari", "Sari", Role.LEGAL)
    assert error.code == "error.member_inactive"
    with pytest.raises(InvalidStateError):
        app.actor("joko")
    assert [m.active for m in app.list_members() if m.member_id == "joko"] == [False]


def test_role_changes_are_recorded_with_actor_and_reason(app: SocmedApplication) -> None:
    app.change_role("rina", "budi", Role.LEGAL, "moved to compliance")
    entry = app.audit_log("rina", event_type="RoleChanged")[-1]
    assert (entry.actor_id, entry.actor_role, entry.reason) == (
        "rina", "marketing_manager", "moved to compliance")
    assert entry.params == {"member": "budi", "role": "legal"}
    member = {m.member_id: m for m in app.list_members()}["budi"]
    assert member.role is Role.LEGAL and member.granted_by == "rina"

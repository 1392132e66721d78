"""An agency works only on content of campaigns it is assigned to (DESIGN.md, 'Roles'):
creating, revising and submitting content outside them is refused and writes nothing; the
other roles are not limited by campaigns."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from uuid import UUID

import pytest
from tests.conftest import seed_campaign, seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_domain import (
    Draft,
    InvalidStateError,
    NotFoundError,
    PermissionDeniedError,
    Platform,
    Role,
    SocmedApplication,
    SocmedError,
)
from socmed_domain.timezones import WIB

DRAFT = Draft("Promo akhir tahun #iklan", (Platform.INSTAGRAM,), sponsored=True)
LATER = Draft("Promo akhir tahun, versi 2 #iklan", (Platform.INSTAGRAM,), sponsored=True)


@pytest.fixture
def app() -> Iterator[SocmedApplication]:
    services = bootstrap(storage="memory",
                         clock=ManualClock(datetime(2026, 12, 1, 9, tzinfo=WIB)))
    seed_team(services.app)
    services.app.add_member("rina.mm", "kreativa.agency", "Kreativa", Role.AGENCY)
    yield services.app
    services.close()


@pytest.fixture
def mine(app: SocmedApplication) -> str:
    """A running campaign maya.agency is assigned to."""
    return str(seed_campaign(app, name="Harbolnas 12.12"))


@pytest.fixture
def theirs(app: SocmedApplication) -> str:
    """A running campaign another agency is assigned to."""
    return str(seed_campaign(app, agencies=("kreativa.agency",), name="KPR"))


def refused(app: SocmedApplication, error: type[SocmedError], command, *args,  # type: ignore[no-untyped-def]
            **kwargs) -> SocmedError:
    before = app.event_count()
    with pytest.raises(error) as raised:
        command(*args, **kwargs)
    assert app.event_count() == before, "a refused command wrote an event"
    return raised.value


def test_inside_its_campaign_the_agency_drafts_revises_and_submits(
        app: SocmedApplication, mine: str) -> None:
    item = app.create_content("maya.agency", "Promo", DRAFT, campaign_id=mine[:8])
    app.revise_content("maya.agency", item, LATER, "versi 2")
    app.submit_for_review("maya.agency", item)
    summary = app.get_content(item).summary
    assert summary.campaign_id == mine  # stored as the full id, whatever prefix was given
    assert summary.status == "in_review" and summary.revision == 2


def test_without_a_campaign_the_agency_is_refused(app: SocmedApplication, mine: str) -> None:
    error = refused(app, PermissionDeniedError, app.create_content, "maya.agency", "Promo",
                    DRAFT)
    assert error.code == "error.agency_needs_campaign"
    assert str(error).startswith("maya.agency (agency) may create content only for a campaign")
    assert "kampanye" in error.message("id")


def test_outside_its_campaigns_the_agency_is_refused(app: SocmedApplication, mine: str,
                                                     theirs: str) -> None:
    error = refused(app, PermissionDeniedError, app.create_content, "maya.agency", "Promo",
                    DRAFT, campaign_id=theirs)
    assert error.code == "error.agency_not_on_campaign"
    assert "KPR" in str(error) and theirs[:8] in str(error)
    # content of another agency's campaign, and content of no campaign at all
    other = app.create_content("kreativa.agency", "KPR", DRAFT, campaign_id=theirs)
    loose = app.create_content("budi.dm", "Tanpa kampanye", DRAFT)
    for item in (other, loose):
        refused(app, PermissionDeniedError, app.revise_content, "maya.agency", item, LATER)
        refused(app, PermissionDeniedError, app.submit_for_review, "maya.agency", item)
    error = refused(app, PermissionDeniedError, app.revise_content, "maya.agency", loose, LATER)
    assert error.code == "error.agency_outside_campaigns"


def test_an_unknown_campaign_is_refused_for_everyone(app: SocmedApplication) -> None:
    for member in ("maya.agency", "budi.dm"):
        refused(app, NotFoundError, app.create_content, member, "Promo", DRAFT,
                campaign_id="0000aaaa")


@pytest.mark.parametrize("closing", ["complete", "cancel", "unassign"])
def test_when_the_campaign_closes_or_the_agency_leaves_its_work_stops(
        app: SocmedApplication, mine: str, closing: str) -> None:
    item = app.create_content("maya.agency", "Promo", DRAFT, campaign_id=mine)
    {"complete": lambda: app.complete_campaign("budi.dm", mine),
     "cancel": lambda: app.cancel_campaign("rina.mm", mine, "anggaran dialihkan"),
     "unassign": lambda: app.unassign_agency("budi.dm", mine, "maya.agency", "kontrak")}[
        closing]()
    expected = PermissionDeniedError if closing == "unassign" else InvalidStateError
    refused(app, expected, app.revise_content, "maya.agency", item, LATER)
    refused(app, expected, app.submit_for_review, "maya.agency", item)
    refused(app, expected, app.create_content, "maya.agency", "Baru", DRAFT, campaign_id=mine)
    # Digital Marketing is not limited by campaigns
    app.revise_content("budi.dm", item, LATER, "diambil alih tim internal")


def test_a_planned_or_approved_campaign_is_open_to_its_agency(app: SocmedApplication) -> None:
    planned = seed_campaign(app, start=False)
    item: UUID = app.create_content("maya.agency", "Persiapan", DRAFT,
                                    campaign_id=str(planned))
    app.submit_for_review("maya.agency", item)


def test_other_roles_keep_their_matrix_rights_on_campaign_content(
        app: SocmedApplication, mine: str) -> None:
    item = app.create_content("maya.agency", "Promo", DRAFT, campaign_id=mine)
    refused(app, PermissionDeniedError, app.approve_content, "maya.agency", item)
    app.create_content("dewi.dm", "Internal", DRAFT, campaign_id=mine)

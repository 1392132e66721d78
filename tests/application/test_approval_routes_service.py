"""Approval routes through the services on SQLite and PostgreSQL (issue 17): the routes come
from the company's configuration (`app.configuration`), the route is bound in the stored
submission event (a reopened store and a configuration changed meanwhile see the same
route), steps are recorded with `app.content.record_step`, and a store without routes
approves as it always did."""

from __future__ import annotations

import pytest
from attrs import evolve
from tests.conftest import Backend, seed_team

from socmed_adapters.clock import ManualClock
from socmed_domain.configuration.model import DEFAULT_CONFIGURATION
from socmed_domain.errors import InvalidInputError, InvalidStateError, PermissionDeniedError
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import Draft
from socmed_domain.production.routing import ApprovalRoute, ApprovalRoutes, RouteStep
from socmed_domain.roles import Role

ROUTES = ApprovalRoutes(
    steps=(RouteStep("legal", Role.LEGAL, label="Legal compliance review"),
           RouteStep("second_approval", Role.MARKETING_MANAGER, label="Second approver")),
    routes=(ApprovalRoute("sponsored", ("legal",), sponsored=True),
            ApprovalRoute("prizes", ("legal", "second_approval"),
                          categories=("prizes_lotteries",))))
AD = Draft("Promo 12.12 bersama mitra #iklan", (Platform.X,), sponsored=True)
PRIZE = Draft("Ikuti undian berhadiah motor!", (Platform.X,))


def configure(app, routes: ApprovalRoutes) -> None:  # type: ignore[no-untyped-def]
    app.configuration.apply("rina.mm", evolve(DEFAULT_CONFIGURATION, approval_routes=routes),
                            "approval routes")


def to_approval(app, draft: Draft):  # type: ignore[no-untyped-def]
    item = app.content.create("budi.dm", "Konten", draft)
    route = app.content.submit_for_review("budi.dm", item)
    app.content.review("dewi.dm", item, app.content.checklist_keys())
    app.content.submit_for_approval("budi.dm", item)
    return item, route, app.content.get(item).revisions[-1].sha256


def test_routes_from_the_configuration_bound_and_enforced(backend: Backend,
                                                          clock: ManualClock) -> None:
    services = backend.services(clock=clock)
    app = services.app
    seed_team(app)
    app.team.add_member("rina.mm", "tono.mm", "Tono", Role.MARKETING_MANAGER)
    configure(app, ROUTES)
    item, route, sha = to_approval(app, PRIZE)
    assert route is not None and [s.key for s in route.steps] == ["legal", "second_approval"]
    assert route.version == "1" and route.names() == "prizes"

    before = app.event_count()
    with pytest.raises(InvalidStateError) as refused:
        app.content.approve("rina.mm", item, sha)
    assert "legal (legal), second_approval (marketing_manager)" in refused.value.message()
    assert app.event_count() == before
    with pytest.raises(PermissionDeniedError):
        app.content.record_step("dewi.dm", item, "legal", sha)
    with pytest.raises(InvalidInputError):
        app.content.record_step("sari.legal", item, "legal", None, require_hash=True)
    assert app.event_count() == before

    app.content.record_step("sari.legal", item, "legal", sha[:12], "sesuai EPI")
    app.content.record_step("tono.mm", item, "second_approval", sha)
    with pytest.raises(InvalidStateError):  # tono's step does not count for his approval
        app.content.approve("tono.mm", item, sha)

    # the rule is deleted while the item is in flight: the bound steps stay
    configure(app, ApprovalRoutes())
    clock.advance(minutes=5)
    services.close()
    reopened = backend.services(clock=clock).app
    detail = reopened.content.get(item)
    assert detail.route == route and detail.steps_missing == ()
    assert [(r.step, r.member_id) for r in detail.steps_recorded] == [
        ("legal", "sari.legal"), ("second_approval", "tono.mm")]
    assert reopened.content.approve("rina.mm", item, sha) == sha
    history = [(e.event_type, e.code) for e in reopened.content.history(item)]
    assert ("SubmittedForReview", "event.SubmittedForReviewRouted") in history
    assert [t for t, _ in history].count("StepRecorded") == 2

    # a new submission after the change is routed by the routes now in force: none
    other, route2, sha2 = to_approval(reopened, PRIZE)
    assert route2 is None
    assert reopened.content.approve("rina.mm", other, sha2) == sha2


def test_a_new_revision_is_routed_again(backend: Backend, clock: ManualClock) -> None:
    app = backend.services(clock=clock).app
    seed_team(app)
    configure(app, ROUTES)
    item, route, sha = to_approval(app, AD)
    assert route is not None and [s.key for s in route.steps] == ["legal"]
    app.content.record_step("sari.legal", item, "legal", sha)
    app.content.revise("budi.dm", item, Draft("Selamat pagi", (Platform.X,)))
    detail = app.content.get(item)
    assert detail.route is None and detail.steps_recorded == ()
    new_route = app.content.submit_for_review("budi.dm", item)
    assert new_route is None  # nothing in the new revision is routed


def test_a_store_without_routes_approves_as_before(backend: Backend,
                                                   clock: ManualClock) -> None:
    app = backend.services(clock=clock).app
    seed_team(app)
    item, route, sha = to_approval(app, AD)
    assert route is None
    assert app.content.get(item).route is None
    with pytest.raises(InvalidInputError):  # no route: no step to record
        app.content.record_step("sari.legal", item, "legal", sha)
    assert app.content.approve("rina.mm", item, sha) == sha


def test_a_bad_routes_section_is_refused_naming_the_field(backend: Backend,
                                                          clock: ManualClock) -> None:
    app = backend.services(clock=clock).app
    seed_team(app)
    before = app.event_count()
    bad = evolve(ROUTES, routes=(ApprovalRoute("x", ("legal", "sharia")),))
    with pytest.raises(InvalidInputError) as refused:
        configure(app, bad)
    assert "approval_routes.routes[0].steps" in refused.value.message()
    assert app.event_count() == before

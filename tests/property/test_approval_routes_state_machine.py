"""Approval routes, revisions and configuration changes together (issue 17).

A hypothesis state machine drives the application (in-memory storage, a manual clock) with
two Marketing Managers, two Digital Marketing members (the authors), two Legal members and
an Admin. The company's approval routes change at any time through `app.configuration` (the
real path a `socmed config apply` takes): a rule added or deleted, the members of a named
group changed (one removed), and the second Marketing Manager can be deactivated (a role
left with one member). Items are drafted as advertisements, halal claims, LinkedIn posts, or
plain, and revised into another kind at any time.

A small model, written from the issue's rules and never from the code, predicts the route
each submission binds (the rules in force when it is submitted, plus every step the same
revision was bound to before) and the outcome of every step and approval; a refused command
must write nothing. After every step the stored history is checked on its own:

- no approval is recorded while a step bound to the approved revision is missing, counting
  only steps recorded on that revision's hash by someone other than its author and the
  approver, one step per person;
- no step is ever recorded by the revision's author, nor two by one person on a revision;
- submitting the same revision again never loses a bound step (nor changes who may record
  it), whatever the configuration became meanwhile;
- a new revision is routed afresh: its route is what the rules in force at its submission
  choose (checked by the model at each submission).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

import pytest
from attrs import evolve
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_domain.configuration.model import DEFAULT_CONFIGURATION
from socmed_domain.errors import (
    InvalidInputError,
    InvalidStateError,
    PermissionDeniedError,
    SocmedError,
)
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.revision import Draft
from socmed_domain.production.routing import ApprovalRoute, ApprovalRoutes, RouteStep
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB

START = datetime(2026, 12, 1, 8, 0, tzinfo=WIB)
TEAM = {"rina.mm": Role.MARKETING_MANAGER, "tono.mm": Role.MARKETING_MANAGER,
        "budi.dm": Role.DIGITAL_MARKETING, "dewi.dm": Role.DIGITAL_MARKETING,
        "lia.legal": Role.LEGAL, "sari.legal": Role.LEGAL, "adi.admin": Role.SOCIAL_MEDIA_ADMIN}
AUTHORS = ("budi.dm", "dewi.dm")
EVERYONE = tuple(TEAM)
MANAGERS = ("rina.mm", "tono.mm")

#: The drafts: what a route can see in each.
KINDS = {
    "plain": Draft("Selamat pagi dari kami", (Platform.X,)),
    "ad": Draft("Diskon 20% bersama mitra kami #iklan", (Platform.X,), sponsored=True),
    "halal": Draft("Produk kami bersertifikat halal", (Platform.X,)),
    "linkedin": Draft("Lowongan kerja terbaru", (Platform.X, Platform.LINKEDIN)),
    "ad_linkedin": Draft("Promo mitra #iklan", (Platform.X, Platform.LINKEDIN),
                         sponsored=True),
}
#: The rules a configuration may hold, and which kinds of draft each routes (the model).
RULES = {
    "ads": (ApprovalRoute("ads", ("legal",), sponsored=True), {"ad", "ad_linkedin"}),
    "linkedin": (ApprovalRoute("linkedin", ("second_approval",),
                               platforms=(Platform.LINKEDIN,)), {"linkedin", "ad_linkedin"}),
    "halal": (ApprovalRoute("halal", ("sharia",), categories=("halal_claims",)), {"halal"}),
}
STEP_OF_RULE = {"ads": "legal", "linkedin": "second_approval", "halal": "sharia"}
GROUPS = {"both": ("dewi.dm", "adi.admin"), "adi only": ("adi.admin",)}


def routes_config(rules: frozenset[str], group: str) -> ApprovalRoutes:
    steps = (RouteStep("legal", Role.LEGAL), RouteStep("second_approval", Role.MARKETING_MANAGER),
             RouteStep("sharia", members=GROUPS[group]))
    return ApprovalRoutes(steps=steps, routes=tuple(RULES[name][0] for name in sorted(rules)))


def eligible(step: tuple[str, Role | None, frozenset[str]], member: str) -> bool:
    _, role, members = step
    return (role is not None and TEAM[member] is role) or member in members


class Model:
    """One item as the issue's rules describe it."""

    def __init__(self, author: str, kind: str) -> None:
        self.author = author
        self.kind = kind
        self.revision = 1
        #: step key -> (key, role, members) bound to the current revision
        self.bound: dict[str, tuple[str, Role | None, frozenset[str]]] = {}
        #: step key -> member, recorded on the current revision
        self.records: dict[str, str] = {}


pytestmark = pytest.mark.slow
#: Revising and requesting changes send an item back to the start: a quarter as often as
#: the other rules, so routes are walked to the approval often enough.
RARELY = st.sampled_from((True, False, False, False))


class ApprovalRoutesMachine(RuleBasedStateMachine):
    items = Bundle("items")

    @initialize()
    def start(self) -> None:
        self.clock = ManualClock(START)
        self.services = bootstrap(storage="memory", clock=self.clock)
        self.app = self.services.app
        self.app.team.initialise("PT Contoh Tbk", "rina.mm", "Rina Wijaya")
        for handle, role in TEAM.items():
            if handle != "rina.mm":
                self.app.team.add_member("rina.mm", handle, handle, role)
        self.in_force: frozenset[str] = frozenset()
        self.group = "both"
        self.inactive: set[str] = set()
        self.models: dict[UUID, Model] = {}
        # every rule in force from the start, so removing one is a single step away
        self.change_configuration(frozenset(RULES), "both")

    def teardown(self) -> None:
        self.services.close()

    # ------------------------------------------------------------------ helpers

    def tick(self) -> None:
        self.clock.advance(minutes=7)

    def events(self) -> int:
        return int(self.app.event_count())

    def refused(self, call: Any, expected: type[SocmedError] = SocmedError) -> SocmedError:
        before = self.events()
        with pytest.raises(expected) as raised:
            call()
        assert self.events() == before, "a refused command wrote an event"
        return raised.value

    def status(self, item: UUID) -> str:
        return str(self.app.content.get(item).summary.status)

    def sha(self, item: UUID) -> str:
        return str(self.app.content.get(item).revisions[-1].sha256)

    def expected_route(self, model: Model) -> dict[str, tuple[str, Role | None, frozenset[str]]]:
        """What the rules in force bind the current revision to (the issue's rules)."""
        config = routes_config(self.in_force, self.group)
        bound = dict(model.bound)
        for name in sorted(self.in_force):
            if model.kind in RULES[name][1]:
                key = STEP_OF_RULE[name]
                step = next(s for s in config.steps if s.key == key)
                bound.setdefault(key, (key, step.role, frozenset(step.members)))
        return bound

    # ------------------------------------------------------------------ rules

    @precondition(lambda self: len(self.models) < 2)
    @rule(target=items, author=st.sampled_from(AUTHORS), kind=st.sampled_from(sorted(KINDS)))
    def create(self, author: str, kind: str) -> UUID:
        self.tick()
        item = self.app.content.create(author, f"Konten {kind}", KINDS[kind])
        self.models[item] = Model(author, kind)
        return item

    @rule(item=items, author=st.sampled_from(AUTHORS), kind=st.sampled_from(sorted(KINDS)),
          note=st.integers(0, 3), now=RARELY)
    def revise(self, item: UUID, author: str, kind: str, note: int, now: bool) -> None:
        if not now:
            return
        self.tick()
        model = self.models[item]
        # the number in the text: a revision of the same kind may hash the same or not
        draft = evolve(KINDS[kind], text=f"{KINDS[kind].text} ({note})")
        if self.status(item) in ("withdrawn", "archived", "expired", "published", "failed",
                                 "publishing") or author in self.inactive:
            self.refused(lambda: self.app.content.revise(author, item, draft))
            return
        self.app.content.revise(author, item, draft)
        model.author, model.kind = author, kind
        model.revision += 1
        model.bound, model.records = {}, {}

    @rule(item=items, reviewer=st.sampled_from(("budi.dm", "dewi.dm", "lia.legal")),
          steps=st.sampled_from((1, 2, 3, 3, 3)))
    def advance(self, item: UUID, reviewer: str, steps: int) -> None:
        """The item's next ordinary steps (up to `steps`): submit for review, review, submit
        for approval."""
        for _ in range(steps):
            status = self.status(item)
            if status in ("draft", "changes_requested"):
                self.submit_for_review(item)
            elif status == "in_review":
                self.review(item, reviewer)
            elif status == "reviewed":
                self.submit_for_approval(item)

    def submit_for_review(self, item: UUID) -> None:
        self.tick()
        model = self.models[item]
        submitter = model.author
        if self.status(item) not in ("draft", "changes_requested"):
            self.refused(lambda: self.app.content.submit_for_review(submitter, item),
                         InvalidStateError)
            return
        expected = self.expected_route(model)
        route = self.app.content.submit_for_review(submitter, item)
        got = {} if route is None else {
            s.key: (s.key, s.role, frozenset(s.members)) for s in route.steps}
        assert got == expected, (model.kind, sorted(self.in_force), self.group)
        if route is not None:
            assert route.revision_sha256 == self.sha(item)
        model.bound = expected

    def review(self, item: UUID, reviewer: str) -> None:
        self.tick()
        keys = self.app.content.checklist_keys()
        if self.status(item) != "in_review" or reviewer == self.models[item].author:
            self.refused(lambda: self.app.content.review(reviewer, item, keys))
            return
        outcome = self.app.content.review(reviewer, item, keys)
        assert outcome.passed, outcome.findings

    def submit_for_approval(self, item: UUID) -> None:
        self.tick()
        author = self.models[item].author
        if self.status(item) != "reviewed":
            self.refused(lambda: self.app.content.submit_for_approval(author, item),
                         InvalidStateError)
            return
        self.app.content.submit_for_approval(author, item)

    @rule(item=items, member=st.sampled_from(EVERYONE),
          step=st.sampled_from(("legal", "second_approval", "sharia")),
          stale=st.sampled_from((False, False, False, True)))
    def record_step(self, item: UUID, member: str, step: str, stale: bool) -> None:
        self.tick()
        model = self.models[item]
        status = self.status(item)
        sha = self.sha(item)
        given = ("0" * 64) if stale else sha
        call = lambda: self.app.content.record_step(member, item, step, given,  # noqa: E731
                                                    "ok", require_hash=True)
        if member in self.inactive:
            self.refused(call)
        elif status not in ("in_review", "reviewed", "awaiting_approval"):
            self.refused(call, InvalidStateError)
        elif step not in model.bound:
            self.refused(call, InvalidInputError)
        elif member == model.author or not eligible(model.bound[step], member):
            self.refused(call, PermissionDeniedError)
        elif stale:
            self.refused(call, InvalidInputError)
        elif step in model.records:
            self.refused(call, InvalidStateError)
        elif member in model.records.values():
            self.refused(call, PermissionDeniedError)
        else:
            call()
            model.records[step] = member

    @rule(item=items, pick=st.integers(0, 6))
    def record_a_step_someone_may(self, item: UUID, pick: int) -> None:
        """A step still missing, by a member the model says may record it (the manager
        who will approve included), so routes get walked to the end."""
        model = self.models[item]
        candidates = [(key, member) for key, step in sorted(model.bound.items())
                      if key not in model.records for member in EVERYONE
                      if eligible(step, member) and member != model.author
                      and member not in model.records.values()]
        if candidates:
            key, member = candidates[pick % len(candidates)]
            self.record_step(item, member, key, False)

    @rule(item=items, approver=st.sampled_from((*MANAGERS, *MANAGERS, "budi.dm")))
    def approve(self, item: UUID, approver: str) -> None:
        self.tick()
        model = self.models[item]
        status = self.status(item)
        sha = self.sha(item)
        call = lambda: self.app.content.approve(approver, item, sha)  # noqa: E731
        missing = [key for key in model.bound
                   if key not in model.records or model.records[key] == approver]
        if approver in self.inactive:
            self.refused(call)
        elif TEAM[approver] is not Role.MARKETING_MANAGER:
            self.refused(call, PermissionDeniedError)
        elif status != "awaiting_approval":
            self.refused(call, InvalidStateError)
        elif missing:
            error = self.refused(call, InvalidStateError)
            assert error.code == "error.route_steps_missing"
            for key in missing:
                assert key in error.message("en")
        else:
            call()

    @rule(item=items)
    def approve_by_a_step_recorder(self, item: UUID) -> None:
        """A manager who recorded a step (the second approval) approves as well: their
        step must not count twice."""
        recorders = [m for m in self.models[item].records.values() if m in MANAGERS]
        if recorders:
            self.approve(item, recorders[0])

    @rule(item=items, who=st.sampled_from(("rina.mm", "lia.legal")), now=RARELY)
    def request_changes(self, item: UUID, who: str, now: bool) -> None:
        if not now:
            return
        self.tick()
        if self.status(item) not in ("in_review", "reviewed", "awaiting_approval", "approved",
                                     "scheduled"):
            self.refused(lambda: self.app.content.request_changes(who, item, "ubah"),
                         InvalidStateError)
            return
        self.app.content.request_changes(who, item, "ubah")
        self.models[item].records = {}

    @rule(name=st.sampled_from(sorted(RULES)))
    def toggle_rule(self, name: str) -> None:
        """A rule added, or deleted while items are in flight."""
        self.change_configuration(self.in_force ^ {name}, self.group)

    @rule(group=st.sampled_from(sorted(GROUPS)))
    def change_group(self, group: str) -> None:
        """The named group's members changed (dewi.dm removed, or back)."""
        self.change_configuration(self.in_force, group)

    def change_configuration(self, rules: frozenset[str], group: str) -> None:
        self.tick()
        config = evolve(DEFAULT_CONFIGURATION, approval_routes=routes_config(rules, group))
        if config == self.app.configuration.in_force():
            self.refused(lambda: self.app.configuration.apply("rina.mm", config, "sama"))
            return
        self.app.configuration.apply("rina.mm", config, "rute baru")
        self.in_force, self.group = rules, group

    @precondition(lambda self: "tono.mm" not in self.inactive)
    @rule()
    def deactivate_second_manager(self) -> None:
        self.tick()
        self.app.team.deactivate_member("rina.mm", "tono.mm", "pindah divisi")
        self.inactive.add("tono.mm")

    # ------------------------------------------------------------------ invariants

    @invariant()
    def the_history_keeps_every_route_rule(self) -> None:
        if not hasattr(self, "models"):
            return
        for item in self.models:
            check_history(list(self.app.events.get(item)))


def check_history(events: list[Any]) -> None:
    """The route rules, read from an item's stored events alone."""
    author = ""
    sha = ""
    bound: dict[str, Any] | None = None
    records: list[tuple[str, str]] = []
    for event in events:
        name = type(event).__name__
        if isinstance(event, ContentItem.Revised):
            author, sha = event.revision.author_id, event.revision.sha256
            bound, records = None, []
        elif isinstance(event, ContentItem.SubmittedForReview):
            route = event.route
            now = {} if route is None else {s.key: s for s in route.steps}
            if bound is not None:
                for key, step in bound.items():
                    assert now.get(key) == step, f"resubmission lost or changed step {key}"
            if route is not None:
                assert route.revision_sha256 == sha
            bound = now
        elif isinstance(event, ContentItem.StepRecorded):
            member = event.actor.member_id
            assert event.revision_sha256 == sha
            assert member != author, "a step recorded by the revision's author"
            assert all(member != who for _, who in records), "two steps by one person"
            assert all(step != event.step for step, _ in records), "a step recorded twice"
            assert bound is not None and event.step in bound
            records.append((event.step, member))
        elif isinstance(event, ContentItem.ChangesRequested):
            records = []
        elif isinstance(event, ContentItem.Approved):
            approver = event.actor.member_id
            assert event.revision_sha256 == sha
            done = {step for step, who in records if who not in (author, approver)}
            missing = set(bound or {}) - done
            assert not missing, f"approved with {sorted(missing)} missing"
        assert name  # every event is one of the item's


ApprovalRoutesMachine.TestCase.settings = settings(
    max_examples=50, stateful_step_count=50, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestApprovalRoutes = ApprovalRoutesMachine.TestCase

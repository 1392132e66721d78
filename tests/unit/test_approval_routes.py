"""Approval routes (issue 17): each condition, how rules combine, what a bound route keeps,
which recorded steps count, and the problems a configuration is refused for."""

from __future__ import annotations

from typing import Any

import pytest

from socmed_domain.actor import Actor
from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform
from socmed_domain.production.revision import CaptionVariant, Draft
from socmed_domain.production.routing import (
    NO_ROUTES,
    ApprovalRoute,
    ApprovalRoutes,
    BoundRoute,
    RouteStep,
    RouteSubject,
    StepRecord,
    TermCategory,
    counted_steps,
    missing_steps,
    terms_in,
)
from socmed_domain.roles import Role

LEGAL = RouteStep("legal", Role.LEGAL, label="Legal compliance review")
SECOND = RouteStep("second_approval", Role.MARKETING_MANAGER)
SHARIA = RouteStep("sharia_board", members=("ustad.a", "ustad.b"))
CAMPAIGN_ID = "5f0c2a9e-1111-4222-8333-444455556666"


def subject(text: str = "Promo akhir tahun", *,
            platforms: tuple[Platform, ...] = (Platform.X,), campaign_id: str | None = None,
            campaign_name: str = "", **kwargs: Any) -> RouteSubject:
    return RouteSubject(Draft(text, platforms, **kwargs), campaign_id, campaign_name)


def routes(*rules: ApprovalRoute, categories: tuple[TermCategory, ...] = ()) -> ApprovalRoutes:
    return ApprovalRoutes(steps=(LEGAL, SECOND, SHARIA), routes=rules,
                          categories=categories).validate()


def bound_keys(routes_: ApprovalRoutes, s: RouteSubject) -> tuple[str, ...]:
    return tuple(step.key for step in routes_.bind(s, 1, "ab" * 32).steps)


@pytest.mark.parametrize(("kwargs", "text", "routed", "reason"), [
    ({"sponsored": True}, "Promo", True, "sponsored"),
    ({}, "Promo bareng @mitra #iklan", True, "disclosure #iklan"),
    ({}, "Promo #IKLAN", True, "disclosure #iklan"),
    ({}, "Promo #iklanku", False, None),
    ({}, "Promo biasa", False, None),
])
def test_sponsored_is_the_flag_or_an_ad_disclosure(kwargs: dict[str, Any], text: str,
                                                   routed: bool, reason: str | None) -> None:
    rules = routes(ApprovalRoute("ads", ("legal",), sponsored=True))
    bound = rules.bind(subject(text, **kwargs), 1, "ab" * 32)
    assert bool(bound.steps) is routed
    if reason:
        assert bound.matches[0].reasons == (reason,)


def test_a_hashtag_field_counts_as_part_of_the_text() -> None:
    rules = routes(ApprovalRoute("ads", ("legal",), sponsored=True))
    assert bound_keys(rules, subject("Promo", hashtags=("iklan",))) == ("legal",)


def test_campaign_by_id_prefix_or_name() -> None:
    by_id = routes(ApprovalRoute("ramadan", ("legal",), campaigns=(CAMPAIGN_ID[:8],)))
    by_name = routes(ApprovalRoute("ramadan", ("legal",), campaigns=("Ramadan 2027",)))
    inside = subject(campaign_id=CAMPAIGN_ID, campaign_name="ramadan 2027")
    outside = subject(campaign_id="9" * 8 + CAMPAIGN_ID[8:], campaign_name="Harbolnas")
    assert bound_keys(by_id, inside) == ("legal",)
    assert bound_keys(by_name, inside) == ("legal",)
    assert bound_keys(by_id, outside) == bound_keys(by_name, outside) == ()
    assert bound_keys(by_name, subject()) == ()  # no campaign at all
    # a prefix shorter than 4 characters never matches (too easy to hit by chance)
    assert bound_keys(routes(ApprovalRoute("r", ("legal",), campaigns=(CAMPAIGN_ID[:3],))),
                      inside) == ()


def test_platform_any_of_the_listed() -> None:
    rules = routes(ApprovalRoute("tiktok", ("legal",), platforms=(Platform.TIKTOK,)))
    assert bound_keys(rules, subject(platforms=(Platform.X, Platform.TIKTOK))) == ("legal",)
    assert bound_keys(rules, subject(platforms=(Platform.X, Platform.LINKEDIN))) == ()


@pytest.mark.parametrize(("category", "text"), [
    ("financial_claims", "Suku bunga deposito 6% per tahun"),
    ("prizes_lotteries", "Ikuti UNDIAN berhadiah mobil"),
    ("health_claims", "Teruji klinis menjaga imunitas"),
    ("halal_claims", "Sudah bersertifikat halal MUI"),
])
def test_built_in_categories(category: str, text: str) -> None:
    rules = routes(ApprovalRoute("claims", ("legal",), categories=(category,)))
    bound = rules.bind(subject(text), 1, "ab" * 32)
    assert [s.key for s in bound.steps] == ["legal"]
    assert bound.matches[0].reasons[0].startswith(f"{category}: ")
    assert bound_keys(rules, subject("Selamat pagi, semangat bekerja")) == ()


def test_terms_are_whole_words_in_any_case_and_in_platform_captions() -> None:
    rules = routes(ApprovalRoute("rates", ("legal",), terms=("bunga", "cicilan 0%")))
    assert bound_keys(rules, subject("BUNGA rendah")) == ("legal",)
    assert bound_keys(rules, subject("Cicilan 0% 12 bulan")) == ("legal",)
    assert bound_keys(rules, subject("Toko bunga kami")) == ("legal",)  # a word is a word
    assert bound_keys(rules, subject("Bungalow di Bali")) == ()
    caption = subject("Promo", platforms=(Platform.X, Platform.INSTAGRAM),
                      captions=(CaptionVariant(Platform.INSTAGRAM, "Bunga 0%!"),))
    assert bound_keys(rules, caption) == ("legal",)
    assert terms_in("a (bunga) b", ["bunga"]) == ("bunga",)


def test_conditions_of_one_rule_all_hold_and_rules_add_their_steps() -> None:
    both = ApprovalRoute("tiktok ads", ("second_approval",), sponsored=True,
                         platforms=(Platform.TIKTOK,))
    ads = ApprovalRoute("ads", ("legal",), sponsored=True)
    rules = routes(both, ads)
    assert bound_keys(rules, subject(sponsored=True)) == ("legal",)
    assert bound_keys(rules, subject(platforms=(Platform.TIKTOK,))) == ()
    bound = rules.bind(subject(platforms=(Platform.TIKTOK,), sponsored=True), 1, "ab" * 32)
    assert [s.key for s in bound.steps] == ["legal", "second_approval"]  # definition order
    assert bound.names() == "tiktok ads, ads"


def test_a_rule_without_conditions_routes_everything_and_no_routes_route_nothing() -> None:
    everything = routes(ApprovalRoute("all", ("legal",)))
    assert everything.bind(subject(), 1, "ab" * 32).matches[0].reasons == ("every revision",)
    assert NO_ROUTES.bind(subject(sponsored=True), 1, "ab" * 32).steps == ()


def test_own_category_replaces_the_built_in_one_of_that_name() -> None:
    own = TermCategory("halal_claims", ("bpjph",))
    rules = routes(ApprovalRoute("halal", ("sharia_board",), categories=("halal_claims",)),
                   categories=(own,))
    assert bound_keys(rules, subject("Produk halal")) == ()
    assert bound_keys(rules, subject("Terdaftar di BPJPH")) == ("sharia_board",)


def test_keeping_never_drops_a_step_of_the_same_revision() -> None:
    earlier = BoundRoute(1, "ab" * 32, steps=(LEGAL, SHARIA))
    now = BoundRoute(1, "ab" * 32, steps=(SECOND,), version="7")
    kept = now.keeping(earlier)
    assert [s.key for s in kept.steps] == ["legal", "sharia_board", "second_approval"]
    assert kept.version == "7"
    # the members bound before stay (a group emptied later does not change who may sign)
    assert kept.step("sharia_board") == SHARIA
    other_revision = BoundRoute(2, "cd" * 32, steps=(SECOND,))
    assert other_revision.keeping(earlier) == other_revision


def test_step_eligibility_by_role_or_by_members() -> None:
    lia = Actor("lia.legal", "Lia", Role.LEGAL)
    ustad = Actor("ustad.a", "Ustad A", Role.DIGITAL_MARKETING)
    assert LEGAL.eligible(lia) and not LEGAL.eligible(ustad)
    assert SHARIA.eligible(ustad) and not SHARIA.eligible(lia)
    assert SHARIA.who() == "ustad.a or ustad.b"


def record(step: str, who: str, sha: str = "ab" * 32) -> StepRecord:
    return StepRecord(step, who, 1, sha)


def test_author_approver_same_person_and_other_revision_steps_do_not_count() -> None:
    route = BoundRoute(1, "ab" * 32, steps=(LEGAL, SECOND))
    assert [s.key for s in missing_steps(route, [], "budi")] == ["legal", "second_approval"]
    assert counted_steps(route, [record("legal", "lia"), record("second_approval", "tono")],
                         "budi", "rina") == {"legal": "lia", "second_approval": "tono"}
    # by the author
    assert "legal" not in counted_steps(route, [record("legal", "budi")], "budi")
    # by the approver: does not count towards their own approval
    assert [s.key for s in missing_steps(route, [record("second_approval", "rina")], "budi",
                                         "rina")] == ["legal", "second_approval"]
    # one person, two steps: only the first counts
    assert counted_steps(route, [record("legal", "lia"), record("second_approval", "lia")],
                         "budi") == {"legal": "lia"}
    # a record of another revision
    assert counted_steps(route, [record("legal", "lia", "cd" * 32)], "budi") == {}
    assert missing_steps(None, [], "budi") == ()


@pytest.mark.parametrize(("rules", "where"), [
    (ApprovalRoutes(steps=(RouteStep("Legal!", Role.LEGAL),)), "steps[0].key"),
    (ApprovalRoutes(steps=(LEGAL, LEGAL)), "steps[1].key"),
    (ApprovalRoutes(steps=(RouteStep("agency", Role.AGENCY),)), "steps[0].role"),
    (ApprovalRoutes(steps=(RouteStep("nobody"),)), "steps[0]"),
    (ApprovalRoutes(steps=(LEGAL,), routes=(ApprovalRoute("a", ("legal", "x")),)),
     "routes[0].steps"),
    (ApprovalRoutes(steps=(LEGAL,), routes=(ApprovalRoute("a", ()),)), "routes[0].steps"),
    (ApprovalRoutes(steps=(LEGAL,), routes=(ApprovalRoute("a", ("legal",)),
                                            ApprovalRoute("a", ("legal",)))),
     "routes[0].name"),
    (ApprovalRoutes(steps=(LEGAL,), routes=(
        ApprovalRoute("a", ("legal",), categories=("gambling",)),)), "routes[0].categories"),
    (ApprovalRoutes(categories=(TermCategory("x", ()),)), "categories[0].terms"),
])
def test_problems_name_the_field(rules: ApprovalRoutes, where: str) -> None:
    found = list(rules.problems())
    assert found and found[0][0] == where
    with pytest.raises(InvalidInputError) as raised:
        rules.validate()
    assert where in raised.value.message("en") and where in raised.value.message("id")

"""The documented range of times and bounds of numbers (socmed_domain.bounds, issue 13): the
edges, where each is enforced in the domain (so any front end gets it), and the helpers the
readers of older stores use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from socmed_domain.actor import Actor
from socmed_domain.bounds import (
    AMOUNT_LIMIT,
    TIME_CEILING,
    TIME_FLOOR,
    check_amount,
    check_number,
    check_time,
    clamp,
    out_of_range,
    quote,
    within_range,
)
from socmed_domain.crisis.incident import FollowUp, PostIncidentReview
from socmed_domain.errors import InvalidInputError
from socmed_domain.evaluation.meeting import EvaluationMeeting
from socmed_domain.evaluation.metrics import MetricSnapshot, MetricValues
from socmed_domain.monitoring.interaction import InboundInteraction, InteractionKind
from socmed_domain.months import Month
from socmed_domain.planning.campaign import CampaignPlan, Period
from socmed_domain.planning.goals import KpiPeriod, KpiTarget
from socmed_domain.platforms import Platform
from socmed_domain.production.content_item import ContentItem
from socmed_domain.production.revision import Draft
from socmed_domain.publication.outcomes import Slot
from socmed_domain.roles import Role
from socmed_domain.timezones import WIB, WIT, parse_time

LATE = datetime(9999, 12, 31, 23, 59, tzinfo=timezone(timedelta(hours=-12)))
EARLY = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=14)))
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=WIB)
OFFSETS = [timezone(timedelta(hours=h)) for h in range(-12, 15)] + [
    timezone(timedelta(hours=23, minutes=59)), timezone(-timedelta(hours=23, minutes=59))]


def test_the_range_is_2000_to_2100_utc_with_an_exclusive_end() -> None:
    assert within_range(TIME_FLOOR)
    assert not within_range(TIME_FLOOR - timedelta(microseconds=1))
    assert within_range(TIME_CEILING - timedelta(microseconds=1))
    assert not within_range(TIME_CEILING)
    assert not within_range(LATE) and not within_range(EARLY)
    # compared as instants: 2100-01-01 08:59 WIT is 2099-12-31 23:59 UTC
    assert within_range(datetime(2100, 1, 1, 8, 59, tzinfo=WIT))
    assert not within_range(datetime(2100, 1, 1, 9, 0, tzinfo=WIT))


@pytest.mark.parametrize("edge", [TIME_FLOOR, TIME_CEILING - timedelta(microseconds=1)])
def test_every_instant_in_range_converts_to_every_zone_shown(edge: datetime) -> None:
    for zone in [*OFFSETS, WIB, WIT]:
        assert edge.astimezone(zone) == edge


@pytest.mark.parametrize("text", ["9999-12-31 23:59 -12:00", "0001-01-01 00:00 +14:00",
                                  "1999-12-31 23:59 UTC", "2100-01-01T00:00Z",
                                  "9999-12-31T23:59:59.999999-23:59"])
def test_parse_time_refuses_outside_the_range_naming_the_field(text: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        parse_time(text, field="--at")
    english, indonesian = refused.value.message("en"), refused.value.message("id")
    assert english.startswith("--at ") and "outside the supported range 2000-01-01 00:00 UTC "\
        ".. 2100-01-01 00:00 UTC" in english
    assert "di luar rentang yang didukung" in indonesian


def test_parse_time_still_accepts_ordinary_times() -> None:
    assert parse_time("2026-12-12 19:00 WIB") == datetime(2026, 12, 12, 19, tzinfo=WIB)
    assert parse_time("2000-01-01T00:00Z") == TIME_FLOOR


@pytest.mark.parametrize(("text", "ok"), [("2026-12", True), ("2000-01", True),
                                          ("2099-12", True), ("1999-12", False),
                                          ("2100-01", False), ("9999-12", False),
                                          ("0001-01", False)])
def test_months_are_bounded(text: str, ok: bool) -> None:
    if ok:
        start, end = Month.parse(text).bounds(WIB)
        assert within_range(start.astimezone(UTC)) or text == "2000-01"
        assert end.astimezone(UTC) <= TIME_CEILING + timedelta(hours=14)
    else:
        with pytest.raises(InvalidInputError, match=r"month .* is outside"):
            Month.parse(text)


@pytest.mark.parametrize("value", ["1e309", "1e400", "Infinity", "1000000000000001"])
def test_kpi_targets_and_budgets_are_finite_and_bounded(value: str) -> None:
    target = KpiTarget("reach", Decimal(value), KpiPeriod.MONTH)
    with pytest.raises(InvalidInputError) as refused:
        target.validate()
    assert "reach" in refused.value.message("en")
    plan = CampaignPlan("Tepi", Period(NOW, NOW + timedelta(days=1)),
                        platforms=(Platform.X,), budget_idr=Decimal(value))
    with pytest.raises(InvalidInputError, match="budget"):
        plan.validate()
    assert check_amount(AMOUNT_LIMIT, "x") == AMOUNT_LIMIT


def test_a_campaign_period_outside_the_range_is_refused() -> None:
    for start, end, field in ((NOW, LATE, "campaign end"), (EARLY, NOW, "campaign start")):
        with pytest.raises(InvalidInputError, match=field):
            Period(start, end).validate()


def test_interactions_metrics_meetings_and_follow_ups_are_bounded() -> None:
    inbound = InboundInteraction(Platform.X, InteractionKind.COMMENT, "m1", "@a", "halo", LATE)
    with pytest.raises(InvalidInputError, match="received_at"):
        inbound.validate()
    snapshot = MetricSnapshot(Platform.X, "", EARLY, MetricValues(reach=1))
    with pytest.raises(InvalidInputError, match="measured_at"):
        snapshot.validate(NOW)
    meeting = EvaluationMeeting(EARLY, ("rina.mm",), ("a",), ("b",), "monthly-report:2026-12")
    with pytest.raises(InvalidInputError, match="meeting held at"):
        meeting.validate(NOW)
    review = PostIncidentReview("t", "w", "d", (FollowUp("x", "adi.admin", date(9999, 12, 31)),))
    with pytest.raises(InvalidInputError, match="follow-up due date"):
        review.validate(NOW.date())


def _item() -> ContentItem:
    author = Actor("budi.dm", "Budi", Role.DIGITAL_MARKETING)
    item = ContentItem.create(author, __import__("uuid").uuid4(), "Tepi", None, NOW)
    item.revise(author, Draft(text="Info produk", platforms=(Platform.X,)), "", NOW)
    return item


def test_the_aggregate_refuses_a_slot_outside_the_range() -> None:
    item = _item()
    admin = Actor("adi.admin", "Adi", Role.SOCIAL_MEDIA_ADMIN)
    with pytest.raises(InvalidInputError, match="slot"):
        item.schedule(admin, LATE, (), {}, NOW)
    planner = Actor("budi.dm", "Budi", Role.DIGITAL_MARKETING)
    with pytest.raises(InvalidInputError, match="planned slot"):
        item.plan_slot(planner, EARLY, (Platform.X,), NOW)


def test_a_stored_slot_outside_the_range_is_never_due() -> None:
    """Only a store written before the bounds holds one; the scheduler must not publish it."""
    item = _item()
    admin = Actor("adi.admin", "Adi", Role.SOCIAL_MEDIA_ADMIN)
    item.trigger_event(item.Scheduled, timestamp=NOW, actor=admin,
                       slot=Slot(at=EARLY, platforms=(Platform.X,)))
    assert item.slot is not None and item.slot.at == EARLY
    assert not item.is_due(NOW)
    in_range = _item()
    in_range.trigger_event(in_range.Scheduled, timestamp=NOW, actor=admin,
                           slot=Slot(at=NOW - timedelta(minutes=1), platforms=(Platform.X,)))
    assert in_range.is_due(NOW)


@pytest.mark.parametrize("value", [float("inf"), float("nan"), -1.0, 1e309, 3601.0])
def test_numbers_must_be_finite_and_inside_their_bounds(value: float) -> None:
    with pytest.raises(InvalidInputError, match="--poll"):
        check_number(value, "--poll", 0.01, 3600.0)
    assert check_number(0.5, "--poll", 0.01, 3600.0) == 0.5


def test_clamp_makes_any_stored_time_convertible_and_keeps_times_in_range() -> None:
    for value in (LATE, EARLY, datetime.max.replace(tzinfo=UTC),
                  datetime.min.replace(tzinfo=timezone(timedelta(hours=23, minutes=59)))):
        clamped = clamp(value)
        for zone in OFFSETS:
            clamped.astimezone(zone)
    assert clamp(NOW) == NOW and clamp(NOW).tzinfo is UTC


def test_out_of_range_names_every_field_and_skips_signed_scores() -> None:
    plan = CampaignPlan("Tepi", Period(EARLY, LATE), platforms=(Platform.X,),
                        kpi_targets=(KpiTarget("reach", Decimal("1e309"), KpiPeriod.MONTH),),
                        budget_idr=Decimal("-0.5"))
    found = dict(out_of_range(plan, "plan"))
    assert found == {"plan.period.start": EARLY.isoformat(),
                     "plan.period.end": LATE.isoformat(),
                     "plan.kpi_targets[0].target": "1E+309"}
    assert out_of_range({"score": Decimal("-0.9"), "n": float("nan")}) == [("[n]", "nan")]
    assert check_time(NOW, "x") is NOW


def test_error_lines_quote_at_most_80_characters() -> None:
    assert len(quote("9" * 100_000)) == 80
    with pytest.raises(InvalidInputError) as refused:
        parse_time("x" * 100_000)
    assert len(refused.value.message("en")) < 200


@pytest.mark.parametrize(("call", "english", "indonesian"), [
    (lambda: check_amount(Decimal("1e309"), "KPI target reach"),
     "KPI target reach is 1E+309: give a finite number from 0 to 1e+15",
     "KPI target reach bernilai 1E+309: berikan angka terhingga dari 0 sampai 1e+15"),
    (lambda: check_number(float("inf"), "--poll", 0.01, 3600.0),
     "--poll is inf: give a finite number from 0.01 to 3600",
     "--poll bernilai inf: berikan angka terhingga dari 0.01 sampai 3600"),
    (lambda: check_time(LATE, "--at"),
     "--at 9999-12-31T23:59:00-12:00 is outside the supported range",
     "--at 9999-12-31T23:59:00-12:00 di luar rentang yang didukung"),
])
def test_the_refusals_read_in_english_and_indonesian(call: object, english: str,
                                                     indonesian: str) -> None:
    with pytest.raises(InvalidInputError) as refused:
        call()  # type: ignore[operator]
    assert refused.value.message("en").startswith(english)
    assert refused.value.message("id").startswith(indonesian)

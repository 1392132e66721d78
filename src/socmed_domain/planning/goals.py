"""Goals and KPI targets, shared by the strategy and the campaigns (SOP stage 1).

A goal is one of the SOP's three kinds (brand awareness, lead generation, customer
engagement) or a custom one with its own name; a KPI target names a metric, the value to reach,
the period it is measured over and the platform (or all platforms).
"""

from __future__ import annotations

import enum
from decimal import Decimal

from attrs import frozen

from socmed_domain.bounds import check_amount
from socmed_domain.errors import InvalidInputError
from socmed_domain.platforms import Platform


class GoalKind(enum.Enum):
    BRAND_AWARENESS = "brand_awareness"
    LEAD_GENERATION = "lead_generation"
    CUSTOMER_ENGAGEMENT = "customer_engagement"
    CUSTOM = "custom"


class KpiPeriod(enum.Enum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    CAMPAIGN = "campaign"


@frozen
class Goal:
    """A goal; `name` is required for a custom goal and optional (a label) otherwise."""

    kind: GoalKind
    name: str = ""

    def validate(self) -> Goal:
        if self.kind is GoalKind.CUSTOM and not self.name.strip():
            raise InvalidInputError("error.empty", field="custom goal name")
        if len(self.name) > 100:
            raise InvalidInputError("error.too_long", field="goal name", length=len(self.name),
                                    limit=100)
        return self

    @property
    def label(self) -> str:
        return self.name or self.kind.value


@frozen
class KpiTarget:
    """Reach `target` of `metric` per `period`, on `platform` (None: all platforms)."""

    metric: str
    target: Decimal
    period: KpiPeriod
    platform: Platform | None = None

    def validate(self) -> KpiTarget:
        if not self.metric.strip():
            raise InvalidInputError("error.empty", field="KPI metric")
        if len(self.metric) > 60:
            raise InvalidInputError("error.too_long", field="KPI metric",
                                    length=len(self.metric), limit=60)
        if not self.target.is_finite() or self.target < 0:
            raise InvalidInputError("error.negative", field=f"KPI target {self.metric}",
                                    value=str(self.target))
        check_amount(self.target, f"KPI target {self.metric}")
        return self

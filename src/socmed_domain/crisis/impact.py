"""The crisis impact matrix (SOP stage 6: 'classify the crisis level by its impact').

Monitoring measures a few signals about an issue; `suggest_level` turns them into a suggested
level 1-4 with the reasons behind it, each naming its numbers, so the Marketing Manager's
classification starts from the documented matrix and an override is a visible, explained
decision rather than a silent one.

Levels:
  1 low       isolated complaints
  2 moderate  a complaint wave above the usual baseline
  3 high      viral or sensitive: wide reach, fast growth, media pickup, legal or safety exposure
  4 critical  a personal data breach, mass exposure or a compromised account

The thresholds below are the matrix. Changing one is a one-line diff that a reviewer can read;
suggestions already recorded in events keep the numbers they were made with.
"""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from attrs import field, frozen

from socmed_domain.bounds import check_amount
from socmed_domain.errors import InvalidInputError
from socmed_domain.i18n import DEFAULT_LANG, render

LEVELS = (1, 2, 3, 4)
LEVEL_NAMES = {1: "low", 2: "moderate", 3: "high", 4: "critical"}


class ImpactFactor(enum.Enum):
    """What a reason is about: a measured number, or an exposure someone has confirmed."""

    VOLUME_RATIO = "volume_ratio"
    VELOCITY = "velocity"
    REACH = "reach"
    NEGATIVE_SHARE = "negative_share"
    FEW_MENTIONS = "few_mentions"
    MEDIA_PICKUP = "media_pickup"
    LEGAL_EXPOSURE = "legal_exposure"
    SAFETY_EXPOSURE = "safety_exposure"
    PERSONAL_DATA_EXPOSURE = "personal_data_exposure"
    ACCOUNT_COMPROMISED = "account_compromised"


F = ImpactFactor


@frozen
class Threshold:
    """`factor` at or above `at_least` suggests at least `level`."""

    factor: ImpactFactor
    at_least: Decimal
    level: int


#: The numeric part of the matrix; for each factor the highest row reached counts.
THRESHOLDS: tuple[Threshold, ...] = (
    # negative mentions in the window / the baseline mean for a window of that length
    Threshold(F.VOLUME_RATIO, Decimal(2), 2),
    Threshold(F.VOLUME_RATIO, Decimal(5), 3),
    # negative mentions per hour, now
    Threshold(F.VELOCITY, Decimal(10), 2),
    Threshold(F.VELOCITY, Decimal(50), 3),
    # accounts that may have seen the issue; a million is mass exposure
    Threshold(F.REACH, Decimal(10_000), 2),
    Threshold(F.REACH, Decimal(100_000), 3),
    Threshold(F.REACH, Decimal(1_000_000), 4),
    # share of all mentions in the window that are negative
    Threshold(F.NEGATIVE_SHARE, Decimal("0.5"), 2),
    Threshold(F.NEGATIVE_SHARE, Decimal("0.8"), 3),
)

#: Exposures confirmed by a person (legal, safety) or by monitoring; each alone sets a level.
FLAG_LEVELS: dict[ImpactFactor, int] = {
    F.MEDIA_PICKUP: 3,
    F.LEGAL_EXPOSURE: 3,
    F.SAFETY_EXPOSURE: 3,
    F.PERSONAL_DATA_EXPOSURE: 4,
    F.ACCOUNT_COMPROMISED: 4,
}

#: Below this many negative mentions, complaints are isolated: the volume ratio and the
#: negative share are not counted (3 complaints against a baseline of 1 is not a wave).
MIN_MENTIONS_FOR_A_WAVE = 10

#: A quiet account's baseline can be 0; ratios are taken against at least this.
BASELINE_FLOOR = Decimal(1)

#: Factors the mention guard applies to.
GUARDED = frozenset({F.VOLUME_RATIO, F.NEGATIVE_SHARE})


def _decimal(value: Any) -> Decimal:
    """Accept ints, strings and floats from callers; store exact decimals (never floats)."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


@frozen
class ImpactSignals:
    """What monitoring measured about an issue over one window (e.g. the last 24 hours)."""

    negative_mentions: int = 0
    baseline_mean: Decimal = field(default=Decimal(0), converter=_decimal)
    velocity_per_hour: Decimal = field(default=Decimal(0), converter=_decimal)
    estimated_reach: int = 0
    negative_share: Decimal = field(default=Decimal(0), converter=_decimal)
    media_pickup: bool = False
    legal_exposure: bool = False
    safety_exposure: bool = False
    personal_data_exposure: bool = False
    account_compromised: bool = False

    def validate(self) -> ImpactSignals:
        """Refuse numbers no measurement could give. Called when signals are recorded, never
        when a stored event is read back."""
        for name in ("negative_mentions", "baseline_mean", "velocity_per_hour",
                     "estimated_reach", "negative_share"):
            value = getattr(self, name)
            finite = value.is_finite() if isinstance(value, Decimal) else True
            if not finite or value < 0:
                raise InvalidInputError("error.negative", field=name.replace("_", " "),
                                        value=str(value))
            check_amount(Decimal(value), name.replace("_", " "))
        if self.negative_share > 1:
            raise InvalidInputError("error.incident_share_range", value=str(self.negative_share))
        return self

    @property
    def volume_ratio(self) -> Decimal:
        return Decimal(self.negative_mentions) / max(self.baseline_mean, BASELINE_FLOOR)

    def measure(self, factor: ImpactFactor) -> Decimal:
        return {
            F.VOLUME_RATIO: self.volume_ratio,
            F.VELOCITY: self.velocity_per_hour,
            F.REACH: Decimal(self.estimated_reach),
            F.NEGATIVE_SHARE: self.negative_share,
        }[factor]

    def flagged(self, factor: ImpactFactor) -> bool:
        return bool(getattr(self, factor.value))


@frozen
class ImpactReason:
    """One line of a suggestion: the number measured, the threshold it was compared with and
    the level that comparison gives. `reached` is False for 'below the first threshold'."""

    factor: ImpactFactor
    value: Decimal
    threshold: Decimal
    level: int
    reached: bool = True

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return render(f"impact.{self.factor.value}", lang,
                      value=_shown(self.factor, self.value, lang),
                      threshold=_shown(self.factor, self.threshold, lang, threshold=True),
                      op=">=" if self.reached else "<", level=self.level)

    def __str__(self) -> str:
        return self.message()


def _shown(factor: ImpactFactor, value: Decimal, lang: str, threshold: bool = False) -> str:
    """A number as a reader expects it: 8.0× and 150,000 in English, 8,0× and 150.000 in
    Bahasa Indonesia; thresholds without decimals when they have none."""
    if factor is F.NEGATIVE_SHARE:
        value = value * 100
    whole = factor in (F.REACH, F.FEW_MENTIONS) or (
        value == value.to_integral() and (threshold or factor is not F.VOLUME_RATIO))
    text = f"{int(value):,}" if whole else f"{value:,.1f}"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


@frozen
class LevelSuggestion:
    """The level the matrix suggests and every reason that led there (most severe first)."""

    level: int
    reasons: tuple[ImpactReason, ...] = ()

    def message(self, lang: str = DEFAULT_LANG) -> str:
        return "; ".join(reason.message(lang) for reason in self.reasons)


def suggest_level(signals: ImpactSignals) -> LevelSuggestion:
    """Apply the matrix: the suggested level is the highest any factor reaches."""
    signals.validate()
    reasons: list[ImpactReason] = []
    few = signals.negative_mentions < MIN_MENTIONS_FOR_A_WAVE
    for factor in dict.fromkeys(t.factor for t in THRESHOLDS):
        if few and factor in GUARDED:
            continue
        rows = sorted((t for t in THRESHOLDS if t.factor is factor), key=lambda t: t.at_least)
        value = signals.measure(factor)
        reached = [t for t in rows if value >= t.at_least]
        if reached:
            reasons.append(ImpactReason(factor, value, reached[-1].at_least, reached[-1].level))
    for factor, level in FLAG_LEVELS.items():
        if signals.flagged(factor):
            reasons.append(ImpactReason(factor, Decimal(1), Decimal(1), level))
    if not reasons:
        reasons = _below_every_threshold(signals, few)
        return LevelSuggestion(1, tuple(reasons))
    reasons.sort(key=lambda r: -r.level)
    return LevelSuggestion(max(r.level for r in reasons), tuple(reasons))


def _below_every_threshold(signals: ImpactSignals, few: bool) -> list[ImpactReason]:
    """Level 1 still names its numbers: each measure against its first threshold."""
    reasons = []
    if few:
        reasons.append(ImpactReason(F.FEW_MENTIONS, Decimal(signals.negative_mentions),
                                    Decimal(MIN_MENTIONS_FOR_A_WAVE), 1, reached=False))
    for factor in dict.fromkeys(t.factor for t in THRESHOLDS):
        if few and factor in GUARDED:
            continue
        first = min((t for t in THRESHOLDS if t.factor is factor), key=lambda t: t.at_least)
        reasons.append(ImpactReason(factor, signals.measure(factor), first.at_least, 1,
                                    reached=False))
    return reasons

"""What a social media strategy says (SOP stage 1): goals and KPI targets, audiences, the
platforms chosen with their cadence, key messages and the brand voice guide.

These are value objects: a strategy version holds one `StrategyPlan`, and a revision records a
whole new plan, so every version can be read back exactly as it was approved.
"""

from __future__ import annotations

from attrs import frozen

from socmed_domain.errors import InvalidInputError
from socmed_domain.planning.goals import Goal, KpiTarget
from socmed_domain.platforms import Platform

TEXT_LIMIT = 500
CADENCE_MAX = 70  # ten a day is already more than any SOP asks for


def _text(value: str, field: str, limit: int = TEXT_LIMIT) -> None:
    if not value.strip():
        raise InvalidInputError("error.empty", field=field)
    if len(value) > limit:
        raise InvalidInputError("error.too_long", field=field, length=len(value), limit=limit)


@frozen
class Audience:
    """A target audience: who they are, how they behave, where and when they are online."""

    name: str
    age_band: str = ""  # e.g. "25-34"
    gender: str = ""  # "all", "female", "male"
    locations: tuple[str, ...] = ()  # provinces or cities, e.g. "DKI Jakarta"
    income: str = ""  # e.g. "SES B", "IDR 5-10 juta/bulan"
    behaviours: tuple[str, ...] = ()
    platforms: tuple[Platform, ...] = ()
    active_hours: str = ""  # e.g. "19:00-22:00 WIB"

    def validate(self) -> Audience:
        _text(self.name, "audience name", 100)
        for value in (*self.locations, *self.behaviours):
            _text(value, f"audience {self.name} detail", 200)
        return self


@frozen
class PlatformChoice:
    """A platform the strategy uses, why, and how many posts a week it targets."""

    platform: Platform
    reason: str
    posts_per_week: int

    def validate(self) -> PlatformChoice:
        _text(self.reason, f"reason for {self.platform.value}")
        if not 0 < self.posts_per_week <= CADENCE_MAX:
            raise InvalidInputError("error.cadence_range", platform=self.platform.value,
                                    value=self.posts_per_week, limit=CADENCE_MAX)
        return self


@frozen
class HashtagSet:
    name: str
    tags: tuple[str, ...]

    def validate(self) -> HashtagSet:
        _text(self.name, "hashtag set name", 60)
        for tag in self.tags:
            if not tag.startswith("#") or len(tag) < 2 or " " in tag:
                raise InvalidInputError("error.bad_hashtag", value=tag)
        return self


@frozen
class BrandVoice:
    """The brand voice guide. Stage 2's automatic checks read `words_to_avoid` (as banned
    phrases) and `required_disclosures` (the markers sponsored content must carry)."""

    tone: tuple[str, ...] = ()
    words_to_use: tuple[str, ...] = ()
    words_to_avoid: tuple[str, ...] = ()
    required_disclosures: tuple[str, ...] = ()
    hashtag_sets: tuple[HashtagSet, ...] = ()

    def validate(self) -> BrandVoice:
        for word in (*self.tone, *self.words_to_use, *self.words_to_avoid,
                     *self.required_disclosures):
            _text(word, "brand voice entry", 100)
        for hashtag_set in self.hashtag_sets:
            hashtag_set.validate()
        return self


@frozen
class StrategyPlan:
    """One version's content; what Digital Marketing drafts and the Marketing Manager approves."""

    title: str
    goals: tuple[Goal, ...] = ()
    kpi_targets: tuple[KpiTarget, ...] = ()
    audiences: tuple[Audience, ...] = ()
    platforms: tuple[PlatformChoice, ...] = ()
    key_messages: tuple[str, ...] = ()
    brand_voice: BrandVoice = BrandVoice()

    def validate(self) -> StrategyPlan:
        """Refuse a strategy no one could follow. Run when a plan is recorded, never on
        replay, so tightening a rule never breaks stored events."""
        _text(self.title, "strategy title", 120)
        if not self.goals:
            raise InvalidInputError("error.empty", field="goals")
        for goal in self.goals:
            goal.validate()
        chosen = [choice.platform for choice in self.platforms]
        if not chosen:
            raise InvalidInputError("error.empty", field="platforms")
        if len(set(chosen)) != len(chosen):
            raise InvalidInputError("error.duplicate", field="platforms")
        for choice in self.platforms:
            choice.validate()
        for target in self.kpi_targets:
            target.validate()
            if target.platform is not None and target.platform not in chosen:
                raise InvalidInputError("error.platform_not_in_strategy",
                                        platform=target.platform.value, metric=target.metric)
        names = [audience.name.strip().lower() for audience in self.audiences]
        if len(set(names)) != len(names):
            raise InvalidInputError("error.duplicate", field="audiences")
        for audience in self.audiences:
            audience.validate()
        for message in self.key_messages:
            _text(message, "key message")
        self.brand_voice.validate()
        return self

    def cadence(self, platform: Platform) -> int:
        """Posts per week the strategy targets on `platform` (0 when it is not used)."""
        for choice in self.platforms:
            if choice.platform is platform:
                return choice.posts_per_week
        return 0

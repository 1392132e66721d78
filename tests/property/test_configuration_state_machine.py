"""The configuration workflow as a state machine: any member applies any pack or a variation of
one, and reads; the configuration in force is always the last accepted one, versions count
the accepted changes only, every refused command writes nothing, what the stages read is the
configuration in force, and every version can still be shown as it was applied."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from attrs import evolve
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from tests.conftest import seed_team

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_adapters.configuration_file import PACKS, read_pack
from socmed_domain.configuration.model import (
    DEFAULT_CONFIGURATION,
    CompanyConfiguration,
    LexiconSection,
    SlaTargetMinutes,
)
from socmed_domain.errors import SocmedError
from socmed_domain.timezones import WIB

MEMBERS = ("rina.mm", "budi.dm", "adi.admin", "sari.legal", "maya.agency")
PACK_CONFIGS = {name: read_pack(name) for name in PACKS}


@st.composite
def configurations(draw: Any) -> CompanyConfiguration:
    base = PACK_CONFIGS[draw(st.sampled_from(PACKS))]
    change = draw(st.sampled_from(("none", "banned", "lexicon", "sla", "checklist", "bad")))
    if change == "banned":
        phrase = draw(st.sampled_from(("detoks", "dijamin sembuh", "gratis selamanya")))
        return evolve(base, content=evolve(base.content, banned_phrases=(
            *base.content.banned_phrases, phrase)))
    if change == "lexicon":
        score = draw(st.sampled_from((-2.5, 0.0, 1.5)))
        return evolve(base, lexicon=LexiconSection({**base.lexicon.terms, "mantul": score}))
    if change == "sla":
        minutes = draw(st.integers(1, 120))
        targets = {**base.sla.targets, "urgent": SlaTargetMinutes(minutes, minutes * 4)}
        return evolve(base, sla=evolve(base.sla, targets=targets))
    if change == "checklist":
        return evolve(base, checklist=base.checklist[:draw(st.integers(1, 4))])
    if change == "bad":  # a problem the domain refuses
        return evolve(base, checklist=())
    return base


class ConfigurationWorkflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.clock = ManualClock(datetime(2026, 12, 1, 9, tzinfo=WIB))
        self.services = bootstrap(storage="memory", clock=self.clock)
        self.app = self.services.app
        seed_team(self.app)
        self.applied: list[CompanyConfiguration] = [DEFAULT_CONFIGURATION]

    def teardown(self) -> None:
        self.services.close()

    @rule(member=st.sampled_from(MEMBERS), config=configurations())
    def apply(self, member: str, config: CompanyConfiguration) -> None:
        self.clock.advance(minutes=1)
        before = self.app.event_count()
        try:
            version = self.app.configuration.apply(member, config, "state machine")
        except SocmedError:
            assert self.app.event_count() == before
            assert (member != "rina.mm" or config == self.applied[-1]
                    or not config.checklist)
        else:
            assert member == "rina.mm" and config != self.applied[-1] and config.checklist
            self.applied.append(config)
            assert version == len(self.applied) - 1

    @rule(data=st.data())
    def show_a_version(self, data: Any) -> None:
        number = data.draw(st.integers(0, len(self.applied) - 1))
        shown = self.app.configuration.show("sari.legal", number)
        assert shown.configuration == self.applied[number]
        assert shown.version == number

    @invariant()
    def the_last_accepted_is_in_force_and_read_by_the_stages(self) -> None:
        current = self.applied[-1]
        assert self.app.configuration.in_force() == current
        assert self.app.configuration.current_version() == len(self.applied) - 1
        assert self.app.content.checklist_keys() == current.checklist_keys
        assert self.app.content.policy.banned_phrases == current.content.banned_phrases
        urgent = self.app.inbox.sla_policy.targets
        assert {p.value: int(t.first_response.total_seconds() // 60)
                for p, t in urgent.items()} == {
            p: t.first_response_minutes for p, t in current.sla.targets.items()}
        assert self.app.configuration.watchlist().version == current.watchlist.version


ConfigurationWorkflow.TestCase.settings = settings(max_examples=25, stateful_step_count=12,
                                                   deadline=None)
TestConfigurationWorkflow = ConfigurationWorkflow.TestCase

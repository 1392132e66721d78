"""The code's status sets and incident tables pinned to the state machines and rules as
documented (docs/architecture.md, docs/decisions.md), written out in tests/sop_rules.py.

The state machines predict with the same hand-written sets, but a random walk may not reach
every status before every command; this pin catches a changed set at once."""

from __future__ import annotations

import pytest
from tests import sop_rules

from socmed_domain.planning import campaign
from socmed_domain.production import content_item


@pytest.mark.parametrize("name", ["REVISABLE", "SCHEDULABLE", "CHANGES_REQUESTABLE",
                                  "EXPIRABLE", "WITHDRAWABLE", "ARCHIVABLE", "TERMINAL",
                                  "FINAL"])
def test_content_status_sets_are_the_documented_ones(name: str) -> None:
    code = {status.value for status in getattr(content_item, name)}
    assert code == getattr(sop_rules, name)


def test_every_content_status_is_documented() -> None:
    assert {status.value for status in content_item.Status} == sop_rules.ALL_STATUSES


def test_open_campaign_statuses_are_the_documented_ones() -> None:
    assert {status.value for status in campaign.OPEN} == sop_rules.CAMPAIGN_OPEN
    assert {status.value for status in campaign.CANCELLABLE} == sop_rules.CAMPAIGN_OPEN


def test_incident_escalation_tables_are_the_documented_ones() -> None:
    from socmed_domain.crisis import incident

    assert {level: {t.value for t in targets}
            for level, targets in incident.REQUIRED_ESCALATIONS.items()} \
        == sop_rules.REQUIRED_ESCALATIONS
    assert {t.value: r.value for t, r in incident.ACKNOWLEDGED_BY.items()} \
        == sop_rules.ACKNOWLEDGED_BY
    assert {r.value for r in incident.PDP_RECIPIENTS} == sop_rules.PDP_RECIPIENTS

"""Fixtures the platform client tests share: the five local servers (one set per module),
the clients' fake time, and an in-memory application with the demo team."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from tests.conftest import seed_team

from socmed_adapters.bootstrap import Services, bootstrap
from socmed_adapters.clock import ManualClock
from socmed_testing.platforms import FakeTime, LocalPlatforms


@pytest.fixture(scope="module")
def local() -> Iterator[LocalPlatforms]:
    with LocalPlatforms(hang_seconds=3.0) as servers:
        yield servers


@pytest.fixture(scope="module")
def shared_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def fake_time(local: LocalPlatforms, shared_time: FakeTime) -> FakeTime:
    """The clients' fake sleeps, forgotten between tests (as are unused faults)."""
    local.clear_faults()
    shared_time.slept.clear()
    return shared_time


@pytest.fixture
def services() -> Iterator[Services]:
    made = bootstrap(storage="memory", clock=ManualClock(datetime.now(UTC)))
    seed_team(made.app)
    yield made
    made.close()

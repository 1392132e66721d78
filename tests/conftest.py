"""Shared fixtures: real SQLite files and a real PostgreSQL schema per test.

PostgreSQL tests use $SOCMED_TEST_POSTGRES_URL (default the local server's socmed_test
database). Without a server they are skipped locally, but under CI they fail: CI must never
pass by skipping the production backend.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from socmed_adapters.bootstrap import Services, bootstrap
from socmed_adapters.clock import ManualClock
from socmed_domain.timezones import WIB

# Hypothesis profiles: `ci` (whenever $CI is set) keeps Hypothesis' own example counts, the
# ones every test ran with before the profiles existed, and prints the blob that replays a
# failure; `dev` (a local run without $CI) runs a quarter of the examples of tests that do not
# set their own count. $HYPOTHESIS_PROFILE chooses one explicitly. Neither times anything:
# speed is measured in benchmarks/, and on a loaded 2-core machine the too_slow health check
# and the per-example deadline failed tests whose logic was fine.
_UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("ci", print_blob=True, **_UNTIMED)
settings.register_profile("dev", max_examples=25, **_UNTIMED)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI") else "dev"))

POSTGRES_URL = os.environ.get(
    "SOCMED_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/socmed_test")
BACKENDS = ("sqlite", "postgres")


def _postgres_problem() -> str | None:
    try:
        import psycopg

        with psycopg.connect(POSTGRES_URL, connect_timeout=3) as conn:
            conn.execute("SELECT 1")
    except Exception as error:
        return f"PostgreSQL at {POSTGRES_URL} is not usable: {error}"
    return None


_PG_PROBLEM: list[str | None] = []


def require_postgres() -> None:
    if not _PG_PROBLEM:
        _PG_PROBLEM.append(_postgres_problem())
    problem = _PG_PROBLEM[0]
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"{problem} (CI must run the PostgreSQL tests)")
        pytest.skip(problem)


class PostgresSchema:
    """A fresh schema for one test, dropped afterwards."""

    def __init__(self) -> None:
        import psycopg

        self.name = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.name}"')

    @property
    def url(self) -> str:
        separator = "&" if "?" in POSTGRES_URL else "?"
        return f"{POSTGRES_URL}{separator}schema={self.name}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')


@pytest.fixture(autouse=True, scope="session")
def _no_socmed_settings_from_the_machine(tmp_path_factory: pytest.TempPathFactory,
                                         ) -> Iterator[None]:
    """socmed reads its settings from SOCMED_* variables (vault and audit keys, publisher,
    platform tokens, database URL, language, ...) and its configuration directory (a signing
    key in ~/.config/socmed would make every store sign checkpoints): the tests (and the
    session's shared stores) see only those a test sets itself, never the machine's.
    SOCMED_TEST_* configure the tests and stay."""
    with pytest.MonkeyPatch.context() as patch:
        for name in list(os.environ):
            if name.startswith("SOCMED_") and not name.startswith("SOCMED_TEST_"):
                patch.delenv(name)
        patch.setenv("SOCMED_CONFIG_DIR", str(tmp_path_factory.mktemp("config")))
        yield


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 12, 1, 8, 0, tzinfo=WIB))


class Backend:
    """Makes Services on one backend; every Services it made is closed at teardown."""

    def __init__(self, kind: str, data_dir: Path, database_url: str | None) -> None:
        self.kind = kind
        self.data_dir = data_dir
        self.database_url = database_url
        self.made: list[Services] = []

    def services(self, **kwargs: Any) -> Services:
        made = bootstrap(self.data_dir, database_url=self.database_url, **kwargs)
        self.made.append(made)
        return made

    def close(self) -> None:
        for services in self.made:
            services.close()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    """The same scenario on SQLite and on PostgreSQL."""
    schema = None
    if request.param == "postgres":
        require_postgres()
        schema = PostgresSchema()
    made = Backend(request.param, tmp_path / "store", schema.url if schema else None)
    try:
        yield made
    finally:
        made.close()
        if schema is not None:
            schema.drop()


@pytest.fixture
def postgres_schema() -> Iterator[PostgresSchema]:
    require_postgres()
    schema = PostgresSchema()
    try:
        yield schema
    finally:
        schema.drop()


def seed_team(app: Any) -> None:
    """The demo's team: one member per SOP role, plus a second Digital Marketing member."""
    from socmed_domain.roles import Role

    app.initialise("PT Contoh Tbk", "rina.mm", "Rina Wijaya")
    for handle, name, role in (
        ("budi.dm", "Budi Santoso", Role.DIGITAL_MARKETING),
        ("dewi.dm", "Dewi Lestari", Role.DIGITAL_MARKETING),
        ("adi.admin", "Adi Pratama", Role.SOCIAL_MEDIA_ADMIN),
        ("sari.legal", "Sari Hakim", Role.LEGAL),
        ("maya.agency", "Maya Kusuma", Role.AGENCY),
    ):
        app.add_member("rina.mm", handle, name, role)


def seed_campaign(app: Any, planner: str = "budi.dm", manager: str = "rina.mm",
                  agencies: tuple[str, ...] = ("maya.agency",), name: str = "Promo Desember",
                  start: bool = True) -> Any:
    """A campaign over December-January 2026/27 on every platform, approved, with the agency
    members assigned and (by default) running; returns its id."""
    from datetime import datetime

    from socmed_domain.planning.campaign import CampaignPlan, Period
    from socmed_domain.platforms import Platform
    from socmed_domain.timezones import WIB

    plan = CampaignPlan(name, Period(datetime(2026, 11, 1, tzinfo=WIB),
                                     datetime(2027, 2, 1, tzinfo=WIB)),
                        platforms=tuple(Platform))
    campaign_id = app.plan_campaign(planner, plan)
    app.approve_campaign(manager, campaign_id)
    for agency in agencies:
        app.assign_agency(planner, campaign_id, agency)
    if start:
        app.start_campaign(planner, campaign_id)
    return campaign_id


def seed_approved(app: Any, title: str, draft: Any, manager: str = "rina.mm") -> Any:
    """A content item drafted by budi.dm, reviewed by dewi.dm with the whole checklist and
    approved by `manager`; returns its id."""
    from socmed_domain.production.quality import CHECKLIST_KEYS

    item = app.create_content("budi.dm", title, draft)
    app.submit_for_review("budi.dm", item)
    app.review_content("dewi.dm", item, CHECKLIST_KEYS)
    app.submit_for_approval("budi.dm", item)
    app.approve_content(manager, item)
    return item


TeamSeeder = Callable[[Any], None]

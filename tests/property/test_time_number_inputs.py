"""Property (issue 13): every command and file format that takes a time or a number, given
values across the whole range Python accepts (datetime.min..max at offsets -23:59..+23:59,
floats with inf/nan/1e308, huge integers, months of years 0..9999), either stores it, after
which every read model, the monthly report and the scheduler still work, or refuses it with
one line on stderr, no traceback, no exit 70, and nothing written (the event log and the
vault's keys are as before). A value outside the documented range is always refused.

One demo store per backend takes every example of a property; the readers then run over
everything that was stored. The edges named in the issue always run (`@example`)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tests.cli.bounds_helpers import fingerprint
from tests.cli.helpers import Socmed, created_id, current_hash
from tests.conftest import PostgresSchema, require_postgres

from socmed_adapters.monitoring.webhook_payloads import parse_payload
from socmed_domain.bounds import AMOUNT_LIMIT, within_range
from socmed_domain.errors import InvalidInputError

pytestmark = pytest.mark.slow

EXAMPLES = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

OFFSET = st.builds(lambda minutes: timezone(timedelta(minutes=minutes)),
                   st.integers(-(23 * 60 + 59), 23 * 60 + 59))
ANY_TIME = st.datetimes(min_value=datetime.min, max_value=datetime.max, timezones=OFFSET)
NEAR_TIME = st.datetimes(min_value=datetime(1999, 12, 30), max_value=datetime(2100, 1, 2),
                         timezones=OFFSET)
TIMES = st.one_of(ANY_TIME, NEAR_TIME)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["1e309", "1e308", "-1e309", "nan", "inf", "-0", "1e15", "1000000000000001",
                     "9" * 5000, "1e-400", "0.1", "42"]))
ISSUE_TIMES = ["9999-12-31T23:59:00-12:00", "0001-01-01T00:00:00+14:00",
               "0001-01-01T00:00:00-12:00"]


class Store:
    """A demo store on one backend, shared by every example of one property."""

    def __init__(self, folder: Path, database_url: str | None) -> None:
        self.folder = folder
        self.database_url = database_url
        self.env = {"SOCMED_DATABASE_URL": database_url} if database_url else {}
        self.socmed = Socmed(folder)
        self.counter = 0
        self.outcomes = {True: 0, False: 0}  # stored, refused

    def run(self, *argv: str) -> Any:
        return self.socmed(*argv, env=self.env)

    def fingerprint(self) -> tuple[Any, ...]:
        return fingerprint(self.folder, self.database_url)

    def unique(self) -> str:
        self.counter += 1
        return f"p{self.counter}"

    def accepted_or_refused(self, *argv: str, must_refuse: bool = False) -> bool:
        """Run; True when it was stored. A refusal is one line and writes nothing."""
        before = self.fingerprint()
        result = self.run(*argv)
        assert "Traceback" not in result.output, result.output
        assert result.exit_code != 70, (argv, result.stderr)
        if result.exit_code == 0:
            assert not must_refuse, (argv, result.stdout)
            self.outcomes[True] += 1
            return True
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), (argv, result.stderr)
        assert len(lines[0]) < 400, lines[0]
        assert result.exit_code in (1, 2), (argv, result.exit_code)
        assert self.fingerprint() == before, (argv, lines[0])
        self.outcomes[False] += 1
        return False

    def readers_still_work(self) -> None:
        """Every reader over all that was stored; and the property saw both outcomes (a
        fixture that refused everything would prove nothing)."""
        assert self.outcomes[True] and self.outcomes[False], self.outcomes
        print(f"stored {self.outcomes[True]}, refused {self.outcomes[False]}")  # with -s
        for argv in (["projections", "catch-up"], ["content", "list", "--format", "json"],
                     ["calendar", "show", "--month", "2026-12"],
                     ["--as", "rina.mm", "report", "monthly", "--month", "2026-12",
                      "--format", "json"],
                     ["--as", "rina.mm", "dashboard", "--month", "2026-12"],
                     ["inbox", "list"], ["--as", "rina.mm", "report", "daily", "--date",
                                         "2026-12-10"],
                     ["campaign", "list", "--format", "json"], ["metrics", "latest"],
                     ["--as", "adi.admin", "publish", "due"], ["projections", "rebuild"],
                     ["doctor"]):
            result = self.run(*argv)
            assert result.exit_code == 0, (argv, result.output)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bounds-demo") / "store"
    Socmed(folder).ok("demo", "--quiet")
    return folder


@pytest.fixture(params=["sqlite", "postgres"])
def store(request: pytest.FixtureRequest, demo_template: Path, tmp_path: Path
          ) -> Iterator[Store]:
    if request.param == "sqlite":
        folder = tmp_path / "store"
        shutil.copytree(demo_template, folder)
        yield Store(folder, None)
        return
    require_postgres()
    schema = PostgresSchema()
    try:
        made = Store(tmp_path / "store", schema.url)
        made.socmed.ok("demo", "--quiet", env=made.env)
        yield made
    finally:
        schema.drop()


def _text(value: datetime) -> str:
    return value.isoformat()


def _approved_item(store: Store) -> str:
    run = store.socmed
    item = created_id(run.ok("--as", "budi.dm", "content", "create", "--title", "Tepi",
                             "--text", "Info produk", "--platform", "x", env=store.env))
    run.ok("--as", "budi.dm", "content", "submit-review", item, env=store.env)
    run.ok("--as", "dewi.dm", "content", "review", item, "--all-checks", env=store.env)
    run.ok("--as", "budi.dm", "content", "submit-approval", item, env=store.env)
    run.ok("--as", "rina.mm", "content", "approve", item, "--hash",
           current_hash(run, item, env=store.env), env=store.env)
    return item


def _out_of_range(text: str) -> bool:
    try:
        return not within_range(datetime.fromisoformat(text))
    except ValueError:
        return False


def test_schedule_and_campaign_times(store: Store) -> None:
    item = _approved_item(store)

    @EXAMPLES
    @given(TIMES.map(_text))
    @example("9999-12-31T23:59:00-12:00")
    @example("0001-01-01T00:00:00+14:00")
    @example("2100-01-01T08:59:00+09:00")
    def schedule(at: str) -> None:
        store.accepted_or_refused("--as", "adi.admin", "content", "schedule", item, "--at", at,
                                  must_refuse=_out_of_range(at))

    @EXAMPLES
    @given(TIMES.map(_text), st.sampled_from(["start", "end"]))
    @example("9999-12-31T23:59:00-12:00", "end")
    @example("0001-01-01T00:00:00+14:00", "start")
    def campaign(at: str, which: str) -> None:
        start, end = ((at, "2026-12-31T00:00:00+07:00") if which == "start"
                      else ("2026-12-01T00:00:00+07:00", at))
        store.accepted_or_refused("--as", "budi.dm", "campaign", "plan", "--name",
                                  store.unique(), "--platform", "instagram", "--start", start,
                                  "--end", end, must_refuse=_out_of_range(at))

    schedule()
    campaign()
    store.readers_still_work()


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        return None


def test_kpi_targets_and_budgets(store: Store) -> None:
    @EXAMPLES
    @given(NUMBERS, st.sampled_from(["kpi", "budget"]))
    @example("1e309", "kpi")
    @example("nan", "kpi")
    @example("1e400", "budget")
    def plan(number: str, which: str) -> None:
        value = _decimal(number)
        wild = value is None or not value.is_finite() or not 0 <= value <= AMOUNT_LIMIT
        extra = (["--kpi", f"reach={number}@instagram"] if which == "kpi"
                 else ["--budget", number])
        store.accepted_or_refused("--as", "budi.dm", "campaign", "plan", "--name",
                                  store.unique(), "--platform", "instagram", "--start",
                                  "2026-12-01 00:00 WIB", "--end", "2026-12-31 00:00 WIB",
                                  *extra, must_refuse=wild)

    plan()
    store.readers_still_work()


def test_inbox_files_and_metrics_files(store: Store, tmp_path: Path) -> None:
    @EXAMPLES
    @given(TIMES.map(_text), st.sampled_from(["jsonl", "csv"]))
    @example(ISSUE_TIMES[0], "jsonl")
    @example(ISSUE_TIMES[1], "csv")
    @example(ISSUE_TIMES[2], "jsonl")
    def ingest(at: str, fmt: str) -> None:
        mid = store.unique()
        path = tmp_path / f"{mid}.{fmt}"
        if fmt == "jsonl":
            path.write_text(json.dumps({"platform": "x", "kind": "comment", "message_id": mid,
                                        "author_handle": f"@{mid}", "text": "halo",
                                        "received_at": at}) + "\n")
        else:
            path.write_text("platform,kind,message_id,author_handle,text,received_at\n"
                            f"x,comment,{mid},@{mid},halo,{at}\n")
        store.accepted_or_refused("--as", "adi.admin", "inbox", "ingest", str(path),
                                  "--no-alerts", must_refuse=_out_of_range(at))

    @EXAMPLES
    @given(TIMES.map(_text), NUMBERS)
    @example(ISSUE_TIMES[1], "5")
    @example("2026-12-01T00:00:00+07:00", "1e309")
    @example("2026-12-01T00:00:00+07:00", "9" * 5000)
    def metrics(at: str, number: str) -> None:
        path = tmp_path / f"{store.unique()}.csv"
        path.write_text(f"platform,post_id,measured_at,reach\ninstagram,,{at},{number}\n")
        store.accepted_or_refused("--as", "adi.admin", "metrics", "import", str(path),
                                  must_refuse=_out_of_range(at))

    ingest()
    metrics()
    store.readers_still_work()


def test_months_and_dates(store: Store) -> None:
    @EXAMPLES
    @given(st.integers(0, 9999), st.integers(0, 13), st.sampled_from([
        ("calendar", "show"), ("--as", "rina.mm", "report", "monthly"),
        ("--as", "rina.mm", "dashboard"), ("publish", "log"), ("calendar", "check")]))
    @example(9999, 12, ("--as", "rina.mm", "report", "monthly"))
    @example(1, 1, ("calendar", "show"))
    @example(9999, 12, ("publish", "log"))
    def month(year: int, number: int, command: tuple[str, ...]) -> None:
        text = f"{year:04d}-{number:02d}"
        store.accepted_or_refused(*command, "--month", text,
                                  must_refuse=not 2000 <= year <= 2099 or not 1 <= number <= 12)

    @EXAMPLES
    @given(st.dates(min_value=date.min, max_value=date.max))
    @example(date(9999, 12, 31))
    @example(date(1, 1, 1))
    def day(value: date) -> None:
        store.accepted_or_refused("--as", "rina.mm", "report", "daily", "--date",
                                  value.isoformat(),
                                  must_refuse=not 2000 <= value.year <= 2099)

    month()
    day()
    # calendar plan writes ideas for an accepted month: a few, far apart
    for text in ("9999-12", "0001-01", "2099-12", "1999-12"):
        store.accepted_or_refused("--as", "budi.dm", "calendar", "plan", "--month", text,
                                  must_refuse=not 2000 <= int(text[:4]) <= 2099)
    store.readers_still_work()


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.one_of(TIMES.map(lambda t: t.strftime("%a %b %d %H:%M:%S %z ") + f"{t.year:04d}"),
                 st.just("Fri Dec 31 23:59:00 -1200 9999")),
       NUMBERS)
def test_webhook_payload_times(created_at: str, epoch: str) -> None:
    """X's created_at and the epoch numbers of Meta: read, or refused as a payload error
    (the receiver answers 400 to that), never an overflow, never an out-of-range time."""
    x = {"for_user_id": "1", "tweet_create_events": [
        {"id_str": "9", "text": "halo", "created_at": created_at,
         "user": {"id_str": "2", "screen_name": "a", "name": "A"}}]}
    meta = {"object": "page", "entry": [{"id": "1", "changes": [
        {"field": "feed", "value": {"item": "comment", "verb": "add", "comment_id": "c",
                                    "post_id": "p", "message": "halo", "created_time": epoch,
                                    "from": {"id": "2", "name": "A"}}}]}]}
    for family, payload in (("x", x), ("meta", meta)):
        try:
            batch = parse_payload(family, payload)
        except InvalidInputError:
            continue
        assert all(within_range(i.received_at) for i in batch.interactions)
        for item in batch.interactions:
            item.received_at.astimezone(UTC)

"""The append-only PostgreSQL role of docs/scaling.md, exactly as documented: the owner makes
the store with the demo, the SQL block of docs/scaling.md (read from the file, not copied)
creates a role, and that role runs the demo's kind of commands, a publish and a rebuild of
the read models, and is refused UPDATE, DELETE and TRUNCATE on the event and chain tables."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner

from socmed_adapters.bootstrap import bootstrap
from socmed_adapters.clock import ManualClock
from socmed_cli.main import cli
from socmed_domain.timezones import WIB
from tests.conftest import POSTGRES_URL, PostgresSchema

DOCS = Path(__file__).resolve().parents[2] / "docs" / "scaling.md"
APPEND_ONLY = ("socmed_events", "socmed_audit_chain", "socmed_audit_checkpoints",
               "socmed_audit_signed_checkpoints")

pytestmark = [pytest.mark.postgres, pytest.mark.slow]  # a whole demo month as two roles


def documented_grants(schema: str, role: str) -> str:
    """The ```sql block after the least-privilege marker in docs/scaling.md, for this schema
    and role (the docs use schema `socmed` and role `socmed_app`)."""
    text = DOCS.read_text(encoding="utf-8")
    marker = text.index("<!-- least-privilege-grants")
    block = re.search(r"```sql\n(.*?)```", text[marker:], re.S)
    assert block is not None
    sql = "\n".join(line.strip() for line in block.group(1).splitlines())
    sql = re.sub(r"\bsocmed_app\b", role, sql)
    return re.sub(r"\bsocmed\b(?!_)", schema, sql)


def url_as(role: str, schema: str) -> str:
    rest = POSTGRES_URL.split("://", 1)[1].split("@", 1)[-1].split("?", 1)[0]
    return f"postgresql://{role}@{rest}?schema={schema}"


@pytest.fixture
def app_role(postgres_schema: PostgresSchema, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(role, schema): the demo made by the owner, then the documented grants."""
    schema = postgres_schema.name
    made = CliRunner().invoke(cli, ["--data-dir", str(tmp_path / "owner"), "--database-url",
                                    postgres_schema.url, "demo", "--quiet"],
                              env={"SOCMED_LANG": "en", "SOCMED_AUDIT_KEY": None})
    assert made.exit_code == 0, made.output
    role = f"socmed_app_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(documented_grants(schema, role).encode())
    try:
        yield role, schema
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            conn.execute(f'DROP OWNED BY "{role}"')
            conn.execute(f'DROP ROLE "{role}"')


def test_the_documented_role_runs_socmed_and_cannot_rewrite_the_log(
        app_role: tuple[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    role, schema = app_role
    url = url_as(role, schema)
    monkeypatch.setenv("SOCMED_CREATE_TABLES", "n")
    monkeypatch.delenv("SOCMED_AUDIT_KEY", raising=False)
    data_dir = tmp_path / "app"

    def socmed(*args: str) -> Any:
        result = CliRunner().invoke(cli, ["--data-dir", str(data_dir), "--database-url", url,
                                          *args], env={"SOCMED_LANG": "en"})
        assert result.exit_code == 0, result.output
        return result

    # The demo's kind of commands: create, review, approve, schedule.
    created = socmed("--as", "budi.dm", "content", "create", "--title", "Tips akhir tahun",
                     "--text", "5 tips menabung akhir tahun", "--platform", "linkedin")
    item = re.search(r"Created content (\S+) ", created.output).group(1)  # type: ignore[union-attr]
    socmed("--as", "budi.dm", "content", "submit-review", item)
    socmed("--as", "dewi.dm", "content", "review", item, "--all-checks")
    socmed("--as", "budi.dm", "content", "submit-approval", item)
    shown = json.loads(socmed("content", "show", item, "--format", "json").output)
    socmed("--as", "rina.mm", "content", "approve", item, "--hash",
           shown["summary"]["revision_sha256"][:10])
    slot = datetime.now(WIB).replace(microsecond=0) + timedelta(days=2)
    socmed("--as", "adi.admin", "content", "schedule", item, "--at",
           slot.strftime("%Y-%m-%d %H:%M") + " WIB")

    # A publish: the scheduler's own method, with the clock past the slot (the CLI's is the
    # system clock), as the same role.
    clock = ManualClock(slot + timedelta(minutes=1))
    services = bootstrap(data_dir, database_url=url, clock=clock)
    try:
        lines = services.app.publish_due("adi.admin")
    finally:
        services.close()
    assert [(line.item_id[:8], line.outcome) for line in lines
            if line.item_id.startswith(item[:8])] == [(item[:8], "published")]

    # Rebuilding the read models, and the audit checks, as the role.
    rebuilt = socmed("projections", "rebuild")
    assert "publication_log: rebuilt from" in rebuilt.output
    assert item[:8] in socmed("publish", "log", "--format", "csv").output
    assert "chain intact" in socmed("audit", "verify", "--read-models").output

    # What the role may not do to the event log and its chain.
    with psycopg.connect(url_as(role, schema).split("?")[0], autocommit=True) as conn:
        for table in APPEND_ONLY:
            name = f'"{schema}".{table}'
            for statement in (f"UPDATE {name} SET position = position"
                              if table != "socmed_events" else
                              f"UPDATE {name} SET topic = topic",
                              f"DELETE FROM {name}", f"TRUNCATE {name}",
                              f"LOCK TABLE {name} IN EXCLUSIVE MODE",
                              f"DROP TABLE {name}"):
                with pytest.raises(psycopg.errors.InsufficientPrivilege), \
                        conn.transaction():
                    conn.execute(statement.encode())

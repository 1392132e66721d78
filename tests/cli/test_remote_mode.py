"""`socmed login` and remote mode: the CLI as a client of a real `socmed serve` app.

The server is the real API (uvicorn on 127.0.0.1, a port the OS chooses) over a real store,
with the store's own identity service (argon2id passwords set with invitation codes). Each
member logs in through the CLI into a temporary configuration folder; the same commands then
run through the server and directly on the store, and must print the same thing, because the
remote adapter decodes the API's JSON into the same view objects and its problems into the
same domain errors. SQLite in the fast tier; the main comparison also on PostgreSQL (slow tier).
"""

from __future__ import annotations

import json
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import Result

from tests.cli.helpers import Socmed
from tests.conftest import Backend, seed_campaign, seed_team
from tests.web.live import uvicorn_thread

MEMBERS = ("rina.mm", "budi.dm", "dewi.dm", "adi.admin")


def password(member: str) -> str:
    return f"kata-sandi-{member}-2026"


class Remote:
    """The CLI with a login folder of its own (no store options: the login decides)."""

    def __init__(self, url: str, config: Path) -> None:
        self.url = url
        self.config = config
        self.run = Socmed(None)

    def __call__(self, *args: str, stdin: str | None = None,
                 env: dict[str, str] | None = None) -> Result:
        from socmed_cli.main import cli
        from tests.cli.helpers import CLEAN_ENV

        return self.run.runner.invoke(cli, list(args), input=stdin, env={
            **CLEAN_ENV, "SOCMED_CONFIG_DIR": str(self.config), **(env or {})})

    def ok(self, *args: str, **kwargs: Any) -> Result:
        result = self(*args, **kwargs)
        assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
        return result

    def login(self, member: str) -> Result:
        return self.ok("login", "--server", self.url, "--member", member, "--password-stdin",
                       stdin=password(member) + "\n")

    def as_member(self, member: str) -> None:
        """Log out whoever is logged in and log in as `member`."""
        self.ok("logout")
        self.login(member)


class Local:
    """The CLI directly on the store, with --as."""

    def __init__(self, backend: Backend, config: Path) -> None:
        self.database = ["--database-url", backend.database_url] if backend.database_url \
            else []
        self.run = Socmed(backend.data_dir)
        self.config = config

    def __call__(self, *args: str) -> Result:
        return self.run(*self.database, *args, env={"SOCMED_CONFIG_DIR": str(self.config)})

    def ok(self, *args: str) -> Result:
        result = self(*args)
        assert result.exit_code == 0, (args, result.stdout, result.stderr, result.exception)
        return result


@contextmanager
def serving(backend: Backend, tmp_path: Path) -> Iterator[tuple[Any, Remote, Local]]:
    """A store with the team (each with a password), a running campaign, one incident and
    the sample inbox; the API served over it; a remote and a local CLI."""
    from socmed_adapters.monitoring.files import FileSource
    from socmed_domain.crisis.incident import IncidentCategory
    from socmed_web.app import create_app

    services = backend.services()
    app = services.app
    seed_team(app)
    seed_campaign(app)
    for member in MEMBERS:
        code = app.identity.invite("rina.mm", member).code
        app.identity.set_up_account(member, code, password(member))
    # approvals through the CLI's token: the policy asks no second factor here (a separate
    # test shows the refusal when it does)
    app.identity.set_policy("rina.mm", second_factor_roles=(), reason="CLI test")
    app.incidents.open_incident("adi.admin", "Keluhan transfer",
                                IncidentCategory.COMPLAINT_WAVE, "banyak keluhan")
    data = Path(__file__).parents[1] / "data" / "interactions" / "sample.jsonl"
    app.inbox.ingest_interactions("adi.admin", FileSource(data).interactions())
    with uvicorn_thread(create_app(services)) as url:
        yield services, Remote(url, tmp_path / "config"), Local(backend, tmp_path / "none")


@pytest.fixture
def served(backend: Backend, tmp_path: Path) -> Iterator[tuple[Any, Remote, Local]]:
    """On SQLite and on PostgreSQL."""
    with serving(backend, tmp_path) as made:
        yield made


ID = re.compile(r"[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})?")


def same_but_ids(remote: str, local: str) -> None:
    assert ID.sub("<id>", remote) == ID.sub("<id>", local)


def created(result: Result) -> str:
    match = ID.search(result.stdout)
    assert match, result.stdout
    return match.group(0)


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.slow)],
                         indirect=True)
def test_commands_and_reads_through_the_server_print_what_the_store_prints(
        served: tuple[Any, Remote, Local]) -> None:
    """The workflow of one item through the server (as each member in turn) and of a twin
    item directly on the store print the same lines; then every read listed prints the same
    table, JSON and CSV both ways; every event the server recorded names the login's token."""
    services, remote, local = served
    logged = remote.login("budi.dm")
    assert "budi.dm" in logged.stdout
    login_file = remote.config / "login.json"
    assert stat.S_IMODE(login_file.stat().st_mode) == 0o600
    tokens = {("budi.dm", json.loads(login_file.read_text())["token_id"])}

    draft = ("--text", "Diskon 12.12 untuk nasabah baru #promo", "--platform", "linkedin",
             "--platform", "x", "--planned-for", "2026-12-12")
    a = remote.ok("content", "create", "--title", "Promo 12.12", *draft)
    b = local.ok("--as", "budi.dm", "content", "create", "--title", "Promo 12.12", *draft)
    same_but_ids(a.stdout, b.stdout)
    one, twin = created(a), created(b)

    steps: list[tuple[str, tuple[str, ...]]] = [
        ("budi.dm", ("content", "revise", "{id}", "--text",
                     "Diskon 12.12 untuk semua nasabah #promo", "--note", "per feedback")),
        ("budi.dm", ("content", "submit-review", "{id}")),
        ("dewi.dm", ("content", "review", "{id}", "--all-checks", "--comment", "siap")),
        ("budi.dm", ("content", "submit-approval", "{id}")),
    ]
    for member, args in steps:
        if json.loads(login_file.read_text())["member_id"] != member:
            remote.as_member(member)
            tokens.add((member, json.loads(login_file.read_text())["token_id"]))
        a = remote.ok(*(x.replace("{id}", one[:8]) for x in args))
        b = local.ok("--as", member, *(x.replace("{id}", twin[:8]) for x in args))
        same_but_ids(a.stdout, b.stdout)

    remote.as_member("rina.mm")
    tokens.add(("rina.mm", json.loads(login_file.read_text())["token_id"]))
    shown = json.loads(remote.ok("content", "show", one, "--format", "json").stdout)
    sha = shown["revisions"][-1]["sha256"]
    twin_sha = json.loads(local.ok("content", "show", twin, "--format", "json").stdout)[
        "revisions"][-1]["sha256"]
    a = remote("content", "approve", one[:8])  # no terminal here: the hash is required
    b = local("--as", "rina.mm", "content", "approve", twin[:8])
    assert a.exit_code == b.exit_code == 1 and "--hash" in a.stderr
    same_but_ids(a.stderr, b.stderr)
    a = remote.ok("content", "approve", one[:8], "--hash", sha[:12], "--comment", "ok")
    b = local.ok("--as", "rina.mm", "content", "approve", twin[:8], "--hash", twin_sha[:12],
                 "--comment", "ok")
    same_but_ids(a.stdout, b.stdout)

    reads = [
        ("content", "list"), ("content", "list", "--format", "json"),
        ("content", "list", "--format", "csv"), ("content", "list", "--status", "approved"),
        ("content", "show", one), ("content", "show", one, "--format", "json"),
        ("content", "history", one[:8], "--format", "csv"),
        ("calendar", "show", "--month", "2026-12"),
        ("--tz", "WITA", "calendar", "show", "--month", "2026-12", "--format", "csv"),
        ("audit", "log", "--item", one[:8], "--format", "json"),
        ("audit", "log", "--actor", "dewi.dm"),
        ("incident", "list"), ("incident", "list", "--format", "json"),
        ("projections", "status", "--format", "json"),
        ("--lang", "id", "incident", "list"),
    ]
    for args in reads:
        a = remote.ok(*args)
        b = local.ok("--as", "rina.mm", *args) if "audit" in args else local.ok(*args)
        assert a.stdout == b.stdout, args
    report = [remote.ok("report", "monthly", "--month", "2026-12", "--format", "json").stdout,
              local.ok("report", "monthly", "--month", "2026-12", "--format", "json").stdout]
    for text in report:
        assert '"organisation": "PT Contoh Tbk"' in text
    without_time = [re.sub(r'"generated_at": "[^"]+"', "", t) for t in report]
    assert without_time[0] == without_time[1]

    remote.as_member("adi.admin")
    for args in [("inbox", "list"), ("inbox", "list", "--format", "csv"),
                 ("inbox", "list", "--all", "--format", "json")]:
        a, b = remote.ok(*args), local.ok(*args)
        assert a.stdout == b.stdout, args
        assert "@" in a.stdout  # the admin's role sees the audience's handles

    # every event of the item recorded through the server names the token it came with
    history = services.app.content.history(one)
    recorded = {(e.actor_id, e.via) for e in history}
    assert recorded <= {(m, f"token:{t}") for m, t in tokens}
    assert {m for m, _ in recorded} == {"budi.dm", "dewi.dm", "rina.mm"} and len(history) >= 6
    assert not any(e.via.startswith("token:") for e in services.app.content.history(twin))


def test_refusals_come_back_as_the_same_one_line_in_either_language(
        remote_sqlite: tuple[Any, Remote, Local]) -> None:
    """A domain refusal on the server is rebuilt from its code and parameters: the CLI prints
    the line it prints on the store, in English or Indonesian; nothing is written."""
    _, remote, local = remote_sqlite
    remote.login("budi.dm")
    for lang in ("en", "id"):
        for args, member in [(("content", "show", "zzzzzzzz"), "budi.dm"),
                             (("audit", "log"), "budi.dm"),
                             (("content", "create", "--title", ""), "budi.dm"),
                             (("content", "create", "--title", "x", "--campaign",
                               "zzzzzzzz"), "budi.dm")]:
            a = remote("--lang", lang, *args)
            b = local("--lang", lang, "--as", member, *args)
            assert a.exit_code == b.exit_code == 1, (args, a.stderr, b.stderr)
            assert a.stderr == b.stderr and a.stderr.count("\n") == 1, (a.stderr, b.stderr)
            assert "Traceback" not in a.stderr


def test_as_is_refused_and_local_only_commands_say_so(
        remote_sqlite: tuple[Any, Remote, Local]) -> None:
    _, remote, _local = remote_sqlite
    remote.login("budi.dm")
    for args in [("--as", "rina.mm", "content", "list"),
                 ("content", "submit-review", "abcd1234", "--as", "rina.mm")]:
        result = remote(*args)
        assert result.exit_code == 1
        assert result.stderr.startswith("error: --as is refused when a server is configured")
        assert "budi.dm" in result.stderr and result.stderr.count("\n") == 1
    for args in [("init", "--org", "X", "--manager", "a.mm", "--name", "A"), ("doctor",),
                 ("projections", "rebuild")]:
        result = remote(*args)
        assert result.exit_code == 1, args
        assert result.stderr == (
            f"error: socmed {args[0]}{' rebuild' if args[0] == 'projections' else ''} works "
            f"on a local store only, not through the server at {remote.url}: run it where "
            "the store is, or log out first (socmed logout)\n")
    who = remote.ok("whoami").stdout
    assert who.startswith("member: budi.dm\nrole: digital_marketing\nvia: token:")
    assert f"server: {remote.url}" in who


def test_a_revoked_or_expired_token_is_one_clear_line(
        remote_sqlite: tuple[Any, Remote, Local]) -> None:
    services, remote, _ = remote_sqlite
    remote.login("budi.dm")
    token = json.loads((remote.config / "login.json").read_text())["token_id"]
    services.app.identity.revoke_token("budi.dm", token)
    result = remote("content", "list")
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: the server at {remote.url} no longer accepts your login (the token was "
        "revoked or has expired, or the member was deactivated): run 'socmed login --server "
        f"{remote.url}'\n")
    out = remote.ok("logout").stdout  # nothing left to revoke: the file goes all the same
    assert "no longer accepted" in out and not (remote.config / "login.json").exists()


def test_logout_revokes_the_token_on_the_server(remote_sqlite: tuple[Any, Remote, Local]) -> None:
    services, remote, _ = remote_sqlite
    remote.login("budi.dm")
    stored = json.loads((remote.config / "login.json").read_text())
    assert "revoked" in remote.ok("logout").stdout
    from socmed_domain.errors import SocmedError

    with pytest.raises(SocmedError):
        services.app.identity.token_principal(stored["secret"])
    assert remote.ok("logout").stdout == "not logged in to any server\n"


def test_a_login_file_others_can_read_is_refused(remote_sqlite: tuple[Any, Remote, Local]) -> None:
    _, remote, _ = remote_sqlite
    remote.login("budi.dm")
    path = remote.config / "login.json"
    path.chmod(0o644)
    result = remote("content", "list")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path} can be read by others (mode 0644)")
    assert "revoked" in remote.ok("logout").stdout  # a login that may have leaked is revoked
    assert not path.exists()


def test_a_wrong_password_and_a_second_factor_policy(
        remote_sqlite: tuple[Any, Remote, Local]) -> None:
    """A refused sign-in is the identity service's line, and no file is written; with the
    default policy the Marketing Manager's approval needs a second factor a token does not
    carry, and the CLI says so in the server's words."""
    services, remote, _ = remote_sqlite
    result = remote("login", "--server", remote.url, "--member", "budi.dm",
                    "--password-stdin", stdin="salah\n")
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert not (remote.config / "login.json").exists()
    from socmed_domain.roles import Role

    services.app.identity.set_policy("rina.mm", second_factor_roles=(Role.MARKETING_MANAGER,))
    remote.login("rina.mm")
    item = services.app.content.create("budi.dm", "x", None)
    result = remote("content", "approve", str(item)[:8], "--hash", "0" * 12)
    assert result.exit_code == 1 and result.stderr.count("\n") == 1
    assert "second factor" in result.stderr


def test_team_campaigns_incidents_inbox_and_publications_through_the_server(
        remote_sqlite: tuple[Any, Remote, Local]) -> None:
    """The other stages' commands the API carries print the same through the server: the
    team, campaigns, the strategy (none yet: the same refusal), incidents opened and shown,
    conversations assigned and noted, and the publication log."""
    services, remote, local = remote_sqlite
    remote.login("rina.mm")
    campaign = str(services.app.planning.list_campaigns()[0].campaign_id)
    for args in [("team", "list"), ("team", "list", "--format", "json"),
                 ("campaign", "list"), ("campaign", "show", campaign[:8]),
                 ("campaign", "show", campaign, "--format", "json"),
                 ("publish", "log", "--format", "csv"), ("incident", "list", "--format", "csv")]:
        a, b = remote.ok(*args), local.ok(*args)
        assert a.stdout == b.stdout, args
    a, b = remote("strategy", "show"), local("strategy", "show")
    assert (a.exit_code, a.stderr) == (b.exit_code, b.stderr)
    a = remote.ok("team", "add", "eko.dm", "--name", "Eko", "--role", "digital_marketing")
    b = local.ok("--as", "rina.mm", "team", "add", "fajar.dm", "--name", "Fajar", "--role",
                 "digital_marketing")
    assert a.stdout.replace("eko.dm", "fajar.dm") == b.stdout

    remote.as_member("adi.admin")
    a = remote.ok("incident", "open", "--title", "Hoaks promo", "--category", "other",
                  "--description", "akun palsu")
    b = local.ok("--as", "adi.admin", "incident", "open", "--title", "Hoaks promo",
                 "--category", "other", "--description", "akun palsu")
    same_but_ids(a.stdout, b.stdout)
    opened = created(a)
    assert remote.ok("incident", "show", opened, "--format", "json").stdout == \
        local.ok("incident", "show", opened, "--format", "json").stdout
    rows = json.loads(remote.ok("inbox", "list", "--format", "json").stdout)
    first, second = rows[0]["id"], rows[1]["id"]
    a = remote.ok("inbox", "assign", first[:8], "--to", "adi.admin")
    b = local.ok("--as", "adi.admin", "inbox", "assign", second[:8], "--to", "adi.admin")
    same_but_ids(a.stdout, b.stdout)
    a = remote.ok("inbox", "note", first[:8], "--text", "cek saldo")
    b = local.ok("--as", "adi.admin", "inbox", "note", second[:8], "--text", "cek saldo")
    same_but_ids(a.stdout, b.stdout)
    assert remote.ok("inbox", "list").stdout == local.ok("inbox", "list").stdout


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    """Nothing listens on the port (bound, then closed): the login says so, writes nothing."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    remote = Remote(f"http://127.0.0.1:{port}", tmp_path / "config")
    result = remote("login", "--server", remote.url, "--member", "budi.dm", "--password-stdin",
                    stdin="x\n")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: cannot reach the socmed server at {remote.url}: ")
    assert result.stderr.count("\n") == 1 and not (tmp_path / "config").exists()


def test_whoami_on_the_local_store(tmp_path: Path) -> None:
    import getpass

    run = Socmed(tmp_path / "store")
    run.ok("init", "--org", "PT Contoh", "--manager", "rina.mm", "--name", "Rina")
    out = run.ok("--as", "rina.mm", "whoami").stdout
    assert out.startswith("member: rina.mm\nrole: marketing_manager\n"
                          f"via: local-cli:{getpass.getuser()}\nserver: none (local store ")


def test_tokens_and_invitations_through_the_server(
        remote_sqlite: tuple[Any, Remote, Local]) -> None:
    """`token list` shows the login's own token; `token revoke` of another token works; a
    token cannot create tokens (the identity service's rule, in its words); the Marketing
    Manager invites a member through the server."""
    services, remote, _ = remote_sqlite
    remote.login("budi.dm")
    own = json.loads((remote.config / "login.json").read_text())["token_id"]
    other = services.app.identity.create_token("budi.dm", "ci", _scope("read"),
                                               _days(7)).token_id
    listed = json.loads(remote.ok("token", "list", "--format", "json").stdout)
    assert {row["token"] for row in listed} >= {own, other}
    assert other in remote.ok("token", "revoke", other).stdout
    refused = remote("token", "create", "--name", "more")
    assert refused.exit_code == 1 and refused.stderr.count("\n") == 1
    remote.as_member("rina.mm")
    invited = remote.ok("team", "invite", "sari.legal").stdout
    assert "sari.legal" in invited


def _scope(value: str) -> Any:
    from socmed_domain.identity.principal import Scope

    return Scope(value)


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n)


def test_the_configuration_through_a_server(remote_sqlite: tuple[Any, Remote, Local]) -> None:
    """`socmed config` and the commands that read the rules in force (checklist, reply and
    crisis templates) work through the server as on the store (issue 17)."""
    services, remote, local = remote_sqlite
    remote.login("budi.dm")
    assert "regulation" in remote.ok("content", "checklist").stdout
    refused = remote("config", "apply", "--pack", "food")
    assert refused.exit_code != 0 and "marketing_manager" in refused.stderr
    remote.as_member("rina.mm")
    assert "version 1 (food)" in remote.ok("config", "apply", "--pack", "food",
                                           "--reason", "tea").stdout
    same_but_ids(remote.ok("config", "show").stdout, local.ok("config", "show").stdout)
    assert remote.ok("config", "export").stdout == local.ok("config", "export").stdout
    assert "health_claims" in remote.ok("content", "checklist").stdout
    assert "product_recall" in remote.ok("inbox", "templates").stdout
    assert "recall_notice" in remote.ok("incident", "template", "--category",
                                        "product_safety", "--list").stdout
    assert services.app.configuration.show().reason == "tea"

"""Bad input ends as one line on stderr and a non-zero exit, and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Socmed, assert_one_line_error, current_hash, event_count, future

# (case id, argv with {draft}/{in_review}/{awaiting}/{approved}/{future} placeholders,
#  extra env, expected exit code, a fragment the one line must contain)
CASES = [
    ("unknown item (read)", ["content", "show", "00000000"], {}, 1, "no content '00000000'"),
    ("unknown item (write)", ["--as", "budi.dm", "content", "submit-review", "ffffffff"], {},
     1, "no content 'ffffffff'"),
    ("approve a draft", ["--as", "rina.mm", "content", "approve", "{draft}"], {}, 1,
     "while it is draft"),
    ("review a draft", ["--as", "dewi.dm", "content", "review", "{draft}", "--all-checks"], {},
     1, "while it is draft"),
    ("agency approves", ["--as", "maya.agency", "content", "approve", "{awaiting}"], {}, 1,
     "maya.agency (agency) may not approve content"),
    ("digital marketing approves", ["--as", "dewi.dm", "content", "approve", "{awaiting}"], {},
     1, "dewi.dm (digital_marketing) may not approve content"),
    ("author approves via env", ["content", "approve", "{awaiting}"],
     {"SOCMED_USER": "budi.dm"}, 1, "budi.dm (digital_marketing) may not approve content"),
    ("stale hash", ["--as", "rina.mm", "content", "approve", "{awaiting}", "--hash",
                    "deadbeef"], {}, 1, "revision hash deadbeef is not the current revision"),
    ("self-review", ["--as", "budi.dm", "content", "review", "{in_review}", "--all-checks"], {},
     1, "budi.dm wrote revision 1 and may not review it"),
    ("schedule on a platform not targeted",
     ["--as", "adi.admin", "content", "schedule", "{approved}", "--at", "{future}",
      "--platform", "instagram"], {}, 1, "platform instagram is not a target"),
    ("naive datetime", ["--as", "adi.admin", "content", "schedule", "{approved}", "--at",
                        "2026-12-12 19:00"], {}, 1, "has no timezone"),
    ("naive datetime despite --tz", ["--tz", "WITA", "--as", "adi.admin", "content",
                                     "schedule", "{approved}", "--at", "2030-12-12 19:00"],
     {}, 1, "has no timezone"),
    ("past time", ["--as", "adi.admin", "content", "schedule", "{approved}", "--at",
                   "2020-01-01 10:00 WIB"], {}, 1, "is not in the future"),
    ("unparseable time", ["--as", "adi.admin", "content", "schedule", "{approved}", "--at",
                          "next tuesday"], {}, 1, "'next tuesday' is not a time"),
    ("impossible date", ["--as", "adi.admin", "content", "schedule", "{approved}", "--at",
                         "2030-02-30 10:00 WIB"], {}, 1, "is not a time"),
    ("unknown zone in time", ["--as", "adi.admin", "content", "schedule", "{approved}", "--at",
                              "2030-01-30 10:00 Mars/Olympus"], {}, 1, "unknown timezone"),
    ("unknown platform (schedule)", ["--as", "adi.admin", "content", "schedule", "{approved}",
                                     "--at", "{future}", "--platform", "myspace"], {}, 1,
     "unknown platform 'myspace'"),
    ("unknown platform (create)", ["--as", "budi.dm", "content", "create", "--title", "t",
                                   "--text", "x", "--platform", "myspace"], {}, 1,
     "unknown platform 'myspace'"),
    ("unknown platform (list)", ["content", "list", "--platform", "myspace"], {}, 1,
     "unknown platform 'myspace'"),
    ("unknown status filter", ["content", "list", "--status", "bogus"], {}, 1,
     "unknown status 'bogus'"),
    ("unknown checklist key", ["--as", "dewi.dm", "content", "review", "{in_review}", "--check",
                               "brand", "--check", "nope"], {}, 1,
     "unknown checklist item 'nope'"),
    ("missing --as and no SOCMED_USER", ["content", "create", "--title", "t"], {}, 2,
     "who is acting?"),
    ("unknown acting member", ["--as", "ghost", "content", "create", "--title", "t"], {}, 1,
     "no member 'ghost'"),
    ("init twice", ["init", "--org", "PT Lain", "--manager", "tono.mm", "--name", "Tono"], {},
     1, "already has a team"),
    ("demo on a non-empty store", ["demo", "--quiet"], {}, 1, "already holds a socmed store"),
    ("bad handle", ["--as", "rina.mm", "team", "add", "Bad Handle!", "--name", "X", "--role",
                    "legal"], {}, 1, "handle 'Bad Handle!' is not valid"),
    ("unknown role choice", ["--as", "rina.mm", "team", "add", "ok.handle", "--name", "X",
                             "--role", "boss"], {}, 2, "'boss' is not one of"),
    ("non-manager adds a member", ["--as", "budi.dm", "team", "add", "ok.handle", "--name", "X",
                                   "--role", "legal"], {}, 1, "may not"),
    ("role of an unknown member", ["--as", "rina.mm", "team", "set-role", "ghost", "legal",
                                   "--reason", "x"], {}, 1, "no member 'ghost'"),
    ("draft without platform", ["--as", "budi.dm", "content", "create", "--title", "t",
                                "--text", "x"], {}, 2, "at least one --platform"),
    ("malformed caption", ["--as", "budi.dm", "content", "create", "--title", "t", "--text", "x",
                           "--platform", "x", "--caption", "no-equals"], {}, 2,
     "is not PLATFORM=TEXT"),
    ("empty title", ["--as", "budi.dm", "content", "create", "--title", " ", "--text", "x",
                     "--platform", "x"], {}, 1, "title is empty"),
    ("digital marketing reads the audit log", ["--as", "budi.dm", "audit", "log"], {}, 1,
     "may not read the audit log"),
    ("naive --since", ["--as", "sari.legal", "audit", "log", "--since", "2026-12-01 00:00"], {},
     1, "has no timezone"),
    ("unknown --tz", ["--tz", "Mars/Olympus", "content", "list"], {}, 1, "unknown timezone"),
    ("unknown subcommand", ["content", "frobnicate"], {}, 2, "No such command"),
    ("unknown option", ["content", "list", "--colour"], {}, 2, "No such option"),
    ("reconcile with no way given", ["--as", "adi.admin", "publish", "reconcile", "{approved}",
                                     "--platform", "x", "--note", "n"], {}, 2,
     "give exactly one of"),
]


@pytest.mark.parametrize(("args", "env", "code", "fragment"),
                         [pytest.param(*case[1:], id=case[0]) for case in CASES])
def test_bad_input_is_one_line_and_writes_nothing(
        team_store: tuple[Socmed, dict[str, str]], args: list[str], env: dict[str, str],
        code: int, fragment: str) -> None:
    socmed, ids = team_store
    argv = [arg.format(future=future(days=3), **ids) for arg in args]
    store = Path(socmed.data_dir)
    before = event_count(store)
    outbox_before = sorted(p.name for p in (store / "outbox").rglob("*"))

    result = socmed(*argv, env=env)

    line = assert_one_line_error(result, "error: ", code)
    assert fragment in line, line
    assert event_count(store) == before
    assert sorted(p.name for p in (store / "outbox").rglob("*")) == outbox_before


def test_the_store_stays_usable_after_refusals(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    """A refused command leaves the item exactly as it was: the next valid step still works."""
    socmed, ids = team_store
    before = socmed.json("content", "show", ids["awaiting"])
    assert_one_line_error(socmed("--as", "maya.agency", "content", "approve", ids["awaiting"]))
    assert socmed.json("content", "show", ids["awaiting"]) == before
    socmed.ok("--as", "rina.mm", "content", "approve", ids["awaiting"], "--hash",
              current_hash(socmed, ids["awaiting"]))
    assert socmed.json("content", "show", ids["awaiting"])["summary"]["status"] == "approved"


def test_a_failed_review_is_recorded_but_a_refused_schedule_is_not(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    """Over-long X caption: the review that finds it IS an event (changes requested)."""
    socmed, ids = team_store
    item = ids["in_review"]
    socmed.ok("--as", "budi.dm", "content", "revise", item, "--platform", "linkedin",
              "--platform", "x", "--caption", "x=" + "a" * 300, "--note", "tambah X")
    socmed.ok("--as", "budi.dm", "content", "submit-review", item)
    before = event_count(Path(socmed.data_dir))
    failed = socmed.ok("--as", "dewi.dm", "content", "review", item, "--all-checks")
    assert "did not pass" in failed.stdout
    assert event_count(Path(socmed.data_dir)) == before + 1
    shown = socmed.json("content", "show", item)
    assert shown["summary"]["status"] == "changes_requested"
    assert shown["review"]["passed"] is False and shown["review"]["findings"]


@pytest.mark.parametrize("args", [
    ["content", "list"],
    ["content", "show", "00000000"],
    ["content", "history", "00000000"],
    ["team", "list"],
    ["--as", "rina.mm", "audit", "log"],
    ["--as", "adi.admin", "publish", "due"],
    ["publish", "log"],
    ["--as", "budi.dm", "content", "create", "--title", "t"],
], ids=lambda args: " ".join(a for a in args if not a.endswith((".mm", ".dm", ".admin"))))
def test_a_command_on_a_missing_store_refuses_and_creates_nothing(
        tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "nowhere"
    result = Socmed(missing)(*args)
    line = assert_one_line_error(result, "error: ", 1)
    assert f"no socmed store in {missing}" in line
    assert not missing.exists()


def test_reset_of_a_store_the_demo_did_not_make_is_refused(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    store = Path(socmed.data_dir)
    before = event_count(store)
    members = socmed.json("team", "list")
    line = assert_one_line_error(socmed("demo", "--reset", "--quiet"), "error: ", 1)
    assert "holds a store the demo did not make" in line
    assert event_count(store) == before
    assert socmed.json("team", "list") == members


def test_the_last_active_marketing_manager_cannot_be_demoted_or_deactivated(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    socmed.ok("--as", "rina.mm", "team", "deactivate", "joko.mm", "--reason", "cuti panjang")
    store = Path(socmed.data_dir)
    before = event_count(store)
    for args in (["team", "set-role", "rina.mm", "legal", "--reason", "rotasi"],
                 ["team", "deactivate", "rina.mm", "--reason", "keluar"]):
        line = assert_one_line_error(socmed("--as", "rina.mm", *args), "error: ", 1)
        assert "last active Marketing Manager" in line
    assert event_count(store) == before


def test_a_deactivated_member_cannot_act(team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, ids = team_store
    socmed.ok("--as", "rina.mm", "team", "deactivate", "budi.dm", "--reason", "kontrak selesai")
    store = Path(socmed.data_dir)
    before = event_count(store)
    line = assert_one_line_error(
        socmed("--as", "budi.dm", "content", "submit-review", ids["draft"]), "error: ", 1)
    assert line == "error: member 'budi.dm' is deactivated and cannot act"
    assert event_count(store) == before
    members = {m["member"]: m["active"] for m in socmed.json("team", "list")}
    assert members["budi.dm"] is False and members["dewi.dm"] is True


def test_the_subcommand_as_beats_the_global_as_and_the_environment(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, ids = team_store
    socmed.ok("--as", "rina.mm", "content", "submit-review", ids["draft"], "--as", "budi.dm",
              env={"SOCMED_USER": "dewi.dm"})
    socmed.ok("content", "review", ids["draft"], "--all-checks", env={"SOCMED_USER": "dewi.dm"})
    history = socmed.json("content", "history", ids["draft"])
    assert [(e["event"], e["actor"]) for e in history[-2:]] == [
        ("SubmittedForReview", "budi.dm"), ("Reviewed", "dewi.dm")]


@pytest.mark.parametrize("ref", ["%%%%", "____"])
def test_an_id_prefix_with_sql_wildcards_matches_nothing(socmed: Socmed, ref: str) -> None:
    socmed.ok("init", "--org", "PT Contoh", "--manager", "rina.mm", "--name", "Rina")
    socmed.ok("--as", "rina.mm", "team", "add", "budi.dm", "--name", "Budi", "--role",
              "digital_marketing")
    socmed.ok("--as", "budi.dm", "content", "create", "--title", "Satu-satunya", "--text", "t",
              "--platform", "x")
    line = assert_one_line_error(socmed("content", "show", ref), "error: ", 1)
    assert line == f"error: no content '{ref}': check the id with 'socmed content list'"

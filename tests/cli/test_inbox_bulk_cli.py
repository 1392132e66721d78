"""`socmed inbox assign|tag|close` on several ids or a `--filter`: all of them or none
(issue 17, everyday shortcuts)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import Socmed, assert_one_line_error, event_count

DATA = Path(__file__).parents[1] / "data" / "interactions"


def _store(team_store: tuple[Socmed, dict[str, str]]) -> tuple[Socmed, dict[str, str]]:
    run, _ = team_store
    run.ok("--as", "adi.admin", "inbox", "ingest", str(DATA / "sample.jsonl"))
    rows = run.json("inbox", "list")
    return run, {r["platform"]: r["id"] for r in rows}


def test_assign_tag_and_close_several_ids(team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, ids = _store(team_store)
    chosen = [ids["x"][:8], ids["facebook"][:8]]
    out = run.ok("--as", "budi.dm", "inbox", "assign", *chosen, "--to", "adi.admin").stdout
    assert "Assigned 2 conversations to adi.admin." in out
    out = run.ok("--as", "budi.dm", "inbox", "tag", *chosen, "--tag", "question",
                 "--priority", "high").stdout
    assert "Tagged 2 conversations: question." in out
    rows = {r["platform"]: r for r in run.json("inbox", "list")}
    assert rows["x"]["assignee"] == rows["facebook"]["assignee"] == "adi.admin"
    assert rows["x"]["tags"] == rows["facebook"]["tags"] == "question"
    assert rows["x"]["priority"] == "high"
    assert rows["instagram"]["assignee"] in ("", None)
    indonesian = run.ok("--lang", "id", "--as", "adi.admin", "inbox", "close", *chosen).stdout
    assert "2 percakapan ditutup." in indonesian
    assert {r["platform"] for r in run.json("inbox", "list")} == {"instagram", "tiktok"}


def test_a_filter_chooses_the_conversations(team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = _store(team_store)
    out = run.ok("--as", "budi.dm", "inbox", "assign", "--filter",
                 "status=new platform=instagram,tiktok", "--to", "adi.admin").stdout
    assert "Assigned 2 conversations" in out
    rows = {r["platform"]: r for r in run.json("inbox", "list")}
    assert {p for p, r in rows.items() if r["assignee"] == "adi.admin"} == {
        "instagram", "tiktok"}
    # the same filter now matches nothing: assigned conversations are no longer new
    nothing = run("--as", "budi.dm", "inbox", "assign", "--filter",
                  "status=new platform=instagram", "--to", "adi.admin")
    assert "no conversation matches" in assert_one_line_error(nothing)
    run.ok("--as", "adi.admin", "inbox", "close", "--filter", "assignee=adi.admin")
    assert {r["platform"] for r in run.json("inbox", "list")} == {"x", "facebook"}
    out = run.ok("--as", "budi.dm", "inbox", "tag", "--filter", "status=closed",
                 "--tag", "complaint").stdout
    assert "Tagged 2 conversations" in out


def test_all_or_nothing_and_one_line_errors(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, ids = _store(team_store)
    run.ok("--as", "adi.admin", "inbox", "close", ids["x"][:8])
    before = event_count(run.data_dir)  # type: ignore[arg-type]
    # one of the three is closed already: none is closed now
    refused = run("--as", "adi.admin", "inbox", "close", ids["x"][:8], ids["facebook"][:8],
                  ids["tiktok"][:8])
    assert_one_line_error(refused)
    # an agency may not assign: refused for all
    assert_one_line_error(run("--as", "maya.agency", "inbox", "assign", "--filter",
                              "status=new", "--to", "adi.admin"))
    for args in (["--filter", "colour=red"], ["--filter", "status=lost"],
                 ["--filter", "platform=myspace"], ["--filter", "status"],
                 [ids["facebook"][:8], "--filter", "status=new"], ["ffffffff", "eeeeeeee"]):
        result = run("--as", "adi.admin", "inbox", "close", *args)
        assert_one_line_error(result)
    assert run("--as", "adi.admin", "inbox", "close").exit_code == 2  # usage
    assert event_count(run.data_dir) == before  # type: ignore[arg-type]
    assert {r["platform"] for r in run.json("inbox", "list")} == {
        "instagram", "facebook", "tiktok"}

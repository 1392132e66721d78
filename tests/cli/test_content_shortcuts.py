"""Issue 17's everyday content shortcuts at the command line: `content check` (the review's
automatic checks without a review), the checks printed by `create` and `revise`, `content
clone` with its provenance, `--text-file`/`--caption-file`, and `content import` (all checked
first, all or nothing)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.cli.helpers import Socmed, created_id, event_count


def _create(run: Socmed, *args: str) -> str:
    return created_id(run.ok("--as", "budi.dm", "content", "create", *args))


def test_check_runs_the_automatic_checks_without_a_review(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    made = run.ok("--as", "budi.dm", "content", "create", "--title", "Promo",
                  "--text", "Bunga pasti untung", "--platform", "x")
    assert "found 1 problem" in made.stdout and "pasti untung" in made.stdout
    item = created_id(made)
    before = event_count(run.data_dir)  # type: ignore[arg-type]
    checked = run("--as", "budi.dm", "content", "check", item[:8])
    assert checked.exit_code == 1
    assert "banned phrase 'pasti untung'" in checked.stdout
    assert event_count(run.data_dir) == before  # type: ignore[arg-type]  # nothing recorded
    assert run.json("content", "show", item)["summary"]["status"] == "draft"
    indonesian = run("--lang", "id", "--as", "budi.dm", "content", "check", item[:8])
    assert "menemukan 1 masalah" in indonesian.stdout
    revised = run.ok("--as", "budi.dm", "content", "revise", item[:8], "--text",
                     "Bunga menarik")
    assert "revision 2: nothing found" in revised.stdout
    passed = json.loads(run.ok("--as", "budi.dm", "content", "check", item[:8], "--format",
                               "json").stdout)
    assert passed == {"id": item, "revision": 2, "passed": True, "findings": []}


def test_check_of_an_idea_or_an_unknown_item_is_one_line(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, _ = team_store
    idea = _create(run, "--title", "Ide saja")
    for ref in (idea[:8], "ffffffff"):
        result = run("--as", "budi.dm", "content", "check", ref)
        assert result.exit_code != 0
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
        assert "Traceback" not in result.output


def test_clone_copies_the_current_revision_and_records_where_it_came_from(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    run, ids = team_store
    source = ids["approved"]
    detail = run.json("content", "show", source)
    cloned = run.ok("--as", "dewi.dm", "content", "clone", source[:8], "--title", "Ulang")
    copy = created_id(cloned)
    assert copy != source
    shown = run.json("content", "show", copy)
    assert shown["summary"]["title"] == "Ulang"
    assert shown["summary"]["status"] == "draft"
    assert shown["revisions"][-1]["draft"] == detail["revisions"][-1]["draft"]
    assert shown["revisions"][-1]["author_id"] == "dewi.dm"
    history = run.json("content", "history", copy)
    provenance = [e for e in history if e["event"] == "ClonedFrom"]
    assert len(provenance) == 1
    number = detail["revisions"][-1]["number"]
    assert f"cloned from {source[:8]} revision {number}" in provenance[0]["summary"]
    # the source is untouched
    assert run.json("content", "show", source)["version"] == detail["version"]
    refused = run("--as", "sari.legal", "content", "clone", source[:8])
    assert refused.exit_code != 0 and len(refused.stderr.strip().splitlines()) == 1


def test_text_file_and_caption_file(team_store: tuple[Socmed, dict[str, str]],
                                    tmp_path: Path) -> None:
    run, _ = team_store
    main = tmp_path / "main.txt"
    main.write_text("Baris satu\nBaris dua 🎉\n", encoding="utf-8")
    x_caption = tmp_path / "x.txt"
    x_caption.write_text("Versi X\n", encoding="utf-8")
    item = _create(run, "--title", "Dari berkas", "--text-file", str(main), "--platform", "x",
                   "--platform", "linkedin", "--caption-file", f"x={x_caption}")
    draft = run.json("content", "show", item)["revisions"][-1]["draft"]
    assert draft["text"] == "Baris satu\nBaris dua 🎉"
    assert draft["captions"] == [{"platform": "x", "text": "Versi X"}]
    run.ok("--as", "budi.dm", "content", "revise", item[:8], "--text-file", "-",
           input="Dari stdin\n")
    assert run.json("content", "show", item)["revisions"][-1]["draft"]["text"] == "Dari stdin"
    before = event_count(run.data_dir)  # type: ignore[arg-type]
    for args in (["--text", "a", "--text-file", str(main)],
                 ["--text-file", str(tmp_path / "missing.txt")],
                 ["--caption-file", "x"]):
        result = run("--as", "budi.dm", "content", "create", "--title", "Salah",
                     "--platform", "x", *args)
        assert result.exit_code != 0, args
        assert "Traceback" not in result.output
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert event_count(run.data_dir) == before  # type: ignore[arg-type]


# ----------------------------------------------------------------- import

HEADER = ["title", "text", "platforms", "type", "caption_facebook", "hashtags", "sponsored",
          "planned_for", "note"]


def _rows(count: int) -> list[dict[str, str]]:
    return [{"title": f"Post {n}", "text": f"Info produk nomor {n}" + ("" if n % 2 else
                                                                      " #iklan"),
             "platforms": "x linkedin" if n % 2 else "linkedin;facebook",
             "type": "text",
             "caption_facebook": "" if n % 2 else f"Versi Facebook {n} #iklan",
             "hashtags": "promo desember", "sponsored": "no" if n % 2 else "yes",
             "planned_for": "2026-12-20", "note": "impor"} for n in range(count)]


def _csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_import_of_500_rows_with_3_bad_ones_creates_nothing_and_names_each_problem(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: Path) -> None:
    run, _ = team_store
    rows = _rows(500)
    good = [dict(r) for r in rows]
    rows[10]["platforms"] = "myspace"                       # csv row 12
    rows[200]["planned_for"] = "20-12-2026"                  # csv row 202
    rows[499]["text"] = "Dijamin 100% untung"                # csv row 501
    bad = tmp_path / "bad.csv"
    bad.write_text(_csv(rows), encoding="utf-8")
    before = len(run.json("content", "list"))
    for extra in ([], ["--dry-run"]):
        result = run("--as", "budi.dm", "content", "import", str(bad), *extra)
        assert result.exit_code == 1, result.output
        problems = [line for line in result.stderr.splitlines() if line.startswith("row ")]
        assert problems == [
            "row 12, column platforms: " + problems[0].split(": ", 1)[1],
            "row 202, column planned_for: " + problems[1].split(": ", 1)[1],
            "row 501, column text: " + problems[2].split(": ", 1)[1]], result.stderr
        assert "myspace" in problems[0] and "20-12-2026" in problems[1]
        assert "dijamin 100%" in problems[2]
        assert "Nothing imported: 3 problems" in result.stdout
    as_json = json.loads(run("--as", "budi.dm", "content", "import", str(bad),
                             "--format", "json").stdout)
    assert [(p["row"], p["column"]) for p in as_json] == [
        (12, "platforms"), (202, "planned_for"), (501, "text")]
    assert len(run.json("content", "list")) == before

    fixed = tmp_path / "fixed.csv"
    fixed.write_text(_csv(good), encoding="utf-8")
    dry = run.ok("--as", "budi.dm", "content", "import", str(fixed), "--dry-run",
                 "--format", "json")
    listed = json.loads(dry.stdout)
    assert len(listed) == 500 and {r["findings"] for r in listed} == {0}
    assert len(run.json("content", "list")) == before
    done = run.ok("--as", "budi.dm", "content", "import", str(fixed))
    assert "Imported 500 drafts, each checked" in done.stdout
    items = run.json("content", "list")
    assert len(items) == before + 500
    imported = [i for i in items if i["title"].startswith("Post ")]
    assert {i["status"] for i in imported} == {"draft"}
    sample = run.json("content", "show", next(i["id"] for i in imported
                                               if i["title"] == "Post 4"))
    draft = sample["revisions"][-1]["draft"]
    assert draft["captions"] == [{"platform": "facebook",
                                  "text": "Versi Facebook 4 #iklan"}]
    assert draft["sponsored"] is True and draft["hashtags"] == ["promo", "desember"]
    assert run("--as", "budi.dm", "content", "check", sample["summary"]["item_id"]
               ).exit_code == 0


def test_import_refuses_a_bad_header_and_a_member_who_may_not_create(
        team_store: tuple[Socmed, dict[str, str]], tmp_path: Path) -> None:
    run, _ = team_store
    path = tmp_path / "h.csv"
    path.write_text("title,txt,platforms\nA,b,x\n", encoding="utf-8")
    result = run("--as", "budi.dm", "content", "import", str(path))
    assert result.exit_code == 1 and "row 1, column txt: unknown column 'txt'" in result.stderr
    good = tmp_path / "g.csv"
    good.write_text("title,text,platforms\nA,b,x\n", encoding="utf-8")
    refused = run("--as", "sari.legal", "content", "import", str(good))
    assert refused.exit_code != 0 and len(refused.stderr.strip().splitlines()) == 1
    assert "Traceback" not in refused.output

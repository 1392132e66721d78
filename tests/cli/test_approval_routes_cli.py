"""Approval routes from the command line (issue 17): a configuration file with an
`approval_routes` section applied with `socmed config apply`, the route printed at
submission and shown by `content show`, the step recorded with `content review --step`,
refusals as one line writing nothing; and the demo month routing its sponsored posts through
Legal."""

from __future__ import annotations

from pathlib import Path

from tests.cli.helpers import Socmed, assert_one_line_error, created_id, current_hash, event_count

ROUTES = """
name = "nusa"
description = "Bank Nusa with approval routes"

[[approval_routes.steps]]
key = "legal"
role = "legal"
label = "Legal compliance review"

[[approval_routes.routes]]
name = "sponsored"
sponsored = true
steps = ["legal"]

[[approval_routes.routes]]
name = "prizes"
categories = ["prizes_lotteries"]
platforms = ["x"]
steps = ["legal"]
"""


def store(tmp_path: Path) -> Socmed:
    run = Socmed(tmp_path / "store")
    run.ok("init", "--org", "PT Bank Nusa", "--manager", "rina.mm", "--name", "Rina")
    for handle, role in (("budi.dm", "digital_marketing"), ("dewi.dm", "digital_marketing"),
                         ("sari.legal", "legal")):
        run.ok("--as", "rina.mm", "team", "add", handle, "--name", handle, "--role", role)
    return run


def test_a_route_from_a_configuration_file_is_followed(tmp_path: Path) -> None:
    run = store(tmp_path)
    config = tmp_path / "nusa.toml"
    config.write_text(ROUTES, encoding="utf-8")
    run.ok("--as", "rina.mm", "config", "apply", str(config), "--reason", "Legal reviews ads")

    item = created_id(run.ok("--as", "budi.dm", "content", "create", "--title", "Undian",
                             "--text", "Ikuti undian berhadiah motor!", "--platform", "x"))
    submitted = run.ok("--as", "budi.dm", "content", "submit-review", item).stdout
    assert "Approval route prizes: before approval, record legal (legal)" in submitted
    run.ok("--as", "dewi.dm", "content", "review", item, "--all-checks")
    run.ok("--as", "budi.dm", "content", "submit-approval", item)
    sha = current_hash(run, item)

    shown = run.ok("content", "show", item).stdout
    assert "approval route prizes (bound to revision 1, configuration 1):" in shown
    assert "prizes: platform x; prizes_lotteries: undian" in shown
    assert "[ ] legal: Legal compliance review, by legal: not recorded yet" in shown

    before = event_count(run.data_dir)  # type: ignore[arg-type]
    line = assert_one_line_error(run("--as", "rina.mm", "content", "approve", item,
                                     "--hash", sha))
    assert "still requires legal (legal)" in line
    line = assert_one_line_error(run("--as", "rina.mm", "content", "review", item,
                                     "--step", "legal", "--hash", sha))
    assert "may not record step legal: it is for legal" in line
    assert_one_line_error(run("--as", "sari.legal", "content", "review", item,
                              "--step", "legal"))  # no --hash
    assert_one_line_error(run("--as", "sari.legal", "content", "review", item,
                              "--step", "sharia", "--hash", sha))
    assert_one_line_error(run("--as", "sari.legal", "content", "review", item,
                              "--step", "legal", "--hash", "0" * 12))
    assert event_count(run.data_dir) == before  # type: ignore[arg-type]

    recorded = run.ok("--as", "sari.legal", "content", "review", item, "--step", "legal",
                      "--hash", sha[:12], "--comment", "Sesuai EPI").stdout
    assert f"Recorded step legal on {item}." in recorded
    shown = run.ok("content", "show", item).stdout
    assert "[x] legal: Legal compliance review, recorded by sari.legal" in shown
    detail = run.json("content", "show", item)
    assert detail["steps_missing"] == []
    assert detail["route"]["steps"][0]["role"] == "legal"
    run.ok("--as", "rina.mm", "content", "approve", item, "--hash", sha)
    history = run.ok("content", "history", item).stdout
    assert "StepRecorded" in history or "recorded approval step legal" in history

    # in Indonesian too
    item2 = created_id(run.ok("--as", "budi.dm", "content", "create", "--title", "Iklan",
                              "--text", "Promo mitra #iklan", "--platform", "x",
                              "--sponsored"))
    run.ok("--as", "budi.dm", "content", "submit-review", item2)
    run.ok("--as", "dewi.dm", "content", "review", item2, "--all-checks")
    run.ok("--as", "budi.dm", "content", "submit-approval", item2)
    line = assert_one_line_error(run("--as", "rina.mm", "content", "approve", item2, "--hash",
                                     current_hash(run, item2), env={"SOCMED_LANG": "id"}),
                                 prefix="galat: ")
    assert "belum dapat disetujui" in line


def test_a_bad_routes_section_is_one_line_and_nothing_is_applied(tmp_path: Path) -> None:
    run = store(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text(ROUTES.replace('steps = ["legal"]\n"""', 'steps = ["sharia"]\n"""')
                   .replace('platforms = ["x"]\nsteps = ["legal"]',
                            'platforms = ["x"]\nsteps = ["sharia"]'), encoding="utf-8")
    before = event_count(run.data_dir)  # type: ignore[arg-type]
    line = assert_one_line_error(run("--as", "rina.mm", "config", "apply", str(bad)))
    assert "approval_routes.routes[1].steps" in line and "bad.toml" in line
    assert event_count(run.data_dir) == before  # type: ignore[arg-type]


def test_the_demo_routes_its_sponsored_posts_through_legal(demo_store: Socmed) -> None:
    rows = demo_store.json("--as", "sari.legal", "audit", "log", "--type", "StepRecorded")
    assert rows and all(row["actor"] == "sari.legal" for row in rows)
    routed = demo_store.json("--as", "sari.legal", "audit", "log", "--type",
                             "SubmittedForReview")
    assert any("approval route sponsored requires legal" in row["summary"] for row in routed)

"""`socmed incident` through the real click command: the whole life, the report in every
format, and bad input as one line with nothing written."""

from __future__ import annotations

import json

import pytest

from tests.cli.helpers import Socmed, assert_one_line_error, event_count


def _open(run: Socmed) -> str:
    out = run.ok("--as", "adi.admin", "incident", "open", "--title", "Gangguan transfer",
                 "--category", "complaint_wave", "--negative", "120", "--baseline", "8",
                 "--reach", "250000").stdout
    assert "suggests level 3" in out and "15.0× baseline" in out
    return run.json("incident", "list")[0]["id"]


def test_an_incident_from_open_to_close(team_store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    incident = _open(run)[:8]
    out = run.ok("--as", "joko.mm", "incident", "classify", incident, "--level", "3").stdout
    assert "publishing frozen: yes" in out
    run.ok("--as", "adi.admin", "incident", "act", incident, "--kind", "holding_statement",
           "--text", "Kami sedang menangani gangguan transfer.")
    refused = run("--as", "joko.mm", "incident", "resolve", incident, "--summary", "pulih")
    assert "legal" in assert_one_line_error(refused)
    run.ok("--as", "sari.legal", "incident", "acknowledge", incident, "--to", "legal")
    run.ok("--as", "joko.mm", "incident", "acknowledge", incident, "--to", "marketing_manager")
    run.ok("--as", "joko.mm", "incident", "release", incident, "--reason", "pulih")
    run.ok("--as", "joko.mm", "incident", "resolve", incident, "--summary", "pulih 12.00")
    run.ok("--as", "joko.mm", "incident", "review", incident, "--timeline", "09.00-12.00",
           "--worked", "holding statement cepat", "--did-not", "eskalasi lambat",
           "--follow-up", "Latihan eskalasi|adi.admin|2099-01-15")
    run.ok("--as", "joko.mm", "incident", "close", incident)
    [row] = run.json("incident", "list")
    assert (row["status"], row["level"], row["freezing"]) == ("closed", 3, False)
    assert run.json("incident", "list", "--open") == []
    history = [h["event"] for h in run.json("incident", "show", incident)]
    assert history[0] == "IncidentOpened" and history[-1] == "IncidentClosed"
    assert {"PublishingFrozen", "PublishingReleased", "EscalationAcknowledged"} <= set(history)
    markdown = run.ok("incident", "report", incident).stdout
    assert markdown.startswith("# Incident report: Gangguan transfer")
    assert "## Response times" in markdown and "Latihan eskalasi" in markdown
    indonesian = run.ok("--lang", "id", "incident", "report", incident).stdout
    assert "# Laporan Insiden" in indonesian and "Kronologi" in indonesian
    data = json.loads(run.ok("incident", "report", incident, "--format", "json").stdout)
    assert data["status"] == "closed" and data["source"] == "manual"
    out = tmp_path / "insiden.html"
    run.ok("incident", "report", incident, "--format", "html", "--out", str(out))
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<table>" in page


@pytest.mark.parametrize(("args", "expected"), [
    (("--as", "maya.agency", "incident", "open", "--title", "x", "--category", "other"),
     "may not open an incident"),
    (("--as", "adi.admin", "incident", "open", "--title", " ", "--category", "other"),
     "incident title"),
    (("--as", "adi.admin", "incident", "open", "--title", "x", "--category", "other",
      "--negative", "5", "--negative-share", "1.5"), "1.5"),
    (("--as", "adi.admin", "incident", "open", "--title", "x", "--category", "other",
      "--negative", "5", "--baseline", "banyak"), "'banyak' is not a number"),
    (("incident", "report", "abcd1234"), "no incident 'abcd1234'"),
])
def test_bad_incident_input_is_one_line_and_writes_nothing(team_store, args, expected) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    before = event_count(run.data_dir)
    line = assert_one_line_error(run(*args))
    assert expected in line
    assert event_count(run.data_dir) == before


def test_classify_against_the_suggestion_needs_a_reason(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    incident = _open(run)[:8]
    before = event_count(run.data_dir)
    line = assert_one_line_error(run("--as", "joko.mm", "incident", "classify", incident,
                                     "--level", "2"))
    assert "3" in line and event_count(run.data_dir) == before
    run.ok("--as", "joko.mm", "incident", "classify", incident, "--level", "2", "--reason",
           "hanya satu kota terdampak")
    bad = run("--as", "joko.mm", "incident", "review", incident, "--timeline", "x",
              "--worked", "y", "--did-not", "z", "--follow-up", "no-owner")
    assert "ACTION|OWNER|YYYY-MM-DD" in assert_one_line_error(bad, exit_code=2)


def test_crisis_templates_from_the_command_line(team_store) -> None:  # type: ignore[no-untyped-def]
    run, _ = team_store
    listed = run.ok("incident", "template", "--category", "personal_data_breach",
                    "--list").stdout
    assert "personal_data_breach.data_subject_notice" in listed
    filled = run.ok("--lang", "id", "incident", "template", "--category", "complaint_wave",
                    "--set", "brand=Bank Nusantara", "--set", "topic=transfer",
                    "--set", "hours=2", "--set", "channel=DM @banknusa").stdout
    assert filled.startswith("Kami mendengar Anda. Bank Nusantara")
    missing = run("incident", "template", "--category", "complaint_wave", "--set", "brand=X")
    assert "{topic}" in assert_one_line_error(missing)

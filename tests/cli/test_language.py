"""Messages in English or Bahasa Indonesia: --lang, $SOCMED_LANG, or the locale."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.helpers import Socmed, assert_one_line_error, event_count

ID_ENVS = [
    pytest.param([], {"LANG": "id_ID.UTF-8"}, id="LANG=id_ID.UTF-8"),
    pytest.param([], {"LC_ALL": "id_ID.UTF-8", "LANG": "en_US.UTF-8"}, id="LC_ALL wins"),
    pytest.param([], {"SOCMED_LANG": "id", "LANG": "en_US.UTF-8"}, id="SOCMED_LANG=id"),
    pytest.param(["--lang", "id"], {}, id="--lang id"),
    pytest.param(["--lang=id"], {"LANG": "en_US.UTF-8"}, id="--lang=id"),
]
EN_ENVS = [
    pytest.param([], {}, id="no locale"),
    pytest.param([], {"LANG": "C.UTF-8"}, id="LANG=C"),
    pytest.param(["--lang", "en"], {"LANG": "id_ID.UTF-8"}, id="--lang en beats LANG"),
    pytest.param(["--lang", "en"], {"SOCMED_LANG": "id"}, id="--lang en beats SOCMED_LANG"),
]


@pytest.mark.parametrize(("flags", "env"), ID_ENVS)
def test_indonesian_error_and_success(team_store: tuple[Socmed, dict[str, str]],
                                      flags: list[str], env: dict[str, str]) -> None:
    socmed, ids = team_store
    store = Path(socmed.data_dir)
    before = event_count(store)

    line = assert_one_line_error(socmed(*flags, "content", "show", "00000000", env=env),
                                 "galat: ", 1)
    assert line == ("galat: content '00000000' tidak ada: periksa id dengan "
                    "'socmed content list'")
    line = assert_one_line_error(socmed(*flags, "content", "list", "--status", "bogus",
                                        env=env), "galat: ", 1)
    assert "status 'bogus' tidak dikenal" in line
    # Usage errors from click itself carry the Indonesian prefix too (exit 2).
    assert_one_line_error(socmed(*flags, "content", "create", "--title", "t", env=env),
                          "galat: ", 2)
    assert event_count(store) == before

    added = socmed.ok(*flags, "--as", "rina.mm", "team", "add", "tono.legal", "--name", "Tono",
                      "--role", "legal", env=env)
    assert added.stdout.strip() == "tono.legal ditambahkan sebagai legal."
    submitted = socmed.ok(*flags, "--as", "budi.dm", "content", "submit-review", ids["draft"],
                          env=env)
    assert submitted.stdout.strip() == f"{ids['draft']} diajukan untuk review internal."
    assert socmed.ok(*flags, "--as", "adi.admin", "publish", "due", env=env).stdout.strip() == (
        "Tidak ada yang jatuh tempo.")


@pytest.mark.parametrize(("flags", "env"), EN_ENVS)
def test_english_error_and_success(team_store: tuple[Socmed, dict[str, str]],
                                   flags: list[str], env: dict[str, str]) -> None:
    socmed, _ = team_store
    line = assert_one_line_error(socmed(*flags, "content", "show", "00000000", env=env),
                                 "error: ", 1)
    assert line == "error: no content '00000000': check the id with 'socmed content list'"
    added = socmed.ok(*flags, "--as", "rina.mm", "team", "add", "tono.legal", "--name", "Tono",
                      "--role", "legal", env=env)
    assert added.stdout.strip() == "Added tono.legal as legal."


def test_indonesian_listing_titles(team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    english = {m["member"]: m["role_title"] for m in socmed.json("team", "list")}
    indonesian = {m["member"]: m["role_title"]
                  for m in socmed.json("--lang", "id", "team", "list")}
    assert english.keys() == indonesian.keys()
    assert english["rina.mm"] != indonesian["rina.mm"]
    assert "Pemasaran" in indonesian["rina.mm"]
    items_en = [r["item"] for r in socmed.json("content", "checklist")]
    items_id = [r["item"] for r in socmed.json("--lang", "id", "content", "checklist")]
    assert len(items_en) == len(items_id) and items_en != items_id


def test_codes_in_tables_read_in_indonesian_and_stay_codes_in_csv(
        team_store: tuple[Socmed, dict[str, str]]) -> None:
    socmed, _ = team_store
    socmed.ok("--as", "budi.dm", "content", "create", "--title", "Ide kuis")  # an idea
    table = socmed.ok("--lang", "id", "content", "list").stdout
    assert "│ ide " in table and "│ idea " not in table and "Status" in table
    csv = socmed.ok("--lang", "id", "content", "list", "--format", "csv").stdout
    assert ",idea," in csv
    english = socmed.ok("content", "list").stdout
    assert "│ idea " in english


def test_indonesian_refusals_of_the_missing_store_and_the_demo(
        tmp_path: Path, team_store: tuple[Socmed, dict[str, str]]) -> None:
    missing = Socmed(tmp_path / "nowhere")
    line = assert_one_line_error(missing("--lang", "id", "team", "list"), "galat: ", 1)
    assert line.startswith("galat: tidak ada penyimpanan socmed di ")
    socmed, _ = team_store
    line = assert_one_line_error(socmed("demo", "--quiet", env={"LANG": "id_ID.UTF-8"}),
                                 "galat: ", 1)
    assert "sudah berisi penyimpanan socmed" in line

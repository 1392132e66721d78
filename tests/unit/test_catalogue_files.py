"""The catalogue's texts are data files beside the modules that own them.

Why: the texts were dict literals in Python modules (the bulk of what `duplicates` reported
as repeated code). Now they are TOML read with importlib.resources; these tests check that
the files ship in a plain (non-editable) install, that a malformed file is refused with its
path, that the CLI's --help reads none of them, and that scripts/messages_to_data.py turns a
module of the old shape into the same catalogue data.
"""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from socmed_domain.catalogue_files import CatalogueFile, load

ROOT = Path(__file__).parents[2]
SRC = ROOT / "src"
SCRIPT = ROOT / "scripts" / "messages_to_data.py"


#: TOML package data that is not a catalogue: the industry packs (company configurations)
#: and the default notification rules.
PACKS = SRC / "socmed_domain" / "configuration" / "packs"
DATA_FILES = (SRC / "socmed_domain" / "notifications" / "default_rules.toml",)


def _catalogue_files() -> list[Path]:
    return sorted(path for path in SRC.rglob("*.toml")
                  if path.parent != PACKS and path not in DATA_FILES)


def test_the_industry_packs_are_package_data() -> None:
    """`pip install .` takes them: a package (with its __init__) whose *.toml files the
    package-data pattern covers."""
    assert (PACKS / "__init__.py").exists()
    assert {p.name for p in PACKS.glob("*.toml")} == {"banking.toml", "food.toml",
                                                      "telecom.toml"}


def test_every_catalogue_file_is_declared_as_package_data() -> None:
    files = _catalogue_files()
    assert len(files) >= 8  # the domain core, four stages, the reports, the CLI, click
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"]["*"]
    assert "*.toml" in patterns
    for path in files:
        module = ".".join(path.relative_to(SRC).with_suffix("").parts)
        data = load(module)
        assert data.messages, module
        # the module that owns the file sits beside it (its loader, or its code)
        assert path.with_suffix(".py").exists(), path


@pytest.mark.slow
def test_a_built_wheel_holds_every_catalogue_file(tmp_path: Path) -> None:
    """What `pip install .` installs: the wheel built from a copy of the project."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(SRC, project / "src",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", str(project),
                    "-w", str(tmp_path / "dist")], check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for path in [*_catalogue_files(), *PACKS.glob("*.toml")]:
        assert path.relative_to(SRC).as_posix() in shipped, path


def test_a_message_without_both_languages_is_refused_naming_the_file() -> None:
    with pytest.raises(ValueError, match=r"socmed_x/messages\.toml: message a\.b must have"):
        CatalogueFile("socmed_x.messages", {"messages": {"a.b": {"en": "only English"}}})


def test_loading_the_cli_for_help_reads_no_catalogue_file() -> None:
    """The catalogue is built on first use: importing the domain and the CLI parses nothing."""
    code = ("import sys, socmed_domain.application, socmed_domain.errors, socmed_cli.main\n"
            "from socmed_domain.catalogue_files import load\n"
            "print(load.cache_info().currsize, 'tomllib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["0", "False"]


_OLD_SHAPE = '''"""Messages of a new stage; registered in socmed_domain.i18n.

More words that stay in the module.
"""

MESSAGES: dict[str, dict[str, str]] = {
    # Errors first.
    "error.new_thing": {
        "en": "a \\"quoted\\" {thing} with a backslash \\\\ and "
        "a second line",
        "id": "sebuah {thing} \\"berkutip\\" — dengan garis miring \\\\",
    },
    "event.NewThingDone": {"en": "did {count, plural, one {# thing} other {# things}}",
                           "id": "melakukan {count} hal"},
}

#: Indonesian for the terms.
TERMS_ID: dict[str, str] = {
    "do a new thing": "melakukan hal baru",
}
'''


def _package(tmp_path: Path, name: str, source: str) -> Path:
    package = tmp_path / name
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "messages.py").write_text(source)
    return package


def _convert(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True,
                          check=True)


def test_the_script_turns_a_data_module_into_its_file_and_a_loader(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = _package(tmp_path, "socmed_newstage_a", _OLD_SHAPE)
    monkeypatch.syspath_prepend(str(tmp_path))
    before = importlib.import_module("socmed_newstage_a.messages")
    expected = (before.MESSAGES, before.TERMS_ID)
    del sys.modules["socmed_newstage_a.messages"]

    _convert(str(package / "messages.py"))

    text = (package / "messages.toml").read_text()
    assert "# Errors first." in text and "# Indonesian for the terms." in text
    after = importlib.import_module("socmed_newstage_a.messages")
    assert expected == (after.MESSAGES, after.TERMS_ID)
    assert list(after.MESSAGES) == list(expected[0])  # order kept
    assert "MESSAGES = load(__name__).messages" in (package / "messages.py").read_text()


def test_the_script_leaves_a_module_with_code_and_writes_only_its_data(tmp_path: Path) -> None:
    source = _OLD_SHAPE + "\n\ndef helper() -> int:\n    return 1\n"
    package = _package(tmp_path, "socmed_newstage_b", source)
    result = _convert(str(package / "messages.py"))
    assert "left as it is" in result.stdout
    assert (package / "messages.py").read_text() == source
    data = tomllib.loads((package / "messages.toml").read_text())
    assert set(data) == {"messages", "terms_id"} and len(data["messages"]) == 2

"""Where the one message catalogue's data lives: a TOML file beside the module that owns it.

The texts of the catalogue are data, not code: the module ``a.b.messages`` keeps its codes in
``a/b/messages.toml`` (shipped as package data, read with ``importlib.resources``, so a plain
non-editable install has them). A file holds

* ``[messages."<code>"]`` tables, each with ``en`` and ``id`` templates;
* ``[terms_id]``, the Indonesian of verbs and actions named inside messages (``Term``);
* any other flat table (``[headers_id]``, ``[values_id]`` of the CLI), read by its owner.

A module that still holds its catalogue as Python dicts (``MESSAGES = {code: {"en", "id"}}``
and ``TERMS_ID``, the shape every ``messages.py`` had before) keeps working: ``socmed_domain.i18n``
reads a stage's ``MESSAGES`` and ``TERMS_ID`` whichever way they were made.
``scripts/messages_to_data.py`` turns such a module into its TOML file and a two-line loader.

Files are parsed on first use (the catalogue is built lazily), never at import of the CLI.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Any


class CatalogueFile:
    """The parsed TOML file of one module: its messages, its terms and its other tables."""

    def __init__(self, module: str, data: dict[str, Any]) -> None:
        self.module = module
        self.messages: dict[str, dict[str, str]] = data.pop("messages", {})
        self.terms_id: dict[str, str] = data.pop("terms_id", {})
        self.tables: MappingProxyType[str, dict[str, str]] = MappingProxyType(data)
        for code, texts in self.messages.items():
            if set(texts) != {"en", "id"} or not all(isinstance(text, str)
                                                     for text in texts.values()):
                raise ValueError(f"{self.path}: message {code} must have exactly an 'en' and "
                                 f"an 'id' text, got {sorted(texts)}")

    @property
    def path(self) -> str:
        return self.module.replace(".", "/") + ".toml"

    def table(self, name: str) -> dict[str, str]:
        """A flat table of the file (``headers_id``, ``values_id``); empty when absent."""
        return self.tables.get(name, {})


@cache
def load(module: str) -> CatalogueFile:
    """The catalogue data of `module` (``__name__`` of its loader): ``<module path>.toml``."""
    import tomllib  # here, not at import: the CLI's --help loads no catalogue

    package, _, name = module.rpartition(".")
    text = resources.files(package).joinpath(f"{name}.toml").read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"{module.replace('.', '/')}.toml: {error}") from error
    return CatalogueFile(module, data)

"""A company's configuration as a TOML file (`socmed config apply FILE`, `config export`) and
the three industry packs shipped with socmed (`--pack banking|food|telecom`).

A file is read in three steps, and the first problem found is the one error reported, as one
line naming the file, the field (a dotted path such as `sla.targets.urgent`) and what is
allowed; nothing is applied:

1. the TOML itself (socmed_adapters.files: size-bounded, UTF-8, syntax errors with a line);
2. the shape: every key a field of its section, every value of its field's type (a string
   where a list is expected is refused here, not split into letters);
3. the values, by the domain (`configuration.model.problems`: weekdays, hours, scores...).

The shape walk follows the attrs classes of `CompanyConfiguration`, so a section added there
is read, checked and exported here without a change; the value objects are then built by the
one cattrs converter (socmed_domain.transcoding).
"""

from __future__ import annotations

import types
import typing
from importlib import resources
from pathlib import Path
from typing import Any

import attrs
import tomli_w

from socmed_domain.configuration.aggregate import check_configuration
from socmed_domain.configuration.model import CompanyConfiguration
from socmed_domain.errors import InvalidInputError
from socmed_domain.i18n import Term
from socmed_domain.transcoding import converter

PACKS = ("banking", "food", "telecom")
_PACKAGE = "socmed_domain.configuration"


def read_configuration_file(path: Path | str) -> CompanyConfiguration:
    """The configuration in `path`, checked; one InvalidInputError naming the file, the
    field and what is allowed."""
    from socmed_adapters.files import read_toml

    return configuration_from_dict(read_toml(path, "configuration"), str(path))


def read_pack(name: str) -> CompanyConfiguration:
    """One of the shipped industry packs."""
    return configuration_from_dict(_parse(pack_text(name)), f"pack {name}")


def pack_text(name: str) -> str:
    if name not in PACKS:
        raise InvalidInputError("error.configuration_pack", value=name, choices=", ".join(PACKS))
    return (resources.files(_PACKAGE) / "packs" / f"{name}.toml").read_text(encoding="utf-8")


def _parse(text: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(text)


def configuration_from_dict(data: dict[str, Any], source: str = "configuration"
                            ) -> CompanyConfiguration:
    _check_shape(data, CompanyConfiguration, "", source)
    try:
        config = converter.structure(data, CompanyConfiguration)
    except Exception as error:
        raise InvalidInputError("error.configuration_file", path=source, field="(file)",
                                detail=str(error).splitlines()[0],
                                allowed="see docs/user-guide.en.md") from None
    check_configuration(config, source)
    return config


def configuration_to_dict(config: CompanyConfiguration) -> dict[str, Any]:
    data: dict[str, Any] = converter.unstructure(config, CompanyConfiguration)
    return data


def configuration_to_toml(config: CompanyConfiguration) -> str:
    """The whole configuration as TOML (`config export`): applying it changes nothing."""
    header = ("# socmed company configuration (socmed config export); apply with\n"
              "# `socmed config apply FILE --reason ...`. Sections: "
              + ", ".join(a.name for a in attrs.fields(CompanyConfiguration)) + "\n\n")
    return header + tomli_w.dumps(configuration_to_dict(config), multiline_strings=False)


# ----------------------------------------------------------------------- the shape


def _fail(source: str, where: str, detail: str, allowed: str) -> InvalidInputError:
    """One line: the file, the field, what is wrong and what is allowed. The fixed phrases
    are terms of the catalogue (shown in the reader's language); names and values are data."""
    return InvalidInputError("error.configuration_file", path=source, field=where or "(top)",
                             detail=_term(detail), allowed=_term(allowed))


_TERMS = ("unknown field", "missing", "a table", "a list [...]", "text in quotes",
          "a whole number", "a number", "true or false")


def _term(text: str) -> str | Term:
    return Term(text) if text in _TERMS else text


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def _check_shape(value: Any, kind: Any, where: str, source: str) -> None:
    origin = typing.get_origin(kind)
    args = typing.get_args(kind)
    if attrs.has(kind):
        if not isinstance(value, dict):
            raise _fail(source, where, f"{_name(value)} given", "a table")
        hints = typing.get_type_hints(kind)
        fields = [a.name for a in attrs.fields(kind)]
        for key, item in value.items():
            if key not in fields:
                raise _fail(source, _join(where, key), "unknown field", ", ".join(fields))
            _check_shape(item, hints[key], _join(where, key), source)
        required = [a.name for a in attrs.fields(kind) if a.default is attrs.NOTHING]
        for name in required:
            if name not in value:
                raise _fail(source, _join(where, name), "missing", ", ".join(required))
        return
    if origin is dict:
        if not isinstance(value, dict):
            raise _fail(source, where, f"{_name(value)} given", "a table")
        for key, item in value.items():
            _check_shape(item, args[1], _join(where, str(key)), source)
        return
    if origin is tuple:
        if not isinstance(value, list):
            raise _fail(source, where, f"{_name(value)} given", "a list [...]")
        for number, item in enumerate(value, 1):
            _check_shape(item, args[0], f"{where}[{number}]", source)
        return
    if origin in (typing.Union, types.UnionType):
        return  # not used by the sections; cattrs decides
    if kind is str and not isinstance(value, str):
        raise _fail(source, where, f"{_name(value)} given", "text in quotes")
    if kind is int and (not isinstance(value, int) or isinstance(value, bool)):
        raise _fail(source, where, f"{_name(value)} given", "a whole number")
    if kind is float and (not isinstance(value, int | float) or isinstance(value, bool)):
        raise _fail(source, where, f"{_name(value)} given", "a number")
    if kind is bool and not isinstance(value, bool):
        raise _fail(source, where, f"{_name(value)} given", "true or false")


def _name(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"text '{value[:40]}'"
    return f"{type(value).__name__} {value!r}"[:60]

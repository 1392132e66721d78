"""A strategy written as a TOML file (`socmed strategy draft --file strategy.toml`).

A strategy is a document with nested parts (goals, KPI targets, audiences, platforms, brand
voice), which people write and review better as a file than as fifty command options. The
file's shape is the StrategyPlan value object's; docs/examples/strategy-2027.toml is a full one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cattrs import ClassValidationError, transform_error

from socmed_domain.errors import InvalidInputError
from socmed_domain.planning.strategy_plan import StrategyPlan
from socmed_domain.transcoding import converter


def read_strategy_file(path: Path) -> StrategyPlan:
    """The plan in `path`, or one InvalidInputError naming the file and what is wrong (read
    by socmed_adapters.files: size-bounded, UTF-8, nesting bounded, no FIFO or device)."""
    from socmed_adapters.files import read_toml

    return strategy_from_dict(read_toml(path, "strategy"), str(path))


def strategy_from_dict(data: dict[str, Any], source: str = "strategy") -> StrategyPlan:
    try:
        return converter.structure(data, StrategyPlan)
    except ClassValidationError as error:
        detail = "; ".join(transform_error(error, path="$")[:3])
        raise InvalidInputError("error.strategy_file", path=source, detail=detail) from None
    except (ValueError, TypeError, KeyError, AttributeError, OverflowError) as error:
        raise InvalidInputError("error.strategy_file", path=source, detail=str(error)) from None


def strategy_to_toml(plan: StrategyPlan, header: str = "") -> str:
    """The plan as a strategy file (`socmed strategy export`): what `read_strategy_file`
    reads back to an equal plan, so a revision starts from the version in force. Numbers
    are written as the example writes them (KPI targets as exact decimal text); a value
    that is not set (a KPI for all platforms) is left out, as TOML has no null."""
    import tomli_w

    data = _tomlable(converter.unstructure(plan, StrategyPlan))
    return header + tomli_w.dumps(data)


def _tomlable(value: Any) -> Any:
    from decimal import Decimal

    if isinstance(value, dict):
        return {key: _tomlable(item) for key, item in value.items() if item is not None}
    if isinstance(value, list | tuple):
        return [_tomlable(item) for item in value]
    if isinstance(value, Decimal):
        return str(value)
    return value
